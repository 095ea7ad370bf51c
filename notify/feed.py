"""Atom feeds (RFC 4287) of changes, written with feedgen.

One feed shape serves `palimpsest feed` (files for any web server or feed reader) and the
viewer's `/feed.atom`: a feed per selection of changes (all, a tag, one source). Entry ids
are stable URNs of the version (`urn:palimpsest:<url hash>:v<seq>`), so a reader never sees
an entry twice however the feed is served; links point at the viewer when its URL is known.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from feedgen.feed import FeedGenerator


@dataclass(frozen=True)
class FeedItem:
    url: str
    version: int
    title: str
    captured_at: datetime
    summary: str  # "1 edited [number], 1 added"
    substantive: bool = False
    link: str = ""  # the viewer's page of this change; else the article itself


class ChangeLike(Protocol):
    """What a feed needs of a change (the catalog's `Change` has it)."""

    url: str
    seq: int
    title: str | None
    captured_at: datetime
    summary: str
    substantive: bool | None


def items_of(changes: Iterable[ChangeLike], link: Callable[[ChangeLike], str]) -> list[FeedItem]:
    """Feed items of changes (newest first), each linked by `link` (the viewer's page of it,
    or '' for the article itself)."""
    return [
        FeedItem(
            c.url, c.seq, c.title or "", c.captured_at, c.summary, bool(c.substantive), link(c)
        )
        for c in changes
    ]


def version_urn(url: str, version: int) -> str:
    return f"urn:palimpsest:{hashlib.sha256(url.encode()).hexdigest()[:16]}:v{version}"


def atom_feed(
    items: Iterable[FeedItem],
    *,
    title: str,
    feed_id: str,
    self_link: str = "",
    alternate: str = "",
) -> bytes:
    """The Atom document of `items` (newest first, as given)."""
    items = list(items)
    fg = FeedGenerator()
    fg.id(feed_id)
    fg.title(title)
    fg.generator("Palimpsest")
    if self_link:
        fg.link(href=self_link, rel="self", type="application/atom+xml")
    if alternate:
        fg.link(href=alternate, rel="alternate", type="text/html")
    fg.updated(max((i.captured_at for i in items), default=datetime.now(UTC)))
    # feedgen prepends entries (newest last added comes first): add oldest first
    for item in reversed(items):
        entry = fg.add_entry()
        entry.id(version_urn(item.url, item.version))
        label = ", substantive" if item.substantive else ""
        entry.title(f"{item.title or item.url} (v{item.version}{label})")
        entry.link(href=item.link or item.url, rel="alternate", type="text/html")
        entry.author(name=item.url)
        entry.updated(item.captured_at)
        entry.summary(item.summary or "first version")
    return fg.atom_str(pretty=True)
