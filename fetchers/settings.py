"""Fetch settings: plain values, filled in by `palimpsest.settings` (never from the environment)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

DEFAULT_USER_AGENT = "Palimpsest/0.1 (+https://github.com/palimpsest-archive/palimpsest)"


@dataclass(frozen=True)
class FetchSettings:
    """How a `Fetcher` behaves. Defaults are conservative: a scheduled archiver is a guest.

    - `timeout`: seconds for each of connect / read / write / pool acquisition.
    - `transfer_timeout`: seconds a body may take in total once the headers are in; guards
      against servers that drip a byte just often enough to beat `timeout`.
    - `max_bytes`: cap on the (decoded) body; a larger response fails with `TooLarge`.
    - `retries`: extra attempts after the first, for timeouts, connection errors, truncated
      bodies, 429 and 5xx; the wait is exponential (`backoff_base * 2**n`) with full jitter, or
      the server's `Retry-After` capped at `retry_after_cap`.
    - `host_concurrency` / `host_delay`: per-host limit of simultaneous requests and minimum
      seconds between request starts, shared by every thread using one `Fetcher`.
    - `robots_ttl`: seconds a host's robots.txt verdict is cached; `obey_robots` turns it off
      (for tests and explicit operator overrides only).
    - `deadline`: total seconds one `fetch` may take, robots.txt, redirects, retries and
      waits included; every socket operation is clamped to it (`fetchers.guard`).
    - `allow_private` / `allow_link_local` / `allow_networks`: which addresses may be
      connected to, checked on the resolved address of every hop (`fetchers.guard`).
    """

    timeout: float = 30.0
    user_agent: str = DEFAULT_USER_AGENT
    max_bytes: int = 20 * 1024 * 1024
    max_redirects: int = 5
    retries: int = 3
    backoff_base: float = 0.5
    retry_after_cap: float = 60.0
    host_concurrency: int = 2
    host_delay: float = 1.0
    robots_ttl: float = 3600.0
    obey_robots: bool = True
    transfer_timeout: float = 30.0
    deadline: float = 60.0
    allow_private: bool = True
    allow_link_local: bool = False
    allow_networks: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        checks = {
            "timeout": self.timeout > 0,
            "transfer_timeout": self.transfer_timeout > 0,
            "deadline": self.deadline > 0,
            "allow_networks": all(_is_network(n) for n in self.allow_networks),
            "max_bytes": self.max_bytes > 0,
            "max_redirects": self.max_redirects >= 0,
            "retries": self.retries >= 0,
            "backoff_base": self.backoff_base >= 0,
            "retry_after_cap": self.retry_after_cap >= 0,
            "host_concurrency": self.host_concurrency >= 1,
            "host_delay": self.host_delay >= 0,
            "robots_ttl": self.robots_ttl >= 0,
            "user_agent": bool(self.user_agent.strip()),
        }
        bad = [name for name, ok in checks.items() if not ok]
        if bad:
            values = ", ".join(f"{name}={getattr(self, name)!r}" for name in bad)
            raise ValueError(f"invalid FetchSettings: {values}")


def _is_network(value: str) -> bool:
    try:
        ipaddress.ip_network(value, strict=False)
    except ValueError:
        return False
    return True
