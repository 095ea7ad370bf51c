"""Fixity check: every version record parses, its text matches its sha256, its history has no
gaps, and the raw capture it points to exists and matches the sha256 it is named by.

`verify` reads every object it checks (that is what fixity means) and reports problems
instead of raising, so one damaged object does not hide the others. Only store-wide failures
(unreachable endpoint, missing bucket, denied access) raise. Objects are read by a small pool
of threads: against S3 each read is a network round trip, and reading one object at a time
leaves the connection idle most of the time.
"""

from __future__ import annotations

import hashlib
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from palimpsest.storage import keys
from palimpsest.storage.errors import CorruptObject, ObjectNotFound
from palimpsest.storage.model import VersionRecord, text_sha256
from palimpsest.storage.store import ObjectStore
from palimpsest.storage.warc import WarcFormatError, capture_from_warc


@dataclass(frozen=True)
class Problem:
    key: str
    url: str | None
    message: str

    def __str__(self) -> str:
        return f"{self.key}: {self.message}"


@dataclass(frozen=True)
class FixityReport:
    """What `check` looked at and what it found wrong (problems sorted by key)."""

    records: int
    captures: int
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems


class _Checker:
    def __init__(self, store: ObjectStore) -> None:
        self.store = store
        self.problems: list[Problem] = []
        self.raw_claimed: set[str] = set()
        self.records = 0
        self.urls: dict[str, str] = {}  # url_hash -> URL, from the records read
        self.lock = threading.Lock()

    def problem(self, key: str, url: str | None, message: str) -> None:
        with self.lock:
            self.problems.append(Problem(key, url, message))

    def claim_raw(self, key: str) -> bool:
        """True for the first caller only, so a capture shared by records is read once."""
        with self.lock:
            if key in self.raw_claimed:
                return False
            self.raw_claimed.add(key)
            return True

    def check_raw(self, key: str, url: str | None, referenced_by: str | None) -> None:
        if not self.claim_raw(key):
            return
        via = f" (referenced by {referenced_by})" if referenced_by else ""
        sha = keys.raw_sha(key)
        if sha is None:
            self.problem(key, url, f"not a valid raw capture key{via}")
            return
        try:
            data = self.store.backend.read(key)
        except ObjectNotFound:
            self.problem(key, url, f"raw capture is missing{via}")
            return
        actual = hashlib.sha256(data).hexdigest()
        if actual != sha:
            self.problem(key, url, f"raw capture sha256 is {actual}, key says {sha}{via}")
            return
        try:
            capture = capture_from_warc(data)
        except WarcFormatError as exc:
            self.problem(key, url, f"raw capture is not a readable WARC pair: {exc}{via}")
            return
        if url is not None and url not in {capture.url, capture.final_url}:
            self.problem(key, url, f"raw capture is of {capture.url}, not of {url}{via}")

    def check_record(self, key: str, seq: int, url_hash: str) -> VersionRecord | None:
        with self.lock:
            self.records += 1
        try:
            record = self.store.read_record(key)
        except ObjectNotFound:
            self.problem(key, None, "version record disappeared while checking")
            return None
        except CorruptObject as exc:
            self.problem(key, None, str(exc).removeprefix(f"object {key} is "))
            return None
        url = record.url
        with self.lock:
            self.urls.setdefault(url_hash, url)
        if keys.url_hash(url) != url_hash or keys.version_key(url, seq) != key:
            self.problem(key, url, f"record for {url} is stored under the wrong key")
        if record.version != seq:
            self.problem(key, url, f"record says version {record.version}, key says {seq}")
        actual = text_sha256(record.text)
        if actual != record.sha256:
            self.problem(key, url, f"text sha256 is {actual}, record says {record.sha256}")
        if record.raw_key is not None:
            self.check_raw(record.raw_key, url, key)
        return record

    def check_gaps(self, url_hash: str, version_keys: list[tuple[int, str]]) -> None:
        previous = 0
        for seq, key in sorted(version_keys):
            if seq != previous + 1:
                missing = f"{previous + 1}" if seq == previous + 2 else f"{previous + 1}-{seq - 1}"
                url = self.urls.get(url_hash)
                self.problem(key, url, f"history has a gap: version {missing} is missing")
            previous = seq


def _run_all(workers: int, jobs: Iterable[Callable[[], None]]) -> None:
    """Run `jobs` on a thread pool; the first exception (a store-wide failure) propagates."""
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        for future in [pool.submit(job) for job in jobs]:
            future.result()


def verify(store: ObjectStore, urls: list[str] | None = None) -> list[Problem]:
    """Problems found in the records of `urls` (all of the store when None) and their captures.

    For the whole store, every raw capture under raw/ is checked too, referenced or not.
    """
    return check(store, urls).problems


def check(
    store: ObjectStore, urls: list[str] | None = None, *, workers: int | None = None
) -> FixityReport:
    """Like `verify`, with the number of records and captures checked.

    `workers` threads read objects (default: the backend's `read_concurrency`).
    """
    workers = workers or getattr(store.backend, "read_concurrency", 1)
    checker = _Checker(store)
    by_source: dict[str, list[tuple[int, str]]] = defaultdict(list)
    prefixes = [keys.source_prefix(u) for u in urls] if urls else [keys.SOURCES]
    for prefix in prefixes:
        for key in store.backend.list(prefix):
            parsed = keys.parse_version_key(key)
            if parsed is None:
                if key.startswith(keys.SOURCES):
                    checker.problem(key, None, "unexpected object under sources/")
                continue
            by_source[parsed[0]].append((parsed[1], key))
    for url in urls or []:
        if keys.url_hash(url) not in by_source:
            checker.problem(keys.source_prefix(url), url, f"no versions of {url} in the archive")
    _run_all(
        workers,
        (
            lambda h=h, seq=seq, key=key: checker.check_record(key, seq, h)
            for h, version_keys in sorted(by_source.items())
            for seq, key in version_keys
        ),
    )
    for url_hash, version_keys in by_source.items():
        checker.check_gaps(url_hash, version_keys)
    if not urls:
        raws = list(store.backend.list(keys.RAW))
        _run_all(workers, (lambda k=k: checker.check_raw(k, None, None) for k in raws))
    problems = sorted(checker.problems, key=lambda p: (p.key, p.message))
    return FixityReport(checker.records, len(checker.raw_claimed), problems)
