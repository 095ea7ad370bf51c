"""Fixity check: every object under sources/ and raw/ is what was written, and nothing written
is missing.

Per version record: it parses against the record schema, sits under its key, has no gap in its
history, its text matches its sha256, its raw capture exists and matches the sha256 it is named
by. Per history (one per source and generation): each record's whole bytes match its seal
(written right after it) and the `previous_sha256` its successor chained to it, so a record
altered anywhere (a flipped byte in `removed[0].reason`, in `captured_at`), replaced, or
deleted (its seal remains) is an error naming its key.

Warnings (not failures): a newest record without its seal (an interrupted write), a generation
never published (an interrupted reextract), a raw capture no record refers to (a losing
concurrent writer, or a capture superseded by a newer one), `.tmp-*` leftovers of killed
writes in a local store (`repair=True` removes those older than LEFTOVER_AGE seconds).

`check` reads every object it checks (that is what fixity means) and reports problems instead
of raising, so one damaged object does not hide the others. Only store-wide failures
(unreachable endpoint, missing bucket, denied access) raise. Objects are read by a small pool
of threads: against S3 each read is a network round trip.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial

from palimpsest.storage import keys
from palimpsest.storage.errors import CorruptObject, ObjectNotFound
from palimpsest.storage.model import text_sha256
from palimpsest.storage.store import ObjectStore, parse_record
from palimpsest.storage.warc import WarcFormatError, capture_from_warc

LEFTOVER_AGE = 600.0  # a .tmp- file older than this (s) is no write in progress


@dataclass(frozen=True)
class Problem:
    key: str
    url: str | None
    message: str

    def __str__(self) -> str:
        return f"{self.key}: {self.message}"


@dataclass(frozen=True)
class FixityReport:
    """What `check` looked at, what it found wrong, and what deserves a look (all by key)."""

    records: int
    captures: int
    problems: list[Problem]
    warnings: list[Problem] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class _History:
    """What one generation of one source holds: seq -> key of its records and seals."""

    records: dict[int, str] = field(default_factory=dict)
    seals: dict[int, str] = field(default_factory=dict)
    published: str | None = None


class _Checker:
    def __init__(self, store: ObjectStore) -> None:
        self.store = store
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.raw_claimed: set[str] = set()
        self.raw_referenced: set[str] = set()
        self.records = 0
        self.urls: dict[str, str] = {}  # url_hash -> URL, from the records read
        self.digests: dict[str, str] = {}  # record key -> sha256 of its stored bytes
        self.chained: dict[str, str] = {}  # record key -> sha256 its successor chains to it
        self.lock = threading.Lock()

    def problem(self, key: str, url: str | None, message: str) -> None:
        with self.lock:
            self.problems.append(Problem(key, url, message))

    def warning(self, key: str, url: str | None, message: str) -> None:
        with self.lock:
            self.warnings.append(Problem(key, url, message))

    def claim_raw(self, key: str) -> bool:
        """True for the first caller only, so a capture shared by records is read once."""
        with self.lock:
            if key in self.raw_claimed:
                return False
            self.raw_claimed.add(key)
            return True

    def check_raw(self, key: str, url: str | None, referenced_by: str | None) -> None:
        if referenced_by is not None:
            with self.lock:
                self.raw_referenced.add(key)
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
            self.problem(key, url, f"raw capture is not a readable WARC: {exc}{via}")
            return
        if url is not None and url not in {capture.url, capture.final_url}:
            self.problem(key, url, f"raw capture is of {capture.url}, not of {url}{via}")

    def check_record(self, key: str, seq: int, url_hash: str, gen: int) -> None:
        with self.lock:
            self.records += 1
        try:
            data = self.store.backend.read(key)
            record = parse_record(key, data)
        except ObjectNotFound:
            self.problem(key, None, "version record disappeared while checking")
            return
        except CorruptObject as exc:
            self.problem(key, None, str(exc).removeprefix(f"object {key} is "))
            return
        url = record.url
        with self.lock:
            self.urls.setdefault(url_hash, url)
            self.digests[key] = hashlib.sha256(data).hexdigest()
            if seq > 1 and record.previous_sha256 is not None:
                self.chained[keys.version_key(url, seq - 1, gen)] = record.previous_sha256
        if keys.url_hash(url) != url_hash or keys.version_key(url, seq, gen) != key:
            self.problem(key, url, f"record for {url} is stored under the wrong key")
        if record.version != seq:
            self.problem(key, url, f"record says version {record.version}, key says {seq}")
        actual = text_sha256(record.text)
        if actual != record.sha256:
            self.problem(key, url, f"text sha256 is {actual}, record says {record.sha256}")
        if record.raw_key is not None:
            self.check_raw(record.raw_key, url, key)

    def check_seal(self, seal: str, record_key: str | None, url: str | None) -> None:
        try:
            info = json.loads(self.store.backend.read(seal))
            sealed_key, sealed = str(info["key"]), str(info["sha256"])
        except ObjectNotFound:
            self.problem(seal, url, "seal disappeared while checking")
            return
        except (ValueError, TypeError, KeyError, RecursionError):
            self.problem(seal, url, "seal is not a {key, sha256} JSON object")
            return
        if record_key is None:
            self.problem(sealed_key, url, f"version record is missing (sealed by {seal})")
        elif sealed_key != record_key:
            self.problem(seal, url, f"seal is of {sealed_key}, not of {record_key}")
        elif record_key in self.digests and self.digests[record_key] != sealed:
            actual = self.digests[record_key]
            message = f"record bytes changed: sha256 {actual}, sealed as {sealed}"
            self.problem(record_key, url, message)

    def check_history(self, url_hash: str, gen: int, history: _History) -> None:
        url = self.urls.get(url_hash)
        previous = 0
        for seq, key in sorted(history.records.items()):
            if seq != previous + 1:
                missing = f"{previous + 1}" if seq == previous + 2 else f"{previous + 1}-{seq - 1}"
                self.problem(key, url, f"history has a gap: version {missing} is missing")
            previous = seq
            chained, actual = self.chained.get(key), self.digests.get(key)
            if chained is not None and actual is not None and chained != actual:
                self.problem(
                    key,
                    url,
                    f"record bytes changed: sha256 {actual}, version {seq + 1} chains to {chained}",
                )
        for seq, seal in sorted(history.seals.items()):
            self.check_seal(seal, history.records.get(seq), url)
        if history.records:
            newest = max(history.records)
            if newest not in history.seals:
                self.warning(
                    history.records[newest],
                    url,
                    "newest version has no seal (its write was interrupted, or it predates seals)",
                )
        if gen > 1 and history.published is None:
            self.warning(
                history.records.get(min(history.records, default=0), f"generation {gen}"),
                url,
                f"generation {gen} was never published (an interrupted reextract): unused",
            )


def _run_all(workers: int, jobs: Iterable[Callable[[], object]]) -> None:
    """Run `jobs` on a thread pool; the first exception (a store-wide failure) propagates."""
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        for future in [pool.submit(job) for job in jobs]:
            future.result()


def verify(store: ObjectStore, urls: list[str] | None = None) -> list[Problem]:
    """Problems found in the records of `urls` (all of the store when None) and their captures.

    For the whole store, every raw capture under raw/ is checked too, referenced or not.
    """
    return check(store, urls).problems


def _histories(
    store: ObjectStore, checker: _Checker, urls: list[str] | None
) -> dict[tuple[str, int], _History]:
    found: dict[tuple[str, int], _History] = defaultdict(_History)
    prefixes = [keys.source_root(u) for u in urls] if urls else [keys.SOURCES]
    for prefix in prefixes:
        for key in store.backend.list(prefix):
            parsed = keys.parse_source_key(key)
            if parsed is None:
                checker.problem(key, None, "unexpected object under sources/")
                continue
            history = found[(parsed.url_hash, parsed.generation)]
            if parsed.kind == "versions":
                history.records[parsed.seq] = key
            elif parsed.kind == "seals":
                history.seals[parsed.seq] = key
            else:
                history.published = key
    for url in urls or []:
        if (keys.url_hash(url), 1) not in found:
            checker.problem(keys.source_prefix(url), url, f"no versions of {url} in the archive")
    return found


def check(
    store: ObjectStore,
    urls: list[str] | None = None,
    *,
    workers: int | None = None,
    repair: bool = False,
) -> FixityReport:
    """Like `verify`, with the number of records and captures checked, and the warnings.

    `workers` threads read objects (default: the backend's `read_concurrency`). `repair`
    removes `.tmp-*` leftovers of interrupted writes (nothing else is ever changed).
    """
    threads = int(workers or getattr(store.backend, "read_concurrency", 1) or 1)
    checker = _Checker(store)
    histories = _histories(store, checker, urls)
    _run_all(
        threads,
        (
            partial(checker.check_record, key, seq, h, g)
            for (h, g), history in sorted(histories.items())
            for seq, key in sorted(history.records.items())
        ),
    )
    for (url_hash, gen), history in sorted(histories.items()):
        checker.check_history(url_hash, gen, history)
    repaired: list[str] = []
    if not urls:
        raws = list(store.backend.list(keys.RAW))
        _run_all(threads, (partial(checker.check_raw, k, None, None) for k in raws))
        for key in sorted(set(raws) - checker.raw_referenced):
            checker.warning(
                key,
                None,
                "raw capture is referenced by no version record (a losing "
                "concurrent writer, a superseded capture, or an interrupted archive)",
            )
        repaired = _leftovers(store, checker, repair)
    return FixityReport(
        checker.records,
        len(checker.raw_claimed),
        sorted(checker.problems, key=lambda p: (p.key, p.message)),
        sorted(checker.warnings, key=lambda p: (p.key, p.message)),
        repaired,
    )


def _leftovers(store: ObjectStore, checker: _Checker, repair: bool) -> list[str]:
    leftovers = getattr(store.backend, "leftovers", None)
    if leftovers is None:
        return []  # S3 writes are atomic: nothing is ever left half-written
    removed = []
    for name, age in leftovers():
        if repair and age >= LEFTOVER_AGE:
            store.backend.remove_leftover(name)  # type: ignore[attr-defined]
            removed.append(name)
        else:
            hint = "verify --repair removes it" if age >= LEFTOVER_AGE else "a write in progress?"
            checker.warning(name, None, f"temporary file left by an interrupted write ({hint})")
    return removed
