"""`palimpsest feed OUT.atom`: the Atom feed of the catalog's changes, for any feed reader or
web server (the viewer serves the same feed at /feed.atom)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from palimpsest.app import StoreOption, app, fail, settings
from palimpsest.commands.catalog import SinceOption, catalog_errors, open_catalog, parse_since


@app.command()
def feed(
    out: Annotated[Path, typer.Argument(help="The Atom file to write (- for stdout).")],
    tag: Annotated[
        str | None, typer.Option(help="Only the changes of sources with this tag.")
    ] = None,
    url: Annotated[str | None, typer.Option(help="Only the changes of this source.")] = None,
    since: SinceOption = "7d",
    substantive: Annotated[
        bool, typer.Option("--substantive", help="Only changes of substance.")
    ] = False,
    store: StoreOption = None,
) -> None:
    """Write the Atom feed (RFC 4287) of the changes: all, one tag's, or one source's."""
    from palimpsest.fetchers import normalize_url
    from palimpsest.notify import viewer_link
    from palimpsest.notify.feed import ChangeLike, atom_feed, items_of

    if tag and url:
        fail("--tag and --url: give one or the other")
    catalog = open_catalog(store)
    with catalog_errors():
        rows = catalog.changes(since=parse_since(since), substantive=substantive)
        if url:
            wanted = {normalize_url(url)}
        elif tag:
            wanted = {s.url for s in catalog.sources(tag=tag)}
        else:
            wanted = None
    rows = [r for r in rows if wanted is None or r.url in wanted]
    viewer = settings().viewer_url

    def link(c: ChangeLike) -> str:
        return viewer_link(viewer, c.url, c.seq) if viewer else ""

    what = f" of {url}" if url else f" tagged {tag}" if tag else ""
    body = atom_feed(
        items_of(rows, link),
        title=f"Palimpsest: {'substantive ' if substantive else ''}changes{what}",
        feed_id=f"urn:palimpsest:changes:{'url=' + url if url else 'tag=' + tag if tag else 'all'}",
        alternate=viewer or "",
    )
    if str(out) == "-":
        typer.echo(body.decode(), nl=False)
        return
    try:
        out.write_bytes(body)
    except OSError as exc:
        fail(f"{out}: cannot write: {exc.strerror or exc}")
    typer.echo(f"{out}: {len(rows)} change(s)")
