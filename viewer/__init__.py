"""viewer: `palimpsest serve`, a read-only web app over the catalog and the store.

app = create_app(store, catalog=catalog, seeds=load_corpus)   # a Starlette app
uvicorn.run(app, host="127.0.0.1", port=8080)

Server-rendered pages (Jinja2, autoescaped), one stylesheet and one small script, all served
by the app: Changes (with an Atom feed), Sources, a Source's timeline, a Diff of any two
versions, the Seed comparison of a version, a version's Text and its raw Capture. Archived
pages are hostile input: every page carries a strict Content-Security-Policy, and captures
are served from their own path under `Content-Security-Policy: sandbox` (viewer.security).
Every route is GET: the viewer writes nothing.
"""

from __future__ import annotations

from palimpsest.viewer.app import create_app
from palimpsest.viewer.security import is_loopback

__all__ = ["create_app", "is_loopback"]
