"""`palimpsest archive` (one-off archive) and `palimpsest extract` (clean text of a file)."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from palimpsest.app import (
    JsonOption,
    StoreOption,
    app,
    echo,
    fail,
    open_store,
    print_json,
    refuse,
    settings,
    store_spec,
    user_errors,
)
from palimpsest.progress import BatchReport, report_outcomes

# Below this many URLs, one extraction worker (started first, it loads while this process
# imports the pipeline); from it on, one per core.
POOL_THRESHOLD = 8


@app.command()
def archive(
    urls: Annotated[list[str], typer.Argument(help="Article URLs to archive.")],
    store: StoreOption = None,
    json_: JsonOption = False,
    deployment: Annotated[
        str | None,
        typer.Option(help="Run through this Prefect deployment (flow/name) on your workers."),
    ] = None,
) -> None:
    """Archive URLs now: fetch, extract, store a version if the text changed, diff it."""
    spec = store_spec(store)
    report = BatchReport(len(urls), quiet=json_)
    with user_errors(), report:
        if deployment:
            if not settings().prefect_api_url:
                fail("--deployment needs a Prefect server: set PREFECT_API_URL")
            from palimpsest.flows.deployments import run_deployment_for

            outcomes = run_deployment_for(deployment, urls, spec)
            report_outcomes(report, outcomes)
        elif settings().prefect_api_url:
            from palimpsest.flow import archive_quietly

            outcomes = archive_quietly(urls, spec)
            report_outcomes(report, outcomes)
        else:
            from palimpsest.runtime import pipeline_config, start_extract_pool

            workers = None if len(urls) >= POOL_THRESHOLD else 1
            # first: the workers load while this process imports the pipeline
            with contextlib.closing(start_extract_pool(settings(), workers)) as pool:
                from palimpsest.flows.context import open_pipeline
                from palimpsest.flows.run import archive_in_process

                config = pipeline_config(settings(), store=spec, extract_workers=workers)
                with open_pipeline(config, pool=pool) as pipe:
                    outcomes = archive_in_process(
                        urls, pipe, on_outcome=lambda o: report_outcomes(report, [o])
                    )
    if json_:
        print_json([o.to_dict() for o in outcomes])
    report.summary()
    if any(o.status == "failed" for o in outcomes):
        raise typer.Exit(1)


def _read_input(file: str) -> bytes:
    if file == "-":
        return sys.stdin.buffer.read()
    path = Path(file)
    if not path.is_file():
        fail(f"{file}: no such file")
    return path.read_bytes()


@app.command()
def extract(
    file: Annotated[str, typer.Argument(help="HTML (or text) file, or - for stdin.")] = "-",
    url: Annotated[str | None, typer.Option(help="The page's URL (helps metadata).")] = None,
    text: Annotated[bool, typer.Option("--text", help="The input is plain text.")] = False,
    json_: JsonOption = False,
) -> None:
    """Print the clean article text of an HTML file (or of plain text with --text)."""
    from palimpsest.extractors import extract as extract_html
    from palimpsest.extractors import extract_text

    data = _read_input(file)
    source = url or ("<stdin>" if file == "-" else file)
    from palimpsest.extractors.errors import ExtractionError

    try:
        if text:
            article = extract_text(data.decode("utf-8", errors="replace"), source=source)
        else:
            article = extract_html(data, url)
    except ExtractionError as exc:
        fail(str(exc) if source in str(exc) else f"{source}: {exc}")
    if json_:
        print_json(article.to_dict())
    else:
        echo(article.text)


@app.command()
def reextract(
    urls: Annotated[list[str] | None, typer.Argument(help="Archived URLs.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every URL in the archive.")] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Re-extract even versions the current extractor made.")
    ] = False,
    store: StoreOption = None,
    json_: JsonOption = False,
) -> None:
    """Re-run the current extractor over stored captures, as a new generation of the history.

    The new generation replaces the old one in what versions/show/diff read; the old one stays
    stored (`palimpsest versions URL --generation N`). Nothing is written when the texts are
    the same.
    """
    from palimpsest.commands.catalog import open_catalog
    from palimpsest.fetchers import normalize_url
    from palimpsest.flows.catalog import CatalogReporter
    from palimpsest.flows.context import extract_bytes
    from palimpsest.flows.reextract import reextract_url
    from palimpsest.flows.seeds import seeds_for_archiving

    if bool(urls) == all_:
        refuse("give URLs or --all (not both)")
    opened = open_store(store)
    catalog = CatalogReporter(open_catalog(store), opened)  # written after the store
    results = []
    with user_errors(), contextlib.closing(catalog):
        targets = opened.urls() if all_ else [normalize_url(u) for u in urls or []]
        seeds = seeds_for_archiving(settings().seeds_dir, settings().cache_dir)
        with BatchReport(len(targets), quiet=json_) as report:
            for url in targets:
                result = reextract_url(
                    url, opened, seeds, extract_bytes, force=force, catalog=catalog
                )
                results.append(result)
                report.add(_reextract_status(result), _reextract_line(result))
    if json_:
        print_json([r.to_dict() for r in results])
    report.summary()
    if any(r.errors for r in results):
        raise typer.Exit(1)


def _reextract_status(result: Any) -> str:
    return "failed" if result.errors else "reextracted" if result.generation else "unchanged"


def _reextract_line(result: Any) -> str:
    done = (
        f"generation {result.generation} ({len(result.versions)} versions, "
        f"re-extracted from generation {result.from_generation})"
        if result.generation
        else "nothing new"
    )
    errors = "".join(f"\n  error: {e}" for e in result.errors)
    return f"{_reextract_status(result):<11} {result.url}: {done}{errors}"
