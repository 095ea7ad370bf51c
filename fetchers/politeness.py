"""Per-host politeness shared by all threads using one `Fetcher`.

Each host (scheme://host:port) gets a semaphore of `concurrency` slots and a schedule of
request starts at least `delay` seconds apart. A caller *reserves* the next start time under a
lock and then sleeps outside it, so waiting threads never block each other's bookkeeping and
the spacing holds however many threads there are. `defer` pushes a host's next start back
(used for Retry-After), so one URL's 429/503 slows every request to that host, not just its
own retry. `sleep` and `clock` are injectable so tests observe the waits instead of timing them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class TooLongAWait(Exception):
    """`slot(max_wait=...)` would have to wait `seconds`, more than allowed; nothing reserved."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"{seconds:g} s")
        self.seconds = seconds


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
    ) -> None:
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
        seconds away, `TooLongAWait` is raised instead (and no start is reserved).
        """
        delay = max(self._delay, min_delay or 0.0)
        state = self._host(host)
        with state.slots:
            with self._lock:
                now = self._clock()
                start = now if state.next_start is None else max(now, state.next_start)
                if max_wait is not None and start - now > max_wait:
                    raise TooLongAWait(start - now)
                state.next_start = start + delay
            if start > now:
                self._sleep(start - now)
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
