"""`palimpsest reextract`: the current extractor over stored captures, adding what differs."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from palimpsest.extractors import EXTRACTOR_VERSION
from palimpsest.storage import Capture, VersionDraft, open_store, verify

REPO = Path(__file__).parents[2]
URL = "https://news.example/minerals"


def archive_as_an_old_extractor_would(store_path: Path) -> str:
    """A version whose text still has junk a better extractor drops, with its real capture."""
    store = open_store(str(store_path))
    html = (REPO / "palimpsest" / "demo_pages" / "minerals-wire.html").read_bytes()
    capture = Capture(
        url=URL,
        final_url=URL,
        status=200,
        reason="OK",
        http_version="HTTP/1.1",
        request_headers=[("User-Agent", "test")],
        response_headers=[("Content-Type", "text/html; charset=utf-8")],
        body=html,
        captured_at=datetime(2025, 2, 17, 9, tzinfo=UTC),
    )
    key = store.put_capture(capture)
    old_text = "Get the World Briefing newsletter\nMUNICH (AP) — Ukrainian President spoke."
    draft = VersionDraft(
        url=URL,
        final_url=URL,
        captured_at=capture.captured_at,
        etag=None,
        last_modified=None,
        raw_key=key,
        text=old_text,
        extractor="palimpsest",
        extractor_version="0",
    )
    store.add_version(draft)
    return key


def test_reextract_adds_a_version_once(cli) -> None:  # type: ignore[no-untyped-def]
    key = archive_as_an_old_extractor_would(Path(cli.store))

    (result,) = cli.json("reextract", URL)
    assert result == {"url": URL, "added": [2], "errors": []}
    store = open_store(cli.store)
    old, new = store.versions(URL)
    assert new.extractor_version == EXTRACTOR_VERSION and new.raw_key == key
    assert new.metadata["reextracted_from"] == 1
    assert "newsletter" not in new.text and "Scott Bassent on a visit to Kyiv" in new.text
    assert old.text.startswith("Get the World Briefing")  # nothing stored is changed

    assert cli.json("reextract", "--all") == [{"url": URL, "added": [], "errors": []}]
    assert verify(store) == []


def test_needs_urls_or_all(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("reextract")
    assert result.exit_code == 1 and "give URLs or --all" in result.stderr
