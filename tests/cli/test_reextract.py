"""`palimpsest reextract`: the current extractor over stored captures, adding what differs."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from palimpsest.extractors import EXTRACTOR_VERSION
from palimpsest.storage import Capture, VersionDraft, open_store, verify

REPO = Path(__file__).parents[2]
URL = "https://news.example/minerals"


def capture(body: bytes, hour: int = 9, content_type: str = "text/html; charset=utf-8") -> Capture:
    """A 200 response of URL with `body`, captured at `hour` on one day."""
    return Capture(
        url=URL,
        final_url=URL,
        status=200,
        reason="OK",
        http_version="HTTP/1.1",
        request_headers=[("User-Agent", "test")],
        response_headers=[("Content-Type", content_type)],
        body=body,
        captured_at=datetime(2025, 2, 17, hour, tzinfo=UTC),
    )


def archive_as_an_old_extractor_would(store_path: Path) -> str:
    """A version whose text still has junk a better extractor drops, with its real capture."""
    store = open_store(str(store_path))
    html = (REPO / "palimpsest" / "demo_pages" / "minerals-wire.html").read_bytes()
    capture_ = capture(html)
    key = store.put_capture(capture_)
    old_text = "Get the World Briefing newsletter\nMUNICH (AP) — Ukrainian President spoke."
    draft = VersionDraft(
        url=URL,
        final_url=URL,
        captured_at=capture_.captured_at,
        etag=None,
        last_modified=None,
        raw_key=key,
        text=old_text,
        extractor="palimpsest",
        extractor_version="0",
    )
    store.add_version(draft)
    return key


def test_reextract_adds_a_generation_once(cli) -> None:  # type: ignore[no-untyped-def]
    key = archive_as_an_old_extractor_would(Path(cli.store))

    (result,) = cli.json("reextract", URL)
    assert result == {
        "url": URL,
        "generation": 2,
        "from_generation": 1,
        "versions": [1],
        "errors": [],
    }
    store = open_store(cli.store)
    (new,) = store.versions(URL)
    assert new.extractor_version == EXTRACTOR_VERSION and new.raw_key == key
    assert new.metadata["reextracted_from"] == 1
    assert "newsletter" not in new.text and "Scott Bassent on a visit to Kyiv" in new.text
    (old,) = store.versions(URL, generation=1)  # nothing stored is changed
    assert old.text.startswith("Get the World Briefing")

    assert cli.json("reextract", "--all") == [
        {"url": URL, "generation": None, "from_generation": None, "versions": [], "errors": []}
    ]
    (forced,) = cli.json("reextract", "--all", "--force")
    assert forced["generation"] is None  # the same extractor reads the same texts
    assert verify(store) == []


def test_needs_urls_or_all(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("reextract")
    assert result.exit_code == 2 and "give URLs or --all" in result.stderr
    both = cli("reextract", "http://127.0.0.1:9/a", "--all")  # cannot be honoured together
    assert both.exit_code == 2 and "give URLs or --all" in both.stderr


def test_reextract_decodes_a_capture_as_the_fetcher_did(cli) -> None:  # type: ignore[no-untyped-def]
    """iso-8859-1 pages use cp1252's curly quotes; reextract must not turn them into C1
    controls (the fetcher and the extractor share palimpsest.text.decode)."""
    paragraph = (
        "<p>\u201cWe will reopen the line,\u201d the mayor said on Thursday, after a vote.</p>"
    )
    html = f"<html><body><article>{paragraph * 3}</article></body></html>".encode("cp1252")
    store = open_store(cli.store)
    latin = capture(html, content_type="text/html; charset=ISO-8859-1")
    key = store.put_capture(latin)
    store.add_version(
        VersionDraft(
            url=URL,
            final_url=URL,
            captured_at=latin.captured_at,
            etag=None,
            last_modified=None,
            raw_key=key,
            text="old",
            extractor="palimpsest",
            extractor_version="0",
        )
    )
    (result,) = cli.json("reextract", URL)
    assert result["generation"] == 2
    text = open_store(cli.store).versions(URL)[-1].text
    assert "\u201cWe will reopen the line,\u201d" in text and "\x93" not in text
