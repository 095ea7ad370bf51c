"""`fetchers.encoding`: Content-Encoding chains undone incrementally, every layer bounded."""

from __future__ import annotations

import gzip
import zlib

import pytest
from palimpsest.fetchers.encoding import (
    CHUNK,
    EncodingError,
    LayerTooLarge,
    codings,
    decode_body,
    decode_stream,
)

TEXT = b"<p>The harbour wall was rebuilt after the storm.</p>" * 200


def raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


@pytest.mark.parametrize(
    ("header", "encoded"),
    [
        (None, TEXT),
        ("identity", TEXT),
        ("gzip", gzip.compress(TEXT)),
        ("x-gzip", gzip.compress(TEXT)),
        ("GZIP, gzip", gzip.compress(gzip.compress(TEXT))),
        ("deflate", zlib.compress(TEXT)),
        ("deflate", raw_deflate(TEXT)),  # what some servers send for "deflate"
        ("deflate, gzip", gzip.compress(zlib.compress(TEXT))),
        ("gzip", gzip.compress(TEXT[:5000]) + gzip.compress(TEXT[5000:])),  # two members
    ],
)
def test_chains_decode_to_the_original(header, encoded) -> None:
    assert decode_body(encoded, header, len(TEXT)) == TEXT
    pieces = [encoded[i : i + 7] for i in range(0, len(encoded), 7)]  # tiny network reads
    assert b"".join(decode_stream(pieces, header, len(TEXT))) == TEXT


def test_an_empty_body_with_an_encoding_is_empty() -> None:
    assert decode_body(b"", "gzip", 10) == b""


@pytest.mark.parametrize(
    ("header", "message"),
    [("br", "unsupported Content-Encoding 'br'"), ("gzip, " * 5, "chain of 5")],
)
def test_unsupported_codings_are_refused_before_reading(header, message) -> None:
    with pytest.raises(EncodingError, match=message):
        codings(header)


def test_truncated_and_corrupt_streams_are_errors() -> None:
    with pytest.raises(EncodingError, match="truncated"):
        decode_body(gzip.compress(TEXT)[:-20], "gzip", len(TEXT))
    with pytest.raises(EncodingError, match="corrupt gzip"):
        decode_body(b"\x1f\x8b\x08\x00garbage-not-deflate", "gzip", len(TEXT))


def test_a_nested_bomb_stops_at_the_inner_layer_in_small_steps() -> None:
    """gzip(gzip(64 MiB of zeros)) is ~2 KB; the outer layer inflates to ~64 KB, the inner one
    toward 64 MiB: it stops just past the 1 MiB limit, having emitted pieces of <= CHUNK."""
    inner = gzip.compress(b"\0" * (64 << 20), compresslevel=9)
    bomb = gzip.compress(inner, compresslevel=9)
    seen: list[int] = []
    with pytest.raises(LayerTooLarge) as caught:
        for piece in decode_stream([bomb], "gzip, gzip", 1 << 20):
            seen.append(len(piece))
    assert caught.value.layer == 2 and caught.value.limit == 1 << 20
    assert max(seen) <= CHUNK and sum(seen) <= 1 << 20


def test_the_outer_layer_is_bounded_too() -> None:
    with pytest.raises(LayerTooLarge) as caught:
        decode_body(gzip.compress(gzip.compress(b"\0" * 4096) + b"\0" * 4096), "gzip, gzip", 1000)
    assert caught.value.layer == 1
