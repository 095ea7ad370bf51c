"""Which sources a scheduled run archives: the catalog's due selection, with observed checks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from palimpsest.catalog import CheckRow, VersionRow, sqlite_url
from palimpsest.flows.catalog import open_scheduled
from palimpsest.flows.sources import due_urls, load_sources, long_failing, source_statuses

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
PERIOD = timedelta(minutes=15)


def checked(catalog, url: str, at: datetime, outcome: str = "unchanged", n: int = 0) -> None:  # type: ignore[no-untyped-def]
    catalog.add_check(CheckRow(id=f"{url}#{n}", url=url, checked_at=at, outcome=outcome))  # type: ignore[arg-type]


def changed(catalog, url: str, at: datetime) -> None:  # type: ignore[no-untyped-def]
    checked(catalog, url, at, "new", n=-1)
    catalog.add_version(
        VersionRow(url=url, seq=1, captured_at=at, sha256="0" * 64, title=None, words=1,
                   substantive=None, summary="first version", key="k")
    )  # fmt: skip


def test_due_sources_come_from_the_catalog(tmp_path: Path) -> None:
    catalog = open_scheduled(sqlite_url(tmp_path / "catalog.sqlite"))
    sources = tmp_path / "sources.yaml"
    urls = [f"https://news.example/{n}" for n in ("fresh", "settled", "never", "fixed", "down")]
    sources.write_text(
        "sources:\n"
        + "".join(f"  - url: {u}\n    tags: [t]\n" for u in urls[:3])
        + f"  - url: {urls[3]}\n    cadence: 1h\n  - url: {urls[4]}\n",
        encoding="utf-8",
    )
    listed = load_sources(sources)
    changed(catalog, urls[0], NOW - timedelta(minutes=30))
    checked(catalog, urls[0], NOW - timedelta(minutes=15))  # every 15 min: due now
    changed(catalog, urls[1], NOW - timedelta(days=40))
    checked(catalog, urls[1], NOW - timedelta(days=2))  # weekly: not due
    changed(catalog, urls[3], NOW - timedelta(days=40))
    checked(catalog, urls[3], NOW - timedelta(minutes=55))  # fixed 1 h: due (half a period)
    changed(catalog, urls[4], NOW - timedelta(days=5))
    for n, hours in enumerate((30, 29, 28, 27, 26, 25, 3)):  # failing for 30 h: every 6 h
        checked(catalog, urls[4], NOW - timedelta(hours=hours), "failed", n)

    assert due_urls(listed, catalog, NOW, PERIOD) == [urls[0], urls[2], urls[3]]
    assert [s.url for s in long_failing(catalog, NOW)] == [urls[4]]
    assert due_urls(listed, catalog, NOW + timedelta(hours=3), PERIOD)[-1] == urls[4]

    status = {s.source.url: s.to_dict() for s in source_statuses(listed, catalog, NOW, PERIOD)}
    settled = status[urls[1]]
    assert settled["versions"] == 1 and settled["due"] is False
    assert settled["last_check"] == (NOW - timedelta(days=2)).isoformat()
    assert settled["next_due"] == (NOW - timedelta(days=2) + timedelta(weeks=1)).isoformat()
    assert status[urls[2]]["last_check"] is None and status[urls[2]]["due"] is True
    assert status[urls[4]]["failures"] == 7
    assert [s.url for s in catalog.sources(tag="t")] == sorted(urls[:3])
