"""Which sources a scheduled run archives, with the state read from the store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from palimpsest.flows.sources import due_urls, load_sources, source_statuses
from palimpsest.storage import VersionDraft, open_store

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
PERIOD = timedelta(minutes=15)


def add(store, url: str, text: str, at: datetime) -> None:  # type: ignore[no-untyped-def]
    draft = VersionDraft(
        url=url,
        final_url=url,
        captured_at=at,
        etag=None,
        last_modified=None,
        raw_key=None,
        text=text,
    )
    store.add_version(draft)


def test_due_sources_come_from_the_store(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "archive"))
    sources = tmp_path / "sources.yaml"
    urls = [f"https://news.example/{name}" for name in ("fresh", "settled", "never", "fixed")]
    sources.write_text(
        "sources:\n"
        + "".join(f"  - url: {u}\n" for u in urls[:3])
        + f"  - url: {urls[3]}\n    cadence: 1h\n",
        encoding="utf-8",
    )
    add(store, urls[0], "Fresh story.", NOW - timedelta(minutes=30))  # 15-min slot at now
    add(store, urls[1], "Old story.", NOW - timedelta(days=40, minutes=7))  # weekly, not now
    add(store, urls[3], "Hourly.", NOW - timedelta(hours=5))  # fixed 1 h: a slot at now

    assert due_urls(sources, store, NOW, PERIOD) == [urls[0], urls[2], urls[3]]

    status = {s.source.url: s for s in source_statuses(load_sources(sources), store, NOW, PERIOD)}
    settled = status[urls[1]].to_dict()
    assert settled["versions"] == 1 and settled["due"] is False
    assert settled["last_change"] == (NOW - timedelta(days=40, minutes=7)).isoformat()
    assert (
        settled["next_due"]
        == (NOW - timedelta(days=40, minutes=7) + timedelta(weeks=6)).isoformat()
    )
    assert status[urls[2]].to_dict()["last_change"] is None
