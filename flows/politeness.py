"""Per-host politeness across workers, in Prefect's global concurrency limits.

With a Prefect server, every worker's fetcher takes each request's slot here as well as in
its own process (fetchers/politeness.py), under two limits per host, created on first use:

- `palimpsest-host:<host>`: `host_concurrency` slots; a request holds one under a lease (no
  longer than its fetch deadline plus a margin), released when the response is read. The
  server revokes the lease of a worker that died holding it, so a host is never blocked for
  longer than the lease.
- `palimpsest-host-delay:<host>` (when `host_delay` > 0): one slot that decays in `delay`
  seconds, taken as a rate limit just before the request starts, so starts to the host are
  at least `delay` apart whichever worker makes them. Nothing to release: a dead worker
  leaves nothing behind.

`<host>` is the host name (IDNA, lower case) and its port when not the scheme's default:
never credentials, a path or a character Prefect refuses in a name. Each request costs three
API calls (take the delay, take the slot, release it); a denied call waits the `Retry-After`
the server sends. Retry-After back-off from a site (`HostGate.defer`) stays per process.
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

    @contextmanager
    def hold(self, host: str, delay: float, max_wait: float | None) -> Iterator[None]:
        key = host_key(host)
        give_up = None if max_wait is None else time.monotonic() + max_wait
        slots = self._ensure(SLOTS + key, self._concurrency, 0.0)
        lease = self._take(slots, give_up, self._lease)
        try:
            if delay > 0:
                self._take(self._ensure(DELAY + key, 1, 1.0 / delay), give_up, None)
            yield
        finally:
            if lease is not None:
                self._release(lease, key)

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
        if self._ensured.get(name) == (slots, decay):
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
            if current is not None and (current.limit, current.slot_decay_per_second) != (
                slots,
                decay,
            ):
                api.update_global_concurrency_limit(
                    name, GlobalConcurrencyLimitUpdate(limit=slots, slot_decay_per_second=decay)
                )
        except httpx.HTTPError as exc:
            raise _unavailable(name, exc) from None
        self._ensured[name] = (slots, decay)
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
