"""The foundation's must-show, through the CLI: new, unchanged, changed; versions, show, diff."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from palimpsest.demo import edit
from palimpsest.localserver import PageServer


@pytest.mark.vcr
def test_archive_then_inspect(cli, site: PageServer, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url = site.url("/minerals-wire")

    (first,) = cli.json("archive", url)
    assert first == first | {"url": url, "status": "new", "version": 1, "error": None}
    (again,) = cli.json("archive", url)
    assert (again["status"], again["version"]) == ("unchanged", 1)

    site.set("/minerals-wire", edit(site.pages["/minerals-wire"].body.decode()))
    (changed,) = cli.json("archive", url)
    assert (changed["status"], changed["version"]) == ("changed", 2)

    versions = cli.json("versions", url)
    assert [v["version"] for v in versions] == [1, 2]
    assert set(versions[0]) == {"version", "captured_at", "sha256", "title", "words"}
    assert versions[1]["words"] > versions[0]["words"]
    assert "Rare Earth" in versions[0]["title"]

    latest = cli("show", url)
    assert latest.exit_code == 0 and "Scott Bessent on a visit" in latest.stdout
    first_text = cli("show", url, "--version", "1").stdout
    assert "Scott Bassent on a visit" in first_text
    assert "Photo" not in first_text.split("\n")[0]

    diff = cli.json("diff", url)
    assert (diff["from"], diff["to"]) == (1, 2)
    assert diff["removed"] == []
    assert len(diff["added"]) == 1 and "in the coming weeks" in diff["added"][0]
    (edited,) = diff["edited"]
    assert "Bassent" in edited["before"] and "Bessent" in edited["after"]

    seeds = cli.json("diff", url, "--seeds")
    assert seeds["version"] == 2
    best = seeds["matches"][0]
    assert best["seed"] == "002_35ea0cf7cb43ece6"
    assert set(best["counts"]) == {
        *("identical", "edited", "paraphrase", "partial", "added", "dropped")
    }
    assert best["title"] == "U.S. Presents Ukraine With Document to Access Rare Earth Minerals"
    edited_link = next(link for link in best["links"] if "Bessent" in link["text"])
    assert edited_link["label"] == "edited"
    assert edited_link["differences"]["names"] == {"text": ["bessent"], "seed": ["bassent"]}
    seeds_page = tmp_path / "seeds.html"
    assert cli("diff", url, "--seeds", "--html", str(seeds_page)).exit_code == 0
    page = seeds_page.read_text(encoding="utf-8")
    assert "002_35ea0cf7cb43ece6" in page and '<tr class="edited">' in page
    assert "<ins>Bessent</ins>" in page and "<del>Bassent</del>" in page
    assert [m["similarity"] for m in seeds["matches"]] == sorted(
        (m["similarity"] for m in seeds["matches"]), reverse=True
    )

    report = tmp_path / "report.html"
    text = cli("diff", url, "--from", "1", "--to", "2", "--html", str(report))
    assert text.exit_code == 0 and "[-Bassent-]{+Bessent+}" in text.stdout  # piped: no colour
    assert "Bessent" in report.read_text(encoding="utf-8")
    unified = cli("diff", url, "--unified").stdout.splitlines()
    assert unified[0] == f"--- {url} v1\t{versions[0]['captured_at']}"
    assert unified[1] == f"+++ {url} v2\t{versions[1]['captured_at']}"
    assert any(line.startswith("+") and "Bessent" in line for line in unified[2:])


@pytest.mark.vcr
def test_a_failed_url_exits_1_and_names_it(cli, site: PageServer) -> None:  # type: ignore[no-untyped-def]
    good, gone = site.url("/minerals-rewrite"), site.url("/gone")
    result = cli("archive", good, gone, "--json")
    assert result.exit_code == 1
    outcomes = {o["url"]: o for o in json.loads(result.stdout)}
    assert outcomes[good]["status"] == "new"
    assert outcomes[gone]["status"] == "failed" and outcomes[gone]["version"] is None
    assert outcomes[gone]["error"] == "HTTP 404 Not Found"  # the URL is beside it


def test_inspecting_an_unknown_url_is_one_clear_line(cli) -> None:  # type: ignore[no-untyped-def]
    Path(cli.store).mkdir()  # a store, without that URL
    result = cli("versions", "https://example.com/never-archived")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"error: https://example.com/never-archived: not in the archive at {cli.store}"
    ]


def test_a_bad_store_is_one_clear_line(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("versions", "https://example.com/x", "--store", "ftp://host/x", store=False)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.startswith("error: ") and "ftp://host/x" in result.stderr
