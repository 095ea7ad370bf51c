"""The catalog as a library: schema by Alembic, idempotent writes, derived state, the read API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from palimpsest.catalog import (
    CheckRow,
    CorruptCatalog,
    SourceState,
    VersionRow,
    open_catalog,
)

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
URL = "https://news.example/story"


def hourly(state: SourceState) -> datetime | None:
    return state.last_check + timedelta(hours=1) if state.last_check else None


def version(seq: int, at: datetime, text: str, url: str = URL, **kw) -> VersionRow:  # type: ignore[no-untyped-def]
    values = {
        "url": url,
        "seq": seq,
        "captured_at": at,
        "sha256": f"{seq:064d}",
        "title": f"Story v{seq}",
        "words": len(text.split()),
        "substantive": None if seq == 1 else True,
        "summary": "first version" if seq == 1 else "1 edited [number]",
        "key": f"sources/news.example/x/versions/{seq:08d}.json",
        "text": text,
        "etag": f'"v{seq}"',
    }
    values.update(kw)
    return VersionRow(**values)


def check(n: int, at: datetime, outcome: str, url: str = URL, **kw) -> CheckRow:  # type: ignore[no-untyped-def]
    return CheckRow(id=f"check-{url}-{n}", url=url, checked_at=at, outcome=outcome, **kw)  # type: ignore[arg-type]


def test_the_migrated_schema_is_the_one_the_code_queries(catalog_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from palimpsest.catalog.schema import metadata

    catalog = open_catalog(catalog_url)
    with catalog.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"include_object": lambda obj, name, *_: "texts" not in str(name)}
        )
        assert compare_metadata(context, metadata) == []
    open_catalog(catalog_url).close()  # a second open finds the schema current
    catalog.close()


def _schema(url: str) -> dict[str, object]:
    """Everything reflection sees of the catalog at `url`, order of columns aside."""
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(url)
    with engine.connect() as conn:
        seen = inspect(conn)
        schema: dict[str, object] = {}
        for table in seen.get_table_names():
            columns = {
                c["name"]: (str(c["type"]), c["nullable"], c.get("default"), c.get("computed"))
                for c in seen.get_columns(table)
            }
            indexes = sorted(
                (i["name"], tuple(i["column_names"]), i["unique"]) for i in seen.get_indexes(table)
            )
            foreign = sorted(
                (
                    tuple(f["constrained_columns"]),
                    f["referred_table"],
                    tuple(f["referred_columns"]),
                    str(f.get("options")),
                )
                for f in seen.get_foreign_keys(table)
            )
            unique = sorted(
                (u["name"], tuple(u["column_names"])) for u in seen.get_unique_constraints(table)
            )
            primary = seen.get_pk_constraint(table)["constrained_columns"]
            schema[table] = (columns, indexes, foreign, unique, primary)
        if conn.dialect.name == "sqlite":
            fts = text("SELECT type, name, sql FROM sqlite_master WHERE name LIKE 'texts%'")
            schema["sqlite_master"] = sorted(tuple(row) for row in conn.execute(fts))
        schema["alembic_version"] = conn.execute(text("SELECT * FROM alembic_version")).all()
    engine.dispose()
    return schema


def test_a_new_catalog_is_created_as_replaying_every_migration_would_make_it(
    catalog_url: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from palimpsest.catalog.db import alembic_config, make_engine

    from tests.postgres import new_database

    created = open_catalog(catalog_url)
    with created.engine.connect() as conn:  # Alembic agrees the new catalog is at its head
        head = ScriptDirectory.from_config(alembic_config(None)).get_current_head()
        assert MigrationContext.configure(conn).get_current_revision() == head
    created.close()
    if catalog_url.startswith("sqlite"):
        replayed_url = f"sqlite:///{tmp_path / 'replayed.sqlite'}"
    else:
        replayed_url = new_database(request.getfixturevalue("postgres_server"))
    engine = make_engine(replayed_url)
    with engine.begin() as conn:  # every migration, as for a catalog made before this one
        command.upgrade(alembic_config(conn), "head")
    engine.dispose()
    created_schema, replayed_schema = _schema(catalog_url), _schema(replayed_url)
    assert "texts" in created_schema and "notifications" in created_schema
    assert created_schema == replayed_schema


def test_the_schema_revision_known_to_the_code_is_alembics_head() -> None:
    from alembic.script import ScriptDirectory
    from palimpsest.catalog.db import SCHEMA_REVISION, alembic_config

    assert ScriptDirectory.from_config(alembic_config(None)).get_current_head() == SCHEMA_REVISION


def test_writes_are_idempotent_and_keyed_by_url_and_seq(catalog_url: str) -> None:
    catalog = open_catalog(catalog_url, hourly)
    for _ in range(2):
        catalog.add_check(check(1, T0, "new", status=200, version=1, etag='"v1"'))
        catalog.add_version(version(1, T0, "First text."))
    catalog.add_version(version(2, T0 + timedelta(hours=2), "Second text.", title="Renamed"))
    catalog.add_version(version(2, T0 + timedelta(hours=2), "Second text.", title="Renamed"))
    timeline = catalog.timeline(URL)
    assert timeline is not None
    assert [(v.seq, v.title) for v in timeline.versions] == [(1, "Story v1"), (2, "Renamed")]
    assert [c.id for c in timeline.checks] == [f"check-{URL}-1"]
    assert timeline.source.versions == 2 and timeline.source.title == "Renamed"
    assert catalog.timeline("https://news.example/other") is None
    catalog.close()


def test_unchanged_checks_refresh_the_validators_and_the_due_time(catalog_url: str) -> None:
    catalog = open_catalog(catalog_url, hourly)
    catalog.add_check(check(1, T0, "new", status=200, version=1, etag='"v1"'))
    state = catalog.add_version(version(1, T0, "Text."))
    assert (state.etag, state.next_due) == ('"v1"', T0 + timedelta(hours=1))
    later = T0 + timedelta(hours=3)
    catalog.add_check(
        check(
            2,
            later,
            "unchanged",
            status=200,
            version=1,
            etag='"bytes-changed"',
            last_modified="Sat, 01 Mar 2025 15:00:00 GMT",
        )
    )
    state = catalog.state(URL)
    assert state is not None
    assert (state.etag, state.last_modified) == ('"bytes-changed"', "Sat, 01 Mar 2025 15:00:00 GMT")
    assert (state.versions, state.last_change, state.last_check) == (1, T0, later)
    assert state.last_outcome == "unchanged" and state.next_due == later + timedelta(hours=1)


def test_a_failure_streak_is_counted_and_ends_with_a_success(catalog_url: str) -> None:
    catalog = open_catalog(catalog_url, hourly)
    catalog.add_check(check(1, T0, "new", version=1))
    catalog.add_version(version(1, T0, "Text."))
    for n in range(2, 5):
        catalog.add_check(check(n, T0 + timedelta(hours=n), "failed", error="HTTP 503"))
    state = catalog.state(URL)
    assert state is not None
    assert (state.failures, state.failing_since) == (3, T0 + timedelta(hours=2))
    assert [s.url for s in catalog.sources(failing=True)] == [URL]
    catalog.add_check(check(9, T0 + timedelta(hours=9), "unchanged", status=304))
    state = catalog.state(URL)
    assert state is not None and (state.failures, state.failing_since) == (0, None)
    assert catalog.sources(failing=True) == []


def test_list_filters_by_tag_and_by_last_change(catalog_url: str) -> None:
    catalog = open_catalog(catalog_url, hourly)
    other = "https://other.example/a"
    catalog.sync_listings([(URL, ("ukraine",), None), (other, ("sport",), 3600)])
    catalog.sync_listings(
        [
            (URL, ("ukraine", "europe"), None),
            (other, ("sport",), 3600),
            ("https://never.example/", (), None),
        ]
    )
    catalog.add_version(version(1, T0, "Old."))
    catalog.add_version(version(1, T0 + timedelta(days=2), "New.", url=other))
    assert [s.url for s in catalog.sources()] == sorted([URL, other, "https://never.example/"])
    assert [s.url for s in catalog.sources(tag="ukraine")] == [URL]
    assert catalog.sources(tag="ukraine")[0].tags == ["europe", "ukraine"]
    assert [s.url for s in catalog.sources(changed_since=T0 + timedelta(days=1))] == [other]
    state = catalog.state(other)
    assert state is not None and state.cadence_seconds == 3600
    assert sorted(catalog.due(T0)) == sorted([URL, other, "https://never.example/"])


def test_changes_newest_first_and_only_substantive(catalog_url: str) -> None:
    catalog = open_catalog(catalog_url, hourly)
    catalog.add_version(version(1, T0, "One."))
    catalog.add_version(
        version(
            2, T0 + timedelta(hours=1), "Two.", substantive=False, summary="1 edited [cosmetic]"
        )
    )
    catalog.add_version(version(3, T0 + timedelta(hours=2), "Three."))
    assert [c.seq for c in catalog.changes()] == [3, 2, 1]
    assert [c.seq for c in catalog.changes(substantive=True)] == [3]
    assert [c.seq for c in catalog.changes(since=T0 + timedelta(minutes=30))] == [3, 2]
    assert catalog.changes(limit=1)[0].summary == "1 edited [number]"


def test_search_finds_the_latest_text_only_with_a_snippet(catalog_url: str) -> None:
    catalog = open_catalog(catalog_url, hourly)
    catalog.add_version(version(1, T0, "The minister resigned after the vote on Tuesday."))
    catalog.add_version(
        version(1, T0, "Ceasefire talks resumed in Geneva.", url="https://other.example/b")
    )
    catalog.add_version(version(2, T0 + timedelta(hours=1), "The minister stayed in office."))
    assert catalog.search("resigned") == []  # only in the older version
    hits = catalog.search("minister office")
    assert [(h.url, h.version) for h in hits] == [(URL, 2)]
    assert "[minister]" in hits[0].snippet and "[office]" in hits[0].snippet
    assert [h.url for h in catalog.search('(talks* "geneva" -')] == ["https://other.example/b"]
    assert catalog.search("   ") == []


def test_a_corrupt_catalog_file_is_one_line_with_the_rebuild_hint(tmp_path: Path) -> None:
    path = tmp_path / "catalog.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(CorruptCatalog) as caught:
        open_catalog(f"sqlite:///{path}")
    message = str(caught.value)
    assert str(path) in message and "palimpsest catalog rebuild" in message
    assert "\n" not in message
