"""The version store: version records and raw captures over a Backend, race-safe and immutable.

Version seqs are claimed with an exclusive create (DESIGN.md): the first writer of `seq` wins;
a loser re-reads that record and either finds the same text (nothing to add) or tries
`seq + 1`. That gives each source a linear, gap-free history without locks. Everything a
record points to (its raw capture) is written by the caller before the record.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Protocol

from palimpsest.storage import keys
from palimpsest.storage.backend import Backend
from palimpsest.storage.errors import CorruptObject, ObjectNotFound, VersionNotFound, WriteConflict
from palimpsest.storage.model import Capture, VersionDraft, VersionRecord, text_sha256
from palimpsest.storage.warc import WarcFormatError, capture_from_warc, capture_to_warc

Summarize = Callable[[VersionRecord | None], dict]
MAX_CLAIMS = 1000


class Store(Protocol):
    location: str

    def urls(self) -> list[str]: ...
    def versions(self, url: str) -> list[VersionRecord]: ...
    def latest(self, url: str) -> VersionRecord | None: ...
    def get(self, url: str, version: int) -> VersionRecord: ...
    def put_capture(self, capture: Capture) -> str: ...
    def get_raw(self, key: str) -> bytes: ...
    def read_capture(self, key: str) -> Capture: ...
    def add_version(
        self, draft: VersionDraft, summarize: Summarize | None = None
    ) -> tuple[VersionRecord, bool]: ...


class ObjectStore:
    """The Store over any Backend (local directory or S3): same keys, same behaviour."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.location = backend.location

    # -- reading -------------------------------------------------------------------------

    def read_record(self, key: str) -> VersionRecord:
        """The version record stored under `key` (CorruptObject if it cannot be parsed)."""
        data = self.backend.read(key)
        try:
            record = VersionRecord.from_dict(json.loads(data))
        except (ValueError, TypeError, KeyError) as exc:
            raise CorruptObject(key, f"not a version record ({exc})") from None
        if record.key != key:
            raise CorruptObject(key, f"record says it is {record.key}")
        return record

    def _seqs(self, url: str) -> list[int]:
        seqs = []
        for key in self.backend.list(keys.source_prefix(url)):
            parsed = keys.parse_version_key(key)
            if parsed and parsed[0] == keys.url_hash(url):
                seqs.append(parsed[1])
        return sorted(seqs)

    def urls(self) -> list[str]:
        found = set()
        for host in self.backend.children(keys.SOURCES):
            for url_hash in self.backend.children(f"{keys.SOURCES}{host}/"):
                url = self._url_of(f"{keys.SOURCES}{host}/{url_hash}/versions/")
                if url is not None:
                    found.add(url)
        return sorted(found)

    def _url_of(self, prefix: str) -> str | None:
        """The URL of the source under `prefix`: from version 1, else from any readable one
        (a damaged first record must not hide a source's whole history)."""
        try:
            return self.read_record(f"{prefix}{1:08d}.json").url
        except (ObjectNotFound, CorruptObject):
            pass
        for key in self.backend.list(prefix):
            try:
                return self.read_record(key).url
            except (ObjectNotFound, CorruptObject):
                continue
        return None

    def versions(self, url: str) -> list[VersionRecord]:
        return [self.read_record(keys.version_key(url, seq)) for seq in self._seqs(url)]

    def latest(self, url: str) -> VersionRecord | None:
        seqs = self._seqs(url)
        return self.read_record(keys.version_key(url, seqs[-1])) if seqs else None

    def get(self, url: str, version: int) -> VersionRecord:
        if version < 1:
            raise VersionNotFound(url, version)
        try:
            return self.read_record(keys.version_key(url, version))
        except ObjectNotFound:
            raise VersionNotFound(url, version) from None

    # -- raw captures --------------------------------------------------------------------

    def put_capture(self, capture: Capture) -> str:
        """Store `capture` as a WARC under raw/, keyed by the sha256 of its bytes; the key.

        The same capture always gives the same bytes, so storing it again writes nothing.
        """
        data = capture_to_warc(capture)
        key = keys.raw_key(hashlib.sha256(data).hexdigest())
        if not self.backend.exists(key):
            self.backend.create(key, data)  # False: someone stored the same bytes meanwhile
        return key

    def get_raw(self, key: str) -> bytes:
        return self.backend.read(key)

    def read_capture(self, key: str) -> Capture:
        try:
            return capture_from_warc(self.get_raw(key))
        except WarcFormatError as exc:
            raise CorruptObject(key, str(exc)) from None

    # -- writing versions ----------------------------------------------------------------

    def add_version(
        self, draft: VersionDraft, summarize: Summarize | None = None
    ) -> tuple[VersionRecord, bool]:
        """Store `draft` as the next version unless the latest version has the same text.

        Returns (new record, True), or (latest, False) when nothing was written.
        `summarize(previous)` gives the record's `diff`; it is called again if a concurrent
        writer claimed the number first, so it always describes the record actually followed.
        """
        sha = text_sha256(draft.text)
        raw_checked = draft.raw_key is None
        seqs = self._seqs(draft.url)
        seq = seqs[-1] if seqs else 0
        previous = self.read_record(keys.version_key(draft.url, seq)) if seq else None
        for _ in range(MAX_CLAIMS):
            if previous is not None and previous.sha256 == sha:
                return previous, False
            if not raw_checked:  # a record must never point at nothing
                if keys.raw_sha(draft.raw_key) is None or not self.backend.exists(draft.raw_key):
                    raise ObjectNotFound(draft.raw_key, self.location)
                raw_checked = True
            key = keys.version_key(draft.url, seq + 1)
            diff = summarize(previous) if summarize else {}
            record = VersionRecord.from_draft(draft, version=seq + 1, diff=dict(diff), key=key)
            data = record.to_json()
            if self.backend.create(key, data):
                return VersionRecord.from_dict(json.loads(data)), True  # exactly what is stored
            seq += 1  # another writer claimed it: read theirs and go on from there
            previous = self.read_record(key)
        raise WriteConflict(f"could not claim a version of {draft.url} after {MAX_CLAIMS} tries")
