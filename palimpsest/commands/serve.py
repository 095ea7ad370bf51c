"""`palimpsest serve`: the read-only web viewer over the archive (palimpsest.viewer)."""

from __future__ import annotations

from typing import Annotated

import typer

from palimpsest.app import StoreOption, app, fail, open_store, settings
from palimpsest.commands.catalog import existing_catalog


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
        catalog=existing_catalog(store),  # None: versions but no lists
        seeds=lambda: load_seed_corpus(seeds_dir, cache_dir),
        token=token,
        allowed_hosts=None if token else sorted({host, "localhost", "127.0.0.1"}),
    )
    where = f"http://{host if ':' not in host else f'[{host}]'}:{port}/"
    typer.echo(f"Palimpsest viewer on {where}" + (" (token required)" if token else ""))
    uvicorn.run(viewer, host=host, port=port, log_level="warning")
