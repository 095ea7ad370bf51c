"""The fetcher's network layer: which addresses it may connect to, and one deadline per URL.

`GuardedBackend` is the httpcore network backend of every client `make_client` builds. It
resolves the host itself, checks each address against the `AddressPolicy`, and connects to
the address it checked, so a redirect to an internal host, or a name that resolves (or
re-resolves, "DNS rebinding") to one, is refused before any packet is sent to it:

- link-local addresses (169.254.0.0/16, fe80::/10) and the cloud metadata endpoints
  (169.254.169.254, fd00:ec2::254) are refused unless `allow_link_local`;
- without `allow_private`, loopback, private, shared and other non-global ranges are too;
- `allow_networks` (CIDR strings) are always allowed: an intranet site, or a test server.

Every socket read, write, connect and TLS handshake is clamped to the calling thread's
deadline (`deadline()`), so headers dripped a byte a second or endless `100 Continue`
responses end when the URL's time is up, not when each read times out. With a proxy from
the environment the proxy resolves names; the policy then applies to the proxy's address.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpcore

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolve = Callable[[str, int], list[str]]
METADATA = frozenset(ipaddress.ip_address(a) for a in ("169.254.169.254", "fd00:ec2::254"))
_local = threading.local()


class AddressRefused(Exception):
    """Raised by the backend instead of connecting; `.reason` names the address and why."""

    def __init__(self, host: str, reason: str) -> None:
        super().__init__(f"{host}: {reason}")
        self.host = host
        self.reason = reason


class DeadlineReached(httpcore.TimeoutException):
    """The URL's total deadline passed during a network operation."""


@dataclass(frozen=True)
class AddressPolicy:
    allow_private: bool = True
    allow_link_local: bool = False
    allow_networks: tuple[str, ...] = ()

    def refusal(self, address: str) -> str | None:
        """Why connecting to `address` (an IP literal) is refused, or None when it is allowed."""
        ip: IPAddress = ipaddress.ip_address(address.split("%", 1)[0])
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        for network in self.allow_networks:
            if ip in ipaddress.ip_network(network, strict=False):
                return None
        if ip in METADATA or ip.is_link_local:
            if self.allow_link_local:
                return None
            what = "a cloud metadata address" if ip in METADATA else "link-local"
            return f"refused to connect to {ip}: {what} (PALIMPSEST_ALLOW_LINK_LOCAL=1 allows it)"
        if not self.allow_private and not ip.is_global:
            kind = "loopback" if ip.is_loopback else "private or reserved"
            return f"refused to connect to {ip}: {kind} (PALIMPSEST_ALLOW_PRIVATE=0)"
        return None


def system_resolve(host: str, port: int) -> list[str]:
    """The addresses `host` resolves to, in the resolver's order (an IP literal as itself)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise httpcore.ConnectError(f"cannot resolve {host!r} ({exc})") from exc
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


# -- the deadline ------------------------------------------------------------------------


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Bound every network operation of this thread by `seconds` from now (nesting keeps
    the earlier end)."""
    previous = getattr(_local, "until", None)
    until = time.monotonic() + seconds
    _local.until = until if previous is None else min(previous, until)
    try:
        yield
    finally:
        _local.until = previous


def remaining() -> float | None:
    """Seconds left of this thread's deadline, or None without one."""
    until = getattr(_local, "until", None)
    return None if until is None else until - time.monotonic()


def _clamp(timeout: float | None) -> float | None:
    left = remaining()
    if left is None:
        return timeout
    if left <= 0:
        raise DeadlineReached("the URL's deadline has passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _clamp(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _clamp(timeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        return _DeadlineStream(
            self._stream.start_tls(ssl_context, server_hostname, _clamp(timeout))
        )

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class GuardedBackend(httpcore.NetworkBackend):
    """Resolve, check, then connect to the checked address; `resolve` and `inner` (the
    backend that really connects) are injectable, so tests can refuse without sending."""

    def __init__(
        self,
        policy: AddressPolicy,
        resolve: Resolve = system_resolve,
        inner: httpcore.NetworkBackend | None = None,
    ) -> None:
        self.policy = policy
        self._resolve = resolve
        self._inner = inner or httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = self._resolve(host, port)
        allowed = [a for a in addresses if self.policy.refusal(a) is None]
        if not allowed:
            reason = self.policy.refusal(addresses[0]) if addresses else "resolves to nothing"
            raise AddressRefused(host, reason or "refused")
        error: Exception | None = None
        for address in allowed:
            try:
                stream = self._inner.connect_tcp(
                    address, port, _clamp(timeout), local_address, socket_options
                )
            except httpcore.ConnectError as exc:  # try the host's next address
                error = exc
                continue
            return _DeadlineStream(stream)
        assert error is not None
        raise error

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)
