"""The httpx client factory: the only place a client for fetching is configured."""

from __future__ import annotations

import importlib.util

import httpcore
import httpx
from palimpsest.fetchers.encoding import ACCEPT_ENCODING
from palimpsest.fetchers.guard import AddressPolicy, GuardedBackend
from palimpsest.fetchers.settings import FetchSettings

ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"


def make_client(
    settings: FetchSettings,
    *,
    backend: httpcore.NetworkBackend | None = None,
    transport: httpx.BaseTransport | None = None,
) -> httpx.Client:
    """A client with the settings' timeouts and User-Agent, HTTP/2 when `h2` is present.

    Redirects are not followed by httpx: `Fetcher` follows them itself so that each hop is
    checked (scheme, robots.txt, politeness). The connection pool is sized so that the per-host
    limit, not the pool, is what bounds concurrency. Proxies from the standard environment
    variables are honoured (httpx `trust_env`), which operators behind a proxy rely on.

    Connections go through `backend`, by default a `GuardedBackend` with the settings'
    address policy (tests pass one with an injected resolver). httpx has no public hook for
    a network backend, so it is set on the transport's httpcore pool (httpx pinned < 0.29).
    A `transport` replaces all of that (an `httpx.MockTransport` in tests: nothing is sent,
    so nothing needs guarding); production code passes none.
    """
    if transport is None:
        pooled = httpx.HTTPTransport(
            http2=importlib.util.find_spec("h2") is not None,  # httpx needs h2 for HTTP/2
            limits=httpx.Limits(
                max_connections=max(100, settings.host_concurrency * 10),
                max_keepalive_connections=20,
            ),
        )
        policy = AddressPolicy(
            settings.allow_private, settings.allow_link_local, settings.allow_networks
        )
        pooled._pool._network_backend = backend or GuardedBackend(policy)
        transport = pooled
    return httpx.Client(
        transport=transport,
        timeout=httpx.Timeout(settings.timeout),
        # Only the codings `fetchers.encoding` decodes with a bound (httpx would add br/zstd
        # when their packages happen to be installed).
        headers={
            "User-Agent": settings.user_agent,
            "Accept": ACCEPT,
            "Accept-Encoding": ACCEPT_ENCODING,
        },
        follow_redirects=False,
    )
