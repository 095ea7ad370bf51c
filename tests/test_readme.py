"""Issue 11, must show: every command of the README's "Using it" block works as documented.

The block is read from README.md itself (so a command added there is run here too); its
placeholders become pages served on 127.0.0.1 and files in an empty working directory, and
each line runs through the real CLI in order, as a newcomer would type them.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from palimpsest.app import settings
from palimpsest.cli import app
from palimpsest.demo import edit
from palimpsest.localserver import PageServer

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "palimpsest" / "demo_pages"
STORY = "https://example.com/news/story"
LONG_RUNNING = {"serve"}  # servers: started by their own tests, not here


def readme_block(heading: str) -> list[list[str]]:
    """The arguments of each `palimpsest ...` line of the first sh block under `heading`."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split(f"\n## {heading}\n", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, f"no sh block under {heading!r}"
    commands = [shlex.split(line, comments=True) for line in block[1].splitlines()]
    return [words[1:] for words in commands if words[:1] == ["palimpsest"]]


@pytest.fixture
def newcomer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """An empty working directory with the README's files, and the story served locally
    with two versions archived (the README diffs versions 1 to 3; its first command adds v3)."""
    monkeypatch.chdir(tmp_path)
    for name in ("PALIMPSEST_STORE", "PALIMPSEST_SOURCES_FILE", "PALIMPSEST_SEEDS_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PALIMPSEST_HOST_DELAY", "0")
    settings.cache_clear()
    shutil.copy(PAGES / "minerals-analysis.html", tmp_path / "page.html")
    (tmp_path / "seeds").mkdir()
    shutil.copy(ROOT / "seeds" / "000_68c98c2fdd58867a.txt", tmp_path / "seeds")
    wire = (PAGES / "minerals-wire.html").read_text(encoding="utf-8")
    server = PageServer()
    server.set("/news/story", wire)
    server.set("/other", (PAGES / "minerals-rewrite.html").read_text(encoding="utf-8"))
    with server.running():
        story = server.url("/news/story")
        (tmp_path / "sources.yaml").write_text(f"sources:\n  - url: {story}\n", encoding="utf-8")
        runner = CliRunner()
        assert runner.invoke(app, ["archive", story]).exit_code == 0
        server.set("/news/story", edit(wire))
        assert runner.invoke(app, ["archive", story]).exit_code == 0
        server.set("/news/story", edit(wire).replace("Monday", "Tuesday"))
        yield server
    settings.cache_clear()


def test_every_command_of_using_it_works_as_documented(newcomer: PageServer) -> None:
    story = newcomer.url("/news/story")
    placeholders = {
        STORY: story,
        "URL1": story,
        "URL2": newcomer.url("/other"),
        "URL": story,
    }
    lines = readme_block("Using it")
    assert len(lines) >= 15
    runner = CliRunner()
    for line in lines:
        argv = [placeholders.get(word, word) for word in line]
        if argv[0] in LONG_RUNNING:
            continue
        result = runner.invoke(app, argv)
        assert result.exit_code == 0, (line, result.output)
        assert "Traceback" not in result.output and result.stdout.strip(), line
        if "--json" in argv:
            json.loads(result.stdout)
        if argv[0] == "archive" and "--json" not in argv:
            assert result.stdout.split()[0] in {"new", "changed", "unchanged", "failed"}
    assert "v3" in runner.invoke(app, ["versions", story]).stdout
    assert Path("report.html").read_text(encoding="utf-8").lstrip().startswith("<!")


def test_the_s3_commands_work_as_documented(
    newcomer: PageServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The S3 section's block against moto's S3 server on 127.0.0.1 (the bucket exists, as
    the README assumes)."""
    import boto3

    from tests.faults.s3kill import start_moto, stop

    proc, port = start_moto()
    try:
        for name, value in {
            "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}",
            "AWS_ACCESS_KEY_ID": "readme",
            "AWS_SECRET_ACCESS_KEY": "readme-secret",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_CONFIG_FILE": str(tmp_path / "none"),
            "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none"),
        }.items():
            monkeypatch.setenv(name, value)
        monkeypatch.delenv("AWS_PROFILE", raising=False)
        lines = readme_block("Storing in S3, MinIO, R2 or Ceph")
        bucket = re.search(r"s3://([^/\s]+)", " ".join(lines[0]))
        assert bucket and len(lines) >= 3
        boto3.client("s3").create_bucket(Bucket=bucket[1])
        runner = CliRunner()
        for line in lines:
            argv = [newcomer.url("/news/story") if w == STORY else w for w in line]
            result = runner.invoke(app, argv)
            assert result.exit_code == 0, (line, result.output)
            assert "Traceback" not in result.output and "readme-secret" not in result.output
    finally:
        stop(proc)
