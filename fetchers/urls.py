"""URL normalisation: the one place that decides which URLs the fetcher accepts."""

from __future__ import annotations

import ipaddress
import re

import httpx
from palimpsest.fetchers.errors import InvalidURL

_DEFAULT_PORTS = {"http": 80, "https": 443}
_HOST_LABELS = re.compile(
    r"^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*\.?$"
)


def normalize_url(url: str) -> str:
    """Return the canonical form of an absolute http(s) URL, or raise `InvalidURL`.

    Lower-cases scheme and host, encodes an internationalised host as IDNA, drops the default
    port and the fragment (never sent to servers), percent-encodes what must be, and gives an
    empty path as "/". Query strings are kept verbatim: their order can matter to servers.
    """
    if not isinstance(url, str) or not url.strip():
        raise InvalidURL(str(url), "empty URL")
    text = url.strip()
    try:
        parsed = httpx.URL(text)
    except (httpx.InvalidURL, ValueError, TypeError, UnicodeError) as exc:
        raise InvalidURL(text, f"malformed URL ({exc})") from None
    scheme = parsed.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        what = f"scheme {scheme!r}" if scheme else "a relative URL"
        raise InvalidURL(text, f"only http and https URLs can be archived, not {what}")
    if not parsed.host:
        raise InvalidURL(text, "URL has no host")
    if parsed.userinfo:
        # Credentials would end up in the archive, logs and reports: refuse them outright.
        raise InvalidURL(_redact(text), "URLs with embedded credentials are not archived")
    port = parsed.port
    if port is not None and not 0 < port < 65536:
        raise InvalidURL(text, f"port {port} is out of range")
    if port == _DEFAULT_PORTS[scheme]:
        port = None
    try:
        parsed = parsed.copy_with(scheme=scheme, port=port, fragment=None)
        host = parsed.raw_host.decode("ascii").lower()
    except (httpx.InvalidURL, ValueError, UnicodeError) as exc:
        raise InvalidURL(text, f"malformed URL ({exc})") from None
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    elif not _HOST_LABELS.match(host) and not _is_ip(host):
        raise InvalidURL(text, f"invalid host {host!r}")
    netloc = host if port is None else f"{host}:{port}"
    path = parsed.raw_path.decode("ascii") or "/"
    if not path.startswith("/"):
        path = "/" + path
    return f"{scheme}://{netloc}{path}"


def origin(url: str) -> str:
    """scheme://host[:port] of an already normalised URL (the robots.txt / politeness key)."""
    parsed = httpx.URL(url)
    port = parsed.port
    host = parsed.raw_host.decode("ascii")
    if ":" in host:
        host = f"[{host}]"
    return f"{parsed.scheme}://{host}" + (f":{port}" if port is not None else "")


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _redact(url: str) -> str:
    """The URL with any user:password@ part replaced, so errors never carry credentials."""
    return re.sub(r"^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@]*@", r"\1***@", url)
