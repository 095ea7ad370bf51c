"""Adaptive recheck: how often a source is checked depends on how recently it changed.

A source that changed in the last 3 hours is checked every 15 minutes, then hourly up to a
day, every 3 hours up to a week, daily up to a month, and weekly after that (NewsDiffs uses a
similar ladder; ours anchors every interval on the last change, so it needs no check log).

The state comes from the store alone: the last change is the latest version's capture time.
A scheduled run every `period` archives a source when one of its check slots -- last change +
n x interval -- falls inside the run's window (now - period, now]. So an unchanged recheck
writes nothing, many workers agree on what is due without coordinating, and a source never
archived (or whose archiving failed) is due on every run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

LADDER: tuple[tuple[timedelta, timedelta], ...] = (
    # (changed within, check every)
    (timedelta(hours=3), timedelta(minutes=15)),
    (timedelta(days=1), timedelta(hours=1)),
    (timedelta(days=7), timedelta(hours=3)),
    (timedelta(days=30), timedelta(days=1)),
)
SETTLED = timedelta(weeks=1)


def recheck_interval(since_change: timedelta) -> timedelta:
    """How often to check a source whose last change was `since_change` ago."""
    for within, every in LADDER:
        if since_change < within:
            return every
    return SETTLED


@dataclass(frozen=True)
class Due:
    """When a source was last checked by the schedule, and when it is next due."""

    due: bool
    interval: timedelta | None
    last_check: datetime | None  # the latest check slot at or before now
    next_due: datetime


def due_status(
    now: datetime,
    last_change: datetime | None,
    period: timedelta,
    cadence: timedelta | None = None,
) -> Due:
    """Whether a run at `now`, repeating every `period`, should archive the source.

    `cadence` (from sources.yaml) fixes the interval; None means adaptive.
    """
    if last_change is None:
        return Due(True, None, None, now)
    age = max(now - last_change, timedelta(0))
    interval = cadence or recheck_interval(age)
    slots_now = math.floor(age / interval)
    slots_before = math.floor(max(age - period, timedelta(0)) / interval)
    last_slot = last_change + slots_now * interval if slots_now else None
    due = slots_now > slots_before or (slots_now >= 1 and period >= interval)
    return Due(due, interval, last_slot, last_change + (slots_now + 1) * interval)
