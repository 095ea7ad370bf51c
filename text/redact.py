"""URLs made safe to show: credentials removed, control characters escaped.

Every place that shows, logs or stores a URL it did not build itself (errors, outcome lines,
S3 endpoints from the environment) passes it through `safe_url`: `user:secret@` becomes
`***@`, and CR, LF and other control characters are percent-escaped, so a hostile URL can
neither leak a password nor forge a line of output.
"""

from __future__ import annotations

import re

# user:password@ after "scheme://" (up to the authority's last "@"), or at the very start
# of a URL typed without a scheme ("admin:secret@host/").
_USERINFO = re.compile(r"^(?:([A-Za-z][A-Za-z0-9+.-]*:)?//[^/?#]*@|[^/?#@:\s]+:[^/?#@\s]*@)")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def safe_url(url: object) -> str:
    """`url` with any userinfo replaced by `***` and control characters percent-escaped."""
    text = str(url)
    match = _USERINFO.match(text)
    if match:
        prefix = f"{match.group(1) or ''}//" if "//" in match.group() else ""
        text = f"{prefix}***@{text[match.end() :]}"
    return _CONTROL.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), text)


_EMBEDDED = re.compile(r"(\b[A-Za-z][A-Za-z0-9+.-]*://)[^/?#\s@\"']*@")


def redact_urls(text: str) -> str:
    """`text` (a third-party message) with the userinfo of every URL inside it replaced."""
    return _EMBEDDED.sub(r"\1***@", text)
