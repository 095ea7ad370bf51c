"""A newcomer's first hour (issue 11): options, settings, stores, sources, batch output.

Each test drives the real CLI against pages served on 127.0.0.1 and a real local store.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
import yaml

from palimpsest.cli import app
from palimpsest.demo import edit
from palimpsest.localserver import PageServer

REPO = Path(__file__).parents[2]
PAGES = REPO / "palimpsest" / "demo_pages"


@pytest.fixture(scope="module")
def served() -> PageServer:
    server = PageServer()
    for page in sorted(PAGES.glob("*.html")):
        server.set(f"/{page.stem}", page.read_text(encoding="utf-8"))
    with server.running():
        yield server


@pytest.fixture
def two_versions(cli, served: PageServer) -> str:  # type: ignore[no-untyped-def]
    """A URL with two versions in the test's store (the demo's edit in between)."""
    path = f"/edited-{id(cli)}"
    original = (PAGES / "minerals-wire.html").read_text(encoding="utf-8")
    served.set(path, original)
    assert cli("archive", served.url(path)).exit_code == 0
    served.set(path, edit(original))
    assert cli("archive", served.url(path)).exit_code == 0
    return served.url(path)


def _one_error_line(result) -> str:  # type: ignore[no-untyped-def]
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    return lines[0]


# -- 2, 3: options that cannot be honoured, a report that cannot be written ------------------


def test_json_with_unified_is_refused_with_exit_2(cli, two_versions: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("diff", two_versions, "--json", "--unified")
    assert result.exit_code == 2 and result.stdout == ""
    assert "--json" in _one_error_line(result) and "--unified" in result.stderr


def test_seeds_with_unified_or_from_is_refused(cli, two_versions: str) -> None:  # type: ignore[no-untyped-def]
    for extra in (["--unified"], ["--from", "1"]):
        result = cli("diff", two_versions, "--seeds", *extra)
        assert result.exit_code == 2 and extra[0] in _one_error_line(result)


def test_html_into_a_missing_directory_is_one_line(cli, two_versions: str) -> None:  # type: ignore[no-untyped-def]
    for extra in ([], ["--seeds"]):
        result = cli("diff", two_versions, *extra, "--html", "/no/such/dir/r.html")
        assert result.exit_code == 1
        assert "/no/such/dir/r.html" in _one_error_line(result)


# -- 4: a store that is not there -------------------------------------------------------------


def test_reading_commands_name_a_store_that_does_not_exist(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    typo = tmp_path / "typo"
    url = "http://127.0.0.1:9/story"
    for command in (
        ["verify"],
        ["versions", url],
        ["show", url],
        ["diff", url],
        ["reextract", "--all"],
        ["verify", "--json"],
    ):
        result = cli(*command, "--store", str(typo), store=False)
        assert result.exit_code == 1, command
        assert _one_error_line(result) == (
            f"error: {typo}: no archive there (check --store or $PALIMPSEST_STORE; "
            "only `archive` creates one)"
        )
    assert not typo.exists()


def test_archive_creates_the_store(cli, served: PageServer) -> None:  # type: ignore[no-untyped-def]
    assert not Path(cli.store).exists()
    assert cli("archive", served.url("/minerals-rewrite")).exit_code == 0
    assert cli("verify").exit_code == 0


# -- 5: robots.txt unreachable ------------------------------------------------------------------


def test_a_refused_connection_is_reported_as_such(cli) -> None:  # type: ignore[no-untyped-def]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    url = f"http://127.0.0.1:{port}/story"
    result = cli("archive", url)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"failed    -     {url}  connection refused fetching http://127.0.0.1:{port}/robots.txt "
        "(robots.txt unreachable, so not fetched: RFC 9309)"
    ]


# -- 9: sources --------------------------------------------------------------------------------


def test_sources_reads_the_working_directory_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sources.yaml").write_text(
        "sources:\n  - url: http://127.0.0.1:9/only-here\n", encoding="utf-8"
    )
    rows = cli.json("sources")  # nothing archived yet: every source is due
    assert [(r["url"], r["due"]) for r in rows] == [("http://127.0.0.1:9/only-here", True)]


def test_sources_without_a_file_here_names_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    result = cli("sources")
    assert result.exit_code == 1 and "sources.yaml" in _one_error_line(result)


def test_sources_period_default_is_the_hourly_deployments() -> None:
    import typer

    deployments = yaml.safe_load((REPO / "prefect.yaml").read_text())["deployments"]
    hourly = next(d for d in deployments if d["name"] == "hourly")
    command = typer.main.get_command(app).commands["sources"]  # type: ignore[attr-defined]
    period = next(p for p in command.params if p.name == "period")
    assert period.default == hourly["parameters"]["period_minutes"] == 60


# -- 10: settings and --version -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("PALIMPSEST_HOST_CONCURRENCY", "0"),
        ("PALIMPSEST_FETCH_TIMEOUT", "0"),
        ("PALIMPSEST_FETCH_TIMEOUT", "nan"),
        ("PALIMPSEST_MAX_BYTES", "lots"),
        ("PALIMPSEST_RETRIES", "-1"),
        ("PALIMPSEST_EXTRACT_WORKERS", "1.5"),
    ],
)
def test_a_bad_setting_is_one_line_naming_the_variable(
    cli, monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv(variable, value)
    for command in (["archive", "http://127.0.0.1:9/x"], ["verify"]):
        result = cli(*command)
        assert result.exit_code == 2
        assert _one_error_line(result).startswith(f"error: {variable}={value!r}")


def test_version(cli) -> None:  # type: ignore[no-untyped-def]
    from importlib.metadata import version

    result = cli("--version", store=False)
    assert result.exit_code == 0 and result.stdout == f"palimpsest {version('palimpsest')}\n"


# -- 6: batch output -----------------------------------------------------------------------------


def test_changed_lines_say_what_changed_and_the_batch_ends_with_a_summary(
    cli, served: PageServer
) -> None:  # type: ignore[no-untyped-def]
    path = f"/batch-{id(cli)}"
    original = (PAGES / "minerals-wire.html").read_text(encoding="utf-8")
    served.set(path, original)
    urls = [served.url(path), served.url("/minerals-analysis"), served.url("/gone")]
    first = cli("archive", *urls)
    assert first.exit_code == 1
    served.set(path, edit(original))
    second = cli("archive", *urls)
    lines = second.stdout.splitlines()
    changed = next(line for line in lines if line.startswith("changed"))
    assert changed.endswith(f"v2    {urls[0]}  1 edited [name], 1 added")
    failed = next(line for line in lines if line.startswith("failed"))
    assert failed == f"failed    -     {urls[2]}  HTTP 404 Not Found"  # the URL once
    assert lines[-1] == "3 URLs: 1 changed (1 substantive), 1 unchanged, 1 failed"
    assert len(lines) == 4


def test_reextract_reports_each_url_and_a_summary(cli, served: PageServer) -> None:  # type: ignore[no-untyped-def]
    urls = [served.url("/minerals-analysis"), served.url("/minerals-rewrite")]
    assert cli("archive", *urls).exit_code == 0
    result = cli("reextract", "--all")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert sorted(lines[:2]) == [f"unchanged   {u}: nothing new" for u in sorted(urls)]
    assert lines[2:] == ["2 URLs: 2 unchanged"]


def test_json_output_is_only_json(cli, served: PageServer) -> None:  # type: ignore[no-untyped-def]
    urls = [served.url("/minerals-analysis"), served.url("/minerals-rewrite")]
    result = cli("archive", *urls, "--json")
    assert [o["url"] for o in json.loads(result.stdout)] == urls
