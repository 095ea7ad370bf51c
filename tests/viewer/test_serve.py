"""`palimpsest serve` as a user starts it, and the Atom feed of the changes."""

from __future__ import annotations

import gzip
import os
import socket
import subprocess
import sys
import time
from urllib.parse import urlencode
from xml.etree import ElementTree

import httpx

from tests.viewer.conftest import Served, make_app, serving

ATOM = "{http://www.w3.org/2005/Atom}"


def test_serve_finds_the_catalog_beside_a_local_store(served: Served) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PALIMPSEST_STORE": served.archive.store}
    env.pop("PALIMPSEST_CATALOG_URL", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "palimpsest.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline, "serve did not start"
                time.sleep(0.1)
        assert response.status_code == 200
        assert "Harbour council" in response.text and "1 failing source" in response.text
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=20)
    assert f"Palimpsest viewer on http://127.0.0.1:{port}/" in out


def test_atom_feed_lists_the_changes_with_links_to_their_diffs(served: Served) -> None:
    response = httpx.get(f"{served.base_url}/feed.atom?substantive=1")
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)  # well-formed despite the payloads
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 2
    titles = [e.findtext(f"{ATOM}title") or "" for e in entries]
    assert any(t.startswith("<script>document.title='PWNED'</script>") for t in titles)
    for entry in entries:
        href = entry.find(f"{ATOM}link").get("href")  # type: ignore[union-attr]
        assert href.startswith(served.base_url + "/diff?")
        assert httpx.get(href).status_code == 200
    import feedparser  # the one Atom writer (notify.feed, as `palimpsest feed`): valid Atom
    from palimpsest.notify.feed import version_urn

    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert all(e.id.startswith("urn:palimpsest:") for e in parsed.entries)
    assert {e.id for e in parsed.entries} == {
        version_urn(c.url, c.seq) for c in served.archive.catalog.changes(substantive=True)
    }


def test_a_capture_stored_content_coded_is_shown_decoded(served: Served) -> None:
    from datetime import UTC, datetime

    from palimpsest.storage import Capture, open_store
    from palimpsest.storage.keys import raw_sha

    page = b"<html><head><title>Gzipped</title></head><body><p>As sent, gzipped.</p></body></html>"
    key = open_store(served.archive.store).put_capture(
        Capture(
            url="http://127.0.0.1:9/gz",
            final_url="http://127.0.0.1:9/gz",
            status=200,
            reason="OK",
            http_version="HTTP/1.1",
            request_headers=[("Accept-Encoding", "gzip")],
            response_headers=[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Encoding", "gzip"),
            ],
            body=gzip.compress(page),
            captured_at=datetime(2026, 1, 2, tzinfo=UTC),
        )
    )
    response = httpx.get(f"{served.base_url}/raw/{raw_sha(key)}.html")
    assert response.status_code == 200 and response.content == page
    assert "content-encoding" not in response.headers
    assert response.headers["content-security-policy"].startswith("sandbox;")


def test_without_a_catalog_the_lists_say_how_to_build_one(served: Served) -> None:
    from dataclasses import replace

    with serving(make_app(replace(served.archive, catalog=None))) as base:
        response = httpx.get(base + "/")
        assert response.status_code == 404 and "palimpsest catalog rebuild" in response.text
        text = httpx.get(f"{base}/text?{urlencode({'url': served.archive.wire})}")
        assert text.status_code == 200 and "Bessent" in text.text
