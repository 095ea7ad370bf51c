"""Local HTTP servers for the fetcher tests, on 127.0.0.1 with a random port.

- `FixtureServer` serves well-behaved pages (validators, conditional GET, redirects, gzip,
  charsets); the recorded tests' cassettes were recorded against it.
- `FaultServer` misbehaves on request (status sequences, Retry-After, resets, truncated and
  stalled bodies, huge bodies, wrong types, redirect loops, robots.txt variants) and keeps a
  log of every request so tests can assert what was, and was not, asked for.

Both are plain `http.server` servers run in a thread; `stop()` shuts them down.
"""

from __future__ import annotations

import functools
import gzip
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

ARTICLE = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Harbour works</title></head>"
    "<body><article><h1>Harbour works begin</h1><p>Work on the harbour wall began on Monday,"
    " the council said. Café owners welcomed it.</p></article></body></html>"
).encode()
ARTICLE_ETAG = '"article-v1"'
ARTICLE_MODIFIED = "Mon, 02 Mar 2026 09:30:00 GMT"
CP1252_PAGE = (
    "<html><head><meta http-equiv='Content-Type' content='text/html; charset=windows-1252'>"
    "</head><body><p>\u201cQuoted\u201d \u2013 na\u00efve r\u00e9sum\u00e9</p></body></html>"
).encode("cp1252")
XHTML_PAGE = (
    b"<?xml version='1.0' encoding='iso-8859-2'?>\n<html xmlns='http://www.w3.org/1999/xhtml'>"
    b"<body><p>\xa3\xf3d\xbc</p></body></html>"
)


@dataclass(frozen=True)
class Seen:
    """One request as the server received it."""

    method: str
    path: str
    headers: dict[str, str]
    at: float


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # aborted connections are the point of the fault server; keep test output clean


class BaseServer:
    """A threaded HTTP server whose handler calls `self.handle(handler)`; logs every request.

    `host` is a loopback address (127.0.0.2 plays the "private" host in the SSRF tests)."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.requests: list[Seen] = []
        self.lock = threading.Lock()
        self.in_flight = 0
        self.max_in_flight = 0
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # no 40 ms delayed-ACK stalls between writes

            def do_GET(self) -> None:
                with owner.lock:
                    owner.requests.append(
                        Seen("GET", self.path, dict(self.headers.items()), time.monotonic())
                    )
                    owner.in_flight += 1
                    owner.max_in_flight = max(owner.max_in_flight, owner.in_flight)
                try:
                    owner.handle(self)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True
                finally:
                    with owner.lock:
                        owner.in_flight -= 1

            def log_message(self, format: str, *args: object) -> None:
                pass

        assert host.startswith("127."), "test servers stay on loopback"
        self._httpd = _Server((host, 0), Handler)
        self.port = self._httpd.server_address[1]
        self.base_url = f"http://{host}:{self.port}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def start(self) -> BaseServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def url(self, path: str) -> str:
        return self.base_url + path

    def paths(self) -> list[str]:
        with self.lock:
            return [seen.path for seen in self.requests]

    def count(self, path: str) -> int:
        return Counter(self.paths())[path]

    def handle(self, h: BaseHTTPRequestHandler) -> None:
        raise NotImplementedError


def send(
    h: BaseHTTPRequestHandler,
    status: int,
    body: bytes = b"",
    headers: list[tuple[str, str]] | None = None,
    content_type: str | None = "text/html; charset=utf-8",
) -> None:
    h.send_response(status)
    if content_type is not None:
        h.send_header("Content-Type", content_type)
    for key, value in headers or []:
        h.send_header(key, value)
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    h.wfile.write(body)


def not_modified(h: BaseHTTPRequestHandler, etag: str | None, modified: str | None) -> bool:
    """RFC 9110 13.2.2: If-None-Match wins over If-Modified-Since."""
    inm = h.headers.get("If-None-Match")
    if inm is not None:
        return etag is not None and etag in [tag.strip() for tag in inm.split(",")]
    ims = h.headers.get("If-Modified-Since")
    if ims is not None and modified is not None:
        try:
            return parsedate_to_datetime(modified) <= parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False
    return False


class FixtureServer(BaseServer):
    """Well-behaved pages; see the module docstring."""

    def handle(self, h: BaseHTTPRequestHandler) -> None:
        path = urlsplit(h.path).path
        if path == "/robots.txt":
            robots = b"User-agent: *\nDisallow: /private/\n"
            send(h, 200, robots, content_type="text/plain")
        elif path == "/article":
            validators = [("ETag", ARTICLE_ETAG), ("Last-Modified", ARTICLE_MODIFIED)]
            if not_modified(h, ARTICLE_ETAG, ARTICLE_MODIFIED):
                h.send_response(304)
                for key, value in validators:
                    h.send_header(key, value)
                h.end_headers()
            else:
                send(h, 200, ARTICLE, validators)
        elif path == "/dated":
            if not_modified(h, None, ARTICLE_MODIFIED):
                h.send_response(304)
                h.end_headers()
            else:
                send(h, 200, ARTICLE, [("Last-Modified", ARTICLE_MODIFIED)])
        elif path == "/moved":
            send(h, 301, b"", [("Location", "/hop")])
        elif path == "/hop":
            send(h, 302, b"", [("Location", "article?from=hop")])
        elif path == "/gzipped":
            send(h, 200, gzip.compress(ARTICLE, mtime=0), [("Content-Encoding", "gzip")])
        elif path == "/cp1252":
            send(h, 200, CP1252_PAGE, content_type="text/html")
        elif path == "/xhtml":
            send(h, 200, XHTML_PAGE, content_type="application/xhtml+xml")
        elif path == "/data.json":
            send(h, 200, b'{"a": 1}', content_type="application/json")
        else:
            send(h, 404, b"<html><body>not found</body></html>")


Scenario = Callable[[BaseHTTPRequestHandler, dict[str, str], int], None]


class FaultServer(BaseServer):
    """Misbehaving endpoints, chosen by path; query parameters tune them.

    `robots` sets what /robots.txt does: "allow", "disallow:<prefix>", "status:<code>",
    "delay:<seconds>" (a Crawl-delay), "reset", or "moved:<prefix>" (a redirect to rules
    disallowing <prefix>).
    """

    def __init__(self, host: str = "127.0.0.1") -> None:
        super().__init__(host)
        self.robots = "allow"
        self.hits: Counter[str] = Counter()
        self.bytes_sent: dict[str, int] = {}
        self.hold = 0.0  # seconds /slow holds each request (for the concurrency tests)

    def handle(self, h: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(h.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        with self.lock:
            self.hits[h.path] += 1
            hit = self.hits[h.path]
        name = parts.path.strip("/").split("/", 1)[0].replace("-", "_").replace(".", "_")
        scenario = getattr(self, f"s_{name}", None)
        if scenario is None:
            send(h, 404, b"<html>no such scenario</html>")
            return
        scenario(h, query, hit)

    # -- scenarios: s_<first path segment>(handler, query, nth request of this exact path) --

    def s_robots_txt(self, h: BaseHTTPRequestHandler, q: dict[str, str], n: int) -> None:
        kind, _, arg = self.robots.partition(":")
        if kind == "allow":
            send(h, 200, b"User-agent: *\nAllow: /\n", content_type="text/plain")
        elif kind == "disallow":
            rules = f"User-agent: palimpsest\nDisallow: {arg}\n\nUser-agent: *\nAllow: /\n"
            send(h, 200, rules.encode(), content_type="text/plain")
        elif kind == "delay":
            rules = f"User-agent: *\nCrawl-delay: {arg}\n"
            send(h, 200, rules.encode(), content_type="text/plain")
        elif kind == "status":
            send(h, int(arg), b"", content_type="text/plain")
        elif kind == "reset":
            reset(h)
        elif kind == "bomb":  # `Content-Encoding: gzip, gzip` inflating toward 10 GiB
            send(h, 200, nested_bomb(), [("Content-Encoding", "gzip, gzip")], "text/plain")
        elif kind == "moved":  # robots.txt lives elsewhere: /rules/robots.txt disallows `arg`
            send(h, 301, b"", [("Location", "/rules/robots.txt")], content_type=None)

    def s_rules(self, h: BaseHTTPRequestHandler, q: dict[str, str], n: int) -> None:
        _, _, arg = self.robots.partition(":")
        send(h, 200, f"User-agent: *\nDisallow: {arg}\n".encode(), content_type="text/plain")

    def s_page(self, h: BaseHTTPRequestHandler, q: dict[str, str], n: int) -> None:
        send(h, 200, ARTICLE)

    def s_flaky(self, h: BaseHTTPRequestHandler, q: dict[str, str], n: int) -> None:
        """`fail` failures with `status` (and `retry_after`), then the article."""
        if n <= int(q.get("fail", "1")):
            headers = [("Retry-After", q["retry_after"])] if "retry_after" in q else []
            send(h, int(q.get("status", "503")), b"<html>busy</html>", headers)
        else:
            send(h, 200, ARTICLE)

    def s_status(self, h: BaseHTTPRequestHandler, q: dict[str, str], n: int) -> None:
        send(h, int(q.get("code", "500")), b"<html>error</html>")

    def s_reset(self, h: BaseHTTPRequestHandler, q: dict[str, str], n: int) -> None:
        """Headers promise 10000 bytes; 200 arrive, then a TCP reset. `ok_after` heals it."""
        if n > int(q.get("ok_after", "999")):
            send(h, 200, ARTICLE)
            return
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", "10000")
        h.end_headers()
        h.wfile.write(b"<html><body>" + b"x" * 188)
        h.wfile.flush()
        reset(h)

    def s_truncated(self, h: BaseHTTPRequestHandler, q: dict[str, str], n: int) -> None:
        """Content-Length says 5000 but only part of the body is sent before a clean close."""
        if n > int(q.get("ok_after", "999")):
            send(h, 200, ARTICLE)
            return
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", "5000")
        h.end_headers()
        h.wfile.write(ARTICLE)
        h.wfile.flush()
        h.close_connection = True
        h.connection.shutdown(socket.SHUT_WR)

    def s_stall(self, h: BaseHTTPRequestHandler, q: dict[str, str], n: int) -> None:
        """Sleeps `seconds` before the headers (`where=head`) or in the middle of the body."""
        seconds = float(q.get("seconds", "2"))
        if q.get("where", "head") == "head":
            time.sleep(seconds)
            send(h, 200, ARTICLE)
            return
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", str(len(ARTICLE)))
        h.end_headers()
        h.wfile.write(ARTICLE[:50])
        h.wfile.flush()
        time.sleep(seconds)
        h.wfile.write(ARTICLE[50:])

    def s_etag(self, h: BaseHTTPRequestHandler, q: dict[str, str], n: int) -> None:
        """The article with a non-ASCII (latin-1) ETag; 304 when it is sent back intact."""
        etag = '"caf\xe9-1"'
        if not_modified(h, etag, None):
            h.send_response(304)
            h.send_header("ETag", etag)
            h.end_headers()
        else:
            send(h, 200, ARTICLE, [("ETag", etag)])

    def s_drip(self, h: BaseHTTPRequestHandler, q: dict[str, str], n: int) -> None:
        """Promises 1000 bytes and sends one every `every` seconds (beats any read timeout)."""
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", "1000")
        h.end_headers()
        for _ in range(1000):
            h.wfile.write(b"x")
            h.wfile.flush()
            time.sleep(float(q.get("every", "0.05")))

    def s_huge(self, h: BaseHTTPRequestHandler, q: dict[str, str], n: int) -> None:
        """A `mb`-megabyte page generated on the fly; `length=no` streams it chunked instead."""
        total = int(float(q.get("mb", "60")) * 1024 * 1024)
        chunked = q.get("length") == "no"
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        if chunked:
            h.send_header("Transfer-Encoding", "chunked")
        else:
            h.send_header("Content-Length", str(total))
        h.end_headers()
        block = b"<p>" + b"a" * 65529 + b"</p>"
        sent = 0
        try:
            while sent < total:
                piece = block[: total - sent]
                if chunked:
                    h.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                else:
                    h.wfile.write(piece)
                sent += len(piece)
            if chunked:
                h.wfile.write(b"0\r\n\r\n")
        finally:
            with self.lock:
                self.bytes_sent[h.path] = sent

    def s_bomb(self, h: BaseHTTPRequestHandler, q: dict[str, str], n: int) -> None:
        """A small gzip body that inflates to `mb` megabytes."""
        inflated = b"<html>" + b" " * int(float(q.get("mb", "5")) * 1024 * 1024)
        send(h, 200, gzip.compress(inflated, mtime=0), [("Content-Encoding", "gzip")])

    def s_story(self, h: BaseHTTPRequestHandler, q: dict[str, str], n: int) -> None:
        """A full article page; `n` (any text) makes it a different story."""
        send(h, 200, story(q.get("n", "1")))

    def s_attributes(self, h: BaseHTTPRequestHandler, q: dict[str, str], n: int) -> None:
        """A 1 MB page with 100k attributes on one element: super-linear for the parser."""
        attrs = b" ".join(b'a%d="x"' % i for i in range(100_000))
        send(h, 200, b"<html><body><div " + attrs + b"><p>text</p></div>" + story("x")[6:])

    def s_nested_bomb(self, h: BaseHTTPRequestHandler, q: dict[str, str], n: int) -> None:
        """About 20 KB that `Content-Encoding: gzip, gzip` inflates toward 10 GiB."""
        send(h, 200, nested_bomb(), [("Content-Encoding", "gzip, gzip")])

    def s_encoded(self, h: BaseHTTPRequestHandler, q: dict[str, str], n: int) -> None:
        """The article claimed to be in Content-Encoding `coding`."""
        send(h, 200, ARTICLE, [("Content-Encoding", q.get("coding", "br"))])

    def s_drip_head(self, h: BaseHTTPRequestHandler, q: dict[str, str], n: int) -> None:
        """The status line and headers, one byte every `every` seconds, never finishing."""
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Padding: " + b"p" * 100_000
        for byte in head:
            h.wfile.write(bytes([byte]))
            h.wfile.flush()
            time.sleep(float(q.get("every", "0.2")))

    def s_continue(self, h: BaseHTTPRequestHandler, q: dict[str, str], n: int) -> None:
        """`100 Continue` interim responses, one every `every` seconds, and never a final one."""
        for _ in range(100_000):
            h.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            h.wfile.flush()
            time.sleep(float(q.get("every", "0.1")))

    def s_typed(self, h: BaseHTTPRequestHandler, q: dict[str, str], n: int) -> None:
        """The article (or `body=plain` text) with Content-Type `type`, or none when absent."""
        body = b"just some words, no markup" if q.get("body") == "plain" else ARTICLE
        send(h, 200, body, content_type=q.get("type"))

    def s_loop(self, h: BaseHTTPRequestHandler, q: dict[str, str], n: int) -> None:
        target = "/loop/b" if h.path.endswith("/a") else "/loop/a"
        send(h, 302, b"", [("Location", target)])

    def s_chain(self, h: BaseHTTPRequestHandler, q: dict[str, str], n: int) -> None:
        """/chain/<k> redirects to /chain/<k-1>; /chain/0 is the article."""
        k = int(h.path.rsplit("/", 1)[1])
        if k == 0:
            send(h, 200, ARTICLE)
        else:
            send(h, 302, b"", [("Location", f"/chain/{k - 1}")])

    def s_redirect(self, h: BaseHTTPRequestHandler, q: dict[str, str], n: int) -> None:
        send(h, int(q.get("code", "302")), b"", [("Location", q.get("to", "/page"))])

    def s_leaky_redirect(self, h: BaseHTTPRequestHandler, q: dict[str, str], n: int) -> None:
        """A redirect whose Location carries credentials (`admin:secret@`)."""
        send(h, 302, b"", [("Location", f"http://admin:secret@{h.headers['Host']}/story")])

    def s_slow(self, h: BaseHTTPRequestHandler, q: dict[str, str], n: int) -> None:
        time.sleep(self.hold)
        send(h, 200, ARTICLE)

    def s_retry_date(self, h: BaseHTTPRequestHandler, q: dict[str, str], n: int) -> None:
        """503 with an HTTP-date Retry-After `seconds` ahead, then the article."""
        if n == 1:
            when = formatdate(time.time() + float(q.get("seconds", "30")), usegmt=True)
            send(h, 503, b"<html>busy</html>", [("Retry-After", when)])
        else:
            send(h, 200, ARTICLE)


def story(n: str) -> bytes:
    """An article of five paragraphs whose words depend on `n`."""
    paragraphs = "".join(
        f"<p>Story {n}, part {i}: work on the harbour wall began on Monday after months of"
        f" delays, the council said, and residents of ward {n} welcomed the news.</p>"
        for i in range(5)
    )
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Story {n}</title></head>"
        f"<body><article><h1>Harbour story {n}</h1>{paragraphs}</article></body></html>"
    ).encode()


@functools.cache
def nested_bomb() -> bytes:
    """gzip(gzip(10 GiB of spaces)): 160 gzip members of 64 MiB each (a valid gzip stream),
    gzipped again. Built from one compressed member, so it takes a second, not minutes."""
    member = gzip.compress(b" " * (64 << 20), compresslevel=9, mtime=0)
    return gzip.compress(member * 160, compresslevel=9, mtime=0)


def reset(h: BaseHTTPRequestHandler) -> None:
    """Abort the connection with a TCP RST (SO_LINGER 0), as a crashed proxy would."""
    h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    h.close_connection = True
    h.connection.close()
