"""`Fetcher`: one polite, bounded, retrying GET of an HTML page, redirects followed by hand.

Every hop of a redirect chain is normalised (http/https only), checked against robots.txt and
made through the host's politeness slot; each hop is retried on its own. httpx errors are
translated into `fetchers.errors` here and never escape.
"""

from __future__ import annotations

import contextlib
import logging
import random
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime
from typing import TypeVar

import httpx
from palimpsest.fetchers import guard
from palimpsest.fetchers.causes import describe, network_cause
from palimpsest.fetchers.encoding import EncodingError, LayerTooLarge, codings, decode_stream
from palimpsest.fetchers.errors import (
    DeadlineExceeded,
    FetchError,
    ForbiddenAddress,
    HTTPStatusError,
    InvalidURL,
    NetworkError,
    RobotsDisallowed,
    TooLarge,
    TooManyRedirects,
    TruncatedBody,
    UnsupportedEncoding,
)
from palimpsest.fetchers.headers import HTML_TYPES, check_content_type, content_length
from palimpsest.fetchers.politeness import (
    HostGate,
    SharedLimits,
    SharedLimitsUnavailable,
    TooLongAWait,
)
from palimpsest.fetchers.result import Fetched, Hop, Validators
from palimpsest.fetchers.retry import backoff, is_retryable_status, parse_retry_after
from palimpsest.fetchers.robots import MAX_ROBOTS_BYTES, RobotsCache
from palimpsest.fetchers.settings import FetchSettings
from palimpsest.fetchers.urls import normalize_url, origin
from palimpsest.text import charset_of, sniff
from palimpsest.text.redact import safe_url

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
ROBOTS_MAX_REDIRECTS = 5  # RFC 9309 2.3.1.2
ROBOTS_ACCEPT = "text/plain,*/*;q=0.5"
MAX_HOP_BODY = 64 * 1024  # a redirect's body is kept for its WARC record up to this size
T = TypeVar("T")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Redirect:
    target: str
    hop: Hop | None = None


class _Retry(Exception):
    """Internal: an attempt failed in a way worth retrying; `error` is raised when out of tries."""

    def __init__(self, error: FetchError, retry_after: float | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.retry_after = retry_after


class Fetcher:
    """Fetches pages politely; one instance is shared by all threads of a flow run.

    Thread-safe: the robots.txt cache and the per-host slots/delays are shared by every call,
    so N threads fetching from one host still make at most `host_concurrency` concurrent
    requests, started at least `host_delay` apart. `sleep` and `clock` (monotonic seconds) are
    injectable for tests; `rng` drives the backoff jitter. `shared` extends the per-host
    limits to every process sharing them (`politeness.SharedLimits`); `close()` closes them.
    """

    def __init__(
        self,
        client: httpx.Client,
        settings: FetchSettings,
        sleep: Callable[[float], None] = time.sleep,
        *,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
        shared: SharedLimits | None = None,
    ) -> None:
        self._client = client
        self._settings = settings
        self._rng = rng or random.Random()
        self._rng_lock = threading.Lock()
        self._gate = HostGate(settings.host_concurrency, settings.host_delay, sleep, clock, shared)
        self._robots = RobotsCache(
            self._load_robots, settings.user_agent, settings.robots_ttl, clock
        )

    def close(self) -> None:
        """Close the shared limits (the httpx client is the caller's)."""
        self._gate.close()

    def fetch(
        self, url: str, validators: Validators | None = None, accept: frozenset[str] = HTML_TYPES
    ) -> Fetched:
        """GET `url` (conditionally when `validators` are given) and return the capture.

        Returns a `Fetched` with a 2xx status and the decoded body, or status 304 when the
        server says the page is unchanged. Raises a `FetchError` subclass otherwise; no partial
        body is ever returned. The whole call ends within `settings.deadline` seconds.
        `accept`: the media types taken (HTML; discovery passes `FEED_TYPES` for feeds).
        """
        with guard.deadline(self._settings.deadline):
            return self._fetch(url, validators, accept)

    def _fetch(self, url: str, validators: Validators | None, accept: frozenset[str]) -> Fetched:
        started = time.perf_counter()
        first = normalize_url(url)
        current = first
        seen = {first}
        hops: list[Hop] = []
        for _hop in range(self._settings.max_redirects + 1):
            try:
                outcome = self._fetch_hop(current, validators, accept)
            except FetchError as exc:
                if current != first:
                    exc.redirected_from(first)
                raise
            if isinstance(outcome, Fetched):
                elapsed = time.perf_counter() - started
                return replace(outcome, url=first, hops=tuple(hops), elapsed=elapsed)
            if outcome.hop is not None:
                hops.append(outcome.hop)
            if outcome.target in seen:
                raise TooManyRedirects(first, f"redirect loop: {current} -> {outcome.target}")
            seen.add(outcome.target)
            current = outcome.target
        raise TooManyRedirects(
            first, f"more than {self._settings.max_redirects} redirects (last: {current})"
        )

    # -- one hop -------------------------------------------------------------------------

    def _fetch_hop(
        self, url: str, validators: Validators | None, accept: frozenset[str]
    ) -> Fetched | _Redirect:
        host = origin(url)
        crawl_delay = None
        if self._settings.obey_robots:
            refusal = self._robots.check(url, host)
            if refusal is not None:
                raise RobotsDisallowed(url, refusal)
            crawl_delay = self._robots.crawl_delay(host)
        if crawl_delay is not None:
            crawl_delay = min(crawl_delay, self._settings.retry_after_cap)
        # Validators are sent back byte for byte (they were decoded as latin-1).
        headers = {
            name: value.encode("latin-1", "replace")
            for name, value in (validators.request_headers() if validators else {}).items()
        }

        def attempt(number: int) -> Fetched | _Redirect:
            with self._slot(url, host, crawl_delay):
                fetched_at = datetime.now(UTC)
                with _Response(self._client, url, headers) as response:
                    return self._page(url, response, bool(headers), fetched_at, number, accept)

        return self._retrying(host, attempt)

    def _retrying(self, host: str, attempt: Callable[[int], T]) -> T:
        """Run `attempt(n)` until it succeeds, fails for good, or retries run out.

        Waits go through the host's schedule (`HostGate.defer`), so a Retry-After also holds
        back every other request to that host, and a retry still respects `host_delay`."""
        number = 0
        while True:
            number += 1
            try:
                return attempt(number)
            except _Retry as retry:
                left = guard.remaining()
                if left is not None and left <= 0:
                    raise self._deadline_error(retry.error) from None
                if number > self._settings.retries:
                    if self._settings.retries:
                        log.warning("%s (gave up after %d attempts)", retry.error, number)
                    raise retry.error from None
                cap = self._settings.retry_after_cap
                if retry.retry_after is not None:
                    wait = min(retry.retry_after, cap)
                else:
                    with self._rng_lock:
                        wait = backoff(number, self._settings.backoff_base, cap, self._rng)
                if left is not None and left <= wait:
                    raise self._deadline_error(retry.error) from None
                log.info(
                    "%s; retry %d of %d in %.2f s",
                    retry.error,
                    number,
                    self._settings.retries,
                    wait,
                )
                self._gate.defer(host, wait)

    def _deadline_error(self, last: FetchError) -> DeadlineExceeded:
        return DeadlineExceeded(
            last.url,
            f"no complete answer within the {self._settings.deadline:g} s deadline"
            f" (last: {last.reason})",
        )

    @contextlib.contextmanager
    def _slot(self, url: str, host: str, crawl_delay: float | None = None) -> Iterator[None]:
        """The host's politeness slot, unless waiting for it would outlast the deadline."""
        try:
            with self._gate.slot(host, crawl_delay, max_wait=guard.remaining()):
                yield
        except TooLongAWait as wait:
            reason = f"the host's politeness wait ({wait.seconds:.0f} s) outlasts the deadline"
            raise self._deadline_error(FetchError(url, reason)) from None
        except SharedLimitsUnavailable as down:
            raise FetchError(url, down.reason) from None

    def _page(
        self,
        url: str,
        response: httpx.Response,
        conditional: bool,
        fetched_at: datetime,
        attempts: int,
        accept: frozenset[str] = HTML_TYPES,
    ) -> Fetched | _Redirect:
        status = response.status_code
        if status in REDIRECT_STATUSES:
            target = _redirect_target(url, response)
            return _Redirect(target, _hop(url, response, _read_hop_body(response), fetched_at))
        if status == 304 and conditional:
            return _result(url, response, b"", b"", None, fetched_at, attempts)
        _raise_for_status(url, response)
        media_type = check_content_type(url, response.headers.get("Content-Type"), None, accept)
        raw, body = _read_body(
            url, response, self._settings.max_bytes, self._settings.transfer_timeout, truncate=False
        )
        if media_type is None:
            check_content_type(url, None, body, accept)
        encoding = sniff(body, charset_of(response.headers.get("Content-Type")))
        return _result(url, response, raw, body, encoding, fetched_at, attempts)

    # -- robots.txt ----------------------------------------------------------------------

    def _load_robots(self, robots_origin: str) -> tuple[int, bytes]:
        """GET {origin}/robots.txt with politeness and retries; (status, body).

        Raises FetchError when it cannot be retrieved; 429/5xx after retries come back as
        their status (the robots cache decides what they mean)."""
        url = f"{robots_origin}/robots.txt"
        accept = {"Accept": ROBOTS_ACCEPT.encode()}
        for _hop in range(ROBOTS_MAX_REDIRECTS + 1):
            host = origin(url)

            def attempt(
                _number: int, url: str = url, host: str = host
            ) -> tuple[int, bytes] | _Redirect:
                with self._slot(url, host), _Response(self._client, url, accept) as response:
                    if response.status_code in REDIRECT_STATUSES:
                        return _Redirect(_redirect_target(url, response))
                    if is_retryable_status(response.status_code):
                        _raise_for_status(url, response)
                    if not 200 <= response.status_code < 300:
                        return response.status_code, b""
                    _raw, body = _read_body(
                        url, response, MAX_ROBOTS_BYTES, self._settings.transfer_timeout, True
                    )
                    return response.status_code, body

            try:
                outcome = self._retrying(host, attempt)
            except HTTPStatusError as exc:
                return exc.status, b""
            if not isinstance(outcome, _Redirect):
                return outcome
            url = outcome.target
        # More than five redirects: RFC 9309 2.3.1.2 lets us treat robots.txt as unavailable,
        # which (like a 4xx) allows everything; report it as the 3xx it was.
        return 399, b""


class _Response:
    """Context manager around `client.stream` that translates httpx errors on send/close."""

    def __init__(self, client: httpx.Client, url: str, headers: dict[str, bytes]) -> None:
        # str names, bytes values (validators sent back byte for byte): httpx takes them
        self._cm = client.stream("GET", url, headers=headers)  # type: ignore[arg-type]
        self._url = url

    def __enter__(self) -> httpx.Response:
        try:
            return self._cm.__enter__()
        except httpx.RequestError as exc:  # timeouts, connect/read/write/protocol errors
            raise _Retry(NetworkError(self._url, network_cause(exc))) from None
        except httpx.InvalidURL as exc:
            raise InvalidURL(self._url, str(exc)) from None
        except guard.AddressRefused as exc:
            raise ForbiddenAddress(self._url, exc.reason) from None
        except UnicodeError as exc:
            # httpx prepares `next_request` for every 3xx (even unfollowed), decoding the
            # Location's host: a bad IDNA label there raises before we see the response.
            raise InvalidURL(self._url, f"redirects to an unusable URL ({exc})") from None

    def __exit__(self, *exc_info: object) -> None:
        # Closing a broken connection can raise; the attempt's own outcome stands.
        with contextlib.suppress(httpx.HTTPError):
            self._cm.__exit__(*exc_info)  # type: ignore[arg-type]


def _decode_raw(raw: list[tuple[bytes, bytes]]) -> list[tuple[str, str]]:
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, v in raw]


def _redirect_target(url: str, response: httpx.Response) -> str:
    location = response.headers.get("Location")
    if not location:
        raise HTTPStatusError(
            url, response.status_code, f"HTTP {response.status_code} without a Location header"
        )
    try:
        return normalize_url(str(response.url.join(location)))
    except (InvalidURL, httpx.InvalidURL) as exc:
        why = exc.reason if isinstance(exc, InvalidURL) else str(exc)
        shown = safe_url(location)
        raise InvalidURL(url, f"redirects to an unusable URL {shown!r}: {why}") from None


def _raise_for_status(url: str, response: httpx.Response) -> None:
    status = response.status_code
    if 200 <= status < 300:
        return
    error = HTTPStatusError(url, status, f"HTTP {status} {response.reason_phrase}".strip())
    if is_retryable_status(status):
        raise _Retry(error, parse_retry_after(response.headers.get("Retry-After")))
    raise error


def _peer_ip(response: httpx.Response) -> str | None:
    """The server address the response came from, when the transport exposes its socket."""
    stream = response.extensions.get("network_stream")
    try:
        address = stream.get_extra_info("server_addr") if stream is not None else None
    except (AttributeError, OSError):
        return None
    return str(address[0]) if isinstance(address, tuple) and address else None


def _hop(url: str, response: httpx.Response, raw: bytes, fetched_at: datetime) -> Hop:
    return Hop(
        url=url,
        status=response.status_code,
        reason=response.reason_phrase,
        http_version=response.http_version,
        request_headers=_decode_raw(response.request.headers.raw),
        headers=_decode_raw(response.headers.raw),
        raw=raw,
        fetched_at=fetched_at,
        peer_ip=_peer_ip(response),
    )


def _result(
    url: str,
    response: httpx.Response,
    raw: bytes,
    body: bytes,
    encoding: str | None,
    fetched_at: datetime,
    attempts: int,
) -> Fetched:
    hop = _hop(url, response, raw, fetched_at)
    values = {f.name: getattr(hop, f.name) for f in fields(Hop)}
    return Fetched(
        **values, final_url=url, body=body, encoding=encoding, elapsed=0.0, attempts=attempts
    )


def _raw_stream(response: httpx.Response) -> Iterator[bytes]:
    """The body's bytes as received. A response built in memory (`httpx.MockTransport` with
    `content=`) was already read by httpx when it was made; its stream still holds them."""
    if response.is_stream_consumed:
        yield from response.stream  # type: ignore[misc]
    else:
        yield from response.iter_raw()


def _read_hop_body(response: httpx.Response) -> bytes:
    """The first MAX_HOP_BODY bytes of a redirect's body as sent (for its record); a body
    that breaks off is kept as far as it came, since the redirect itself is what counts."""
    chunks: list[bytes] = []
    total = 0
    with contextlib.suppress(httpx.HTTPError):
        for chunk in _raw_stream(response):
            chunks.append(chunk[: MAX_HOP_BODY - total])
            total += len(chunks[-1])
            if total >= MAX_HOP_BODY:
                break
    return b"".join(chunks)


def _read_body(
    url: str, response: httpx.Response, limit: int, deadline: float, truncate: bool
) -> tuple[bytes, bytes]:
    """Stream the body as received and decoded, (raw, decoded), each at most `limit` bytes.

    The raw bytes are decoded here (`fetchers.encoding`), layer by layer, so no layer of a
    Content-Encoding chain can grow past `limit`. Over the limit: `TooLarge` (or, with
    `truncate`, what was decoded up to the limit). A body that ends before its Content-Length,
    breaks off, is corruptly encoded, or is still arriving `deadline` seconds after the
    headers (a slow drip that per-read timeouts never catch) raises a retryable
    `TruncatedBody`."""
    expected = content_length(response.headers)
    if expected is not None and expected > limit and not truncate:
        raise TooLarge(url, limit, expected)
    content_encoding = response.headers.get("Content-Encoding")
    try:
        encoded = bool(codings(content_encoding))
    except EncodingError as exc:
        raise UnsupportedEncoding(url, str(exc)) from None
    raw_chunks: list[bytes] = []
    give_up = time.monotonic() + deadline
    cut = False

    def received() -> Iterator[bytes]:
        nonlocal cut
        total = 0
        for chunk in _raw_stream(response):
            if time.monotonic() > give_up:
                raise _Retry(TruncatedBody(url, f"body still incomplete after {deadline:g} s"))
            total += len(chunk)
            if total > limit:
                if not truncate:
                    raise TooLarge(url, limit)
                cut = True
                return
            raw_chunks.append(chunk)
            yield chunk

    body: list[bytes] = []
    total = 0
    try:
        for piece in decode_stream(received(), content_encoding, limit):
            total += len(piece)
            if total > limit:
                if not truncate:
                    raise TooLarge(url, limit)
                body.append(piece[: limit - (total - len(piece))])
                cut = True
                break
            body.append(piece)
    except LayerTooLarge:
        if not truncate:
            raise TooLarge(url, limit) from None
        cut = True
    except EncodingError as exc:
        if not cut:
            raise _Retry(TruncatedBody(url, f"corrupt or truncated encoded body ({exc})")) from None
    except httpx.TimeoutException as exc:
        raise _Retry(TruncatedBody(url, _broke(response, expected, "timed out", exc))) from None
    except httpx.RequestError as exc:
        raise _Retry(TruncatedBody(url, _broke(response, expected, "broke off", exc))) from None
    received_bytes = sum(len(chunk) for chunk in raw_chunks)
    if expected is not None and received_bytes < expected and not cut:
        raise _Retry(TruncatedBody(url, f"body truncated: {received_bytes} of {expected} bytes"))
    raw = b"".join(raw_chunks)
    return raw, (b"".join(body) if encoded else raw[:limit])


def _broke(response: httpx.Response, expected: int | None, what: str, exc: Exception) -> str:
    of = f" of {expected}" if expected is not None else ""
    got = response.num_bytes_downloaded
    return f"body {what} after {got}{of} bytes ({describe(exc)})"
