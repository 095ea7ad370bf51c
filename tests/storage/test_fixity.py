"""verify(): an intact store passes; every kind of damage is reported naming its key."""

from __future__ import annotations

import json
from typing import Any

from palimpsest.storage import check, verify

URL = "https://news.example/a/story"


def overwrite(store: Any, key: str, data: bytes) -> None:
    """Tamper with an object behind the store's back (the store itself never overwrites)."""
    backend = store.backend
    if hasattr(backend, "root"):
        (backend.root / key).write_bytes(data)
    else:
        backend.client.put_object(Bucket=backend.bucket, Key=backend._full(key), Body=data)


def delete(store: Any, key: str) -> None:
    backend = store.backend
    if hasattr(backend, "root"):
        (backend.root / key).unlink()
    else:
        backend.client.delete_object(Bucket=backend.bucket, Key=backend._full(key))


def archive_two_versions(store: Any, make_capture: Any, make_draft: Any) -> list[Any]:
    records = []
    for body, text in [(b"<p>one</p>", "First text."), (b"<p>two</p>", "Second text.")]:
        raw = store.put_capture(make_capture(body=body))
        records.append(store.add_version(make_draft(text, raw_key=raw))[0])
    store.add_version(make_draft("Other source.", url="https://other.example/b"))
    return records


def test_intact_store_passes(store: Any, make_capture: Any, make_draft: Any) -> None:
    archive_two_versions(store, make_capture, make_draft)
    report = check(store)
    assert report.ok and report.problems == []
    assert (report.records, report.captures) == (3, 2)
    assert verify(store, [URL]) == []


def test_tampered_text_is_reported(store: Any, make_capture: Any, make_draft: Any) -> None:
    first, _ = archive_two_versions(store, make_capture, make_draft)
    data = json.loads(store.backend.read(first.key))
    data["text"] = "First text, quietly rewritten."
    overwrite(store, first.key, json.dumps(data).encode())
    problems = verify(store)
    assert {(p.key, p.url) for p in problems} == {(first.key, URL)}
    assert all("sha256" in p.message for p in problems)
    assert any(p.message.startswith("text sha256 is") for p in problems)
    assert verify(store, ["https://other.example/b"]) == []


def test_tampered_capture_is_reported(store: Any, make_capture: Any, make_draft: Any) -> None:
    _, second = archive_two_versions(store, make_capture, make_draft)
    data = bytearray(store.get_raw(second.raw_key))
    data[-30] ^= 0xFF
    overwrite(store, second.raw_key, bytes(data))
    problems = verify(store, [URL])
    assert len(problems) == 1 and problems[0].key == second.raw_key
    assert second.key in problems[0].message


def test_missing_capture_and_gap_are_reported(
    store: Any, make_capture: Any, make_draft: Any
) -> None:
    first, second = archive_two_versions(store, make_capture, make_draft)
    store.add_version(make_draft("Third text."))
    delete(store, second.key)
    delete(store, first.raw_key)
    messages = {p.key: p.message for p in verify(store)}
    assert "missing" in messages[first.raw_key]
    gap_key = second.key.replace("00000002", "00000003")
    assert "gap" in messages[gap_key] and "2" in messages[gap_key]


def test_corrupt_record_and_unknown_url(store: Any, make_capture: Any, make_draft: Any) -> None:
    first, _ = archive_two_versions(store, make_capture, make_draft)
    overwrite(store, first.key, b"\x00garbage")
    problems = verify(store, [URL, "https://never.example/archived"])
    assert {p.key for p in problems} >= {first.key}
    assert any("never.example" in p.message for p in problems)
    assert any("corrupt" in p.message or "not a version record" in p.message for p in problems)


def test_orphan_capture_checked_on_full_verify(store: Any, make_capture: Any) -> None:
    key = store.put_capture(make_capture(body=b"<p>unchanged page, no new version</p>"))
    assert verify(store) == []
    overwrite(store, key, b"tampered")
    assert [p.key for p in verify(store)] == [key]


def test_capture_of_another_url_is_reported(store: Any, make_capture: Any, make_draft: Any) -> None:
    other = store.put_capture(make_capture(url="https://elsewhere.example/page"))
    record, _ = store.add_version(make_draft("Text.", raw_key=other))
    problems = verify(store, [URL])
    assert [p.key for p in problems] == [other]
    assert "elsewhere.example" in problems[0].message and record.key in problems[0].message
