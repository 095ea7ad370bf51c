"""WARC captures as received: redirect hops as records, framing headers untouched, digests of
the bytes the server sent, and warcio's digest checker passing on every record."""

from __future__ import annotations

import base64
import dataclasses
import gzip
import hashlib
from datetime import UTC, datetime, timedelta
from io import BytesIO

from palimpsest.storage import Capture, CaptureHop
from palimpsest.storage.warc import capture_from_warc, capture_to_warc
from warcio.archiveiterator import ArchiveIterator

WHEN = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
PAGE = b"<html><body><p>The harbour wall was rebuilt.</p></body></html>"


def warcio_check(data: bytes) -> list[str]:
    """What `warcio check` reports: every digest verified (payload and block), no problem."""
    problems = []
    for record in ArchiveIterator(BytesIO(data), check_digests=True):
        record.content_stream().read()
        if record.digest_checker.passed is not True:
            problems.append(f"{record.rec_type}: {record.digest_checker.problems or 'unchecked'}")
    return problems


def sha1_b32(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode()


def redirected_capture() -> Capture:
    """/r/story -> 301 -> /news/story, served gzipped and chunked (as many servers do)."""
    hop = CaptureHop(
        url="https://news.example/r/story",
        status=301,
        reason="Moved Permanently",
        http_version="HTTP/1.1",
        request_headers=[("Host", "news.example"), ("Accept-Encoding", "gzip, deflate")],
        response_headers=[("Location", "/news/story"), ("Content-Length", "5")],
        body=b"moved",
        captured_at=WHEN,
        peer_ip="127.0.0.1",
    )
    encoded = gzip.compress(PAGE, mtime=0)
    return Capture(
        url="https://news.example/r/story",
        final_url="https://news.example/news/story",
        status=200,
        reason="OK",
        http_version="HTTP/1.1",
        request_headers=[("Host", "news.example"), ("Accept-Encoding", "gzip, deflate")],
        response_headers=[
            ("content-type", "text/html"),
            ("Content-Encoding", "gzip"),
            ("Transfer-Encoding", "chunked"),
            ("ETag", '"v1"'),
        ],
        body=encoded,
        captured_at=WHEN + timedelta(milliseconds=40),
        hops=(hop,),
        peer_ip="127.0.0.1",
    )


def test_every_hop_is_a_response_record_before_the_final_one() -> None:
    capture = redirected_capture()
    data = capture_to_warc(capture)

    records = [(r.rec_type, r.rec_headers, r.http_headers) for r in ArchiveIterator(BytesIO(data))]
    responses = [(h, http) for kind, h, http in records if kind == "response"]
    assert [h.get_header("WARC-Target-URI") for h, _ in responses] == [
        "https://news.example/r/story",  # what the user archived: replay finds it
        "https://news.example/news/story",
    ]
    assert [http.get_statuscode() for _, http in responses] == ["301", "200"]
    assert [kind for kind, _, _ in records].count("request") == 2
    assert all(h.get_header("WARC-IP-Address") == "127.0.0.1" for h, _ in responses)
    assert warcio_check(data) == []


def test_the_final_response_is_stored_as_received() -> None:
    capture = redirected_capture()
    data = capture_to_warc(capture)
    seen = [
        (r.rec_headers, r.http_headers, r.content_stream().read())
        for r in ArchiveIterator(BytesIO(data))
        if r.rec_type == "response"
    ]
    rec_headers, http_headers, content = seen[-1]

    assert http_headers.headers == capture.response_headers  # untouched, in order
    assert rec_headers.get_header("WARC-Payload-Digest") != sha1_b32(PAGE)
    assert content == PAGE  # a replay tool undoes chunked and gzip
    assert capture_from_warc(data) == capture  # and the capture round-trips exactly


def test_an_identity_body_digest_is_of_the_bytes_sent() -> None:
    capture = dataclasses.replace(
        redirected_capture(),
        hops=(),
        body=PAGE,
        response_headers=[("Content-Type", "text/html"), ("Content-Length", str(len(PAGE)))],
    )
    data = capture_to_warc(capture)
    (response,) = [r for r in ArchiveIterator(BytesIO(data)) if r.rec_type == "response"]
    assert response.rec_headers.get_header("WARC-Payload-Digest") == sha1_b32(PAGE)
    assert warcio_check(data) == [] and capture_from_warc(data) == capture


def test_captures_of_the_old_layout_still_read_back() -> None:
    """Before captures were kept as received, the decoded body was stored with its framing
    headers renamed; reading drops the renamed ones, so headers and body agree."""
    legacy = dataclasses.replace(
        redirected_capture(),
        hops=(),
        body=PAGE,
        response_headers=[
            ("Content-Type", "text/html"),
            ("X-Palimpsest-Orig-Content-Encoding", "gzip"),
            ("X-Palimpsest-Orig-Transfer-Encoding", "chunked"),
            ("Content-Length", str(len(PAGE))),
        ],
    )
    back = capture_from_warc(capture_to_warc(legacy))
    assert back.body == PAGE
    assert back.response_headers == [("Content-Type", "text/html"), ("Content-Length", "62")]
