"""The catalog's commands: `list`, `changes`, `timeline`, `search`, `export --format`, and
`catalog rebuild` / `catalog check`. Every read command takes `--json`."""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

import typer

from palimpsest.app import (
    JsonOption,
    StoreOption,
    app,
    fail,
    open_store,
    print_json,
    settings,
    store_spec,
    user_errors,
)

catalog_app = typer.Typer(help="Rebuild or check the catalog (the index of the archive).")
app.add_typer(catalog_app, name="catalog")

_DURATION = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
SinceOption = Annotated[
    str | None,
    typer.Option(help="Only since then: a duration back from now (30m, 24h, 7d, 2w) or a date."),
]


def parse_since(value: str | None, now: datetime | None = None) -> datetime | None:
    """`24h` -> 24 hours ago; `2025-03-01` or an ISO time -> that time (UTC if no offset)."""
    if value is None:
        return None
    m = _DURATION.match(value)
    if m:
        return (now or datetime.now(UTC)) - timedelta(**{_UNITS[m.group(2)]: int(m.group(1))})
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        fail(f"--since/--changed-since {value!r}: not a duration (30m, 24h, 7d, 2w) or a date")
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when


@contextmanager
def catalog_errors() -> Iterator[None]:
    from palimpsest.catalog import CatalogError

    try:
        with user_errors():
            yield
    except CatalogError as exc:
        fail(str(exc))


def catalog_location(store: str | None) -> str:
    from palimpsest.flows.catalog import catalog_url

    s = settings()
    return catalog_url(
        store_spec(store), url=s.catalog_url, file=s.catalog_file, cache_dir=s.cache_dir
    )


def open_catalog(store: str | None, *, missing_ok: bool = False) -> Any:
    """The catalog of --store (or of the default store), one line if it cannot be opened; a
    local store that is not there is refused as the other reading commands do."""
    from pathlib import Path

    from palimpsest.flows.catalog import open_scheduled

    spec = store_spec(store)
    if not missing_ok and "://" not in spec and not Path(spec).is_dir():
        open_store(store)  # fails, naming the store
    with catalog_errors():
        return open_scheduled(catalog_location(store))


def existing_catalog(store: str | None) -> Any:
    """The catalog of --store if it is there (a server, or a SQLite file that exists), else
    None; never creates one (the viewer reads)."""
    from pathlib import Path

    from sqlalchemy.engine import make_url

    from palimpsest.catalog import open_catalog as _open

    location = catalog_location(store)
    parsed = make_url(location)
    if parsed.get_backend_name() == "sqlite" and not Path(parsed.database or "").is_file():
        return None
    with catalog_errors():
        return _open(location)


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"


@app.command("list")
def list_(
    tag: Annotated[str | None, typer.Option(help="Only sources with this tag.")] = None,
    failing: Annotated[bool, typer.Option("--failing", help="Only failing sources.")] = False,
    changed_since: SinceOption = None,
    store: StoreOption = None,
    json_: JsonOption = False,
) -> None:
    """Every source in the catalog: versions, last change, last check and its outcome."""
    since = parse_since(changed_since)
    catalog = open_catalog(store)
    with catalog_errors():
        sync_listing(catalog)
        rows = catalog.sources(tag=tag, failing=failing, changed_since=since)
    if json_:
        print_json([r.to_dict() for r in rows])
        return
    if not rows:
        typer.echo(f"no sources in {catalog.name} match")
    for r in rows:
        outcome = r.last_outcome or "-"
        if r.failures:
            outcome = f"failed x{r.failures} since {_when(r.failing_since)}"
        origin = "" if r.origin == "listed" else f"  [{r.origin}]"
        typer.echo(
            f"{r.url}  v{r.versions}  changed {_when(r.last_change)}  "
            f"checked {_when(r.last_check)} ({outcome}){origin}"
        )


@app.command()
def changes(
    since: SinceOption = "24h",
    substantive: Annotated[
        bool, typer.Option("--substantive", help="Only changes of substance (no cosmetic edits).")
    ] = False,
    store: StoreOption = None,
    json_: JsonOption = False,
) -> None:
    """Every change across sources, newest first, with what changed."""
    when = parse_since(since)
    catalog = open_catalog(store)
    with catalog_errors():
        rows = catalog.changes(since=when, substantive=substantive)
    if json_:
        print_json([r.to_dict() for r in rows])
        return
    if not rows:
        typer.echo(f"no changes since {_when(when)}" if when else "no changes")
    for r in rows:
        typer.echo(f"{_when(r.captured_at)}  {r.url}  v{r.seq}  {r.summary}")


@app.command()
def timeline(
    url: Annotated[str, typer.Argument(help="The source's URL.")],
    store: StoreOption = None,
    json_: JsonOption = False,
) -> None:
    """The versions and checks of one source, oldest first, with what changed each time."""
    from palimpsest.fetchers import normalize_url

    catalog = open_catalog(store)
    with catalog_errors():
        found = catalog.timeline(normalize_url(url))
    if found is None:
        fail(f"{url}: not in the catalog ({catalog.name})")
    if json_:
        print_json(found.to_dict())
        return
    events: list[tuple[datetime, str]] = [
        (v.captured_at, f"v{v.seq}  {v.summary}  {v.title or ''}".rstrip()) for v in found.versions
    ]
    for c in found.checks:
        detail = c.error or (f"HTTP {c.status}" if c.status else "")
        events.append((c.checked_at, f"check {c.outcome}  {detail}".rstrip()))
    for when, line in sorted(events, key=lambda e: e[0]):
        typer.echo(f"{_when(when)}  {line}")


@app.command()
def search(
    text: Annotated[str, typer.Argument(help="Words the latest text must contain.")],
    limit: Annotated[int, typer.Option(help="At most this many sources.")] = 50,
    store: StoreOption = None,
    json_: JsonOption = False,
) -> None:
    """Sources whose latest text matches, best first, with a snippet."""
    catalog = open_catalog(store)
    with catalog_errors():
        hits = catalog.search(text, limit=limit)
    if json_:
        print_json([h.to_dict() for h in hits])
        return
    if not hits:
        typer.echo(f"no source's latest text matches {text!r}")
    for h in hits:
        typer.echo(f"{h.url}  v{h.version}  {h.title or ''}\n  {h.snippet}")


EXPORT_COLUMNS = [
    "url", "host", "seq", "captured_at", "sha256", "title", "words", "substantive", "summary",
    "changes", "seed", "similarity", "etag", "last_modified", "raw_key", "extractor_version",
    "key",
]  # fmt: skip


def _export_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


@app.command()
def export(
    urls: Annotated[
        list[str] | None,
        typer.Argument(help="With --wacz: the archived URLs to include (default: all)."),
    ] = None,
    format_: Annotated[str, typer.Option("--format", help="jsonl or csv.")] = "jsonl",
    since: SinceOption = None,
    wacz: Annotated[
        Path | None,
        typer.Option(
            "--wacz",
            help="Write the raw captures as a WACZ file (ReplayWeb.page, pywb) instead.",
            dir_okay=False,
        ),
    ] = None,
    store: StoreOption = None,
) -> None:
    """Every version (with its diff counts) for analysis, as JSON lines or CSV on stdout; or,
    with --wacz OUT.wacz, the raw captures of the URLs as a web archive."""
    if wacz is not None:
        from palimpsest.commands.wacz import export_wacz

        export_wacz(wacz, urls, store)
        return
    if urls:
        fail("URLs select what --wacz exports; --format exports every version")
    if format_ not in {"jsonl", "csv"}:
        fail(f"--format {format_!r}: use jsonl or csv")
    when = parse_since(since)
    catalog = open_catalog(store)
    writer = csv.writer(sys.stdout) if format_ == "csv" else None
    if writer is not None:
        writer.writerow(EXPORT_COLUMNS)
    with catalog_errors():
        for row in catalog.export(since=when):
            values = {k: _export_value(row.get(k)) for k in EXPORT_COLUMNS}
            if writer is None:
                sys.stdout.write(json.dumps(values, ensure_ascii=False, sort_keys=True) + "\n")
            else:
                values["changes"] = json.dumps(values["changes"]) if values["changes"] else ""
                writer.writerow(["" if values[k] is None else values[k] for k in EXPORT_COLUMNS])


def _listing() -> Any:
    from palimpsest.flows.sources import load_sources

    path = settings().sources_file
    return load_sources(path) if path.is_file() else None


def sync_listing(catalog: Any) -> None:
    """Give the catalog the sources file's sources, tags and cadences (if there is a file)."""
    from palimpsest.flows.sources import listing_entries

    listing = _listing()
    if listing is not None:
        catalog.sync_listings(listing_entries(listing))


@catalog_app.command()
def rebuild(store: StoreOption = None, json_: JsonOption = False) -> None:
    """Rebuild the catalog from the store alone (and the sources file's tags)."""
    from palimpsest.flows.rebuild import rebuild as rebuild_catalog
    from palimpsest.flows.rebuild import reset_sqlite

    opened = open_store(store)
    location = catalog_location(store)
    with catalog_errors():
        listing = _listing()
        moved = reset_sqlite(location)
        catalog = open_catalog(store)
        done = rebuild_catalog(opened, catalog, listing)
    if json_:
        print_json({**done.to_dict(), "catalog": catalog.name, "set_aside": moved})
        return
    if moved:
        typer.echo(f"the damaged catalog was moved to {moved}")
    typer.echo(
        f"rebuilt {catalog.name}: {done.sources} sources, {done.versions} versions, "
        f"{done.checks} checks"
    )


@catalog_app.command()
def check(store: StoreOption = None, json_: JsonOption = False) -> None:
    """Compare the catalog with what a rebuild from the store would give; exit 1 if they differ."""
    from palimpsest.flows.rebuild import differences

    opened = open_store(store)
    catalog = open_catalog(store)
    with catalog_errors():
        sync_listing(catalog)
        found = differences(opened, catalog, _listing())
    if json_:
        print_json({"catalog": catalog.name, "differences": found})
    else:
        for line in found:
            typer.echo(line)
        typer.echo(
            f"{catalog.name}: {len(found)} difference(s) from the store"
            + ("; run `palimpsest catalog rebuild`" if found else "")
        )
    if found:
        raise typer.Exit(1)
