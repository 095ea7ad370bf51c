"""`palimpsest sources`: the sources file with each source's last check, last change, next due."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from palimpsest.app import (
    JsonOption,
    StoreOption,
    app,
    print_json,
    settings,
    user_errors,
)

if TYPE_CHECKING:
    from palimpsest.catalog import Catalog

# The hourly deployment's `period_minutes` (prefect.yaml): the default view is the schedule's.
PERIOD_MINUTES = 60


def _when(value: str | None) -> str:
    return value[:16].replace("T", " ") if value else "-"


SourcesFileOption = Annotated[
    Path | None,
    typer.Option(
        "--file", help="Sources file (default: $PALIMPSEST_SOURCES_FILE, else ./sources.yaml)."
    ),
]


@app.command()
def sources(
    file: SourcesFileOption = None,
    period: Annotated[
        int,
        typer.Option(help="Minutes between scheduled runs (the hourly deployment's).", min=1),
    ] = PERIOD_MINUTES,
    store: StoreOption = None,
    json_: JsonOption = False,
) -> None:
    """List the sources with their last change, last check and next due time."""
    from palimpsest.commands.catalog import catalog_errors, open_catalog
    from palimpsest.flows.sources import load_sources, source_statuses

    with user_errors():
        listed = load_sources(file or settings().sources_file)
        for problem in listed.problems:  # one line each; the valid sources are still listed
            typer.echo(f"error: {problem}", err=True)
    catalog = open_catalog(store, missing_ok=True)
    with catalog_errors():
        now = datetime.now(UTC)
        statuses = source_statuses(listed, catalog, now, timedelta(minutes=period))
        rows = [{**s.to_dict(), "origin": "listed"} for s in statuses]
        rows += discovered_rows(catalog, now, timedelta(minutes=period), listed.retire_after)
    if json_:
        print_json(rows)
    else:
        _table(listed.path, rows)
    if listed.problems:
        raise typer.Exit(1)


def discovered_rows(
    catalog: Catalog, now: datetime, period: timedelta, retire_after: timedelta
) -> list[dict[str, object]]:
    """The sources found on feeds and sections, with where and whether they retired."""
    from palimpsest.flows.schedule import due_before

    origins = catalog.origins()
    retired = set(catalog.retired(now - retire_after))
    before = due_before(now, period)
    rows: list[dict[str, object]] = []
    for info in catalog.sources():
        if info.origin == "listed":
            continue
        due = info.url not in retired and (info.next_due is None or info.next_due <= before)
        rows.append(
            {
                **info.to_dict(),
                "cadence": "adaptive",
                "found_on": origins[info.url][1],
                "retired": info.url in retired,
                "due": due,
            }
        )
    return rows


def _table(path: str, rows: list[dict[str, object]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Sources in {path}")
    for column in ("url", "from", "versions", "last change", "last check", "next due", "due"):
        table.add_column(column, overflow="fold")
    for r in rows:
        table.add_row(
            str(r["url"]),
            str(r["origin"]) if r["origin"] == "listed" else f"{r['origin']} {r['found_on']}",
            str(r["versions"]),
            _when(r["last_change"]),  # type: ignore[arg-type]
            _when(r["last_check"]),  # type: ignore[arg-type]
            _when(r["next_due"]),  # type: ignore[arg-type]
            "yes" if r["due"] else "",
        )
    Console().print(table)
