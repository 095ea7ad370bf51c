"""One archive for the viewer's tests, built by the real pipeline from pages served on
127.0.0.1, and one viewer serving it on 127.0.0.1 (both once per session)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from palimpsest.catalog import Catalog, open_catalog, sqlite_url
from palimpsest.fetchers import FetchSettings
from palimpsest.flows.context import PipelineConfig, open_pipeline
from palimpsest.flows.run import archive_in_process
from palimpsest.flows.seeds import load_seed_corpus
from palimpsest.storage import open_store

from palimpsest.demo import edit
from palimpsest.localserver import PageServer
from tests.viewer.browser import browser  # noqa: F401  (a fixture)
from tests.viewer.pages import UNRELATED, hostile_page

REPO = Path(__file__).parents[2]
DEMO_PAGES = REPO / "palimpsest" / "demo_pages"


@dataclass
class Archive:
    store: str
    catalog: Catalog
    site: PageServer
    wire: str  # edited between the two runs: Bassent -> Bessent, a paragraph added
    hostile: str  # payloads in title, text and markup; edited between the runs
    unrelated: str  # matches no seed
    missing: str  # a 404: a failed check
    urls: list[str]


@pytest.fixture(scope="session")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Archive]:
    root = tmp_path_factory.mktemp("viewer-archive")
    site = PageServer()
    wire_html = (DEMO_PAGES / "minerals-wire.html").read_text(encoding="utf-8")
    for page in sorted(DEMO_PAGES.glob("*.html")):
        site.set(f"/news/{page.stem}", page.read_text(encoding="utf-8"))
    site.set("/news/harbour", hostile_page(1))
    site.set("/news/bakery", UNRELATED)
    config = PipelineConfig(
        store=str(root / "archive"),
        seeds_dir=str(REPO / "seeds"),
        fetch=FetchSettings(host_delay=0.0, retries=0),
        extract_workers=1,
        cache_dir=str(root / "cache"),
    )
    with site.running(), open_pipeline(config) as pipe:
        urls = [site.url(p) for p in sorted(site.pages)] + [site.url("/news/gone")]
        archive_in_process(urls, pipe)
        site.set("/news/minerals-wire", edit(wire_html))
        site.set("/news/harbour", hostile_page(2))
        archive_in_process(urls, pipe)
        # the pipeline wrote the catalog beside the store (flows/catalog.py)
        catalog = open_catalog(sqlite_url(Path(config.store) / "catalog.sqlite"))
        yield Archive(
            store=config.store,
            catalog=catalog,
            site=site,
            wire=site.url("/news/minerals-wire"),
            hostile=site.url("/news/harbour"),
            unrelated=site.url("/news/bakery"),
            missing=site.url("/news/gone"),
            urls=urls,
        )


def make_app(archive: Archive, **options: Any) -> Any:
    from palimpsest.viewer import create_app

    return create_app(
        open_store(archive.store),
        catalog=archive.catalog,
        seeds=lambda: load_seed_corpus(REPO / "seeds", None),
        **options,
    )


@dataclass
class Served:
    base_url: str
    archive: Archive


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """`app` served by uvicorn on 127.0.0.1 (a free port) in a thread; its base URL."""
    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the viewer did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture(scope="session")
def served(archive: Archive) -> Iterator[Served]:
    """The viewer over the test archive, as `palimpsest serve` runs it on loopback."""
    app = make_app(archive, allowed_hosts=["127.0.0.1", "localhost"])
    with serving(app) as base_url:
        yield Served(base_url, archive)
