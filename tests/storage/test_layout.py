"""The key layout is identical under a local directory and an S3 prefix, and moto honours the
conditional put the S3 backend relies on."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from palimpsest.storage import open_store


def fill(store: Any, make_capture: Any, make_draft: Any) -> None:
    for i, url in enumerate(["https://a.example/one", "https://b.example/two?x=1"]):
        raw = store.put_capture(make_capture(url=url, body=f"<p>{i}</p>".encode()))
        store.add_version(make_draft(f"Text {i}.", url=url, raw_key=raw))
        store.add_version(make_draft(f"Text {i}, edited.", url=url))


def local_keys(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def s3_keys(client: Any, bucket: str) -> set[str]:
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
    return {o["Key"] for page in pages for o in page.get("Contents", [])}


@pytest.mark.parametrize("prefix", ["deep/er/prefix", ""])
def test_same_keys_locally_and_in_s3(
    tmp_path: Path, s3_client: Any, bucket: str, prefix: str, make_capture: Any, make_draft: Any
) -> None:
    local = open_store(str(tmp_path / "archive"))
    spec = f"s3://{bucket}/{prefix}" if prefix else f"s3://{bucket}"
    remote = open_store(spec, s3_client=s3_client)
    fill(local, make_capture, make_draft)
    fill(remote, make_capture, make_draft)
    keys = local_keys(tmp_path / "archive")
    assert len(keys) == 10 and sum(k.startswith("raw/") for k in keys) == 2
    assert sum("/seals/" in k for k in keys) == 4  # one per version record
    assert s3_keys(s3_client, bucket) == {f"{prefix}/{k}" if prefix else k for k in keys}
    for key in keys:
        assert local.backend.read(key) == remote.backend.read(key), key
    assert remote.urls() == local.urls() == ["https://a.example/one", "https://b.example/two?x=1"]


def test_moto_honours_if_none_match(s3_client: Any, bucket: str) -> None:
    s3_client.put_object(Bucket=bucket, Key="k", Body=b"first", IfNoneMatch="*")
    with pytest.raises(ClientError) as err:
        s3_client.put_object(Bucket=bucket, Key="k", Body=b"second", IfNoneMatch="*")
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 412
    assert s3_client.get_object(Bucket=bucket, Key="k")["Body"].read() == b"first"


def test_no_temporary_files_left_behind(tmp_path: Path, make_capture: Any, make_draft: Any) -> None:
    store = open_store(str(tmp_path / "archive"))
    fill(store, make_capture, make_draft)
    assert not [k for k in local_keys(tmp_path / "archive") if ".tmp-" in k]
    assert store.backend.create("sources/x/" + "0" * 16 + "/versions/00000001.json", b"{}")
    assert not store.backend.create("sources/x/" + "0" * 16 + "/versions/00000001.json", b"[]")
    assert not [k for k in local_keys(tmp_path / "archive") if ".tmp-" in k]


def test_exclusive_create_without_hard_links(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_draft: Any
) -> None:
    """On file systems that refuse hard links, creation is still first-writer-wins."""

    def refuse(*args: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", refuse)
    store = open_store(str(tmp_path / "archive"))
    record, created = store.add_version(make_draft("Text."))
    assert created and store.get(record.url, 1) == record
    assert store.backend.create(record.key, b"{}") is False
    assert store.get(record.url, 1) == record
    assert not [k for k in local_keys(tmp_path / "archive") if ".tmp-" in k]
