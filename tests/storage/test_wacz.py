"""`palimpsest export --wacz`: captures of a redirected and of a gzip-encoded page, archived
from a live server, replay byte-identically in pywb (`id_` mode) for the URL the user archived;
every capture passes `warcio check`; the WACZ's files match its datapackage."""

from __future__ import annotations

import gzip
import hashlib
import json
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urljoin

import httpx
import pytest
from warcio.archiveiterator import ArchiveIterator

from .pywb import start_pywb

PARAGRAPH = "<p>The council voted on Thursday to reopen the line, after a year of repairs.</p>"
STORY = f"<html><head><title>Story</title></head><body><article>{PARAGRAPH * 6}</article>"
STORY = (STORY + "</body></html>").encode()
GZIPPED = STORY.replace(b"Story", b"Gzipped story")


class Origin(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/r/story":
            self._send(301, b"", [("Location", "/news/story")])
        elif self.path == "/news/story":
            self._send(200, STORY, [("Content-Type", "text/html; charset=utf-8")])
        elif self.path == "/gz/story":
            body = gzip.compress(GZIPPED, mtime=0)
            headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip")]
            self._send(200, body, headers)
        else:
            self._send(404, b"not here", [("Content-Type", "text/plain")])

    def _send(self, status: int, body: bytes, headers: list[tuple[str, str]]) -> None:
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def origin() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Origin)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def exported(origin: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Both pages archived by the CLI into a fresh store, exported as a WACZ by the CLI."""
    from typer.testing import CliRunner

    from palimpsest.app import settings
    from palimpsest.cli import app

    root = tmp_path_factory.mktemp("wacz")
    store = root / "archive"
    urls = [f"{origin}/r/story", f"{origin}/gz/story"]
    patch = pytest.MonkeyPatch()
    patch.setenv("PALIMPSEST_HOST_DELAY", "0")
    patch.setenv("PALIMPSEST_RETRIES", "0")
    settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["archive", *urls, "--store", str(store), "--json"])
        assert result.exit_code == 0, result.output
        wacz = root / "out.wacz"
        result = CliRunner().invoke(
            app, ["export", "--wacz", str(wacz), *urls, "--store", str(store)]
        )
        assert result.exit_code == 0, result.output
        assert f"wrote {wacz}: 2 page(s), 2 capture(s), 3 indexed record(s)" in result.stdout
    finally:
        patch.undo()
        settings.cache_clear()
    return {"root": root, "store": store, "urls": urls, "wacz": wacz}


def test_every_capture_passes_warcio_check(exported: dict[str, Any]) -> None:
    captures = sorted((exported["store"] / "raw").rglob("*.warc.gz"))
    assert len(captures) == 2
    check = subprocess.run(
        [sys.executable, "-m", "warcio.cli", "check", "-v", *map(str, captures)],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    kinds = []
    for path in captures:
        with path.open("rb") as fh:
            kinds.append([r.rec_type for r in ArchiveIterator(fh)])
    assert sorted(kinds) == sorted(
        [
            ["warcinfo", "response", "request", "response", "request"],  # the 301, then the 200
            ["warcinfo", "response", "request"],
        ]
    )


def test_wacz_files_match_the_datapackage(exported: dict[str, Any]) -> None:
    with zipfile.ZipFile(exported["wacz"]) as wacz:
        package = json.loads(wacz.read("datapackage.json"))
        digest = json.loads(wacz.read("datapackage-digest.json"))
        assert (
            digest["hash"] == "sha256:" + hashlib.sha256(wacz.read("datapackage.json")).hexdigest()
        )
        for resource in package["resources"]:
            data = wacz.read(resource["path"])
            assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
            assert resource["bytes"] == len(data)
        pages = [json.loads(line) for line in wacz.read("pages/pages.jsonl").splitlines()]
        assert [p["url"] for p in pages[1:]] == sorted(exported["urls"])
        for info in wacz.infolist():
            if info.filename.startswith("archive/"):
                assert info.compress_type == zipfile.ZIP_STORED
                name = info.filename.removeprefix("archive/").removesuffix(".warc.gz")
                assert hashlib.sha256(wacz.read(info)).hexdigest() == name


@pytest.fixture(scope="module")
def pywb(exported: dict[str, Any]) -> Iterator[str]:
    """pywb serving the WACZ's own index and WARC files (unpacked), not an index of its own."""
    unpacked = exported["root"] / "unpacked"
    with zipfile.ZipFile(exported["wacz"]) as wacz:
        wacz.extractall(unpacked)
    collection = {
        "index": str(unpacked / "indexes" / "index.cdx"),
        "archive_paths": str(unpacked / "archive") + "/",
    }
    proc, endpoint = start_pywb(exported["root"], {"wacz": collection})
    try:
        yield endpoint
    finally:
        proc.kill()
        proc.wait()


def test_redirected_page_replays_byte_identically(pywb: str, exported: dict[str, Any]) -> None:
    archived = exported["urls"][0]  # /r/story, 301 to /news/story
    with httpx.Client(timeout=30) as client:
        hop = client.get(f"{pywb}/wacz/2id_/{archived}")
        # id_ mode replays the response as received: the Location is the origin's own
        assert (hop.status_code, hop.headers["location"]) == (301, "/news/story")
        target = urljoin(archived, hop.headers["location"])
        reply = client.get(f"{pywb}/wacz/2id_/{target}")
    assert reply.status_code == 200
    assert reply.content == STORY


def test_gzip_encoded_page_replays_byte_identically(pywb: str, exported: dict[str, Any]) -> None:
    archived = exported["urls"][1]
    with (
        httpx.Client(timeout=30) as client,
        client.stream("GET", f"{pywb}/wacz/2id_/{archived}") as reply,
    ):
        raw = b"".join(reply.iter_raw())
        encoding = reply.headers.get("content-encoding")
    assert reply.status_code == 200
    assert (gzip.decompress(raw) if encoding == "gzip" else raw) == GZIPPED
    if encoding == "gzip":
        assert raw == gzip.compress(GZIPPED, mtime=0)  # the bytes the server sent
