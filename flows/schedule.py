"""Adaptive recheck: how often a source is checked depends on how recently it changed.

A source that changed in the last 3 hours is checked every 15 minutes, then hourly up to a
day, every 3 hours up to a week, daily up to a month, and weekly after that (NewsDiffs uses a
similar ladder). A fixed cadence from sources.yaml replaces the ladder.

The state is the catalog's, observed rather than computed: a source is next due one interval
after its last check (whatever came of it), the interval chosen by the age of its last change
at that check. A source never checked is due now. A failing source backs off on its own
ladder (FAILING: by how long it has been failing), so a source down for a day is tried
hourly and then every 6 hours, not on every run; `palimpsest list --failing` reports it.
`next_due` is a pure function of the state, so a catalog rebuilt from the store schedules
exactly as the live one did.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from palimpsest.catalog import SourceState

LADDER: tuple[tuple[timedelta, timedelta], ...] = (
    # (changed within, check every)
    (timedelta(hours=3), timedelta(minutes=15)),
    (timedelta(days=1), timedelta(hours=1)),
    (timedelta(days=7), timedelta(hours=3)),
    (timedelta(days=30), timedelta(days=1)),
)
SETTLED = timedelta(weeks=1)

FAILING: tuple[tuple[timedelta, timedelta], ...] = (
    # (failing for less than, retry every)
    (timedelta(hours=1), timedelta(minutes=15)),
    (timedelta(days=1), timedelta(hours=1)),
    (timedelta(days=7), timedelta(hours=6)),
)
FAILING_LONG = timedelta(days=1)  # retry interval of a source failing for a week or more
FAILING_REPORTED = timedelta(days=1)  # a scheduled run warns about sources failing this long


def _step(
    ladder: tuple[tuple[timedelta, timedelta], ...], age: timedelta, last: timedelta
) -> timedelta:
    for within, every in ladder:
        if age < within:
            return every
    return last


def recheck_interval(since_change: timedelta) -> timedelta:
    """How often to check a source whose last change was `since_change` ago."""
    return _step(LADDER, since_change, SETTLED)


def retry_interval(failing_for: timedelta) -> timedelta:
    """How often to retry a source whose checks have all failed for `failing_for`."""
    return _step(FAILING, failing_for, FAILING_LONG)


def interval_of(state: SourceState) -> timedelta | None:
    """The interval after the source's last check (None: never checked)."""
    if state.last_check is None:
        return None
    if state.failures and state.failing_since is not None:
        return retry_interval(state.last_check - state.failing_since)
    if state.cadence_seconds:
        return timedelta(seconds=state.cadence_seconds)
    anchor = state.last_change or state.first_seen or state.last_check
    return recheck_interval(max(state.last_check - anchor, timedelta(0)))


def next_due(state: SourceState) -> datetime | None:
    """When the source is next due (None: now). The catalog stores it with every write."""
    interval = interval_of(state)
    return None if interval is None or state.last_check is None else state.last_check + interval


def due_before(now: datetime, period: timedelta) -> datetime:
    """A run at `now`, repeating every `period`, checks what falls due before half a period
    from now: a source checked a few seconds into the previous run is not left for a whole
    extra period."""
    return now + period / 2
