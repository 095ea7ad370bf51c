"""What keeps hostile archive content harmless, and the token for non-loopback binds.

- `PAGE_CSP` on every response of the viewer: scripts and styles from the app only, no
  inline script, no plugin, no framing of the viewer, frames only from the app itself (the
  sandboxed capture). Templates autoescape every value, so archive text is text.
- `CAPTURE_CSP` on the raw capture path (`/raw/...`): `sandbox` (an opaque origin, no
  script, no form, no popup, whatever the archived HTML says) and nothing loaded from
  anywhere (an archived page must not call home when it is looked at); framable by the
  viewer only.
- `SecurityHeaders` adds them (and nosniff, no referrer) as pure ASGI middleware; a route
  that set its own policy (the capture) keeps it.
- `TokenGate`: with a token, every request needs it (`Authorization: Bearer`, the cookie it
  sets, or `?token=` once, which sets the cookie and redirects to the same URL without it).
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, urlencode

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
CAPTURE_CSP = (
    "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
)
COOKIE = "palimpsest_token"
_COMMON = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


def is_loopback(host: str) -> bool:
    """True for localhost and any 127.0.0.0/8 or ::1 address."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", PAGE_CSP.encode()))
                    headers.append((b"x-frame-options", b"DENY"))
                headers.extend(h for h in _COMMON if h[0] not in names)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class TokenGate:
    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.token = token.encode()

    def _ok(self, candidate: str | None) -> bool:
        return candidate is not None and hmac.compare_digest(candidate.encode(), self.token)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        bearer = headers.get("authorization", "")
        cookies = SimpleCookie(headers.get("cookie", ""))
        if (bearer.startswith("Bearer ") and self._ok(bearer[7:])) or (
            COOKIE in cookies and self._ok(cookies[COOKIE].value)
        ):
            await self.app(scope, receive, send)
            return
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        given = [v for k, v in query if k == "token"]
        if given and self._ok(given[-1]):
            rest = urlencode([(k, v) for k, v in query if k != "token"])
            path = "/" + (scope.get("root_path", "") + scope["path"]).lstrip("/")  # never //host
            location = path + (f"?{rest}" if rest else "")
            cookie = f"{COOKIE}={given[-1]}; Path=/; HttpOnly; SameSite=Strict"
            await _respond(
                send, 303, b"", [(b"location", location.encode()), (b"set-cookie", cookie.encode())]
            )
            return
        body = (
            b"This Palimpsest viewer needs its token (PALIMPSEST_SERVE_TOKEN): open it once "
            b"with ?token=... or send Authorization: Bearer ...\n"
        )
        await _respond(send, 401, body, [(b"content-type", b"text/plain; charset=utf-8")])


async def _respond(
    send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]]
) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
