"""Version store: local-directory and S3 backends sharing one key layout, WARC captures.

store = open_store("./archive")            # or "s3://bucket/prefix"
key = store.put_capture(capture)           # raw HTTP exchange, WARC 1.1, content-addressed
record, new = store.add_version(draft)     # new version only if the text changed
problems = verify(store)                   # fixity check
"""

from __future__ import annotations

from typing import Any

from palimpsest.storage.backend import Backend, LocalBackend
from palimpsest.storage.errors import (
    AccessDenied,
    BucketNotFound,
    CorruptObject,
    EndpointUnreachable,
    InvalidStoreSpec,
    ObjectNotFound,
    StorageError,
    StoreUnavailable,
    VersionNotFound,
    WriteConflict,
)
from palimpsest.storage.fixity import FixityReport, Problem, check, verify
from palimpsest.storage.model import (
    Capture,
    CaptureHop,
    VersionDraft,
    VersionRecord,
    normalise_text,
    text_sha256,
)
from palimpsest.storage.s3 import S3Backend, make_s3_client, parse_s3_spec
from palimpsest.storage.store import Generation, ObjectStore, Store


def open_store(spec: str, *, s3_client: Any | None = None) -> Store:
    """The store at `spec`: a local directory (created on first write) or s3://bucket/prefix.

    For S3 without `s3_client`, one is made by `make_s3_client()` from boto3's standard
    configuration (env vars, ~/.aws, AWS_ENDPOINT_URL).
    """
    if not spec or not spec.strip():
        raise InvalidStoreSpec("store location is empty")
    if spec.startswith("s3://"):
        bucket, prefix = parse_s3_spec(spec)
        client = s3_client if s3_client is not None else make_s3_client()
        return ObjectStore(S3Backend(client, bucket, prefix))
    if "://" in spec:
        raise InvalidStoreSpec(
            f"store {spec!r}: only directories and s3://bucket/prefix work", subject=spec
        )
    return ObjectStore(LocalBackend(spec))


__all__ = [
    "AccessDenied",
    "Backend",
    "BucketNotFound",
    "Capture",
    "CaptureHop",
    "CorruptObject",
    "EndpointUnreachable",
    "FixityReport",
    "Generation",
    "InvalidStoreSpec",
    "LocalBackend",
    "ObjectNotFound",
    "ObjectStore",
    "Problem",
    "S3Backend",
    "StorageError",
    "Store",
    "StoreUnavailable",
    "VersionDraft",
    "VersionNotFound",
    "VersionRecord",
    "WriteConflict",
    "check",
    "make_s3_client",
    "normalise_text",
    "open_store",
    "parse_s3_spec",
    "text_sha256",
    "verify",
]
