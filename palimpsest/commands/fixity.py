"""`palimpsest verify [URL...]`: fixity check of the archive (records, texts, raw captures)."""

from __future__ import annotations

from typing import Annotated

import typer

from palimpsest.app import JsonOption, StoreOption, app, open_store, print_json, user_errors


@app.command()
def verify(
    urls: Annotated[
        list[str] | None,
        typer.Argument(help="Source URLs to check (default: the whole archive)."),
    ] = None,
    store: StoreOption = None,
    json_: JsonOption = False,
    repair: Annotated[
        bool,
        typer.Option(
            "--repair", help="Remove temporary files left by killed writes (nothing else)."
        ),
    ] = False,
) -> None:
    """Check every version record (whole bytes, chain, seal), text and raw capture.

    Exits 1 and lists each damaged or missing object when anything is wrong; warnings
    (unreferenced captures, unsealed newest records, leftovers) do not fail.
    """
    from palimpsest.storage import check

    opened = open_store(store)
    with user_errors():
        report = check(opened, list(urls) if urls else None, repair=repair)

    def listed(problems: list) -> list[dict]:
        return [{"key": p.key, "url": p.url, "message": p.message} for p in problems]

    if json_:
        print_json(
            {
                "store": opened.location,
                "ok": report.ok,
                "records": report.records,
                "captures": report.captures,
                "problems": listed(report.problems),
                "warnings": listed(report.warnings),
                "repaired": report.repaired,
            }
        )
    else:
        for name in report.repaired:
            typer.echo(f"removed {name} (left by an interrupted write)")
        for warning in report.warnings:
            typer.echo(f"warning: {warning.key}: {warning.message}", err=True)
    if json_:
        pass
    elif report.ok and not report.records and not report.captures:
        typer.echo(f"ok: {opened.location} is empty (no version records or captures to check)")
    elif report.ok:
        typer.echo(
            f"ok: {report.records} version records and {report.captures} raw captures "
            f"in {opened.location} match their sha256"
        )
    else:
        for problem in report.problems:
            typer.echo(f"{problem.key}: {problem.message}", err=True)
        typer.echo(
            f"FAILED: {len(report.problems)} problem(s) in {opened.location} "
            f"({report.records} records, {report.captures} captures checked)",
            err=True,
        )
    if not report.ok:
        raise typer.Exit(1)
