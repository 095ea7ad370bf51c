"""Name the real cause of a transport failure: refused, DNS, TLS, timeout, reset.

httpx wraps the operating system's error twice (httpx.ConnectError <- httpcore.ConnectError
<- ConnectionRefusedError / socket.gaierror / ssl.SSLError); the reason a user reads should
say which one it was, in words, with the system's own message in brackets.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator

import httpx

_TIMEOUTS: dict[type[httpx.TimeoutException], str] = {
    httpx.ConnectTimeout: "connection timed out",
    httpx.ReadTimeout: "timed out waiting for the server",
    httpx.WriteTimeout: "timed out sending the request",
    httpx.PoolTimeout: "timed out waiting for a free connection",
}


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def describe(exc: BaseException) -> str:
    """`Name: message` of `exc` (its name alone when it has no message)."""
    text = str(exc).strip()
    name = type(exc).__name__
    return f"{name}: {text}" if text else name


def network_cause(exc: httpx.HTTPError) -> str:
    """A short reason for `exc`, the cause first: `connection refused`, `DNS lookup failed
    (Name or service not known)`, `TLS certificate not trusted (...)`, `connection timed out`."""
    for cause in _chain(exc):
        if isinstance(cause, httpx.TimeoutException):
            kind = next((w for t, w in _TIMEOUTS.items() if isinstance(cause, t)), "timed out")
            return kind
        if isinstance(cause, socket.gaierror):
            return f"DNS lookup failed ({cause.strerror or cause})"
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
        if isinstance(cause, ConnectionResetError):
            return "connection reset by the server"
        if isinstance(cause, ssl.SSLCertVerificationError):
            return f"TLS certificate not trusted ({cause.verify_message or cause.reason})"
        if isinstance(cause, ssl.SSLError):
            return f"TLS handshake failed ({cause.reason or cause})"
        if isinstance(cause, TimeoutError):
            return "timed out"
    return describe(exc)
