"""Per-host politeness shared by all threads using one `Fetcher`.

Each host (scheme://host:port) gets a semaphore of `concurrency` slots and a schedule of
request starts at least `delay` seconds apart. A caller *reserves* the next start time under a
lock and then sleeps outside it, so waiting threads never block each other's bookkeeping and
the spacing holds however many threads there are. `defer` pushes a host's next start back
(used for Retry-After), so one URL's 429/503 slows every request to that host, not just its
own retry. `sleep` and `clock` are injectable so tests observe the waits instead of timing them.

All of that holds per process. `SharedLimits` (given by the caller: flows/politeness.py holds
them in Prefect's global concurrency limits) extends the slot and the spacing to every process
that shares them: a request takes the shared slot, then its process's own, then waits for its
start here and there.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from typing import Protocol


class TooLongAWait(Exception):
    """`slot(max_wait=...)` would have to wait `seconds`, more than allowed; nothing reserved."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"{seconds:g} s")
        self.seconds = seconds


class SharedLimitsUnavailable(Exception):
    """The shared limits could not be taken (their server failed): `reason`; nothing held."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class SharedLimits(Protocol):
    """Per-host limits shared with other processes: the same concurrency, and the spacing
    as a rate (flows/politeness.py: bursts of up to the concurrency).
    `TooLongAWait` when a wait would exceed `max_wait`, `SharedLimitsUnavailable` when the
    limits cannot be reached."""

    def slot(self, host: str, max_wait: float | None) -> AbstractContextManager[None]:
        """Hold one of `host`'s shared slots (nothing more if this thread holds one)."""
        ...

    def start(self, host: str, delay: float, max_wait: float | None) -> None:
        """Wait until a request may start: at most one per `delay` seconds to the host,
        counted across all processes."""
        ...

    def close(self) -> None: ...


class _Host:
    def __init__(self, concurrency: int) -> None:
        self.slots = threading.BoundedSemaphore(concurrency)
        self.next_start: float | None = None


class HostGate:
    """At most `concurrency` requests in flight and starts `delay` apart, per host."""

    def __init__(
        self,
        concurrency: int,
        delay: float,
        sleep: Callable[[float], None],
        clock: Callable[[], float],
        shared: SharedLimits | None = None,
    ) -> None:
        self._shared = shared
        self._concurrency = concurrency
        self._delay = delay
        self._sleep = sleep
        self._clock = clock
        self._lock = threading.Lock()
        self._hosts: dict[str, _Host] = {}

    def _host(self, host: str) -> _Host:
        with self._lock:
            state = self._hosts.get(host)
            if state is None:
                state = self._hosts[host] = _Host(self._concurrency)
            return state

    @contextmanager
    def slot(
        self, host: str, min_delay: float | None = None, max_wait: float | None = None
    ) -> Iterator[None]:
        """Hold one of the host's request slots, starting no earlier than its schedule allows.

        `min_delay` raises the spacing for this host (robots.txt Crawl-delay); it never
        lowers it below the configured delay. When the start would be more than `max_wait`
        seconds away, `TooLongAWait` is raised instead (and no start is reserved). With
        shared limits, their slot is taken first and their start last, all within `max_wait`.
        """
        delay = max(self._delay, min_delay or 0.0)
        state = self._host(host)
        give_up = None if max_wait is None else self._clock() + max_wait
        with ExitStack() as shared:
            # the shared slot before the process's own, always: a thread holding a shared
            # slot then never waits for a thread that waits for that slot
            if self._shared is not None:
                shared.enter_context(self._shared.slot(host, max_wait))
            with state.slots:
                with self._lock:
                    now = self._clock()
                    start = now if state.next_start is None else max(now, state.next_start)
                    if give_up is not None and start > give_up:
                        raise TooLongAWait(start - now)
                    state.next_start = start + delay
                if start > now:
                    self._sleep(start - now)
                if self._shared is not None:
                    left = None if give_up is None else give_up - self._clock()
                    self._shared.start(host, delay, left)
                yield

    def defer(self, host: str, seconds: float) -> None:
        """No request to `host` starts within `seconds` from now (e.g. its Retry-After)."""
        if seconds <= 0:
            return
        state = self._host(host)
        with self._lock:
            until = self._clock() + seconds
            if state.next_start is None or state.next_start < until:
                state.next_start = until

    def close(self) -> None:
        if self._shared is not None:
            self._shared.close()
