"""`palimpsest run`: the scheduled job without Prefect (cron-friendly).

The same pipeline and the same plan as the `archive-sources` flow: read sources.yaml, follow
its feeds and sections (new articles are added and archived at once), then archive what is
due (or, with --all, everything that has not retired). Exit 1 when any URL failed.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer

from palimpsest.app import (
    JsonOption,
    StoreOption,
    app,
    print_json,
    settings,
    store_spec,
    user_errors,
)
from palimpsest.commands.sources import PERIOD_MINUTES, SourcesFileOption
from palimpsest.progress import BatchReport, report_outcomes


@app.command()
def run(
    all_: Annotated[
        bool, typer.Option("--all", help="Every source, due or not (a full sweep).")
    ] = False,
    file: SourcesFileOption = None,
    period: Annotated[
        int, typer.Option(help="Minutes between runs (from cron, say): what is due.", min=1)
    ] = PERIOD_MINUTES,
    store: StoreOption = None,
    json_: JsonOption = False,
) -> None:
    """Follow the feeds and sections, then archive what is due (cron-friendly; exit 1 on
    any failed URL)."""
    from palimpsest.flows.context import open_pipeline
    from palimpsest.flows.discover import plan
    from palimpsest.flows.run import archive_in_process
    from palimpsest.flows.sources import load_sources
    from palimpsest.runtime import pipeline_config

    spec = store_spec(store)
    outcomes = []
    with user_errors():
        listed = load_sources(file or settings().sources_file)
        for problem in listed.problems:  # one line each; the other sources still run
            typer.echo(f"error: {problem}", err=True)
        with open_pipeline(pipeline_config(settings(), store=spec)) as pipe:
            if pipe.catalog is None:  # pragma: no cover (open_pipeline always opens one)
                raise typer.Exit(2)
            todo, found = plan(
                pipe.fetcher,
                pipe.catalog.catalog,
                pipe.store,
                listed,
                due_only=not all_,
                now=datetime.now(UTC),
                period=timedelta(minutes=period),
            )
            for trouble in found.problems:
                typer.echo(f"error: {trouble}", err=True)
            if found.pages and not json_:
                typer.echo(
                    f"discovery: {len(found.new)} new article(s) on {found.pages} followed "
                    f"page(s) ({found.unchanged} unchanged)"
                )
            with BatchReport(len(todo), quiet=json_) as report:
                outcomes = archive_in_process(
                    todo, pipe, on_outcome=lambda o: report_outcomes(report, [o])
                )
            report.summary()
    if json_:
        print_json(
            {
                "discovered": found.new,
                "problems": found.problems,
                "outcomes": [o.to_dict() for o in outcomes],
            }
        )
    if any(o.status == "failed" for o in outcomes) or found.problems:
        raise typer.Exit(1)
