"""`reextract` after an extractor change: the history a user reads stays in capture order, with
one extractor's text at a time; the older extraction stays stored and readable; a second run
adds nothing."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from palimpsest.extractors import EXTRACTOR_VERSION, extract
from palimpsest.storage import VersionDraft, check, open_store

from .test_reextract import REPO, URL, capture

EDIT = ("too focused on U.S. interests", "too focused on American interests")


def old_history(store_path: Path) -> tuple[list[bytes], list[str]]:
    """Three captures as an older extractor stored them: its texts kept a promo line that
    changed between the first two captures (a version the reader sees as an edit), and the
    third capture has a real edit."""
    store = open_store(str(store_path))
    page = (REPO / "palimpsest" / "demo_pages" / "minerals-wire.html").read_bytes()
    bodies = [
        page,
        page.replace(b"</body>", b"<!-- served by another cache node --></body>"),
        page.replace(EDIT[0].encode(), EDIT[1].encode()),
    ]
    assert len(set(bodies)) == 3
    promos = ["Get the World Briefing newsletter", "Sign up for Morning Wire", "Sign up now"]
    raw_keys = []
    for i, (body, promo) in enumerate(zip(bodies, promos, strict=True)):
        key = store.put_capture(capture(body, 9 + i))
        raw_keys.append(key)
        text = promo + "\\n" + extract(body, URL).text
        draft = VersionDraft(
            url=URL,
            final_url=URL,
            captured_at=datetime(2025, 2, 17, 9 + i, tzinfo=UTC),
            etag=None,
            last_modified=None,
            raw_key=key,
            text=text,
            extractor="palimpsest",
            extractor_version="an-older-extractor",
        )
        assert store.add_version(draft)[1]
    return bodies, raw_keys


def stored_bytes(store_path: Path) -> dict[str, bytes]:
    return {
        p.relative_to(store_path).as_posix(): p.read_bytes()
        for p in store_path.rglob("*")
        if p.is_file()
    }


def test_reextract_keeps_capture_order_and_the_old_extraction(cli) -> None:  # type: ignore[no-untyped-def]
    store_path = Path(cli.store)
    bodies, raw_keys = old_history(store_path)
    before = stored_bytes(store_path)

    (result,) = cli.json("reextract", URL)
    assert result["generation"] == 2 and result["versions"] == [1, 2]

    store = open_store(cli.store)
    first, second = store.versions(URL)
    # one extractor's text at a time, in capture order: the promo-only change is gone
    assert [r.extractor_version for r in (first, second)] == [EXTRACTOR_VERSION] * 2
    assert [r.raw_key for r in (first, second)] == [raw_keys[0], raw_keys[2]]
    assert first.captured_at < second.captured_at
    assert [first.text, second.text] == [extract(bodies[0], URL).text, extract(bodies[2], URL).text]
    assert second.metadata["reextracted_from"] == 3 and second.diff["previous"] == 1

    # the diff a reader sees is the real edit, not a revert to an older text
    diff = cli.json("diff", URL)
    assert (diff["from"], diff["to"]) == (1, 2)
    changed = json.dumps(diff)
    assert "American" in changed and "Sign up" not in changed and "newsletter" not in changed

    # nothing overwritten or deleted; the older extraction stays readable
    after = stored_bytes(store_path)
    assert all(after[name] == data for name, data in before.items())
    old = cli.json("versions", URL, "--generation", "1")
    assert [row["version"] for row in old] == [1, 2, 3]
    assert open_store(cli.store).get(URL, 3, generation=1).text.startswith("Sign up now")

    # a second run adds nothing
    (again,) = cli.json("reextract", "--all")
    assert again["generation"] is None and stored_bytes(store_path) == after
    report = check(store)
    assert report.ok, report.problems
    assert report.warnings == []


def test_archiving_after_a_reextract_extends_the_new_generation(cli) -> None:  # type: ignore[no-untyped-def]
    bodies, _ = old_history(Path(cli.store))
    cli.json("reextract", URL)
    store = open_store(cli.store)
    later = capture(bodies[2].replace(b"Munich", b"Berlin"), 15)
    key = store.put_capture(later)
    draft = VersionDraft(
        url=URL,
        final_url=URL,
        captured_at=later.captured_at + timedelta(seconds=1),
        etag=None,
        last_modified=None,
        raw_key=key,
        text=extract(later.body, URL).text,
        extractor_version=EXTRACTOR_VERSION,
    )
    record, created = store.add_version(draft)
    assert created and record.version == 3 and "extractions/0002/" in record.key
    assert len(store.versions(URL, generation=1)) == 3  # the old extraction is not extended
    assert check(store).ok


def test_a_version_archived_while_a_generation_is_built_is_not_lost(tmp_path: Path) -> None:
    """An archive run writes to generation 1 while reextract is building generation 2 (here:
    while it extracts the last capture); after publishing, generation 2 has that version too."""
    from palimpsest.diffing import SeedCorpus
    from palimpsest.flows.context import extract_bytes
    from palimpsest.flows.reextract import reextract_url

    bodies, _ = old_history(tmp_path)
    store = open_store(str(tmp_path))
    later = capture(bodies[2].replace(b"Zelenskyy", b"President Zelenskyy"), 15)
    late_text = extract(later.body, URL).text
    archived: list[int] = []

    def extract_while_archiving(body: bytes, url: str, encoding: str | None) -> object:
        if body == bodies[2] and not archived:  # the archive run lands mid-build
            draft = VersionDraft(
                url=URL,
                final_url=URL,
                captured_at=later.captured_at,
                etag=None,
                last_modified=None,
                raw_key=store.put_capture(later),
                text=late_text,
                extractor_version=EXTRACTOR_VERSION,
            )
            record, created = store.add_version(draft)
            assert created and "extractions" not in record.key  # generation 2 is unpublished
            archived.append(record.version)
        return extract_bytes(body, url, encoding)

    result = reextract_url(URL, store, SeedCorpus({}), extract_while_archiving)
    assert archived == [4] and result.generation == 2
    newest = store.versions(URL)
    assert [r.text for r in newest][-1] == late_text
    times = [r.captured_at for r in newest]
    assert times == sorted(times)
    assert check(store).ok
