"""A Capture as a gzipped WARC 1.1 request/response record pair (warcio), and back.

The bytes are deterministic for a given Capture (record ids are derived from the content and
WARC-Date is the capture time), so the sha256 of the `.warc.gz` content-addresses the capture:
the same exchange archived twice maps to the same key and is stored once.

The body in a Capture is already decoded (the HTTP client removed gzip/chunked framing). So
that standard WARC tools replay it correctly, the framing headers Content-Encoding,
Transfer-Encoding and Content-Length are stored renamed with the `X-Palimpsest-Orig-` prefix and
a Content-Length matching the stored body is added; `capture_from_warc` restores the originals.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC
from io import BytesIO
from urllib.parse import urlsplit

from palimpsest.storage.model import Capture
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date, iso_date_to_datetime
from warcio.warcwriter import WARCWriter

ORIG_PREFIX = "X-Palimpsest-Orig-"
REQUESTED_URI = "Palimpsest-Requested-URI"
_FRAMING = {"content-encoding", "transfer-encoding", "content-length"}


class WarcFormatError(ValueError):
    """The bytes are not a WARC request/response pair written by `capture_to_warc`."""


def _record_id(*parts: bytes) -> str:
    digest = hashlib.sha256(b"\0".join(parts)).digest()
    return f"<urn:uuid:{uuid.UUID(bytes=digest[:16], version=4)}>"


def _response_headers(capture: Capture) -> list[tuple[str, str]]:
    headers = [
        (f"{ORIG_PREFIX}{name}" if name.lower() in _FRAMING else name, value)
        for name, value in capture.response_headers
    ]
    return [*headers, ("Content-Length", str(len(capture.body)))]


def _restore_headers(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    restored = []
    for name, value in headers:
        if name.lower() == "content-length":
            continue
        if name.lower().startswith(ORIG_PREFIX.lower()):
            name = name[len(ORIG_PREFIX) :]
        restored.append((name, value))
    return restored


def _request_target(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def capture_to_warc(capture: Capture) -> bytes:
    """Serialise `capture` as a gzipped WARC 1.1 file holding a response and a request record."""
    captured = capture.captured_at
    captured = captured.replace(tzinfo=UTC) if captured.tzinfo is None else captured
    date = datetime_to_iso_date(captured.astimezone(UTC).replace(tzinfo=None), use_micros=True)
    out = BytesIO()
    writer = WARCWriter(out, gzip=True, warc_version="1.1")

    http_resp = StatusAndHeaders(
        f"{capture.status} {capture.reason}".strip(),
        _response_headers(capture),
        protocol=capture.http_version,
    )
    resp_head = http_resp.to_bytes()
    response = writer.create_warc_record(
        capture.final_url,
        "response",
        payload=BytesIO(capture.body),
        length=len(capture.body),
        http_headers=http_resp,
        warc_headers_dict={
            "WARC-Record-ID": _record_id(b"response", date.encode(), resp_head, capture.body),
            "WARC-Date": date,
            REQUESTED_URI: capture.url,
        },
    )
    http_req = StatusAndHeaders(
        f"GET {_request_target(capture.final_url)} {capture.http_version}",
        list(capture.request_headers),
        is_http_request=True,
    )
    request = writer.create_warc_record(
        capture.final_url,
        "request",
        http_headers=http_req,
        warc_headers_dict={
            "WARC-Record-ID": _record_id(b"request", date.encode(), http_req.to_bytes()),
            "WARC-Date": date,
            REQUESTED_URI: capture.url,
        },
    )
    writer.write_request_response_pair(request, response)
    return out.getvalue()


def capture_from_warc(data: bytes) -> Capture:
    """Parse bytes written by `capture_to_warc` back into the Capture they came from."""
    response = request = None
    try:
        for record in ArchiveIterator(BytesIO(data)):
            if record.rec_type == "response" and response is None:
                body = record.raw_stream.read()
                response = (record.rec_headers, record.http_headers, body)
            elif record.rec_type == "request" and request is None:
                record.raw_stream.read()
                request = record.http_headers
    except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
        raise WarcFormatError(f"not a readable WARC: {exc}") from None
    if response is None or request is None:
        raise WarcFormatError("no request/response record pair")
    rec_headers, http_headers, body = response
    if http_headers is None:
        raise WarcFormatError("response record has no HTTP headers")
    target = rec_headers.get_header("WARC-Target-URI") or ""
    status, _, reason = http_headers.statusline.partition(" ")
    date = rec_headers.get_header("WARC-Date") or ""
    try:
        captured_at = iso_date_to_datetime(date).replace(tzinfo=UTC)
        code = int(status)
    except ValueError as exc:
        raise WarcFormatError(f"bad WARC-Date or status: {exc}") from None
    return Capture(
        url=rec_headers.get_header(REQUESTED_URI) or target,
        final_url=target,
        status=code,
        reason=reason,
        http_version=http_headers.protocol,
        request_headers=list(request.headers) if request is not None else [],
        response_headers=_restore_headers(list(http_headers.headers)),
        body=body,
        captured_at=captured_at,
    )
