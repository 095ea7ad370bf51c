"""Content-Encoding undone by hand, streamed and bounded at every layer.

httpx would inflate `Content-Encoding: gzip, gzip` into memory before any size check could
see it (a 21 KB response grows toward 10 GiB). The fetcher therefore reads the body as
received (`iter_raw`) and decodes it here: each coding of the chain is one incremental zlib
decoder that never emits more than `CHUNK` bytes per step, and each layer's output counts
toward the same limit, so memory stays near `CHUNK * layers` whatever the input. Codings we
cannot decode are refused rather than stored undecoded (`ACCEPT_ENCODING` is all we ask for).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator

ACCEPT_ENCODING = "gzip, deflate"
CHUNK = 64 * 1024
_WBITS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}
MAX_LAYERS = 4  # nobody encodes a page more than twice; a longer chain is an attack


class EncodingError(ValueError):
    """The body's Content-Encoding is unsupported, corrupt or truncated (the message says)."""


class LayerTooLarge(ValueError):
    """A decoding layer produced more than the limit; `.layer` is 1 for the outermost."""

    def __init__(self, layer: int, limit: int) -> None:
        super().__init__(f"decoding layer {layer} exceeds {limit} bytes")
        self.layer = layer
        self.limit = limit


def codings(content_encoding: str | None) -> list[str]:
    """The codings of a Content-Encoding header in the order they were applied (no identity).

    Raises EncodingError for a coding we cannot decode or a chain longer than MAX_LAYERS."""
    found = [c.strip().lower() for c in (content_encoding or "").split(",")]
    found = [c for c in found if c and c != "identity"]
    unknown = sorted({c for c in found if c not in _WBITS})
    if unknown:
        raise EncodingError(f"unsupported Content-Encoding {', '.join(unknown)!r}")
    if len(found) > MAX_LAYERS:
        raise EncodingError(f"Content-Encoding chain of {len(found)} codings")
    return found


class _Layer:
    def __init__(self, coding: str, number: int, limit: int) -> None:
        self._coding = coding
        self._number = number
        self._limit = limit
        self._total = 0
        self._decoder = zlib.decompressobj(_WBITS[coding])
        self._raw_deflate = False
        self._received = 0
        self._done = False

    def run(self, chunks: Iterable[bytes]) -> Iterator[bytes]:
        for chunk in chunks:
            self._received += len(chunk)
            yield from self._feed(chunk)
        if self._received and not self._decoder.eof:  # an empty body is just empty
            raise EncodingError(f"{self._coding} stream is truncated")

    def _feed(self, data: bytes) -> Iterator[bytes]:
        while data and not self._done:
            if self._decoder.eof:  # a gzip member ended: another may follow (RFC 1952 2.2)
                if self._coding == "deflate" or not data.startswith(b"\x1f\x8b"):
                    self._done = True  # trailing bytes after the stream: ignored, as browsers do
                    return
                self._decoder = zlib.decompressobj(_WBITS[self._coding])
            try:
                out = self._decoder.decompress(data, CHUNK)
            except zlib.error as exc:
                if self._coding == "deflate" and not self._total and not self._raw_deflate:
                    # Some servers send raw DEFLATE for "deflate"; retry once without the header.
                    self._raw_deflate = True
                    self._decoder = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise EncodingError(f"corrupt {self._coding} stream ({exc})") from None
            yield from self._count(out)
            eof = self._decoder.eof
            data = self._decoder.unused_data if eof else self._decoder.unconsumed_tail

    def _count(self, out: bytes) -> Iterator[bytes]:
        self._total += len(out)
        if self._total > self._limit:
            raise LayerTooLarge(self._number, self._limit)
        if out:
            yield out


def decode_stream(
    chunks: Iterable[bytes], content_encoding: str | None, limit: int
) -> Iterator[bytes]:
    """The decoded body of `chunks` (as received), lazily; no layer may exceed `limit` bytes.

    Raises EncodingError (unsupported, corrupt, truncated) or LayerTooLarge while iterating.
    The caller caps the final output (it may also want to truncate rather than fail)."""
    stream: Iterable[bytes] = chunks
    applied = codings(content_encoding)
    for number, coding in enumerate(reversed(applied), start=1):  # last applied, first undone
        stream = _Layer(coding, number, limit).run(stream)
    yield from stream


def decode_body(raw: bytes, content_encoding: str | None, limit: int) -> bytes:
    """`raw` with its Content-Encoding undone (a stored capture's payload, for re-extraction)."""
    pieces = (raw[i : i + CHUNK] for i in range(0, len(raw), CHUNK))
    return b"".join(decode_stream(pieces, content_encoding, limit))
