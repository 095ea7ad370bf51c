"""Discovery in real runs, against a live server on 127.0.0.1 serving an Atom feed, an RSS
feed and a section page: new entries are archived once, under one canonical URL; unchanged
feeds cost one conditional GET; a removed entry keeps its history; a malformed feed is one
problem naming it; hub pages are never versioned; a rebuild keeps where sources came from."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from palimpsest.flows.context import Pipeline, open_pipeline
from palimpsest.flows.discover import plan
from palimpsest.flows.pipeline import archive_url
from palimpsest.flows.rebuild import rebuild
from palimpsest.flows.sources import load_sources
from typer.testing import CliRunner

from palimpsest.localserver import PageServer

from ..flows.conftest import config_for

HOUR = timedelta(hours=1)


def article(slug: str, extra: str = "") -> str:
    paragraphs = "".join(
        f"<p>Story {slug}, paragraph {i}: the harbour authority said on Tuesday that the "
        f"contract for berth {i} of {slug} was signed after months of talks with the unions, "
        f"and that work would start in the spring.</p>"
        for i in range(6)
    )
    return (
        f"<html><head><title>Story {slug}</title></head><body><article><h1>Story {slug}</h1>"
        f"{paragraphs}{extra}</article></body></html>"
    )


def atom(base: str, slugs: list[str]) -> str:
    entries = "".join(
        f"<entry><title>{s}</title><id>urn:{s}</id><updated>2026-12-01T10:00:00Z</updated>"
        f'<link href="{base}/2026/12/01/{s}?utm_source=atom&amp;utm_medium=feed"/></entry>'
        for s in slugs
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>World</title><id>urn:world</id><updated>2026-12-01T10:00:00Z</updated>{entries}"
        "</feed>"
    )


def rss(base: str, slugs: list[str]) -> str:
    items = "".join(
        f"<item><title>{s}</title><link>{base}/2026/12/01/{s}</link></item>" for s in slugs
    )
    head = '<?xml version="1.0"?><rss version="2.0"><channel><title>Biz</title>'
    return f"{head}{items}</channel></rss>"


def section(slugs: list[str]) -> str:
    links = "".join(
        f'<li><a href="/2026/12/01/{s}#top">Story {s} headline here</a></li>' for s in slugs
    )
    return f'<html><body><a href="/about">About us</a><ul>{links}</ul></body></html>'


@pytest.fixture
def news(_live_server: PageServer) -> PageServer:
    site = _live_server
    site.pages.clear()
    base = site.base_url
    for slug in ("a", "b", "c", "d"):
        site.set(f"/2026/12/01/{slug}", article(slug))
    site.set("/world.atom", atom(base, ["a", "b"]), "application/atom+xml")
    site.set("/biz.rss", rss(base, ["b", "c"]), "application/rss+xml")
    site.set("/front/", section(["a", "c"]))
    site.set("/broken.rss", "<rss><channel><item><title>no", "application/rss+xml")
    return site


def sources_file(tmp_path: Path, site: PageServer, extra: str = "") -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(
        "feeds:\n"
        f"  - url: {site.url('/world.atom')}\n    tags: [world]\n"
        f"  - url: {site.url('/biz.rss')}\n    tags: [business]\n"
        f"  - url: {site.url('/broken.rss')}\n"
        "sections:\n"
        f'  - url: {site.url("/front/")}\n    match: "/20[0-9][0-9]/"\n'
        f"{extra}"
    )
    return path


@pytest.fixture
def pipe(tmp_path: Path) -> Iterator[Pipeline]:
    with open_pipeline(config_for(tmp_path / "archive")) as pipeline:
        yield pipeline


def run(pipe: Pipeline, path: Path, now: datetime, due_only: bool = True):  # type: ignore[no-untyped-def]
    assert pipe.catalog is not None
    todo, found = plan(
        pipe.fetcher,
        pipe.catalog.catalog,
        pipe.store,
        load_sources(path),
        due_only=due_only,
        now=now,
        period=HOUR,
    )
    return [archive_url(u, pipe) for u in todo], found


def test_new_entries_are_archived_once_under_one_canonical_url(news, pipe, tmp_path) -> None:
    path = sources_file(tmp_path, news)
    now = datetime.now(UTC)

    outcomes, found = run(pipe, path, now)

    urls = sorted(news.url(f"/2026/12/01/{s}") for s in "abc")
    assert sorted(found.new) == urls  # a (atom with utm, section with #top) is one source
    assert sorted(o.url for o in outcomes) == urls and {o.status for o in outcomes} == {"new"}
    [problem] = found.problems
    assert problem.startswith(news.url("/broken.rss") + ": not a readable feed")
    catalog = pipe.catalog.catalog
    assert catalog.origins()[news.url("/2026/12/01/a")] == ("feed", news.url("/world.atom"))
    # first finder wins: b is in both feeds, the Atom one (world) is read first
    assert [s.url for s in catalog.sources(tag="world")] == urls[:2]
    assert [s.url for s in catalog.sources(tag="business")] == urls[2:]

    # The next run: nothing new, every feed answers 304, no article is archived twice.
    requests_before = len(news.requests)
    outcomes, found = run(pipe, path, now + timedelta(minutes=5))
    assert found.new == [] and found.unchanged == 3  # atom, rss, section: 304 each
    assert {o.status for o in outcomes} <= {"unchanged"}  # rechecks (adaptive), no new version
    feed_requests = [
        r for r in news.requests[requests_before:] if r[1] != "/robots.txt" and "/2026/" not in r[1]
    ]
    assert len(feed_requests) == 4  # one conditional GET per followed page
    assert all("if-none-match" in h for _, p, h in feed_requests if p != "/broken.rss")
    for url in urls:
        assert [r.version for r in pipe.store.versions(url)] == [1]


def test_a_new_entry_is_found_next_run_and_a_removed_one_keeps_its_history(news, pipe, tmp_path):
    path = sources_file(tmp_path, news)
    now = datetime.now(UTC)
    run(pipe, path, now)

    news.set("/world.atom", atom(news.base_url, ["d"]), "application/atom+xml")  # a, b gone
    outcomes, found = run(pipe, path, now + timedelta(minutes=5))

    assert found.new == [news.url("/2026/12/01/d")]
    new = [(o.url, o.status) for o in outcomes if o.status != "unchanged"]
    assert new == [(news.url("/2026/12/01/d"), "new")]
    assert [r.version for r in pipe.store.versions(news.url("/2026/12/01/a"))] == [1]


def test_quiet_discovered_articles_retire(news, pipe, tmp_path) -> None:
    path = sources_file(tmp_path, news, extra="retire_after: 2d\n")
    now = datetime.now(UTC)
    run(pipe, path, now)

    outcomes, _ = run(pipe, path, now + timedelta(days=3), due_only=False)

    assert outcomes == []  # a, b, c: unchanged for 3 days, retired; their history kept
    assert len(pipe.catalog.catalog.retired(now + timedelta(days=1))) == 3


def test_a_hub_page_listed_as_a_source_is_not_an_article(news, pipe) -> None:
    news.set("/hub/", section([f"story-{i}" for i in range(10)]))
    outcome = archive_url(news.url("/hub/"), pipe)
    assert outcome.status == "failed"
    assert outcome.error and outcome.error.startswith("not an article")
    assert "sections:" in outcome.error and pipe.store.versions(news.url("/hub/")) == []


def test_a_rebuilt_catalog_knows_where_each_source_came_from(news, pipe, tmp_path) -> None:
    path = sources_file(tmp_path, news)
    run(pipe, path, datetime.now(UTC))
    catalog = pipe.catalog.catalog
    before = catalog.origins(), {s.url: s.tags for s in catalog.sources()}

    rebuild(pipe.store, catalog, load_sources(path))

    assert (catalog.origins(), {s.url: s.tags for s in catalog.sources()}) == before


def test_palimpsest_run_follows_the_feeds_and_exits_1_on_a_broken_one(news, tmp_path, monkeypatch):
    from palimpsest.cli import app

    path = sources_file(tmp_path, news)
    monkeypatch.setenv("PALIMPSEST_HOST_DELAY", "0")
    result = CliRunner().invoke(
        app, ["run", "--file", str(path), "--store", str(tmp_path / "a"), "--json"]
    )
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert sorted(report["discovered"]) == sorted(news.url(f"/2026/12/01/{s}") for s in "abc")
    assert [o["status"] for o in report["outcomes"]] == ["new"] * 3
    assert report["problems"][0].startswith(news.url("/broken.rss"))


def test_sources_and_list_say_where_each_source_came_from(news, tmp_path, monkeypatch) -> None:
    from palimpsest.cli import app

    path = sources_file(tmp_path, news)
    path.write_text(path.read_text() + f"sources:\n  - url: {news.url('/2026/12/01/d')}\n")
    monkeypatch.setenv("PALIMPSEST_HOST_DELAY", "0")
    store = str(tmp_path / "a")
    runner = CliRunner()
    runner.invoke(app, ["run", "--file", str(path), "--store", store, "--json"])

    listed = json.loads(
        runner.invoke(app, ["sources", "--file", str(path), "--store", store, "--json"]).stdout
    )
    origins = {r["url"]: (r["origin"], r.get("found_on")) for r in listed}
    assert origins[news.url("/2026/12/01/d")] == ("listed", None)
    assert origins[news.url("/2026/12/01/c")] == ("feed", news.url("/biz.rss"))
    rows = json.loads(runner.invoke(app, ["list", "--store", store, "--json"]).stdout)
    assert {r["url"]: r["origin"] for r in rows}[news.url("/2026/12/01/a")] == "feed"


def test_an_article_linked_under_two_names_has_one_history(news, pipe, tmp_path) -> None:
    """The feed links an AMP copy whose page names the real URL as canonical; the section
    links the real URL. Whichever is read first, one URL is tracked, the other is an alias."""
    amp, real = news.url("/amp/2026/12/01/e"), news.url("/2026/12/01/e")
    canonical = f'<link rel="canonical" href="{real}">'
    news.set("/amp/2026/12/01/e", article("e").replace("<head>", "<head>" + canonical))
    news.set("/2026/12/01/e", article("e").replace("<head>", "<head>" + canonical))
    news.set(
        "/world.atom",
        atom(news.base_url, ["a"]).replace(
            "</feed>",
            f"<entry><title>e</title><id>urn:e</id><updated>2026-12-01T10:00:00Z</updated>"
            f'<link href="{amp}"/></entry></feed>',
        ),
        "application/atom+xml",
    )
    path = sources_file(tmp_path, news)
    now = datetime.now(UTC)

    outcomes, found = run(pipe, path, now)
    assert amp in found.new
    assert [o.url for o in outcomes].count(real) == 1 and amp not in [o.url for o in outcomes]
    assert pipe.store.versions(amp) == [] and len(pipe.store.versions(real)) == 1

    news.set("/front/", section(["a", "c", "e"]))  # now the section links the real URL too
    outcomes, found = run(pipe, path, now + timedelta(minutes=5))
    assert found.new == [] and len(pipe.store.versions(real)) == 1
    catalog = pipe.catalog.catalog
    assert catalog.origin(amp) == ("alias", real) and catalog.origin(real)[0] == "feed"
    assert real not in catalog.retired(now) and amp not in catalog.discovered_due(
        now + timedelta(days=1), now - timedelta(days=1)
    )

    rebuild(pipe.store, catalog, load_sources(path))
    assert catalog.origin(amp) == ("alias", real)
