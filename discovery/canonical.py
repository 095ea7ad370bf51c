"""The URL a discovered article is tracked under.

Feeds and section pages link one article in many spellings: with `utm_*` / `fbclid` /
`gclid` campaign parameters, with a `#comments` fragment, with upper-case hosts. Tracking
parameters are recognised by courlan's list (the one trafilatura uses), not by a list of our
own; every other query parameter is kept, since `?id=123` may be the article itself.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import courlan


def canonical_url(url: str) -> str:
    """`url` with tracking parameters and the fragment removed, scheme and host lower-cased,
    and the query sorted (so two spellings of one article compare equal)."""
    cleaned = courlan.normalize_url(url.strip(), strict=False)
    parts = urlsplit(cleaned)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))
