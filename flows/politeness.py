"""Per-host politeness across workers, in Prefect's global concurrency limits.

With a Prefect server, every worker's fetcher takes each request's slot here as well as in
its own process (fetchers/politeness.py), in one limit per host, created on first use:
`palimpsest-host:<host>`, `host_concurrency` slots. A request holds one under a lease (its
fetch deadline plus a margin); the server revokes the lease of a worker that died holding it,
so a host is never blocked for longer.

The delay rides on the same slots: a slot's holder starts its requests `delay x
host_concurrency` seconds apart, and gives the slot back no sooner than that after its last
start. With at most `host_concurrency` holders anywhere, the host sees at most
`host_concurrency` starts in any `delay x host_concurrency` seconds: one per `delay` on
average, in bursts of at most `host_concurrency` (inside one process they are `delay` apart
exactly). Meanwhile, and for LINGER seconds at least, a slot cools down in its process: the
next request to that host from any thread takes a cooling slot over, or another slot from the
server while the process holds fewer than `host_concurrency`. So a batch's run of requests to
one host takes its slots from the server once, and one thread alternates between them at the
full rate when no other worker wants the host.

Prefect's own rate limits are not used: a denied call restarts their decay clock and the
server's Retry-After grows with the denials, so workers contending for a host held each other
back far below the allowed rate.

`<host>` is the host name (IDNA, lower case) and its port when not the scheme's default:
never credentials, a path or a character Prefect refuses in a name. A slot costs two API
calls (take it, release it); a denied call waits the server's `Retry-After` or for a slot
of its own process, whichever comes first. Retry-After back-off from a site
(`HostGate.defer`) stays per process. Plain client calls: Prefect's `concurrency()` helper
costs ~50 ms of CPU per use.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

import httpx
from palimpsest.fetchers import FetchSettings
from palimpsest.fetchers.politeness import SharedLimitsUnavailable, TooLongAWait
from prefect.client.orchestration import SyncPrefectClient, get_client
from prefect.client.schemas.actions import (
    GlobalConcurrencyLimitCreate,
    GlobalConcurrencyLimitUpdate,
)
from prefect.exceptions import ObjectAlreadyExists, ObjectNotFound

SLOTS = "palimpsest-host:"
MIN_LEASE = 60.0  # the shortest lease the server grants
LINGER = 2.0  # seconds a slot stays with the process after its request, for the next one
LEASE_MARGIN = 30.0  # seconds a lease outlasts the fetch deadline
LOCKED = 423  # the server's "no slot now; Retry-After"
_UNSAFE = re.compile(r"[^a-z0-9._:\[\]-]")
_DEFAULT_PORTS = {"http": 80, "https": 443}

log = logging.getLogger(__name__)


def host_key(origin: str) -> str:
    """`host[:port]` of an origin or URL, safe in a limit name (no scheme, credentials or
    path; any character outside [a-z0-9._:[]-] becomes `_`)."""
    parts = urlsplit(origin if "//" in origin else f"//{origin}")
    host = (parts.hostname or "").lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is not None and port != _DEFAULT_PORTS.get(parts.scheme.lower()):
        host = f"{host}:{port}"
    return _UNSAFE.sub("_", host) or "_"


@dataclass(eq=False)
class _Slot:
    """A shared slot of a host this process holds: its lease and when that runs out, the
    spacing of its starts and the last one; `timer` while it cools down before release."""

    lease: UUID
    expires: float
    spacing: float = 0.0
    last_start: float | None = None
    timer: threading.Timer | None = None


class _Denied(Exception):
    """The server has no slot now: ask again in `seconds` (its Retry-After)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds


def _ready_at(slot: _Slot) -> float:
    return 0.0 if slot.last_start is None else slot.last_start + slot.spacing


class PrefectHostLimits:
    """`fetchers.politeness.SharedLimits` in the global concurrency limits of the Prefect
    server the settings point at; one client for all the threads of a fetcher.

    A slot given back cools down in the process (LINGER seconds at least, and until its
    spacing is over), for the next request of any thread to that host; a timer releases it
    when nobody took it over."""

    def __init__(
        self,
        settings: FetchSettings,
        client: SyncPrefectClient | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._concurrency = settings.host_concurrency
        self._lease = max(MIN_LEASE, settings.deadline + LEASE_MARGIN)
        self._client = client
        self._own_client = client is None
        self._sleep = sleep
        self._one_call = threading.Lock()  # the client, one call at a time (see _calling)
        self._changed = threading.Condition()  # the cooling slots or their count changed
        self._ensured: dict[str, int] = {}  # limit name -> slots
        self._local = threading.local()  # .held: host key -> this thread's slot (None: off)
        self._cooling: dict[str, list[_Slot]] = {}  # host key -> slots cooling down
        self._taken: dict[str, int] = {}  # host key -> slots this process holds or cools
        self._denied_until: dict[str, float] = {}  # host key -> no asking for another before

    @contextmanager
    def slot(self, host: str, max_wait: float | None) -> Iterator[None]:
        key = host_key(host)
        held = self._held()
        if key in held:
            yield
            return
        give_up = None if max_wait is None else time.monotonic() + max_wait
        held[key] = self._acquire(key, give_up, self._lease)
        try:
            yield
        finally:
            self._give_back(held.pop(key), key)

    def start(self, host: str, delay: float, max_wait: float | None) -> None:
        """Wait until this thread's slot may start a request: `delay x host_concurrency`
        seconds after that slot's previous start."""
        slot = self._held().get(host_key(host))
        if slot is None:
            return
        slot.spacing = delay * self._concurrency
        wait = _ready_at(slot) - time.monotonic()
        if wait > 0:
            if max_wait is not None and wait > max_wait:
                raise TooLongAWait(wait)
            self._sleep(wait)
        slot.last_start = time.monotonic()

    def _acquire(self, key: str, give_up: float | None, lease: float) -> _Slot | None:
        """A slot of host `key` for a lease of `lease` seconds (None: the limit is switched
        off). A cooling slot whose spacing is over is taken over; while the process holds
        fewer than `host_concurrency` slots of the host and the server has not just refused
        one, the server is asked for another (once, when a cooling slot could be waited for
        instead: so one thread's run of requests alternates between slots at the full rate);
        else the cooling slot that is ready first, or the first one given back here, or the
        server's after its Retry-After, whichever comes first."""
        while True:
            now = time.monotonic()
            with self._changed:
                cooling = self._cooling.setdefault(key, [])
                ready = min(cooling, key=_ready_at, default=None)
                full = self._taken.get(key, 0) >= self._concurrency
                denied_until = self._denied_until.get(key, 0.0)
                if ready is not None and (_ready_at(ready) <= now or full or denied_until > now):
                    cooling.remove(ready)
                elif full or denied_until > now:  # nothing to take over, nor to ask for
                    until = now + 1.0 if full else denied_until
                    if give_up is not None and until > give_up:
                        if now >= give_up:
                            raise TooLongAWait(until - now)
                        until = give_up
                    self._changed.wait(until - now)
                    continue
                else:
                    ready = None
            if ready is not None:
                slot = self._take_over(ready, key, lease)
                if slot is not None:
                    return slot
                continue
            try:
                lease_id = self._ask(self._ensure(key), lease)
            except _Denied as denied:
                with self._changed:
                    self._denied_until[key] = time.monotonic() + denied.seconds
                continue
            if lease_id is None:
                return None
            with self._changed:
                self._taken[key] = self._taken.get(key, 0) + 1
            return _Slot(lease_id, time.monotonic() + lease)

    def _take_over(self, slot: _Slot, key: str, lease: float) -> _Slot | None:
        """`slot`, just taken from the cooling ones, good for `lease` more seconds (None: its
        lease is gone)."""
        assert slot.timer is not None
        slot.timer.cancel()  # ours now: the timer finds it gone from the pool
        slot.timer = None
        if slot.expires - time.monotonic() >= lease - LEASE_MARGIN / 2:
            return slot
        if self._extend(slot, key, lease):
            return slot
        self._forget(key)
        return None

    def _extend(self, slot: _Slot, key: str, seconds: float) -> bool:
        """Renew `slot`'s lease for `seconds`; False when the server would not."""
        try:
            with self._calling() as api:
                api.renew_concurrency_lease(slot.lease, seconds)
        except httpx.HTTPError as exc:
            log.warning("%s: could not renew its slot's lease (%s)", key, exc)
            return False
        slot.expires = time.monotonic() + seconds
        return True

    def _give_back(self, slot: _Slot | None, key: str) -> None:
        """Let `slot` cool down until its spacing since its last start is over and LINGER
        seconds have passed (its lease extended first if it would run out meanwhile), for the
        process's next request to the host; then a timer releases it."""
        if slot is None:
            return
        wait = max(_ready_at(slot) - time.monotonic(), LINGER)
        if slot.expires - time.monotonic() < wait + LEASE_MARGIN / 2:
            self._extend(slot, key, wait + LEASE_MARGIN)
        slot.timer = threading.Timer(wait, self._cooled, (slot, key))
        slot.timer.daemon = True
        with self._changed:
            self._cooling.setdefault(key, []).append(slot)
            self._changed.notify_all()
        slot.timer.start()

    def _cooled(self, slot: _Slot, key: str) -> None:
        with self._changed:
            cooling = self._cooling.get(key, [])
            if slot not in cooling:
                return  # taken over by a request meanwhile
            cooling.remove(slot)
        self._release(slot.lease, key)

    def _held(self) -> dict[str, _Slot | None]:
        held: dict[str, _Slot | None] | None = getattr(self._local, "held", None)
        if held is None:
            held = self._local.held = {}
        return held

    def close(self) -> None:
        """Release the slots cooling down as soon as their spacing is over; close the client."""
        with self._changed:
            cooling = [(key, slot) for key, pool in self._cooling.items() for slot in pool]
            self._cooling.clear()
        for key, slot in sorted(cooling, key=lambda c: _ready_at(c[1])):
            if slot.timer is not None:
                slot.timer.cancel()
            self._sleep(max(0.0, _ready_at(slot) - time.monotonic()))
            self._release(slot.lease, key)
        with self._one_call:
            client, self._client = self._client, None
        if client is not None and self._own_client:
            client.__exit__(None, None, None)

    @contextmanager
    def _calling(self) -> Iterator[SyncPrefectClient]:
        """The client (opened on first use), for one call at a time from this process: the
        server (on SQLite by default) answers concurrent writes with 503s, which Prefect's
        client retries after seconds of back-off."""
        with self._one_call:
            if self._client is None:
                client = get_client(sync_client=True)
                try:
                    client.__enter__()
                except httpx.HTTPError as exc:
                    raise _unavailable("server", exc) from None
                self._client = client
            yield self._client

    def _ensure(self, key: str) -> str:
        """Create or update the slots limit of host `key` (once per process and setting);
        its name."""
        name, slots = SLOTS + key, self._concurrency
        if self._ensured.get(name) == slots:
            return name
        try:
            with self._calling() as api:
                self._make(api, name, slots)
        except httpx.HTTPError as exc:
            raise _unavailable(name, exc) from None
        self._ensured[name] = slots
        return name

    @staticmethod
    def _make(api: SyncPrefectClient, name: str, slots: int) -> None:
        try:
            current = api.read_global_concurrency_limit_by_name(name)
        except ObjectNotFound:
            try:
                api.create_global_concurrency_limit(
                    GlobalConcurrencyLimitCreate(name=name, limit=slots)
                )
            except ObjectAlreadyExists:  # another worker made it meanwhile
                current = api.read_global_concurrency_limit_by_name(name)
            else:
                current = None
        if current is not None and current.limit != slots:
            api.update_global_concurrency_limit(name, GlobalConcurrencyLimitUpdate(limit=slots))

    def _ask(self, name: str, lease: float) -> UUID | None:
        """One try at a slot of `name` under a lease of `lease` seconds: the lease id (None:
        the limit is switched off); `_Denied` with the server's Retry-After."""
        try:
            with self._calling() as api:
                answer: dict[str, Any] = api.increment_concurrency_slots_with_lease(
                    names=[name], slots=1, mode="concurrency", lease_duration=lease
                ).json()
        except httpx.HTTPStatusError as exc:
            if exc.response.status_code != LOCKED:
                raise _unavailable(name, exc) from None
            raise _Denied(float(exc.response.headers.get("Retry-After", 1.0))) from None
        except httpx.HTTPError as exc:
            raise _unavailable(name, exc) from None
        return UUID(answer["lease_id"]) if answer.get("limits") else None

    def _forget(self, key: str) -> None:
        with self._changed:
            self._taken[key] -= 1
            self._changed.notify_all()

    def _release(self, lease: UUID, key: str) -> None:
        self._forget(key)
        try:
            with self._calling() as api:
                api.release_concurrency_slots_with_lease(lease)
        except httpx.HTTPError as exc:  # the lease expires on its own
            log.warning("%s: could not release its slot (%s); its lease expires", key, exc)


def _unavailable(name: str, exc: httpx.HTTPError) -> SharedLimitsUnavailable:
    if isinstance(exc, httpx.HTTPStatusError):
        cause = f"HTTP {exc.response.status_code}"
    else:
        cause = type(exc).__name__
    return SharedLimitsUnavailable(
        f"the Prefect concurrency limits ({name}) are unavailable: {cause}"
    )
