"""`palimpsest feed`: the catalog's changes as Atom, read back by feedparser (no bozo flag),
one entry per change of the selection, linked to the viewer's diff."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest
from palimpsest.notify.feed import version_urn

from palimpsest.app import settings
from palimpsest.localserver import PageServer

from .conftest import Cli

PAGE = (
    "<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
    "<p>The council voted on Tuesday to approve the budget for the coming year.</p>"
    "<p>Members said the plan would fund {n} new teachers and repair three bridges.</p>"
    "</article></body></html>"
)


def test_feed_of_all_one_source_and_one_tag(
    cli: Cli, live_site: PageServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from palimpsest.flows.catalog import open_scheduled, sqlite_url

    monkeypatch.setenv("PALIMPSEST_VIEWER_URL", "http://127.0.0.1:8080")
    settings.cache_clear()
    a, b = live_site.url("/a"), live_site.url("/b")
    for n in (12, 14):
        live_site.set("/a", PAGE.format(title="Budget &amp; bridges", n=n))
        live_site.set("/b", PAGE.format(title="Bridges", n=n + 1))
        assert cli("archive", a, b).exit_code == 0
    catalog = open_scheduled(sqlite_url(Path(cli.store) / "catalog.sqlite"))
    catalog.sync_listings([(a, ("budget",), None), (b, (), None)])
    catalog.close()

    out = tmp_path / "all.atom"
    result = cli("feed", str(out))
    assert result.exit_code == 0, result.output
    parsed = feedparser.parse(out.read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert sorted(e.id for e in parsed.entries) == sorted(
        version_urn(u, v) for u in (a, b) for v in (1, 2)
    )
    [edit] = [e for e in parsed.entries if e.id == version_urn(a, 2)]
    assert edit.title == "Budget & bridges (v2, substantive)"
    assert edit.summary == "1 edited [number]"
    assert edit.link.startswith("http://127.0.0.1:8080/diff?url=") and edit.link.endswith(
        "&from=1&to=2"
    )

    for option, value in (("--url", b), ("--tag", "budget")):
        result = cli("feed", "-", option, value)
        assert result.exit_code == 0, result.output
        parsed = feedparser.parse(result.stdout.encode())
        assert not parsed.bozo
        wanted = b if option == "--url" else a
        assert sorted(e.id for e in parsed.entries) == [version_urn(wanted, v) for v in (1, 2)]

    result = cli("feed", "-", "--since", "often")
    assert result.exit_code != 0 and "--since/--changed-since 'often'" in result.output
