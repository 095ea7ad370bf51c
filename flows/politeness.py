"""Per-host politeness across workers, in Prefect's global concurrency limits.

With a Prefect server, every worker's fetcher takes each request's slot here as well as in
its own process (fetchers/politeness.py), under two limits per host, created on first use:

- `palimpsest-host:<host>`: `host_concurrency` slots; a request holds one under a lease (its
  fetch deadline plus a margin), released when the response is read; a batch of one host's
  URLs holds one for all of them (`hold_host`, its lease renewed meanwhile). The server
  revokes the lease of a worker that died holding it: a host is never blocked for longer.
- `palimpsest-host-delay:<host>` (when the delay is > 0): one slot that decays in `delay`
  seconds, taken as a rate limit just before the request starts, so starts to the host are
  at least `delay` apart whichever worker makes them; nothing to release.

`<host>` is the host name (IDNA, lower case) and its port when not the scheme's default:
never credentials, a path or a character Prefect refuses in a name. A request costs one to
three API calls (take the slot, take the delay, release the slot); a denied call waits the
`Retry-After` the server sends. Retry-After back-off from a site (`HostGate.defer`) stays per
process. Plain client calls: Prefect's `concurrency()` helper costs ~50 ms of CPU per use.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
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
DELAY = "palimpsest-host-delay:"
MIN_LEASE = 60.0  # the shortest lease the server grants
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


class PrefectHostLimits:
    """`fetchers.politeness.SharedLimits` in the global concurrency limits of the Prefect
    server the settings point at; one client for all the threads of a fetcher."""

    def __init__(self, settings: FetchSettings, client: SyncPrefectClient | None = None) -> None:
        self._concurrency = settings.host_concurrency
        self._lease = max(MIN_LEASE, settings.deadline + LEASE_MARGIN)
        self._client = client
        self._own_client = client is None
        self._lock = threading.Lock()
        self._ensured: dict[str, tuple[int, float]] = {}  # limit name -> (slots, decay)
        self._local = threading.local()  # .held: the host keys this thread holds a slot of

    @contextmanager
    def slot(self, host: str, max_wait: float | None) -> Iterator[None]:
        key = host_key(host)
        if key in self._held():
            yield
            return
        give_up = None if max_wait is None else time.monotonic() + max_wait
        name = self._ensure(SLOTS + key, self._concurrency, 0.0)
        lease = self._take(name, give_up, self._lease)
        try:
            yield
        finally:
            if lease is not None:
                self._release(lease, key)

    def start(self, host: str, delay: float, max_wait: float | None) -> None:
        if delay > 0:
            give_up = None if max_wait is None else time.monotonic() + max_wait
            self._take(self._ensure(DELAY + host_key(host), 1, 1.0 / delay), give_up, None)

    @contextmanager
    def hold_host(self, host: str) -> Iterator[None]:
        """One slot for this thread's requests to `host` until the end, under a lease of
        MIN_LEASE seconds renewed by a thread of its own meanwhile (so a dead worker's slot
        is free within about a minute). If it cannot be had, each request takes its own."""
        key = host_key(host)
        held = self._held()
        lease = None
        if key not in held:
            try:
                lease = self._take(
                    self._ensure(SLOTS + key, self._concurrency, 0.0), None, MIN_LEASE
                )
            except SharedLimitsUnavailable as exc:
                log.warning("%s (each request takes its own slot)", exc)
        if lease is None:
            yield
            return
        stop = threading.Event()
        renewal = threading.Thread(target=self._renew, args=(lease, key, stop), daemon=True)
        renewal.start()
        held.add(key)
        try:
            yield
        finally:
            held.discard(key)
            stop.set()
            self._release(lease, key)

    def _renew(self, lease: UUID, key: str, stop: threading.Event) -> None:
        while not stop.wait(MIN_LEASE / 2):
            try:
                self._api().renew_concurrency_lease(lease, MIN_LEASE)
            except httpx.HTTPError as exc:  # tried again in half a lease
                log.warning("%s: could not renew its slot's lease (%s)", key, exc)

    def _held(self) -> set[str]:
        held: set[str] | None = getattr(self._local, "held", None)
        if held is None:
            held = self._local.held = set()
        return held

    def close(self) -> None:
        with self._lock:
            client, self._client = self._client, None
        if client is not None and self._own_client:
            client.__exit__(None, None, None)

    def _api(self) -> SyncPrefectClient:
        with self._lock:
            if self._client is None:
                client = get_client(sync_client=True)
                try:
                    client.__enter__()
                except httpx.HTTPError as exc:
                    raise _unavailable("server", exc) from None
                self._client = client
            return self._client

    def _ensure(self, name: str, slots: int, decay: float) -> str:
        """Create or update limit `name` (once per process and setting); `name`."""
        wanted = (slots, decay)
        if self._ensured.get(name) == wanted:
            return name
        api = self._api()
        try:
            try:
                current = api.read_global_concurrency_limit_by_name(name)
            except ObjectNotFound:
                try:
                    api.create_global_concurrency_limit(
                        GlobalConcurrencyLimitCreate(
                            name=name, limit=slots, slot_decay_per_second=decay
                        )
                    )
                except ObjectAlreadyExists:  # another worker made it meanwhile
                    current = api.read_global_concurrency_limit_by_name(name)
                else:
                    current = None
            if current is not None and (current.limit, current.slot_decay_per_second) != wanted:
                api.update_global_concurrency_limit(
                    name, GlobalConcurrencyLimitUpdate(limit=slots, slot_decay_per_second=decay)
                )
        except httpx.HTTPError as exc:
            raise _unavailable(name, exc) from None
        self._ensured[name] = wanted
        return name

    def _take(self, name: str, give_up: float | None, lease: float | None) -> UUID | None:
        """Take a slot of `name` (under a lease of `lease` seconds, or as a rate limit when
        None), waiting as the server says; the lease id (None: the limit is switched off)."""
        api = self._api()
        while True:
            try:
                if lease is None:
                    api.increment_concurrency_slots(names=[name], slots=1, mode="rate_limit")
                    return None
                answer: dict[str, Any] = api.increment_concurrency_slots_with_lease(
                    names=[name], slots=1, mode="concurrency", lease_duration=lease
                ).json()
                return UUID(answer["lease_id"]) if answer.get("limits") else None
            except httpx.HTTPStatusError as exc:
                if exc.response.status_code != LOCKED:
                    raise _unavailable(name, exc) from None
                wait = float(exc.response.headers.get("Retry-After", 1.0))
            except httpx.HTTPError as exc:
                raise _unavailable(name, exc) from None
            if give_up is not None and time.monotonic() + wait > give_up:
                raise TooLongAWait(wait)
            time.sleep(wait)

    def _release(self, lease: UUID, key: str) -> None:
        try:
            self._api().release_concurrency_slots_with_lease(lease)
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
