"""The catalog beside a real archive: pages served on 127.0.0.1, archived by the pipeline and
the CLI, rebuilt from the store, checked, and written by two processes at once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from palimpsest.catalog import sqlite_url
from palimpsest.flows.catalog import CatalogReporter, open_scheduled
from palimpsest.flows.context import Pipeline, PipelineConfig, extract_bytes
from palimpsest.flows.pipeline import archive_url
from palimpsest.flows.rebuild import differences
from palimpsest.flows.seeds import load_seed_corpus
from palimpsest.flows.sources import due_urls, load_sources
from palimpsest.storage import LocalBackend, ObjectStore, open_store
from typer.testing import CliRunner

from palimpsest.app import settings
from palimpsest.cli import app
from palimpsest.localserver import PageServer

REPO = Path(__file__).parents[2]
STORY = [
    "The city council voted on Tuesday to approve the new budget for the coming year.",
    "Council members said the plan would fund 12 new teachers and repair three bridges.",
    "Opponents argued that the tax increase was too steep for residents already struggling.",
]


def html(title: str, paragraphs: list[str], extra: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}"
        f"</article>{extra}</body></html>"
    )


@pytest.fixture
def server() -> Iterator[PageServer]:
    pages = PageServer()
    with pages.running():
        yield pages


class CountingBackend(LocalBackend):
    """A local backend that counts the version records read and the listings made."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.record_reads = 0
        self.lists = 0

    def read(self, key: str) -> bytes:
        if key.startswith("sources/"):
            self.record_reads += 1
        return super().read(key)

    def list(self, prefix: str):  # type: ignore[no-untyped-def]
        self.lists += 1
        return super().list(prefix)


def pipeline_over(store: ObjectStore, catalog_url: str) -> Pipeline:
    import httpx
    from palimpsest.fetchers import Fetcher, FetchSettings

    fetch = FetchSettings(host_delay=0.0, retries=0, timeout=10.0)
    config = PipelineConfig(store.location, str(REPO / "seeds"), fetch, catalog=catalog_url)
    return Pipeline(
        config=config,
        fetcher=Fetcher(httpx.Client(), fetch),
        store=store,
        seeds=load_seed_corpus(REPO / "seeds", None),
        extract=extract_bytes,
        catalog=CatalogReporter(open_scheduled(catalog_url), store),
    )


def test_unchanged_checks_keep_the_newest_validators(server: PageServer, tmp_path: Path) -> None:
    store = ObjectStore(LocalBackend(tmp_path / "archive"))
    pipe = pipeline_over(store, sqlite_url(tmp_path / "catalog.sqlite"))
    assert pipe.catalog is not None
    url = server.url("/budget")
    server.set("/budget", html("Budget approved", STORY))
    assert archive_url(url, pipe).status == "new"
    server.set("/budget", html("Budget approved", STORY, extra="<!-- build 2 -->"))
    new_etag = server.pages["/budget"].etag
    assert archive_url(url, pipe).status == "unchanged"  # same text, new bytes
    state = pipe.catalog.catalog.state(url)
    assert state is not None and state.etag == new_etag and state.versions == 1
    assert archive_url(url, pipe).status == "unchanged"
    assert server.requested("/budget")[-1]["if-none-match"] == new_etag  # answered 304
    timeline = pipe.catalog.catalog.timeline(url)
    assert timeline is not None
    assert [(c.outcome, c.status) for c in timeline.checks] == [
        ("new", 200),
        ("unchanged", 200),
        ("unchanged", 304),
    ]
    assert len(store.versions(url)) == 1


def test_a_scheduled_run_over_unchanged_sources_reads_no_version_record(
    server: PageServer, tmp_path: Path
) -> None:
    backend = CountingBackend(tmp_path / "archive")
    pipe = pipeline_over(ObjectStore(backend), sqlite_url(tmp_path / "catalog.sqlite"))
    assert pipe.catalog is not None
    paths = [f"/story-{n}" for n in range(4)]
    for n, path in enumerate(paths):
        server.set(path, html(f"Story {n}", [f"Story number {n} begins here.", *STORY]))
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        "sources:\n" + "".join(f"  - url: {server.url(p)}\n" for p in paths), encoding="utf-8"
    )
    listed = load_sources(sources)
    now = datetime.now(UTC)
    period = timedelta(minutes=15)
    first = due_urls(listed, pipe.catalog.catalog, now, period)
    assert [archive_url(u, pipe).status for u in first] == ["new"] * 4
    backend.record_reads = backend.lists = 0
    later = now + timedelta(minutes=15)  # the next run: all four are due again (fresh: 15 min)
    again = due_urls(listed, pipe.catalog.catalog, later, period)
    assert again == first
    assert [archive_url(u, pipe).status for u in again] == ["unchanged"] * 4
    assert (backend.record_reads, backend.lists) == (0, 0)
    assert len(server.requested(paths[0])) == 2


@pytest.fixture
def cli_env(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, server: PageServer
) -> Iterator[dict[str, str]]:
    """A sources file listing the served pages, and the CLI's settings read afresh."""
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        "sources:\n"
        f"  - url: {server.url('/budget')}\n    tags: [council]\n"
        f"  - url: {server.url('/bridge')}\n    tags: [council, roads]\n"
        f"  - url: {server.url('/gone')}\n",
        encoding="utf-8",
    )
    env = {
        "PALIMPSEST_SOURCES_FILE": str(sources),
        "PALIMPSEST_HOST_DELAY": "0",
        "PALIMPSEST_RETRIES": "0",
        "PALIMPSEST_EXTRACT_WORKERS": "1",
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("PALIMPSEST_STORE", raising=False)
    settings.cache_clear()
    yield env
    settings.cache_clear()


def run(store: Path, *args: str, code: int = 0) -> str:
    settings.cache_clear()
    result = CliRunner().invoke(app, [*args, "--store", str(store)])
    assert result.exit_code == code, result.output
    return result.stdout


def fresh_database(database: str, request: pytest.FixtureRequest) -> str | None:
    """None for SQLite (the file beside the store), else a new, empty PostgreSQL database."""
    if database == "sqlite":
        return None
    from tests.postgres import new_database

    return new_database(request.getfixturevalue("postgres_server"))


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_rebuilding_from_the_store_gives_the_same_list_changes_and_timelines(
    database: str,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    cli_env: dict[str, str],
    server: PageServer,
    tmp_path: Path,
) -> None:
    store = tmp_path / "archive"
    if (url := fresh_database(database, request)) is not None:
        monkeypatch.setenv("PALIMPSEST_CATALOG_URL", url)
    urls = [server.url(p) for p in ("/budget", "/bridge", "/gone")]
    server.set("/budget", html("Budget approved", STORY))
    server.set("/bridge", html("Bridge closed", [s.replace("council", "mayor") for s in STORY]))
    server.set("/gone", html("Soon gone", [*STORY[:2], "This page will disappear tomorrow."]))
    run(store, "archive", *urls)
    server.set("/budget", html("Budget approved", [STORY[0], STORY[1].replace("12", "14")]))
    del server.pages["/gone"]
    run(store, "archive", *urls, code=1)  # /gone fails
    run(store, "archive", urls[0])  # unchanged

    def outputs() -> list[str]:
        return [
            run(store, "list", "--json"),
            run(store, "changes", "--since", "1d", "--json"),
            *(run(store, "timeline", u, "--json") for u in urls),
        ]

    before = outputs()
    changes = json.loads(before[1])
    assert (changes[0]["url"], changes[0]["seq"]) == (urls[0], 2)
    assert changes[0]["summary"] == "1 edited [number], 1 removed"
    listed = {s["url"]: s for s in json.loads(before[0])}
    assert listed[urls[1]]["tags"] == ["council", "roads"]
    assert (listed[urls[2]]["failures"], listed[urls[2]]["last_outcome"]) == (1, "failed")
    timeline = json.loads(before[2])
    assert [c["outcome"] for c in timeline["checks"]] == ["new", "changed", "unchanged"]

    assert "0 difference(s)" in run(store, "catalog", "check")
    for name in ("catalog.sqlite", "catalog.sqlite-wal", "catalog.sqlite-shm"):
        (store / name).unlink(missing_ok=True)
    if (url := fresh_database(database, request)) is not None:
        monkeypatch.setenv("PALIMPSEST_CATALOG_URL", url)  # the old one is gone
    rebuilt = json.loads(run(store, "catalog", "rebuild", "--json"))
    assert (rebuilt["versions"], rebuilt["checks"]) == (4, 7)
    assert outputs() == before

    assert [h["url"] for h in json.loads(run(store, "search", "mayor", "--json"))] == [urls[1]]
    hits = json.loads(run(store, "search", "14 teachers", "--json"))
    assert [(h["url"], h["version"]) for h in hits] == [(urls[0], 2)]
    assert "[14]" in hits[0]["snippet"]
    exported = run(store, "export", "--format", "jsonl").splitlines()
    assert [(json.loads(line)["url"], json.loads(line)["seq"]) for line in exported] == [
        (urls[1], 1),
        (urls[0], 1),
        (urls[0], 2),
        (urls[2], 1),
    ]
    assert run(store, "export", "--format", "csv").splitlines()[0].startswith("url,host,seq")


def test_catalog_check_reports_a_difference(
    cli_env: dict[str, str], server: PageServer, tmp_path: Path
) -> None:
    store = tmp_path / "archive"
    server.set("/budget", html("Budget approved", STORY))
    run(store, "archive", server.url("/budget"))
    catalog = open_scheduled(sqlite_url(store / "catalog.sqlite"))
    with catalog.engine.begin() as conn:
        from palimpsest.catalog.schema import versions

        conn.execute(versions.update().values(title="Tampered"))
    out = run(store, "catalog", "check", code=1)
    assert f"versions: {server.url('/budget')} v1 differs in title" in out
    assert "palimpsest catalog rebuild" in out


def test_a_corrupt_catalog_is_one_line_and_rebuild_repairs_it(
    cli_env: dict[str, str], server: PageServer, tmp_path: Path
) -> None:
    store = tmp_path / "archive"
    server.set("/budget", html("Budget approved", STORY))
    run(store, "archive", server.url("/budget"))
    for name in ("catalog.sqlite-wal", "catalog.sqlite-shm"):
        (store / name).unlink(missing_ok=True)
    (store / "catalog.sqlite").write_bytes(b"\x00garbage" * 512)
    settings.cache_clear()
    result = CliRunner().invoke(app, ["list", "--store", str(store)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "catalog.sqlite" in lines[0]
    assert "palimpsest catalog rebuild" in lines[0]
    out = run(store, "catalog", "rebuild")
    assert "moved to" in out and "1 versions" in out
    assert server.url("/budget") in run(store, "list")
    assert any(p.name.startswith("catalog.sqlite.damaged-") for p in store.iterdir())


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_two_processes_archiving_at_once_leave_consistent_rows(
    database: str, request: pytest.FixtureRequest, cli_env: dict[str, str],
    server: PageServer, tmp_path: Path,
) -> None:  # fmt: skip
    store = tmp_path / "archive"
    env = {**os.environ, **cli_env}
    if (url := fresh_database(database, request)) is not None:
        env["PALIMPSEST_CATALOG_URL"] = url
    paths = [f"/page-{n}" for n in range(6)]
    for n, path in enumerate(paths):
        server.set(path, html(f"Page {n}", [f"Page {n} opens with this.", *STORY]))
    urls = [server.url(p) for p in paths]
    command = [sys.executable, "-m", "palimpsest.cli", "archive", *urls, "--store", str(store)]
    procs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE) for _ in range(2)]
    for proc in procs:
        proc.communicate(timeout=120)
        assert proc.returncode == 0
    store_ = open_store(str(store))
    catalog = open_scheduled(
        env.get("PALIMPSEST_CATALOG_URL") or sqlite_url(store / "catalog.sqlite")
    )
    assert differences(store_, catalog, None) == []
    assert {s.url: s.versions for s in catalog.sources()} == {u: 1 for u in urls}
    assert all(len(store_.versions(u)) == 1 for u in urls)
    assert len(catalog.dump()["checks"]) == 12


def test_a_damaged_check_log_line_is_skipped(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from palimpsest.catalog import CheckRow
    from palimpsest.flows import checklog

    store = open_store(str(tmp_path / "archive"))
    row = CheckRow(id="c1", url="https://news.example/a", checked_at=datetime.now(UTC),
                   outcome="unchanged", status=304)  # fmt: skip
    key = checklog.write(store, [row])
    assert key is not None and key.startswith("checks/")
    store.backend.create("checks/2026/01/01/000000-bad.jsonl", b'{"id": "x"}\nnot json\n')  # type: ignore[attr-defined]
    assert list(checklog.read(store)) == [row]
    assert "000000-bad.jsonl line 1" in caplog.text and "line 2" in caplog.text
