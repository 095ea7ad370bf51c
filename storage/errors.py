"""Errors of the storage package; every message names the key, URL, bucket or endpoint.

Third-party errors (botocore, OSError, JSON and WARC parsing) are translated into these at the
backend boundary. Messages never contain credentials.

    StorageError                      base of everything raised by storage/
    ├── VersionNotFound               no version `n` of URL (names URL and version)
    ├── ObjectNotFound                a key the store expected is missing (names key)
    ├── CorruptObject                 an object exists but cannot be parsed (names key)
    ├── InvalidStoreSpec              --store value is neither a directory nor s3://bucket/prefix
    ├── WriteConflict                 could not claim a sequence number after many retries
    └── StoreUnavailable              the store cannot be reached or used at all
        ├── BucketNotFound            the S3 bucket does not exist (names bucket + endpoint)
        ├── AccessDenied              credentials rejected or permission denied (names bucket)
        └── EndpointUnreachable       cannot connect to the endpoint (names endpoint)
"""

from __future__ import annotations

from palimpsest.errors import PalimpsestError


class StorageError(PalimpsestError):
    """Base of every error raised by the storage package (under `palimpsest.errors`); the
    key or URL it is about is `.subject` when there is one."""


class VersionNotFound(StorageError):
    def __init__(self, url: str, version: int) -> None:
        super().__init__(f"no version {version} of {url} in the archive", subject=url)
        self.url = url
        self.version = version


class ObjectNotFound(StorageError):
    def __init__(self, key: str, location: str = "") -> None:
        where = f" in {location}" if location else ""
        super().__init__(f"object {key} not found{where}", subject=key)
        self.key = key


class CorruptObject(StorageError):
    def __init__(self, key: str, reason: str) -> None:
        super().__init__(f"object {key} is corrupt: {reason}", subject=key)
        self.key = key


class InvalidStoreSpec(StorageError):
    """The store location is not usable (e.g. `s3://` without a bucket)."""


class WriteConflict(StorageError):
    """Too many concurrent writers kept claiming the next sequence number."""


class StoreUnavailable(StorageError):
    """The store cannot be used: missing bucket, bad credentials, unreachable endpoint, ..."""


class BucketNotFound(StoreUnavailable):
    pass


class AccessDenied(StoreUnavailable):
    pass


class EndpointUnreachable(StoreUnavailable):
    pass
