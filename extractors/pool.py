"""Bounded extraction: worker processes with a deadline, a memory limit and a parse cap.

Parsing hostile HTML can take super-linear time (100k attributes: minutes) or most of the
machine's memory (tens of MB of paragraphs). A thread cannot be stopped, so `ExtractPool`
extracts in worker processes (spawned, never forked: the parent runs threads):

- each page has `timeout` seconds; a worker that overruns is killed and replaced, and the
  page fails with `ExtractionTimeout` (the other pages go on);
- each worker's address space is limited to `memory` bytes (RLIMIT_AS), so a page that
  needs more fails with `ExtractionError` instead of exhausting the machine;
- at most `max_parse_bytes` of a page are parsed: a longer page is cut at the last tag
  start before the cap (articles come early in a document; the rest is furniture).

`extract(body, url, encoding)` is thread-safe: a call waits for a free worker. `run(fn, ...)`
runs any other CPU-bound work on untrusted input under the same bounds (the flow's seed
match: flows/context.py), and `prepare` jobs run in each new worker before its first call,
so the imports and loads they do are not a page's time.
"""

from __future__ import annotations

import logging
import multiprocessing
import pickle
import queue
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from palimpsest.extractors.article import Article
from palimpsest.extractors.errors import ExtractionError

from palimpsest.errors import PalimpsestError

log = logging.getLogger(__name__)
MAX_PARSE_BYTES = 5 * 1024 * 1024
STARTUP_TIMEOUT = 120.0  # seconds a new worker may take to import the extractor
READY = "ready"


class ExtractionTimeout(ExtractionError):
    """Extracting the page took longer than the pool's deadline; its worker was killed."""


@dataclass(frozen=True)
class Limits:
    timeout: float = 30.0
    memory: int = 1024 * 1024 * 1024
    max_parse_bytes: int = MAX_PARSE_BYTES


def cap_markup(body: bytes, limit: int) -> bytes:
    """`body` cut to at most `limit` bytes, at the last tag start before the cut."""
    if len(body) <= limit:
        return body
    cut = body.rfind(b"<", 0, limit)
    return body[: cut if cut > 0 else limit]


def extract_capped(body: bytes, url: str, encoding: str | None, limit: int) -> Article:
    """The article of `body`, at most `limit` bytes of it parsed (a worker's extraction job)."""
    from palimpsest.extractors.api import extract

    return extract(cap_markup(body, limit), url, encoding=encoding)


def _serve(conn: Connection, limits: Limits) -> None:
    """A worker's loop: receive (fn, args, about, what), send (result or _Failure, retire);
    `retire` says this worker stops after the answer."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (limits.memory, limits.memory))
    while True:
        try:
            fn, args, about, what = conn.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send((fn(*args), False))
        except MemoryError:
            limit = limits.memory >> 20
            failure = _Failure(ExtractionError, f"{about}: {what} needs over {limit} MiB", about)
            conn.send((failure, True))
            return  # a worker that ran out of memory is not trusted with the next call
        except Exception as exc:  # everything is reported to the parent
            conn.send((_Failure.of(exc, about, what), False))


@dataclass(frozen=True)
class _Failure:
    """An error on its way from a worker: its class, message and subject (error classes take
    different constructor arguments, so the instance itself is not sent)."""

    kind: type[PalimpsestError]
    message: str
    subject: str | None
    reason: str | None = None

    @classmethod
    def of(cls, exc: Exception, about: str, what: str) -> _Failure:
        if isinstance(exc, PalimpsestError):
            return cls(type(exc), str(exc), exc.subject, exc.reason)
        return cls(ExtractionError, f"{about}: {what} failed ({type(exc).__name__}: {exc})", about)

    def exception(self) -> PalimpsestError:
        exc = self.kind.__new__(self.kind)
        PalimpsestError.__init__(exc, self.message, subject=self.subject, reason=self.reason)
        if isinstance(exc, ExtractionError):
            exc.source = self.subject
        return exc


def _warm(prepare: Sequence[Callable[[], object]]) -> None:
    """Import the extractor in the worker before its first page (the parent's copy is not
    inherited under spawn), then run the pool's `prepare` jobs. A job that fails is logged:
    the worker still extracts, and the calls that need what the job prepares fail alone."""
    from palimpsest.extractors import adapter, api  # noqa: F401 (adapter imports trafilatura)

    for job in prepare:
        try:
            job()
        except Exception as exc:
            log.warning("extraction worker: preparing failed (%s: %s)", type(exc).__name__, exc)


class _Worker:
    def __init__(self, ctx: Any, limits: Limits, prepare: Sequence[Callable[[], object]]) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_run, args=(child, limits, prepare), daemon=True)
        self.process.start()
        child.close()
        self.ready = False

    def wait_ready(self) -> bool:
        """True once the worker has imported the extractor (waits for it the first time)."""
        if not self.ready:
            try:
                self.ready = self.conn.poll(STARTUP_TIMEOUT) and self.conn.recv() == READY
            except (EOFError, OSError):
                return False
        return self.ready

    def stop(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


def _run(conn: Connection, limits: Limits, prepare: Sequence[Callable[[], object]]) -> None:
    _warm(prepare)
    conn.send(READY)  # the page deadline starts after this: imports are not the page's time
    _serve(conn, limits)


class ExtractPool:
    """`workers` extraction processes; see the module docstring. With `lazy`, they are
    started by the first page, not before (a run of unchanged pages extracts nothing).
    `prepare`: picklable callables each new worker runs once, before its first call."""

    def __init__(
        self,
        workers: int,
        limits: Limits | None = None,
        *,
        lazy: bool = False,
        prepare: Sequence[Callable[[], object]] = (),
    ) -> None:
        self.limits = limits or Limits()
        self.workers = max(1, workers)
        self.prepare = tuple(prepare)
        self._ctx = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._all: list[_Worker] = []
        self._closed = False
        self._started = False
        if not lazy:
            self._start()

    @property
    def started(self) -> bool:
        return self._started

    def _start(self) -> None:
        with self._lock:
            if self._started:
                return
            self._started = True
        for _ in range(self.workers):
            self._add()

    def _add(self) -> None:
        worker = _Worker(self._ctx, self.limits, self.prepare)
        with self._lock:
            self._all.append(worker)
        self._idle.put(worker)

    def _replace(self, worker: _Worker) -> None:
        worker.stop()
        with self._lock:
            self._all.remove(worker)
            closed = self._closed
        if not closed:
            self._add()

    def extract(self, body: bytes, url: str, encoding: str | None) -> Article:
        article: Article = self.run(
            extract_capped, body, url, encoding, self.limits.max_parse_bytes, about=url
        )
        return article

    def run(self, fn: Callable[..., Any], *args: Any, about: str, what: str = "extraction") -> Any:
        """`fn(*args)` in a worker, within the pool's deadline and memory limit; `fn` and the
        args must pickle (a module-level function). Errors name `about` (the URL) and `what`
        was being done; a PalimpsestError raised by `fn` is raised here as it was."""
        if not self._started:
            self._start()
        worker = self._idle.get()
        retire = True
        try:
            if not worker.wait_ready():
                raise EOFError
            worker.conn.send((fn, args, about, what))
            if not worker.conn.poll(self.limits.timeout):
                raise ExtractionTimeout(
                    f"{about}: {what} took over {self.limits.timeout:g} s (stopped)", about
                )
            value, retire = worker.conn.recv()
        except (EOFError, OSError, pickle.UnpicklingError):
            raise ExtractionError(f"{about}: the worker died during {what}", about) from None
        finally:
            if retire or not worker.process.is_alive():
                self._replace(worker)
            else:
                self._idle.put(worker)
        if isinstance(value, _Failure):
            raise value.exception()
        return value

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._all)
        for worker in workers:
            worker.stop()
