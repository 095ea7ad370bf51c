"""Text normalisation shared by the stages: characters that are never content.

Two kinds of code points reach page text without being part of what a reader reads:

- control characters (C0 except tab, newline and carriage return; DEL), raw or written as
  character references (`&#8;`, `&#x1b;`). HTML forbids them, and lxml gives up on a
  document containing one, so a single one would lose the whole page;
- invisible line-breaking hints: soft hyphen (U+00AD), zero-width space (U+200B), word
  joiner (U+2060), zero-width no-break space (U+FEFF), invisible operators (U+2061-U+2064).
  They only tell a renderer where it may or may not break a line; left in, "co\xadoperate"
  and "cooperate" are different words to every comparison and every diff.

Joiners (U+200C, U+200D) and direction marks are left alone: they change how Persian, Indic
or emoji text is shaped and ordered, so they are content.
"""

from __future__ import annotations

import re

_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
_INVISIBLE = "\u00ad\u200b\u2060\ufeff\u2061-\u2064"
_NEVER_CONTENT = re.compile(f"[{_CONTROL}{_INVISIBLE}]")
# The same characters written as references: decimal, hex, and the one named entity (&shy;).
_DECIMAL = "0*(?:[0-8]|1[124-9]|2[0-9]|3[01]|127|173|8203|828[89]|829[0-2]|65279)(?![0-9])"
_HEX = "[xX]0*(?:[0-8]|[bcefBCEF]|1[0-9a-fA-F]|7[fF]|[aA][dD]|200[bB]|206[0-4]|[fF]{2}[eE][fF])"
_REFERENCE = re.compile(f"&(?:#(?:{_DECIMAL};?|{_HEX}(?![0-9a-fA-F]);?)|shy;)")


def strip_invisible(text: str) -> str:
    """`text` without control characters and invisible line-breaking hints."""
    return _NEVER_CONTENT.sub("", text)


def clean_markup(html: str) -> str:
    """HTML source without control characters and invisible hints, raw or as references, so
    that a parser neither rejects the page nor keeps the hints in its text."""
    if "&" in html:
        html = _REFERENCE.sub("", html)
    return _NEVER_CONTENT.sub("", html)


def normalise(text: str) -> str:
    """Collapse whitespace and strip.

    `str.split()` splits on exactly the characters `\\s` matches (both use Unicode
    `isspace`), so this equals `re.sub(r"\\s+", " ", text).strip()` and runs several times
    faster.
    """
    return " ".join(text.split())
