"""Bytes -> str for HTML pages: explicit encoding, then declared charset, then detection."""

from __future__ import annotations

import codecs
import re

from palimpsest.extractors.errors import DecodeError

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _known(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_html(data: bytes, source: str | None = None, encoding: str | None = None) -> str:
    """Decode an HTML body. An explicit `encoding` that is unknown or wrong is an error."""
    if encoding:
        codec = _known(encoding)
        if codec is None:
            raise DecodeError(source, f"unknown encoding {encoding!r}")
        try:
            return data.decode(codec)
        except UnicodeDecodeError as exc:
            raise DecodeError(source, f"not valid {encoding}: {exc.reason}") from exc
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    match = _META_CHARSET.search(data[:4096])
    if match:
        codec = _known(match.group(1).decode("ascii", "ignore"))
        if codec:
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                pass  # the declaration lies; fall through to detection
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise DecodeError(source, "encoding could not be detected")
    return str(best)
