"""Bytes -> str for web pages: the one decoding rule of the whole project.

The fetcher (to record a capture's encoding), the extractor (to read its bytes) and
re-extraction (to read a stored capture) all call `sniff` / `decode` here, so the same bytes
with the same declaration always give the same text.

Order, as in the WHATWG "encoding sniffing" algorithm browsers follow (so the archived text
is the text a reader saw): byte-order mark, then the declared charset (HTTP header or the
caller's), then the in-document declaration (XML declaration, `<meta charset>`), then
statistical detection. Two departures, both for pages that lie about their encoding:

- a declaration is trusted when the bytes *almost* fit it: most non-ASCII characters decode
  and a few stray bytes do not (a CMS pasting one Latin-1 byte into a UTF-8 page). The stray
  bytes become U+FFFD; guessing another encoding for the whole page would garble every other
  non-ASCII character instead. When the bytes mostly do not fit, the declaration is ignored.
- UTF-16 is trusted only when the bytes look like UTF-16 (NUL bytes in every other place):
  ASCII markup declaring utf-16 is ASCII (a true UTF-16 page cannot even state its charset
  in ASCII bytes).
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


def canonical(label: str | None) -> str | None:
    """Python's codec name for an encoding label, or None when Python has no such codec."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except (LookupError, ValueError):
        return None
    return _WHATWG_ALIASES.get(name, name)


def charset_of(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header value, as given (None if absent)."""
    if not content_type:
        return None
    match = _PARAM_CHARSET.search(content_type)
    return match.group(1) if match else None


def sniff(body: bytes, declared: str | None = None) -> str:
    """The codec to decode `body` with (always a Python codec name). `declared` is the
    charset label of the HTTP header or of the caller, if any; it may be unknown or wrong."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    fitting = _fitting(body, canonical(declared))
    if fitting:
        return fitting
    head = body[:_PREFIX]
    for pattern in (_XML_DECL, _META_CHARSET):
        match = pattern.search(head)
        if match:
            fitting = _fitting(body, canonical(match.group(1).decode("ascii", "replace")))
            if fitting:
                return fitting
    return detect(body)


def decode(body: bytes, declared: str | None = None) -> str:
    """`body` as text, by the codec `sniff` chooses; bytes that do not fit it become U+FFFD.
    `decode(body, sniff(body, declared)) == decode(body, declared)`. A leading BOM is dropped."""
    codec = sniff(body, declared)
    text = body.decode(codec, errors="replace")
    return text[1:] if text.startswith("\ufeff") else text


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


def _fitting(body: bytes, codec: str | None) -> str | None:
    """`codec` if `body` (almost) decodes with it, else None."""
    if codec is None:
        return None
    if codec.startswith("utf-16") or codec.startswith("utf-32"):
        return codec if _looks_wide(body[:_PREFIX]) else None
    try:
        body.decode(codec)
    except UnicodeDecodeError:
        return codec if _single_byte(codec) or _almost(body, codec) else None
    except (UnicodeError, LookupError):  # not a text encoding ("base64", "idna")
        return None
    return codec


def _almost(body: bytes, codec: str) -> bool:
    """True when at least as many non-ASCII characters of `body` decode with `codec` as fail:
    the failures are stray bytes in a page of that encoding. (Text in another encoding
    almost never forms valid multi-byte sequences by chance: Latin-1 read as UTF-8 would
    need an accented capital followed by a C1 control or a symbol, so nearly none decode.)"""
    text = body.decode(codec, errors="replace")
    genuine = "\ufffd".encode(codec, errors="ignore")  # U+FFFD the page itself contains
    stray = text.count("\ufffd") - (body.count(genuine) if genuine else 0)
    decoded = len(text) - len(text.encode("ascii", errors="ignore")) - text.count("\ufffd")
    return stray <= decoded


# Common two-byte characters of UTF-8, Shift_JIS, GBK, EUC-KR, Big5 and EUC-JP: a multi-byte
# codec joins at least one of these pairs into one character, a single-byte codec never does.
_PAIRS = b"\xc3\xa9\x82\xa0\xc4\xe3\xb0\xa1\xa4\xa4"


def _single_byte(codec: str) -> bool:
    """True for one-byte-per-character codecs (cp1252, koi8-r...). Their only failures are
    the few bytes they leave undefined, which say nothing against the declaration."""
    return len(_PAIRS.decode(codec, errors="replace")) == len(_PAIRS)


def _looks_wide(head: bytes) -> bool:
    """True when NUL bytes take about every other (UTF-16) or three in four (UTF-32) places,
    as they do in any ASCII-heavy markup encoded that way."""
    return bool(head) and head.count(0) * 4 >= len(head)
