"""The notification outbox: what is to be told, claimed atomically so each row is sent once.

flows/ queues one row per (URL, seq, destination) when a version is written (an insert that
ignores a row already there: reruns and catch-ups queue nothing twice), and a sender later
*claims* rows: one UPDATE turns `pending` rows (and `sending` rows whose sender died, after
STALE) into `sending` under the sender's token, so two workers never hold the same row; the
sender then marks each `sent`, or back to `pending` (`failed` after `max_attempts`). A
sender killed between delivering and marking leaves its rows `sending`: they are sent again
once stale (the delivery key lets a receiver drop that rare repeat).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from palimpsest.catalog.schema import notifications as table
from palimpsest.catalog.write import _insert
from sqlalchemy import Connection, and_, or_, select, tuple_, update

STALE = timedelta(minutes=10)  # a `sending` row older than this lost its sender


@dataclass(frozen=True)
class OutboxRow:
    url: str
    seq: int
    destination: str
    payload: str  # JSON
    digest_day: str | None = None  # YYYY-MM-DD: sent in that day's digest
    status: str = "pending"
    attempts: int = 0

    @property
    def key(self) -> tuple[str, int, str]:
        return (self.url, self.seq, self.destination)


def queue(conn: Connection, rows: Iterable[OutboxRow], now: datetime) -> None:
    values = [
        {
            "url": r.url,
            "seq": r.seq,
            "destination": r.destination,
            "payload": r.payload,
            "digest_day": r.digest_day,
            "status": "pending",
            "attempts": 0,
            "created_at": now,
        }
        for r in rows
    ]
    if values:
        stmt = _insert(conn, table).on_conflict_do_nothing(
            index_elements=["url", "seq", "destination"]
        )
        conn.execute(stmt, values)


def claim(conn: Connection, owner: str, now: datetime, today: str) -> list[OutboxRow]:
    """Claim every row ready to send: immediate ones, and digests of days before `today`."""
    ready = or_(
        table.c.status == "pending",
        and_(table.c.status == "sending", table.c.claimed_at < now - STALE),
    )
    day_over = or_(table.c.digest_day.is_(None), table.c.digest_day < today)
    conn.execute(
        update(table)
        .where(ready, day_over)
        .values(status="sending", claimed_by=owner, claimed_at=now, attempts=table.c.attempts + 1)
    )
    rows = conn.execute(
        select(table)
        .where(table.c.status == "sending", table.c.claimed_by == owner)
        .order_by(table.c.created_at, table.c.url, table.c.seq)
    )
    return [
        OutboxRow(r.url, r.seq, r.destination, r.payload, r.digest_day, r.status, r.attempts)
        for r in rows
    ]


def finish(
    conn: Connection,
    owner: str,
    keys: list[tuple[str, int, str]],
    now: datetime,
    *,
    error: str = "",
    max_attempts: int = 8,
) -> None:
    """Mark claimed rows sent (no `error`), or pending again / failed for good."""
    if not keys:
        return
    mine = and_(
        table.c.claimed_by == owner,
        table.c.status == "sending",
        tuple_(table.c.url, table.c.seq, table.c.destination).in_(keys),
    )
    if not error:
        conn.execute(update(table).where(mine).values(status="sent", sent_at=now, error=None))
        return
    for status, attempts in (("failed", table.c.attempts >= max_attempts), ("pending", None)):
        where = mine if attempts is None else and_(mine, attempts)
        conn.execute(update(table).where(where).values(status=status, error=error[:500]))


def rows(conn: Connection) -> list[OutboxRow]:
    """Every row (tests, `catalog check`)."""
    return [
        OutboxRow(r.url, r.seq, r.destination, r.payload, r.digest_day, r.status, r.attempts)
        for r in conn.execute(select(table).order_by(table.c.url, table.c.seq))
    ]
