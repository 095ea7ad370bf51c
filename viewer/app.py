"""The Starlette application: routes (GET only), error pages, security middleware.

Handlers are plain functions of (viewer, request); Starlette runs them in its thread pool,
since the store and the catalog block.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from importlib.resources import files
from typing import Any

from palimpsest.catalog.errors import CatalogError
from palimpsest.diffing import SeedCorpus
from palimpsest.storage import Store
from palimpsest.storage.errors import StorageError
from palimpsest.viewer import lists, pages
from palimpsest.viewer.context import BadRequest, NotFound, Viewer
from palimpsest.viewer.security import SecurityHeaders, TokenGate
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

Handler = Callable[[Viewer, Request], Response]


def _guarded(viewer: Viewer, handler: Handler, request: Request) -> Response:
    """Run `handler`; the archive's own errors become an error page with one clear line."""
    try:
        return handler(viewer, request)
    except NotFound as exc:
        return viewer.page(request, "error.html", 404, message=str(exc))
    except BadRequest as exc:
        return viewer.page(request, "error.html", 400, message=str(exc))
    except (StorageError, CatalogError) as exc:
        return viewer.page(request, "error.html", 503, message=str(exc))


def routes(viewer: Viewer) -> list[Route | Mount]:
    table: list[tuple[str, Handler, str]] = [
        ("/", lists.changes_page, "changes"),
        ("/feed.atom", lists.feed, "feed"),
        ("/sources", lists.sources_page, "sources"),
        ("/source", lists.source_page, "source"),
        ("/text", pages.text_page, "text"),
        ("/diff", pages.diff_page, "diff"),
        ("/seeds", pages.seeds_page, "seeds"),
        ("/capture", pages.capture_page, "capture"),
        ("/raw/{sha:str}.html", pages.raw_page, "raw"),
        ("/raw/{sha:str}.warc.gz", pages.warc_file, "warc"),
    ]
    static = StaticFiles(directory=str(files("palimpsest.viewer") / "static"))
    return [
        *(
            Route(path, partial(_guarded, viewer, handler), methods=["GET"], name=name)
            for path, handler, name in table
        ),
        Mount("/static", static, name="static"),
    ]


def create_app(
    store: Store,
    *,
    catalog: Any | None = None,
    seeds: Callable[[], SeedCorpus],
    token: str | None = None,
    allowed_hosts: list[str] | None = None,
) -> Any:
    """The viewer over `store` (and `catalog`); `seeds` loads the seed corpus on first use.

    With `token`, every request must carry it (security.TokenGate). With `allowed_hosts`,
    requests naming any other Host are refused: a page elsewhere cannot reach a viewer on
    loopback by rebinding its own name to 127.0.0.1."""
    viewer = Viewer(store, catalog, seeds)
    middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)]
    app: Any = Starlette(routes=routes(viewer), middleware=middleware if allowed_hosts else [])
    app.state.viewer = viewer
    if token:
        app = TokenGate(app, token)
    return SecurityHeaders(app)
