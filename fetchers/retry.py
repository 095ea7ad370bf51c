"""Retry timing: exponential backoff with full jitter, and the Retry-After header."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

RETRY_STATUSES = frozenset({429}) | frozenset(range(500, 600))


def is_retryable_status(status: int) -> bool:
    """429 (rate limited) and 5xx (server trouble) are worth retrying; other 4xx are final."""
    return status in RETRY_STATUSES


def backoff(attempt: int, base: float, cap: float, rng: random.Random) -> float:
    """Seconds to wait before retry number `attempt` (1-based): uniform in
    [0, base * 2**(attempt-1)], capped. Full jitter spreads retries of many clients hit by the
    same outage instead of having them return in lock-step (the "thundering herd")."""
    ceiling = min(cap, base * (2 ** max(0, attempt - 1)))
    return rng.uniform(0.0, ceiling)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds asked for by a Retry-After header (delta-seconds or HTTP-date), or None when
    the header is absent or unparseable. A date in the past means "now" (0)."""
    text = (value or "").strip()
    if not text:
        return None
    if text.isdigit():
        return float(int(text))
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    reference = now or datetime.now(UTC)
    return max(0.0, (when - reference).total_seconds())
