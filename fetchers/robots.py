"""robots.txt policy (RFC 9309) with a per-origin cache and a TTL.

The cache does not do HTTP itself: it calls `load(origin)`, which the `Fetcher` implements
with its own client, politeness slots and retries, and which returns `(status, body)` or raises
`FetchError` when robots.txt could not be retrieved at all. Verdicts, following RFC 9309 2.3.1:

- 2xx: the file is parsed with protego and its rules for our product token apply;
- 4xx other than 429 (or more redirects than allowed): there is no usable robots.txt, so
  everything is allowed;
- 429, 5xx or a network failure: robots.txt is unreachable, so everything is disallowed. That
  verdict is cached for at most `error_ttl` (5 minutes by default) so a transient outage does
  not block a host for a whole `ttl`;
- a refused address or the URL's deadline passing is raised as is, and not cached.

One lock per origin makes concurrent threads wait for a single robots.txt download instead of
each fetching it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from palimpsest.fetchers.errors import DeadlineExceeded, FetchError, ForbiddenAddress
from protego import Protego

log = logging.getLogger(__name__)
MAX_ROBOTS_BYTES = 500 * 1024  # RFC 9309 2.5: parse at least 500 KiB; ignore the rest


@dataclass(frozen=True)
class Verdict:
    """A cached robots.txt outcome for one origin."""

    rules: Protego | None  # None: no rules apply (allow all) unless `unreachable`
    unreachable: str | None  # why robots.txt counts as "disallow all", or None
    expires: float
    crawl_delay: float | None = None

    def allows(self, url: str, agent: str) -> bool:
        if self.unreachable is not None:
            return False
        return self.rules is None or self.rules.can_fetch(url, agent)


def product_token(user_agent: str) -> str:
    """The product token robots.txt groups are matched against ("Palimpsest" in
    "Palimpsest/0.1 (+https://...)"). Matching the whole header would let unrelated groups
    match words in the contact URL."""
    token = user_agent.strip().split("/", 1)[0].split()[0] if user_agent.strip() else ""
    return token or user_agent


class RobotsCache:
    """Per-origin robots.txt verdicts, refreshed after `ttl` seconds (by `clock`)."""

    def __init__(
        self,
        load: Callable[[str], tuple[int, bytes]],
        user_agent: str,
        ttl: float,
        clock: Callable[[], float],
        error_ttl: float = 300.0,
    ) -> None:
        self._load = load
        self._agent = product_token(user_agent)
        self._ttl = ttl
        self._error_ttl = min(error_ttl, ttl)
        self._clock = clock
        self._lock = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}
        self._verdicts: dict[str, Verdict] = {}

    def verdict(self, origin: str) -> Verdict:
        """The current verdict for `origin` (scheme://host[:port]), loading it if stale."""
        with self._lock:
            lock = self._locks.setdefault(origin, threading.Lock())
        with lock:
            cached = self._verdicts.get(origin)
            if cached is not None and cached.expires > self._clock():
                return cached
            verdict = self._fetch(origin)
            self._verdicts[origin] = verdict
            return verdict

    def check(self, url: str, origin: str) -> str | None:
        """None when `url` may be fetched, otherwise the reason (it names robots.txt)."""
        verdict = self.verdict(origin)
        if verdict.allows(url, self._agent):
            return None
        if verdict.unreachable is not None:  # the cause first: it is what the user can act on
            return f"{verdict.unreachable} (robots.txt unreachable, so not fetched: RFC 9309)"
        return f"disallowed by robots.txt for user agent {self._agent!r}"

    def crawl_delay(self, origin: str) -> float | None:
        """The Crawl-delay robots.txt asks of our agent, if any (from the cached verdict)."""
        return self.verdict(origin).crawl_delay

    def _fetch(self, origin: str) -> Verdict:
        robots_url = f"{origin}/robots.txt"
        try:
            status, body = self._load(origin)
        except (ForbiddenAddress, DeadlineExceeded):
            raise  # about the host or this URL's time, not robots.txt: never cached
        except FetchError as exc:
            return self._unreachable(f"{exc.reason} fetching {robots_url}")
        if 200 <= status < 300:
            text = body[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace")
            rules = Protego.parse(text)
            delay = rules.crawl_delay(self._agent)
            return Verdict(rules, None, self._clock() + self._ttl, delay)
        if 300 <= status < 500 and status != 429:  # 3xx here: redirects exhausted
            return Verdict(None, None, self._clock() + self._ttl)
        return self._unreachable(f"HTTP {status} from {robots_url}")

    def _unreachable(self, why: str) -> Verdict:
        log.warning("%s: treating the host as disallowed for %g s", why, self._error_ttl)
        return Verdict(None, why, self._clock() + self._error_ttl)
