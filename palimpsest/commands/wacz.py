"""`palimpsest export --wacz OUT.wacz [URL...]` (an option of catalog's export): the captures as a
WACZ for ReplayWeb.page and pywb."""

from __future__ import annotations

from pathlib import Path

import typer

from palimpsest.app import fail, open_store, user_errors


def export_wacz(out: Path, urls: list[str] | None, store: str | None) -> None:
    """Write every capture of `urls` (default: the whole archive) to `out` as a WACZ file."""
    from palimpsest.fetchers import normalize_url
    from palimpsest.storage.wacz import write_wacz

    opened = open_store(store)
    if out.exists() and out.is_dir():
        fail(f"{out}: is a directory (give the .wacz file to write)")
    partial = out.with_name(f".{out.name}.partial")
    with user_errors():
        targets = [normalize_url(u) for u in urls] if urls else None
        missing = [u for u in targets or [] if opened.latest(u) is None]
        if missing:
            fail(f"{missing[0]}: not in the archive at {opened.location}")
        try:
            with partial.open("wb") as fh:
                summary = write_wacz(opened, fh, targets)
            partial.replace(out)  # a reader never sees half a WACZ
        finally:
            partial.unlink(missing_ok=True)
    typer.echo(
        f"wrote {out}: {summary.urls} page(s), {summary.captures} capture(s), "
        f"{summary.records} indexed record(s)"
    )
