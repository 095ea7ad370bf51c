"""`Catalog.add_check` derives the source's state from the stored one and the new check when
it can (`catalog.write.after_check`): after every write of random histories (checks in and
out of order, ties, repeats, failures, versions between them, validators or none) the
stored state is the one recomputed from every row (`write.state_of`, the oracle)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from palimpsest.catalog import CheckRow, SourceState, VersionRow, open_catalog
from palimpsest.catalog.write import after_check, refresh, source_id

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
URLS = ["https://news.example/a", "https://news.example/b"]


def hourly(state: SourceState) -> datetime | None:
    return state.last_check + timedelta(hours=1) if state.last_check else None


def _history(rng: random.Random, url: str, steps: int) -> list[VersionRow | CheckRow]:
    out: list[VersionRow | CheckRow] = []
    clock, seq = 0, 0
    for n in range(steps):
        clock += rng.choice([0, 1, 1, 2, 5])  # ties, too
        at = T0 + timedelta(minutes=clock + rng.choice([0, 0, 0, -3]))  # some out of order
        if rng.random() < 0.2:
            seq += 1
            out.append(
                VersionRow(
                    url=url, seq=seq, captured_at=at, sha256=f"{seq:064d}", title=f"v{seq}",
                    words=3, substantive=None, summary="", key=f"k/{seq}", text="a b c",
                    etag=rng.choice([None, f'"v{seq}"']),
                )
            )  # fmt: skip
        else:
            repeat = out and rng.random() < 0.1 and isinstance(out[-1], CheckRow)
            out.append(
                out[-1]
                if repeat
                else CheckRow(
                    id=f"{url}-{n}", url=url, checked_at=at,
                    outcome=rng.choice(["unchanged", "unchanged", "failed", "new", "changed"]),
                    etag=rng.choice([None, f'"c{n}"']),
                    last_modified=rng.choice([None, "Mon, 17 Feb 2025 09:00:00 GMT"]),
                )
            )  # fmt: skip
    return out


def test_a_check_keeps_the_state_its_rows_give(catalog_url: str) -> None:
    catalog = open_catalog(catalog_url, schedule=hourly)
    rng = random.Random(20)
    fast = 0
    try:
        for url in URLS:
            for row in _history(rng, url, 120):
                before = catalog.state(url)
                if isinstance(row, VersionRow):
                    catalog.add_version(row)
                else:
                    fast += before is not None and after_check(before, row) is not None
                    catalog.add_check(row)
                stored = catalog.state(url)
                with catalog.engine.begin() as conn:  # the oracle, rolled back
                    recomputed = refresh(conn, source_id(conn, url), hourly)
                    conn.rollback()
                assert stored == recomputed, row
    finally:
        catalog.close()
    assert fast > 100  # most checks took the short way (a test of it, not of `refresh`)
