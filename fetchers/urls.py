"""URL normalisation: the one place that decides which URLs the fetcher accepts."""

from __future__ import annotations

import ipaddress
import re

import httpx
import idna
from palimpsest.fetchers.errors import InvalidURL
from palimpsest.text.redact import safe_url

_DEFAULT_PORTS = {"http": 80, "https": 443}
MAX_HOST = 253  # RFC 1035 2.3.4: a name is at most 255 octets on the wire, 253 as text
MAX_LABEL = 63
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
    if not parsed.raw_host:  # (`.host` would IDNA-decode, and raise on a bad A-label)
        raise InvalidURL(text, "URL has no host")
    if parsed.userinfo:
        # Credentials would end up in the archive, logs and reports: refuse them outright
        # (the error shows the URL without them, as every FetchError does).
        raise InvalidURL(text, "URLs with embedded credentials are not archived")
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
    elif not _is_ip(host):
        problem = _host_problem(host)
        if problem:
            raise InvalidURL(text, f"invalid host {safe_url(host[:80])!r}: {problem}")
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


def _host_problem(host: str) -> str | None:
    """Why `host` (lower-case ASCII) cannot be a DNS name, or None (RFC 1035, RFC 5891)."""
    if len(host.rstrip(".")) > MAX_HOST:
        return f"longer than {MAX_HOST} characters"
    if not _HOST_LABELS.match(host):
        return "not a DNS name"
    for label in host.rstrip(".").split("."):
        if len(label) > MAX_LABEL:
            return f"a label is longer than {MAX_LABEL} characters"
        if label.startswith("xn--"):
            try:
                idna.decode(label)
            except idna.IDNAError as exc:
                return f"bad internationalised label {label!r} ({exc})"
    return None
