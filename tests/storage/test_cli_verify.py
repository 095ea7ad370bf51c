"""`palimpsest verify`: exit 0 on an intact archive, 1 with the damage listed otherwise."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from palimpsest.storage import open_store
from typer.testing import CliRunner

from palimpsest.cli import app

URL = "https://news.example/a/story"


@pytest.fixture
def archived(store_spec: str, store: Any, make_capture: Any, make_draft: Any) -> Any:
    raw = store.put_capture(make_capture())
    store.add_version(make_draft("First text.", raw_key=raw))
    store.add_version(make_draft("Second text."))
    return store


def run(*args: str) -> Any:
    return CliRunner().invoke(app, ["verify", *args])


def test_intact_archive_passes(archived: Any, store_spec: str) -> None:
    result = run("--store", store_spec)
    assert result.exit_code == 0, result.output
    assert "ok: 2 version records and 1 raw captures" in result.stdout
    result = run(URL, "--store", store_spec, "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["ok"] is True


def test_tampered_archive_fails(archived: Any, store_spec: str, secret: str) -> None:
    first = archived.get(URL, 1)
    backend = archived.backend
    data = json.loads(backend.read(first.key))
    data["text"] = "Rewritten history."
    if hasattr(backend, "root"):
        (backend.root / first.key).write_text(json.dumps(data))
    else:
        backend.client.put_object(
            Bucket=backend.bucket, Key=backend._full(first.key), Body=json.dumps(data).encode()
        )
    result = run("--store", store_spec)
    assert result.exit_code == 1
    assert first.key in result.stderr and "FAILED: 3 problem(s)" in result.stderr
    assert secret not in result.output
    result = run("--store", store_spec, "--json")
    assert result.exit_code == 1
    problems = json.loads(result.stdout)["problems"]
    assert {(p["key"], p["url"]) for p in problems} == {(first.key, URL)}
    messages = [p["message"] for p in problems]
    assert "sealed as" in messages[0]  # its bytes against its seal
    assert "version 2 chains to" in messages[1]  # against the chain from version 2
    assert messages[2].startswith("text sha256 is")


def test_unknown_url_fails(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    store = open_store(str(tmp_path / "a"))
    result = run("https://never.example/x", "--store", store.location)
    assert result.exit_code == 1
    assert "no versions of https://never.example/x" in result.stderr


def test_missing_bucket_is_one_line(s3_env: str, secret: str) -> None:
    result = run("--store", "s3://no-such-bucket-for-verify/x")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "no-such-bucket-for-verify" in lines[0] and s3_env in lines[0]
    assert "Traceback" not in result.output and secret not in result.output


def test_an_empty_store_says_so(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run("--store", str(tmp_path / "empty"))
    assert result.exit_code == 0
    assert "is empty" in result.stdout and "empty" in result.stdout


def test_a_mistyped_store_is_an_error_naming_it(tmp_path: Path) -> None:
    result = run("--store", str(tmp_path / "typo"))
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.splitlines() == [
        f"error: {tmp_path / 'typo'}: no archive there (check --store or $PALIMPSEST_STORE; "
        "only `archive` creates one)"
    ]
    assert not (tmp_path / "typo").exists()  # reading never creates a store
