"""What a notification says, as text (for people) and as a JSON payload (for machines)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode


def viewer_link(viewer_url: str, url: str, version: int) -> str:
    """The viewer's page of a version: its diff against the one before (its text for v1)."""
    if version <= 1:
        return f"{viewer_url}/text?{urlencode({'url': url, 'v': version})}"
    return f"{viewer_url}/diff?{urlencode({'url': url, 'from': version - 1, 'to': version})}"


@dataclass(frozen=True)
class Notification:
    url: str
    version: int
    title: str  # the article's title (or its URL when it has none)
    captured_at: str  # ISO 8601
    headline: str  # what changed, counted: "1 edited [number], 1 added"
    substantive: bool
    details: tuple[str, ...] = ()  # the word changes: "65 -> 56 percent"
    labels: tuple[str, ...] = ()  # change labels: number, name, quote, attribution ...
    link: str = ""  # the viewer's diff of this version, when a viewer URL is configured
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """One notification per version: the idempotency key."""
        return f"{self.url}#v{self.version}"

    @property
    def subject(self) -> str:
        kind = "Substantive change" if self.substantive else "Change"
        return f"{kind}: {self.title}"

    def text(self) -> str:
        lines = [f"{self.url} (version {self.version}, {self.captured_at})", self.headline]
        lines += [f"  {d}" for d in self.details]
        if self.link:
            lines.append(self.link)
        return "\n".join(lines)

    def payload(self) -> dict[str, Any]:
        return {
            "event": "palimpsest.article.changed",
            "url": self.url,
            "version": self.version,
            "title": self.title,
            "captured_at": self.captured_at,
            "summary": self.headline,
            "substantive": self.substantive,
            "details": list(self.details),
            "labels": list(self.labels),
            "link": self.link or None,
            **self.extra,
        }


def digest(notifications: list[Notification], day: str) -> Notification:
    """One notification listing every change of a day (for `notify: daily-digest`); its key
    is the day's, so a day's digest is sent once."""
    lines = []
    for n in notifications:
        lines.append(f"{n.title} ({n.url}, version {n.version}): {n.headline}")
        lines += [f"  {d}" for d in n.details]
    count = len(notifications)
    return Notification(
        url=f"digest:{day}",
        version=0,
        title=f"{count} change{'s' if count != 1 else ''} on {day}",
        captured_at=day,
        headline="\n".join(lines) or "no changes",
        substantive=any(n.substantive for n in notifications),
        extra={"changes": [n.payload() for n in notifications]},
    )
