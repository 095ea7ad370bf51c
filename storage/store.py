"""The version store: version records and raw captures over a Backend, race-safe and immutable.

Version seqs are claimed with an exclusive create (DESIGN.md): the first writer of `seq` wins;
a loser re-reads that record and either finds the same text (nothing to add), finds a newer
capture (its own is superseded: nothing to add), or tries `seq + 1`. That gives each source a
linear, gap-free history in capture order without locks. Everything a record points to (its
raw capture) is written by the caller before the record; each record carries the sha256 of its
predecessor's stored bytes and is followed by its seal (the sha256 of its own bytes), so
`verify` detects a record altered, replaced or deleted anywhere in a history.

A source's history exists once per extraction ("generation"): generation 1 is what the
archive wrote; `reextract` builds generation g + 1 from the same captures and publishes it
with an exclusive `published.json`. Readers use the newest published generation; older ones
stay readable (`generation=`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from palimpsest.storage import keys
from palimpsest.storage.backend import Backend
from palimpsest.storage.errors import (
    CorruptObject,
    ObjectNotFound,
    StorageError,
    VersionNotFound,
    WriteConflict,
)
from palimpsest.storage.model import Capture, VersionDraft, VersionRecord, text_sha256
from palimpsest.storage.warc import WarcFormatError, capture_from_warc, capture_to_warc

Summarize = Callable[[VersionRecord | None], dict]
MAX_CLAIMS = 1000


@dataclass(frozen=True)
class Generation:
    """One extraction of a source's history: its number and the extractor that made it."""

    number: int
    extractor_version: str | None  # None for generation 1 (see its records)
    from_generation: int | None
    published_at: str | None


class Store(Protocol):
    location: str

    def urls(self) -> list[str]: ...
    def versions(self, url: str, generation: int | None = None) -> list[VersionRecord]: ...
    def latest(self, url: str, generation: int | None = None) -> VersionRecord | None: ...
    def get(self, url: str, version: int, generation: int | None = None) -> VersionRecord: ...
    def generations(self, url: str) -> list[Generation]: ...
    def new_generation(self, url: str) -> int: ...
    def publish_generation(
        self, url: str, generation: int, extractor_version: str, from_generation: int
    ) -> None: ...
    def put_capture(self, capture: Capture) -> str: ...
    def get_raw(self, key: str) -> bytes: ...
    def read_capture(self, key: str) -> Capture: ...
    def add_version(
        self, draft: VersionDraft, summarize: Summarize | None = None, generation: int | None = None
    ) -> tuple[VersionRecord, bool]: ...


def parse_record(key: str, data: bytes) -> VersionRecord:
    """The version record in `data` stored under `key`; CorruptObject naming the key and the
    first field that does not fit the schema (never a traceback, whatever the bytes)."""
    try:
        record = VersionRecord.from_dict(json.loads(data))
    except RecursionError:
        raise CorruptObject(key, "not a version record (JSON nested too deeply)") from None
    except (ValueError, TypeError) as exc:
        raise CorruptObject(key, f"not a version record ({exc})") from None
    if record.key != key:
        raise CorruptObject(key, f"record says it is {record.key}")
    return record


def seal_bytes(record_key: str, data: bytes) -> bytes:
    """The seal of the record stored as `data`: the sha256 of its bytes (and its key)."""
    digest = hashlib.sha256(data).hexdigest()
    return json.dumps({"key": record_key, "sha256": digest}, sort_keys=True).encode()


class ObjectStore:
    """The Store over any Backend (local directory or S3): same keys, same behaviour."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.location = backend.location

    # -- reading -------------------------------------------------------------------------

    def read_record(self, key: str) -> VersionRecord:
        """The version record stored under `key` (CorruptObject if it cannot be parsed)."""
        return parse_record(key, self.backend.read(key))

    def _read_with_digest(self, key: str) -> tuple[VersionRecord, str]:
        data = self.backend.read(key)
        return parse_record(key, data), hashlib.sha256(data).hexdigest()

    def _seqs(self, url: str, generation: int) -> list[int]:
        seqs = []
        for key in self.backend.list(keys.source_prefix(url, generation)):
            parsed = keys.parse_source_key(key)
            if parsed and parsed.kind == "versions" and parsed.url_hash == keys.url_hash(url):
                seqs.append(parsed.seq)
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

    def generations(self, url: str) -> list[Generation]:
        """Generation 1 and every published re-extraction of `url`, oldest first."""
        found = [Generation(1, None, None, None)]
        root = f"{keys.source_root(url)}{keys.EXTRACTIONS}"
        for name in self.backend.children(root):
            if not name.isdigit() or int(name) < 2:
                continue
            try:
                info = json.loads(self.backend.read(keys.published_key(url, int(name))))
            except ObjectNotFound:
                continue  # not published: being built, or left by an interrupted reextract
            except (ValueError, RecursionError):
                raise CorruptObject(keys.published_key(url, int(name)), "not JSON") from None
            if not isinstance(info, dict):
                raise CorruptObject(keys.published_key(url, int(name)), "not a JSON object")
            found.append(
                Generation(
                    int(name),
                    str(info.get("extractor_version")),
                    info.get("from_generation"),
                    info.get("published_at"),
                )
            )
        return sorted(found, key=lambda g: g.number)

    def current_generation(self, url: str) -> int:
        return self.generations(url)[-1].number

    def versions(self, url: str, generation: int | None = None) -> list[VersionRecord]:
        gen = generation or self.current_generation(url)
        return [self.read_record(keys.version_key(url, seq, gen)) for seq in self._seqs(url, gen)]

    def latest(self, url: str, generation: int | None = None) -> VersionRecord | None:
        gen = generation or self.current_generation(url)
        seqs = self._seqs(url, gen)
        return self.read_record(keys.version_key(url, seqs[-1], gen)) if seqs else None

    def get(self, url: str, version: int, generation: int | None = None) -> VersionRecord:
        if version < 1:
            raise VersionNotFound(url, version)
        gen = generation or self.current_generation(url)
        try:
            return self.read_record(keys.version_key(url, version, gen))
        except ObjectNotFound:
            raise VersionNotFound(url, version) from None

    # -- generations ---------------------------------------------------------------------

    def new_generation(self, url: str) -> int:
        """A generation number nobody has used for `url` yet (published or not)."""
        names = self.backend.children(f"{keys.source_root(url)}{keys.EXTRACTIONS}")
        return max([1, *(int(n) for n in names if n.isdigit())]) + 1

    def publish_generation(
        self, url: str, generation: int, extractor_version: str, from_generation: int
    ) -> None:
        """Make `generation` the one readers see (exclusive: WriteConflict if it already is)."""
        marker = {
            "extractor_version": extractor_version,
            "from_generation": from_generation,
            "generation": generation,
            "published_at": datetime.now(UTC).isoformat(),
        }
        key = keys.published_key(url, generation)
        if not self.backend.create(key, json.dumps(marker, sort_keys=True).encode()):
            raise WriteConflict(f"generation {generation} of {url} was published by another run")

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
        self, draft: VersionDraft, summarize: Summarize | None = None, generation: int | None = None
    ) -> tuple[VersionRecord, bool]:
        """Store `draft` as the next version unless the latest version has the same text or a
        newer capture (the draft is then superseded: capture order is never broken).

        Returns (new record, True), or (latest, False) when nothing was written.
        `summarize(previous)` gives the record's `diff`; it is called again if a concurrent
        writer claimed the number first, so it always describes the record actually followed.
        Without `generation`, the draft goes to the current generation, and also to a newer
        one if a re-extraction published it meanwhile (so no capture is left out of it).
        """
        gen = generation or self.current_generation(draft.url)
        result = self._add(draft, summarize, gen)
        if generation is None:
            newest = self.current_generation(draft.url)
            if newest != gen:
                return self._add(draft, summarize, newest)
        return result

    def _add(
        self, draft: VersionDraft, summarize: Summarize | None, gen: int
    ) -> tuple[VersionRecord, bool]:
        sha = text_sha256(draft.text)
        captured = draft.captured_at
        captured = captured.replace(tzinfo=UTC) if captured.tzinfo is None else captured
        raw_checked = draft.raw_key is None
        seqs = self._seqs(draft.url, gen)
        seq = seqs[-1] if seqs else 0
        previous, digest = (
            self._read_with_digest(keys.version_key(draft.url, seq, gen)) if seq else (None, None)
        )
        for _ in range(MAX_CLAIMS):
            if previous is not None and (previous.sha256 == sha or previous.captured_at > captured):
                return previous, False
            if not raw_checked and draft.raw_key is not None:  # never point at nothing
                if keys.raw_sha(draft.raw_key) is None or not self.backend.exists(draft.raw_key):
                    raise ObjectNotFound(draft.raw_key, self.location)
                raw_checked = True
            key = keys.version_key(draft.url, seq + 1, gen)
            diff = summarize(previous) if summarize else {}
            record = VersionRecord.from_draft(
                draft, version=seq + 1, diff=dict(diff), key=key, previous_sha256=digest
            )
            data = record.to_json()
            if self.backend.create(key, data):
                self._seal(draft.url, seq + 1, gen, key, data)
                return parse_record(key, data), True  # exactly what is stored
            seq += 1  # another writer claimed it: read theirs and go on from there
            previous, digest = self._read_with_digest(key)
        raise WriteConflict(
            f"could not claim a version of {draft.url} after {MAX_CLAIMS} tries",
            subject=draft.url,
            reason=f"could not claim a version after {MAX_CLAIMS} tries",
        )

    def _seal(self, url: str, seq: int, gen: int, key: str, data: bytes) -> None:
        """Write the record's seal. A failure leaves the newest record unsealed, which verify
        reports as a warning; the record itself is stored, so the write still succeeded."""
        with contextlib.suppress(StorageError):
            self.backend.create(keys.seal_key(url, seq, gen), seal_bytes(key, data))
