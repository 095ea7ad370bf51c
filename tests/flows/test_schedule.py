"""The adaptive recheck ladder and the due rule, on a simulated clock."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from palimpsest.flows.schedule import due_status, recheck_interval

T0 = datetime(2025, 2, 17, 9, 0, tzinfo=UTC)
MIN, HOUR, DAY = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)


@pytest.mark.parametrize(
    ("age", "interval"),
    [
        (timedelta(0), 15 * MIN),
        (2 * HOUR + 59 * MIN, 15 * MIN),
        (3 * HOUR, HOUR),
        (23 * HOUR, HOUR),
        (DAY, 3 * HOUR),
        (6 * DAY, 3 * HOUR),
        (7 * DAY, DAY),
        (29 * DAY, DAY),
        (30 * DAY, timedelta(weeks=1)),
        (400 * DAY, timedelta(weeks=1)),
    ],
)
def test_ladder(age: timedelta, interval: timedelta) -> None:
    assert recheck_interval(age) == interval


def checks_in(
    span: timedelta, last_change: datetime, period: timedelta, cadence: timedelta | None = None
) -> list[datetime]:
    """The run times, every `period` from `last_change`, at which the source is due."""
    times, now = [], last_change + period
    while now <= last_change + span:
        if due_status(now, last_change, period, cadence).due:
            times.append(now)
        now += period
    return times


def test_a_fresh_change_is_checked_every_quarter_hour() -> None:
    runs = checks_in(3 * HOUR, T0, 15 * MIN)
    assert len(runs) == 12 and runs[0] == T0 + 15 * MIN


def test_checks_thin_out_as_the_article_settles() -> None:
    runs = checks_in(60 * DAY, T0, 15 * MIN)
    first_day = [t for t in runs if t - T0 < DAY]
    first_week = [t for t in runs if DAY <= t - T0 < 7 * DAY]
    month = [t for t in runs if 7 * DAY <= t - T0 < 30 * DAY]
    after = [t for t in runs if t - T0 >= 30 * DAY]
    assert len(first_day) == 11 + 21  # 15-min slots before 3 h, then hourly (3 h .. 23 h)
    assert len(first_week) == 6 * 8  # every 3 h for six days
    assert len(month) == 23  # daily from day 7 to day 29
    assert [(t - T0).days for t in after] == [35, 42, 49, 56]  # weekly, on the anchor
    assert all(b > a for a, b in itertools.pairwise(runs))


def test_never_archived_is_always_due() -> None:
    status = due_status(T0, None, 15 * MIN)
    assert status.due and status.next_due == T0 and status.last_check is None


def test_fixed_cadence_overrides_the_ladder() -> None:
    runs = checks_in(DAY, T0, 15 * MIN, cadence=2 * HOUR)
    assert len(runs) == 12
    assert all((t - T0) % (2 * HOUR) == timedelta(0) for t in runs)


def test_coarse_runs_still_catch_every_slot() -> None:
    # An hourly schedule cannot check every 15 minutes, but it checks on every run.
    runs = checks_in(3 * HOUR, T0, HOUR)
    assert len(runs) == 3


def test_next_due_and_last_check() -> None:
    status = due_status(T0 + 10 * HOUR + 20 * MIN, T0, 15 * MIN)
    assert not status.due
    assert status.interval == HOUR
    assert status.last_check == T0 + 10 * HOUR
    assert status.next_due == T0 + 11 * HOUR
