"""Keys, text normalisation, record (de)serialisation and the WARC format, without a store."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from palimpsest.storage import VersionRecord, normalise_text, text_sha256
from palimpsest.storage.keys import (
    SourceKey,
    parse_source_key,
    raw_key,
    raw_sha,
    safe_host,
    url_hash,
    version_key,
)
from palimpsest.storage.warc import WarcFormatError, capture_from_warc, capture_to_warc

WARCIO = str(Path(sys.executable).with_name("warcio"))


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://News.Example/a", "news.example"),
        ("http://[::1]:8080/x", "_1"),
        ("https://xn--bcher-kva.example/", "xn--bcher-kva.example"),
        ("file:///etc/passwd", "_"),
        ("https://../x", "_"),
    ],
)
def test_safe_host(url: str, host: str) -> None:
    assert safe_host(url) == host


def test_version_key_layout() -> None:
    key = version_key("https://news.example/a?b=1", 12)
    assert (
        key
        == f"sources/news.example/{url_hash('https://news.example/a?b=1')}/versions/00000012.json"
    )
    assert parse_source_key(key) == SourceKey(
        url_hash("https://news.example/a?b=1"), 1, "versions", 12
    )
    assert parse_source_key("sources/x/short/versions/00000001.json") is None
    assert url_hash("https://a.example/x") != url_hash("https://a.example/x/")


def test_raw_key_layout() -> None:
    sha = "ab" + "c" * 62
    assert raw_key(sha) == f"raw/ab/{sha}.warc.gz"
    assert raw_sha(raw_key(sha)) == sha
    assert raw_sha(f"raw/cd/{sha}.warc.gz") is None
    assert raw_sha("raw/ab/../../etc.warc.gz") is None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("One.\n\nTwo.", "One.\r\n\r\nTwo.\r\n"),
        ("One.\n\nTwo.", "  \nOne.   \n\n\n\nTwo.\t\n"),
        ("Caf\u00e9", "Cafe\u0301"),
    ],
)
def test_invisible_differences_normalise_away(a: str, b: str) -> None:
    assert text_sha256(a) == text_sha256(b)


@pytest.mark.parametrize(("a", "b"), [("One. Two.", "One.  Two."), ("a\nb", "a\n\nb")])
def test_visible_differences_stay(a: str, b: str) -> None:
    assert text_sha256(a) != text_sha256(b)


@given(st.text())
def test_normalise_is_idempotent(text: str) -> None:
    once = normalise_text(text)
    assert normalise_text(once) == once


def _record(**changes: Any) -> VersionRecord:
    record = VersionRecord(
        url="https://news.example/a",
        final_url="https://news.example/a",
        captured_at=datetime(2024, 1, 1, 12, tzinfo=timezone(timedelta(hours=2))),
        etag=None,
        last_modified=None,
        raw_key=None,
        text="Text.",
        metadata={"title": "T", "tags": ["x"]},
        extractor="e",
        extractor_version="1",
        removed=[],
        version=1,
        sha256=text_sha256("Text."),
        diff={"previous": None},
        key=version_key("https://news.example/a", 1),
    )
    return replace(record, **changes)


def test_record_dict_round_trip() -> None:
    record = _record()
    data = json.loads(record.to_json())
    assert data["captured_at"] == "2024-01-01T10:00:00+00:00"
    again = VersionRecord.from_dict(data)
    assert again == record and again.captured_at.tzinfo == UTC
    del data["sha256"]
    with pytest.raises(ValueError, match="sha256"):
        VersionRecord.from_dict(data)


def test_title_and_words() -> None:
    assert _record(metadata={}).title is None
    assert _record(text="Three short words").words == 3


def _capture(make_capture: Any, **changes: Any) -> Any:
    return replace(make_capture(), **changes)


def test_warc_is_deterministic_and_round_trips(make_capture: Any) -> None:
    capture = _capture(make_capture, http_version="HTTP/2", reason="")
    data = capture_to_warc(capture)
    assert capture_to_warc(capture) == data
    assert capture_from_warc(data) == capture
    later = replace(capture, captured_at=capture.captured_at + timedelta(seconds=1))
    assert capture_to_warc(later) != data


def test_warcio_tools_check_index_and_extract(make_capture: Any, tmp_path: Path) -> None:
    capture = _capture(make_capture, body=b"<html><body>replay me</body></html>")
    path = tmp_path / "capture.warc.gz"
    path.write_bytes(capture_to_warc(capture))
    check = subprocess.run([WARCIO, "check", "-v", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "digest pass" in check.stdout
    index = subprocess.run([WARCIO, "index", str(path)], capture_output=True, text=True)
    rows = [json.loads(line) for line in index.stdout.splitlines()]
    assert [r["warc-type"] for r in rows] == ["warcinfo", "response", "request"]
    assert {r.get("warc-target-uri") for r in rows[1:]} == {capture.final_url}
    body = subprocess.run(
        [WARCIO, "extract", "--payload", str(path), rows[1]["offset"]], capture_output=True
    )
    assert body.stdout == capture.body


@pytest.mark.parametrize("data", [b"", b"garbage", b"\x1f\x8b\x08\x00broken"])
def test_bad_warc_bytes(data: bytes) -> None:
    with pytest.raises(WarcFormatError):
        capture_from_warc(data)
