"""Character encoding of an HTML body: BOM, then HTTP header, then in-document declaration,
then statistical detection. This is the order of the WHATWG HTML "encoding sniffing" algorithm,
which browsers follow, so the text we archive is the text a reader saw.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_PREFIX = 4096  # HTML requires the meta declaration within the first 1024 bytes; be lenient.
_DETECT = 256 * 1024  # detection on a large prefix is as good as on the whole body, and cheap
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECL = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)["']""")
_PARAM_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)

# WHATWG: these labels are decoded as windows-1252 by every browser, and pages that declare
# them routinely contain 0x80-0x9F punctuation (curly quotes, dashes) that only cp1252 maps.
_WHATWG_ALIASES = {"iso8859-1": "cp1252", "ascii": "cp1252", "latin-1": "cp1252"}


def canonical(label: str) -> str | None:
    """Python's codec name for an encoding label, or None when Python has no such codec."""
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except (LookupError, ValueError):
        return None
    return _WHATWG_ALIASES.get(name, name)


def from_content_type(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header value, if it names a known codec."""
    if not content_type:
        return None
    match = _PARAM_CHARSET.search(content_type)
    return canonical(match.group(1)) if match else None


def sniff(body: bytes, content_type: str | None) -> str:
    """The encoding to decode `body` with; always returns a Python codec name."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    declared = from_content_type(content_type)
    if declared:
        return declared
    head = body[:_PREFIX]
    for pattern in (_XML_DECL, _META_CHARSET):
        match = pattern.search(head)
        if match:
            name = canonical(match.group(1).decode("ascii", "replace"))
            # A document cannot truthfully declare UTF-16 in ASCII bytes (it would have a BOM).
            if name and not name.startswith("utf-16"):
                return name
    return detect(body)


def detect(body: bytes) -> str:
    """Statistical guess (charset-normalizer); UTF-8 when the body is valid UTF-8 or empty."""
    sample = body[:_DETECT]
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte sequence cut by the sample boundary is still valid UTF-8.
        if exc.start < len(sample) - 3:
            best = from_bytes(sample).best()
            if best is not None:
                return canonical(best.encoding) or "utf-8"
    return "utf-8"
