"""`palimpsest serve`: the read-only web viewer over the archive (palimpsest.viewer)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from palimpsest.app import StoreOption, app, fail, open_store, settings, store_spec

CATALOG_FILE = "catalog.sqlite"


def _catalog(spec: str) -> Any:
    """The catalog named by PALIMPSEST_CATALOG_URL, else the one in a local store's directory
    (if it has one), else None: the viewer then shows versions but no lists."""
    from palimpsest.catalog import open_catalog, sqlite_url

    url = settings().catalog_url
    if url is None and "://" not in spec and (Path(spec) / CATALOG_FILE).is_file():
        url = sqlite_url(Path(spec) / CATALOG_FILE)
    if url is None:
        return None
    from palimpsest.catalog import CatalogError

    try:
        return open_catalog(url)
    except CatalogError as exc:
        fail(str(exc))


@app.command()
def serve(
    store: StoreOption = None,
    host: Annotated[str, typer.Option(help="Address to bind (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8080,
) -> None:
    """Serve the archive's web viewer (changes, sources, timelines, diffs, seeds, captures).

    Read-only. Off loopback it needs a token: set PALIMPSEST_SERVE_TOKEN and open the viewer
    once with ?token=... (or send Authorization: Bearer ...)."""
    from palimpsest.viewer import create_app, is_loopback

    token = settings().serve_token
    if not is_loopback(host) and not token:
        fail(
            f"binding to {host} (not a loopback address) needs a token: set "
            "PALIMPSEST_SERVE_TOKEN, then open the viewer once with ?token=<it>"
        )
    import uvicorn

    from palimpsest.flows.seeds import load_seed_corpus

    seeds_dir, cache_dir = settings().seeds_dir, settings().cache_dir
    opened = open_store(store)
    viewer = create_app(
        opened,
        catalog=_catalog(store_spec(store)),
        seeds=lambda: load_seed_corpus(seeds_dir, cache_dir),
        token=token,
        allowed_hosts=None if token else sorted({host, "localhost", "127.0.0.1"}),
    )
    where = f"http://{host if ':' not in host else f'[{host}]'}:{port}/"
    typer.echo(f"Palimpsest viewer on {where}" + (" (token required)" if token else ""))
    uvicorn.run(viewer, host=host, port=port, log_level="warning")
