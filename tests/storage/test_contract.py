"""One contract suite for the Store, run against the local directory and the moto S3 server."""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import re
import threading
from datetime import UTC, datetime
from io import BytesIO
from typing import Any

import pytest
from palimpsest.storage import CorruptObject, ObjectNotFound, VersionNotFound
from warcio.archiveiterator import ArchiveIterator

URL = "https://news.example/a/story"


def test_empty_store(store: Any) -> None:
    assert store.urls() == []
    assert store.versions(URL) == []
    assert store.latest(URL) is None
    with pytest.raises(VersionNotFound) as err:
        store.get(URL, 3)
    assert URL in str(err.value) and "3" in str(err.value)


def test_location_has_no_secret(store: Any, store_spec: str) -> None:
    assert store.location.rstrip("/") == store_spec.rstrip("/")


def test_put_capture_is_content_addressed_warc(store: Any, make_capture: Any) -> None:
    capture = make_capture(body=b"<html><p>Body</p></html>")
    key = store.put_capture(capture)
    assert re.fullmatch(r"raw/([0-9a-f]{2})/\1[0-9a-f]{62}\.warc\.gz", key)
    data = store.get_raw(key)
    assert data[:2] == b"\x1f\x8b"
    assert hashlib.sha256(data).hexdigest() in key
    assert store.put_capture(capture) == key
    assert store.get_raw(key) == data
    assert store.read_capture(key) == capture
    other = store.put_capture(dataclasses.replace(capture, body=b"<html>changed</html>"))
    assert other != key


def test_capture_replays_with_warcio(store: Any, make_capture: Any) -> None:
    capture = make_capture(body=b"<html><p>caf\xc3\xa9</p></html>")
    data = store.get_raw(store.put_capture(capture))
    records = list(ArchiveIterator(BytesIO(data)))
    assert [r.rec_type for r in records] == ["warcinfo", "response", "request"]
    for record in ArchiveIterator(BytesIO(data)):
        assert record.rec_headers.protocol == "WARC/1.1"
        if record.rec_type == "warcinfo":
            fields = record.content_stream().read().decode()
            assert "software: palimpsest" in fields and f"isPartOf: {capture.url}" in fields
            continue
        assert record.rec_headers.get_header("WARC-Target-URI") == capture.final_url
        if record.rec_type == "response":
            assert record.http_headers.get_statuscode() == "200"
            # stored as received: still gzipped, and said so, as replay tools expect
            assert record.http_headers.get_header("Content-Encoding") == "gzip"
            assert record.content_stream().read() == gzip.decompress(capture.body)
    assert b"WARC-Concurrent-To" in gzip.decompress(data)


def test_add_version_history(store: Any, make_capture: Any, make_draft: Any) -> None:
    seen: list[Any] = []

    def summarize(previous: Any) -> dict:
        seen.append(previous)
        return {"previous": previous.version if previous else None}

    raw = store.put_capture(make_capture())
    first, new = store.add_version(make_draft("One.\n\nTwo.", raw_key=raw), summarize)
    assert new and first.version == 1 and seen == [None]
    assert first.diff == {"previous": None}
    assert first.key == store.latest(URL).key
    assert re.fullmatch(r"sources/news\.example/[0-9a-f]{16}/versions/00000001\.json", first.key)
    assert first.sha256 == hashlib.sha256(b"One.\n\nTwo.").hexdigest()
    assert first.title == "A story" and first.words == 2

    same, new = store.add_version(make_draft("One.  \r\n\r\n\r\nTwo.\n"), summarize)
    assert not new and same == first and len(seen) == 1

    second, new = store.add_version(make_draft("One.\n\nTwo, edited."), summarize)
    assert new and second.version == 2 and seen[-1] == first
    assert second.diff == {"previous": 1}

    assert [v.version for v in store.versions(URL)] == [1, 2]
    assert store.get(URL, 1) == first
    assert store.latest(URL) == second
    again, new = store.add_version(make_draft("One.\n\nTwo."), summarize)
    assert new and again.version == 3, "a reverted text is a new version"


def test_record_round_trip(store: Any, make_capture: Any, make_draft: Any) -> None:
    raw = store.put_capture(make_capture())
    draft = make_draft("Text with ünïcode — and quotes “”.", raw_key=raw)
    record, _ = store.add_version(draft)
    reread = store.get(URL, 1)
    assert reread == record
    for field in dataclasses.fields(draft):
        assert getattr(reread, field.name) == getattr(draft, field.name), field.name
    assert reread.captured_at.tzinfo is not None


def test_urls_sorted_across_hosts(store: Any, make_draft: Any) -> None:
    urls = [
        "https://b.example/x",
        "https://a.example/y?q=1",
        "https://a.example/z",
        "http://[::1]/v",
    ]
    for url in urls:
        store.add_version(make_draft(f"text of {url}", url=url))
    assert store.urls() == sorted(urls)


def test_same_text_concurrently_gives_one_version(
    store: Any, open_again: Any, make_draft: Any
) -> None:
    results: list[tuple[Any, bool]] = []
    barrier = threading.Barrier(6)

    def worker() -> None:
        own = open_again()  # separate store objects, shared backend
        barrier.wait()
        results.append(own.add_version(make_draft("The same text.")))

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(store.versions(URL)) == 1
    assert sum(new for _, new in results) == 1
    assert {r.key for r, _ in results} == {store.latest(URL).key}


def test_different_texts_concurrently_are_gap_free(store: Any, make_draft: Any) -> None:
    barrier = threading.Barrier(6)
    texts = [f"Version text number {i}." for i in range(6)]

    def worker(text: str) -> None:
        barrier.wait()
        store.add_version(make_draft(text))

    threads = [threading.Thread(target=worker, args=(t,)) for t in texts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    versions = store.versions(URL)
    assert [v.version for v in versions] == [1, 2, 3, 4, 5, 6]
    assert sorted(v.text for v in versions) == sorted(texts)


def test_summarize_is_called_again_when_a_race_moves_previous(
    store: Any, open_again: Any, make_draft: Any
) -> None:
    rival = open_again()
    store.add_version(make_draft("First."))
    calls: list[int | None] = []

    def summarize(previous: Any) -> dict:
        calls.append(previous.version if previous else None)
        if len(calls) == 1:  # another writer claims version 2 while we summarise
            rival.add_version(make_draft("Rival's text."))
        return {"against": previous.version}

    record, new = store.add_version(make_draft("Ours."), summarize)
    assert new and record.version == 3 and record.diff == {"against": 2}
    assert calls == [1, 2]
    assert [v.text for v in store.versions(URL)] == ["First.", "Rival's text.", "Ours."]


def test_race_with_same_text_adds_nothing(store: Any, open_again: Any, make_draft: Any) -> None:
    rival = open_again()
    store.add_version(make_draft("First."))

    def summarize(previous: Any) -> dict:
        rival.add_version(make_draft("Second."))
        return {}

    record, new = store.add_version(make_draft("Second."), summarize)
    assert not new and record.version == 2
    assert len(store.versions(URL)) == 2


def test_objects_are_never_overwritten(store: Any, make_draft: Any) -> None:
    record, _ = store.add_version(make_draft("Original."))
    before = store.backend.read(record.key)
    assert store.backend.create(record.key, b"{}") is False
    assert store.backend.read(record.key) == before


def test_corrupt_record_names_its_key(store: Any) -> None:
    key = "sources/news.example/" + "0" * 16 + "/versions/00000001.json"
    store.backend.create(key, b"{not json")
    with pytest.raises(CorruptObject) as err:
        store.read_record(key)
    assert key in str(err.value)


def test_corrupt_capture_names_its_key(store: Any) -> None:
    key = "raw/ab/ab" + "0" * 62 + ".warc.gz"
    store.backend.create(key, b"not a warc at all")
    with pytest.raises(CorruptObject) as err:
        store.read_capture(key)
    assert key in str(err.value)


def test_record_never_points_at_a_missing_capture(store: Any, make_draft: Any) -> None:
    missing = "raw/ab/ab" + "1" * 62 + ".warc.gz"
    with pytest.raises(ObjectNotFound) as err:
        store.add_version(make_draft("Text.", raw_key=missing))
    assert missing in str(err.value)
    with pytest.raises(ObjectNotFound):
        store.add_version(make_draft("Text.", raw_key="../../etc/passwd"))
    assert store.versions(URL) == []


def test_values_json_cannot_hold_are_stored_as_text(store: Any, make_draft: Any) -> None:
    when = datetime(2024, 2, 3, tzinfo=UTC)
    draft = dataclasses.replace(make_draft("Text."), metadata={"published": when})
    record, _ = store.add_version(draft, lambda previous: {"at": when})
    assert store.get(URL, 1).metadata == {"published": str(when)}
    assert store.get(URL, 1).diff == {"at": str(when)}
    assert record == store.get(URL, 1)


def test_urls_survive_a_damaged_first_record(store: Any, make_draft: Any) -> None:
    first, _ = store.add_version(make_draft("One."))
    store.add_version(make_draft("Two."))
    backend = store.backend
    if hasattr(backend, "root"):
        (backend.root / first.key).write_bytes(b"damaged")
    else:
        backend.client.put_object(Bucket=backend.bucket, Key=backend._full(first.key), Body=b"x")
    assert store.urls() == [URL]
