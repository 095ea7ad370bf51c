"""Who is told of which changes: `notify` rules per source, per tag, and a default."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

MODES = ("substantive", "any", "never", "daily-digest")


@dataclass(frozen=True)
class Rule:
    """`mode`: substantive (only changes of substance: a number, a name, a quotation, an
    attribution, an added or removed sentence), any (every new version), never, or
    daily-digest (one message a day with every change). `to`: destination names."""

    mode: str = "never"
    to: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"notify must be one of {', '.join(MODES)}, not {self.mode!r}")
        if self.mode != "never" and not self.to:
            raise ValueError(f"notify: {self.mode} needs a 'to' list of destinations")

    def wants(self, substantive: bool) -> bool:
        """Whether a change is sent at once (digests are collected instead)."""
        return self.mode == "any" or (self.mode == "substantive" and substantive)


def rule_for(
    source: Rule | None,
    tags: Iterable[str],
    by_tag: Mapping[str, Rule],
    default: Rule = Rule(),
) -> Rule:
    """The source's own rule, else the first of its tags that has one, else the default."""
    if source is not None:
        return source
    for tag in tags:
        if tag in by_tag:
            return by_tag[tag]
    return default
