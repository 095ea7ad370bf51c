"""Fixity of whole records: any altered, replaced or dropped record is an error naming its key;
what is merely odd (unreferenced captures, unsealed newest records, `.tmp-*` leftovers) is a
warning. Records that do not fit the schema are one line naming the key, and verify goes on."""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from palimpsest.storage import CorruptObject, check, keys
from typer.testing import CliRunner

from palimpsest.cli import app

from .test_fixity import delete, overwrite

URL = "https://news.example/a/story"


def history(store: Any, make_capture: Any, make_draft: Any, n: int = 3) -> list[Any]:
    """`n` versions of URL, a minute apart, each with its own capture and a removal."""
    records = []
    start = datetime(2024, 5, 6, 7, 0, tzinfo=UTC)
    for i in range(n):
        raw = store.put_capture(make_capture(body=f"<p>{i}</p>".encode()))
        draft = make_draft(f"Text number {i}.", raw_key=raw)
        draft = type(draft)(
            **{**draft.__dict__, "captured_at": start + timedelta(minutes=i)},
        )
        records.append(store.add_version(draft)[0])
    return records


def flip(store: Any, key: str, old: bytes, new: bytes) -> None:
    """Change one byte of the stored object (a bit rot, or a quiet edit)."""
    data = store.backend.read(key)
    assert data.count(old) >= 1 and len(old) == len(new)
    overwrite(store, key, data.replace(old, new, 1))


def cli(*args: str) -> Any:
    return CliRunner().invoke(app, ["verify", *args])


def test_records_are_chained_and_sealed(store: Any, make_capture: Any, make_draft: Any) -> None:
    first, second, third = history(store, make_capture, make_draft)
    assert first.previous_sha256 is None
    import hashlib

    assert second.previous_sha256 == hashlib.sha256(store.backend.read(first.key)).hexdigest()
    seal = json.loads(store.backend.read(keys.seal_key(URL, 3)))
    assert seal == {
        "key": third.key,
        "sha256": hashlib.sha256(store.backend.read(third.key)).hexdigest(),
    }
    report = check(store)
    assert report.ok and report.warnings == []


@pytest.mark.parametrize("which", [0, 2])  # an old record (chained) and the newest (sealed)
def test_flipped_byte_in_removed_reason(
    store: Any, store_spec: str, make_capture: Any, make_draft: Any, which: int
) -> None:
    record = history(store, make_capture, make_draft)[which]
    flip(store, record.key, b'"text": "Sign up"', b'"text": "Sign uP"')
    assert store.read_record(record.key).removed == [{"cleaner": "promo", "text": "Sign uP"}]
    result = cli("--store", store_spec)
    assert result.exit_code == 1
    assert f"{record.key}: record bytes changed" in result.stderr


def test_flipped_byte_in_captured_at(
    store: Any, store_spec: str, make_capture: Any, make_draft: Any
) -> None:
    second = history(store, make_capture, make_draft)[1]
    flip(store, second.key, b"07:01:00", b"07:01:09")
    result = cli("--store", store_spec)
    assert result.exit_code == 1
    assert f"{second.key}: record bytes changed" in result.stderr


def test_deleted_newest_record(
    store: Any, store_spec: str, make_capture: Any, make_draft: Any
) -> None:
    third = history(store, make_capture, make_draft)[2]
    delete(store, third.key)
    result = cli("--store", store_spec)
    assert result.exit_code == 1
    assert f"{third.key}: version record is missing (sealed by" in result.stderr


def test_unsealed_newest_record_and_unreferenced_capture_are_warnings(
    store: Any, store_spec: str, make_capture: Any, make_draft: Any
) -> None:
    history(store, make_capture, make_draft, n=2)
    delete(store, keys.seal_key(URL, 2))  # as if the writer was killed before sealing
    orphan = store.put_capture(make_capture(body=b"<p>a losing writer's capture</p>"))
    result = cli("--store", store_spec)
    assert result.exit_code == 0, result.output
    assert f"warning: {keys.version_key(URL, 2)}: newest version has no seal" in result.stderr
    assert f"warning: {orphan}: raw capture is referenced by no version record" in result.stderr
    data = json.loads(cli("--store", store_spec, "--json").stdout)
    assert data["ok"] is True and len(data["warnings"]) == 2


@pytest.mark.parametrize(
    ("field", "value"),
    [("text", None), ("metadata", []), ("version", "1e400"), ("removed", "deep")],
)
def test_records_that_do_not_fit_the_schema(
    store: Any, store_spec: str, make_capture: Any, make_draft: Any, field: str, value: Any
) -> None:
    first = history(store, make_capture, make_draft, n=2)[0]
    other, _ = store.add_version(make_draft("Another source.", url="https://other.example/b"))
    data = store.backend.read(first.key).decode()
    record = json.loads(data)
    if value == "1e400":
        text = data.replace('"version": 1', '"version": 1e400')
    elif value == "deep":
        text = data.replace('"removed": [', '"removed": [' + "[" * 200_000 + "]" * 200_000 + ",")
    else:
        record[field] = value
        text = json.dumps(record)
    overwrite(store, first.key, text.encode())
    with pytest.raises(CorruptObject) as err:
        store.versions(URL)
    message = str(err.value)
    assert first.key in message and "\n" not in message
    assert field in message or "nested too deeply" in message
    result = cli("--store", store_spec)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{first.key}: corrupt: not a version record" in result.stderr
    assert other.key not in result.stderr  # verify went on: the other source was checked
    assert "3 version records" in result.stderr or "(3 records" in result.stderr


def test_leftover_temporary_files(tmp_path: Any, make_draft: Any) -> None:
    from palimpsest.storage import open_store

    store = open_store(str(tmp_path / "archive"))
    record, _ = store.add_version(make_draft("Text."))
    folder = store.backend.root / record.key.rsplit("/", 1)[0]
    old = folder / ".tmp-killed1"
    old.write_bytes(b'{"half": ')
    week_ago = time.time() - 7 * 86400
    os.utime(old, (week_ago, week_ago))
    fresh = folder / ".tmp-writing"
    fresh.write_bytes(b"{")
    result = cli("--store", str(store.location))
    assert result.exit_code == 0
    assert "verify --repair removes it" in result.stderr and ".tmp-killed1" in result.stderr
    result = cli("--store", str(store.location), "--repair")
    assert result.exit_code == 0 and "removed" in result.stdout
    assert not old.exists() and fresh.exists()  # a write that may be in progress stays
    assert store.latest(URL) == record
