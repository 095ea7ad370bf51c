"""Must-show, end to end against a real S3-protocol server (moto, as a subprocess):

* 6 concurrent `palimpsest archive` processes on one URL leave exactly one version;
* the raw capture is a `.warc.gz` that warcio replays;
* `palimpsest verify` passes on the intact store and fails on a tampered object;
* with the endpoint down, archive exits non-zero with one clear line naming the endpoint.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from palimpsest.storage import open_store
from warcio.archiveiterator import ArchiveIterator

from palimpsest.localserver import PageServer

PALIMPSEST = str(Path(sys.executable).with_name("palimpsest"))
PARAGRAPHS = [
    "The regional council approved the new water budget on Tuesday after a long debate.",
    "Members argued for hours over how the cost of the pipeline repairs should be shared.",
    "The final plan spreads the payments over ten years and caps the yearly increase.",
    "Opponents said the cap would leave too little money for maintenance of older pipes.",
    "A second vote on the maintenance fund is expected before the end of the month.",
]
ARTICLE = (
    "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
    "<title>Council approves water budget</title></head><body><main><article>"
    "<h1>Council approves water budget</h1>"
    + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    + "</article></main></body></html>"
)


@pytest.fixture
def page_url() -> Iterator[str]:
    server = PageServer()
    server.set("/news/council-budget", ARTICLE)
    with server.running():
        yield server.url("/news/council-budget")


def cli_env(endpoint: str, secret: str, tmp_path: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AWS_", "PALIMPSEST_", "PREFECT_API"))
    }
    env.update(
        AWS_ENDPOINT_URL=endpoint,
        AWS_ACCESS_KEY_ID="AKIATESTINGFAKEKEY01",
        AWS_SECRET_ACCESS_KEY=secret,
        AWS_DEFAULT_REGION="us-east-1",
        AWS_CONFIG_FILE=str(tmp_path / "none"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "none"),
        AWS_EC2_METADATA_DISABLED="true",
        PALIMPSEST_HOST_DELAY="0",
        PALIMPSEST_CACHE_DIR=str(tmp_path / "cache"),  # the catalog of an S3 store: not the user's
    )
    return env


def test_six_concurrent_archives_leave_one_version(
    page_url: str, bucket: str, s3_client: Any, moto_endpoint: str, secret: str, tmp_path: Path
) -> None:
    spec = f"s3://{bucket}/archive"
    env = cli_env(moto_endpoint, secret, tmp_path)
    procs = [
        subprocess.Popen(
            [PALIMPSEST, "archive", page_url, "--store", spec, "--json"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(6)
    ]
    results = [(p.wait(timeout=300), *p.communicate()) for p in procs]
    for code, out, err in results:
        assert code == 0, (out, err)
        assert secret not in out + err
    statuses = sorted(json.loads(out)[0]["status"] for _, out, _ in results)
    assert statuses.count("new") == 1, statuses
    assert set(statuses) <= {"new", "unchanged"}

    store = open_store(spec, s3_client=s3_client)
    assert store.urls() == [page_url]
    (version,) = store.versions(page_url)
    assert version.version == 1 and PARAGRAPHS[2] in version.text
    assert version.raw_key.endswith(".warc.gz")
    data = store.get_raw(version.raw_key)
    assert gzip.decompress(data).startswith(b"WARC/1.1\r\n")
    bodies = [
        r.content_stream().read()
        for r in ArchiveIterator(BytesIO(data))
        if r.rec_type == "response"
    ]
    assert bodies == [ARTICLE.encode()]

    verify = [PALIMPSEST, "verify", "--store", spec]
    ok = subprocess.run(verify, env=env, capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    s3_client.put_object(
        Bucket=bucket, Key=f"archive/{version.raw_key}", Body=data[:-10] + b"x" * 10
    )
    bad = subprocess.run(verify, env=env, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1
    assert version.raw_key in bad.stderr and secret not in bad.stdout + bad.stderr


def test_archive_with_endpoint_down(
    page_url: str, dead_endpoint: str, secret: str, tmp_path: Path
) -> None:
    result = subprocess.run(
        [PALIMPSEST, "archive", page_url, "--store", "s3://bucket/archive"],
        env=cli_env(dead_endpoint, secret, tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    output = result.stdout + result.stderr
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, output
    assert result.stdout == "" and lines[0].startswith("error: "), output
    assert dead_endpoint in lines[0] and "Traceback" not in output
    assert secret not in output
