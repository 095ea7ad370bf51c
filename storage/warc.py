"""A Capture as a gzipped WARC 1.1 file (warcio), and back.

The file holds one request/response record pair per redirect hop, in order, then the pair of
the final response, so a replay tool finds the URL the user archived (its 3xx) as well as
the page it led to. Every response record is the HTTP response as received: status line,
headers in the server's order and spelling (Content-Encoding, Content-Length and
Transfer-Encoding included) and the body before content decoding, so `WARC-Payload-Digest`
is over the bytes the server sent. The HTTP client undoes chunked framing; a response that
was sent chunked is stored re-framed as a single chunk, so its headers stay true.

The bytes are deterministic for a given Capture (record ids are derived from the content and
WARC-Date is the capture time), so the sha256 of the `.warc.gz` content-addresses the capture:
the same exchange archived twice maps to the same key and is stored once.

Captures written before this layout (the decoded body, framing headers renamed with the
`X-Palimpsest-Orig-` prefix) still read back: the renamed headers are dropped, which leaves
headers that describe the stored (decoded) body.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import fields
from datetime import UTC, datetime
from io import BytesIO
from urllib.parse import urlsplit

from palimpsest.storage.model import Capture, CaptureHop
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date, iso_date_to_datetime
from warcio.warcwriter import WARCWriter

LEGACY_PREFIX = "x-palimpsest-orig-"
REQUESTED_URI = "Palimpsest-Requested-URI"


class WarcFormatError(ValueError):
    """The bytes are not a WARC request/response pair written by `capture_to_warc`."""


def _record_id(*parts: bytes) -> str:
    digest = hashlib.sha256(b"\0".join(parts)).digest()
    return f"<urn:uuid:{uuid.UUID(bytes=digest[:16], version=4)}>"


def _date(value: datetime) -> str:
    value = value.replace(tzinfo=UTC) if value.tzinfo is None else value
    return datetime_to_iso_date(value.astimezone(UTC).replace(tzinfo=None), use_micros=True)


def _header(headers: list[tuple[str, str]], name: str) -> str | None:
    return next((v for k, v in headers if k.lower() == name), None)


def _is_chunked(headers: list[tuple[str, str]]) -> bool:
    value = _header(headers, "transfer-encoding") or ""
    return value.strip().lower().endswith("chunked")


def _chunked(body: bytes) -> bytes:
    return (b"%x\r\n%s\r\n" % (len(body), body) if body else b"") + b"0\r\n\r\n"


def _dechunked(payload: bytes) -> bytes:
    """The body of a chunked payload; a payload that is not validly chunked is returned as is."""
    out: list[bytes] = []
    pos = 0
    while True:
        end = payload.find(b"\r\n", pos)
        try:
            size = int(payload[pos:end].split(b";", 1)[0], 16) if end >= 0 else -1
        except ValueError:
            return payload
        if size < 0 or end + 2 + size > len(payload):
            return payload
        if size == 0:
            return b"".join(out)
        out.append(payload[end + 2 : end + 2 + size])
        pos = end + 2 + size + 2


def _request_target(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _write_pair(writer: WARCWriter, hop: CaptureHop, requested: str | None) -> None:
    date = _date(hop.captured_at)
    http_resp = StatusAndHeaders(
        f"{hop.status} {hop.reason}".strip(), list(hop.response_headers), protocol=hop.http_version
    )
    payload = _chunked(hop.body) if _is_chunked(hop.response_headers) else hop.body
    extra = {REQUESTED_URI: requested} if requested else {}
    if hop.peer_ip:
        extra["WARC-IP-Address"] = hop.peer_ip
    response = writer.create_warc_record(
        hop.url,
        "response",
        payload=BytesIO(payload),
        length=len(payload),
        http_headers=http_resp,
        warc_headers_dict={
            "WARC-Record-ID": _record_id(
                b"response", hop.url.encode(), date.encode(), http_resp.to_bytes(), payload
            ),
            "WARC-Date": date,
            **extra,
        },
    )
    http_req = StatusAndHeaders(
        f"GET {_request_target(hop.url)} {hop.http_version}",
        list(hop.request_headers),
        is_http_request=True,
    )
    request = writer.create_warc_record(
        hop.url,
        "request",
        http_headers=http_req,
        warc_headers_dict={
            "WARC-Record-ID": _record_id(
                b"request", hop.url.encode(), date.encode(), http_req.to_bytes()
            ),
            "WARC-Date": date,
            **extra,
        },
    )
    writer.write_request_response_pair(request, response)


WARCINFO = {
    "software": "palimpsest",
    "format": "WARC File Format 1.1",
    "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
    "description": "one archived page: its redirect hops, then its final response",
}


def _write_warcinfo(writer: WARCWriter, capture: Capture) -> None:
    """The file's warcinfo record, first, as WARC 1.1 asks (deterministic: capture time, an id
    derived from the capture)."""
    date = _date(capture.captured_at)
    fields = {**WARCINFO, "isPartOf": capture.url}
    payload = "".join(f"{k}: {v}\r\n" for k, v in fields.items()).encode()
    record = writer.create_warc_record(
        "",
        "warcinfo",
        payload=BytesIO(payload),
        length=len(payload),
        warc_content_type="application/warc-fields",
        warc_headers_dict={
            "WARC-Record-ID": _record_id(b"warcinfo", capture.url.encode(), date.encode()),
            "WARC-Date": date,
        },
    )
    writer.write_record(record)


def capture_to_warc(capture: Capture) -> bytes:
    """Serialise `capture` as a gzipped WARC 1.1 file: a request/response pair per exchange."""
    out = BytesIO()
    writer = WARCWriter(out, gzip=True, warc_version="1.1")
    _write_warcinfo(writer, capture)
    for hop in capture.hops:
        _write_pair(writer, hop, None)
    final = {f.name: getattr(capture, f.name) for f in fields(CaptureHop)}
    _write_pair(writer, CaptureHop(**{**final, "url": capture.final_url}), capture.url)
    return out.getvalue()


def _hop_of(response: ArcWarcRecord, body: bytes, request: ArcWarcRecord | None) -> CaptureHop:
    rec_headers, http_headers = response.rec_headers, response.http_headers
    if http_headers is None:
        raise WarcFormatError("response record has no HTTP headers")
    status, _, reason = http_headers.statusline.partition(" ")
    try:
        captured_at = iso_date_to_datetime(rec_headers.get_header("WARC-Date") or "")
        code = int(status)
    except ValueError as exc:
        raise WarcFormatError(f"bad WARC-Date or status: {exc}") from None
    headers = list(http_headers.headers)
    if any(k.lower().startswith(LEGACY_PREFIX) for k, _ in headers):
        headers = [(k, v) for k, v in headers if not k.lower().startswith(LEGACY_PREFIX)]
    elif _is_chunked(headers):
        body = _dechunked(body)
    return CaptureHop(
        url=rec_headers.get_header("WARC-Target-URI") or "",
        status=code,
        reason=reason,
        http_version=http_headers.protocol,
        request_headers=list(request.http_headers.headers)
        if request and request.http_headers
        else [],
        response_headers=headers,
        body=body,
        captured_at=captured_at.replace(tzinfo=UTC),
        peer_ip=rec_headers.get_header("WARC-IP-Address"),
    )


def capture_from_warc(data: bytes) -> Capture:
    """Parse bytes written by `capture_to_warc` back into the Capture they came from."""
    responses: list[tuple[ArcWarcRecord, bytes]] = []
    requests: list[ArcWarcRecord] = []
    try:
        for record in ArchiveIterator(BytesIO(data)):
            if record.rec_type == "response":
                responses.append((record, record.raw_stream.read()))
            elif record.rec_type == "request":
                record.raw_stream.read()
                requests.append(record)
    except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
        raise WarcFormatError(f"not a readable WARC: {exc}") from None
    if not responses or len(requests) != len(responses):
        raise WarcFormatError("no request/response record pair")
    hops = [_hop_of(resp, body, req) for (resp, body), req in zip(responses, requests, strict=True)]
    last = hops.pop()
    requested = responses[-1][0].rec_headers.get_header(REQUESTED_URI)
    final = {f.name: getattr(last, f.name) for f in fields(CaptureHop)}
    return Capture(
        **{**final, "url": requested or last.url, "final_url": last.url, "hops": tuple(hops)}
    )
