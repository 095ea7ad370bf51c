"""The adaptive recheck ladder, the failure back-off and the due rule, on a simulated clock."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from palimpsest.catalog import SourceState
from palimpsest.flows.schedule import due_before, next_due, recheck_interval, retry_interval

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


def simulate(
    span: timedelta,
    period: timedelta,
    *,
    cadence: timedelta | None = None,
    failing: bool = False,
) -> list[datetime]:
    """Runs every `period` after a source changed at T0 (and was checked then); the times at
    which it is checked, each check recorded as the catalog would (no change, or a failure)."""
    state = SourceState(
        url="https://news.example/a",
        versions=1,
        last_change=T0,
        last_check=T0,
        first_seen=T0,
        cadence_seconds=int(cadence.total_seconds()) if cadence else None,
    )
    times, now = [], T0 + period
    while now <= T0 + span:
        due = next_due(state)
        if due is None or due <= due_before(now, period):
            times.append(now)
            failures = state.failures + 1 if failing else 0
            state = replace(
                state,
                last_check=now,
                failures=failures,
                failing_since=(state.failing_since or now) if failing else None,
            )
        now += period
    return times


def test_a_fresh_change_is_checked_every_quarter_hour() -> None:
    runs = simulate(3 * HOUR, 15 * MIN)
    assert len(runs) == 12 and runs[0] == T0 + 15 * MIN


def test_checks_thin_out_as_the_article_settles() -> None:
    runs = simulate(60 * DAY, 15 * MIN)
    gaps = [(a - T0, b - a) for a, b in itertools.pairwise([T0, *runs])]
    assert all(gap == recheck_interval(age) for age, gap in gaps)  # the ladder, observed
    first_day = [t for t in runs if t - T0 < DAY]
    first_week = [t for t in runs if DAY <= t - T0 < 7 * DAY]
    after = [t for t in runs if t - T0 >= 30 * DAY]
    assert len(first_day) == 12 + 20  # every 15 min up to 3 h, then hourly to 23 h
    assert len(first_week) == 6 * 8  # every 3 h for six days
    assert [(t - T0).days for t in after] == [30, 37, 44, 51, 58]  # then weekly


def test_never_checked_is_due_now() -> None:
    assert next_due(SourceState(url="https://news.example/new")) is None


def test_fixed_cadence_overrides_the_ladder() -> None:
    runs = simulate(DAY, 15 * MIN, cadence=2 * HOUR)
    assert len(runs) == 12
    assert all((t - T0) % (2 * HOUR) == timedelta(0) for t in runs)


def test_coarse_runs_still_catch_every_slot() -> None:
    # An hourly schedule cannot check every 15 minutes, but it checks on every run.
    assert len(simulate(3 * HOUR, HOUR)) == 3


def test_a_failing_source_backs_off() -> None:
    runs = simulate(10 * DAY, 15 * MIN, failing=True)
    pairs, first = list(itertools.pairwise(runs)), runs[0]

    def gaps(start: timedelta, end: timedelta) -> set[timedelta]:
        return {b - a for a, b in pairs if start <= a - first < end}

    assert gaps(timedelta(0), HOUR) == {15 * MIN}
    assert gaps(HOUR, DAY - HOUR) == {HOUR}
    assert gaps(DAY, 6 * DAY) == {6 * HOUR}
    assert gaps(8 * DAY, 30 * DAY) == {DAY}
    assert retry_interval(timedelta(0)) == 15 * MIN and retry_interval(30 * DAY) == DAY
