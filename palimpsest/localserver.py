"""A small threaded web server on 127.0.0.1 serving pages from memory.

Used by `make demo` (sample article pages, one edited between two runs) and by the tests. It
sends ETag and Last-Modified and answers conditional requests with 304, like a well-behaved
news site, and logs every request so a test can assert what was (not) asked for. The same
pages can be served without a socket, through `httpx.MockTransport` (`PageServer.transport`),
for a pipeline built on that transport.
"""

from __future__ import annotations

import hashlib
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx


@dataclass
class Page:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    last_modified: str = field(default_factory=lambda: formatdate(usegmt=True))

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default 5 drops connections when a run opens many at once

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hangs up early is not an error worth a traceback."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class PageServer:
    """Pages by path; `set()` replaces a page (new ETag and Last-Modified)."""

    def __init__(self, port: int = 0) -> None:
        self.port = port  # 0: any free port, chosen when the server starts
        self.pages: dict[str, Page] = {}
        self.requests: list[tuple[str, str, dict[str, str]]] = []  # (method, path, headers)
        self._lock = threading.Lock()
        self._held: dict[str, tuple[threading.Event, float]] = {}  # path: (gate, timeout)
        self._httpd: ThreadingHTTPServer | None = None

    def set(
        self,
        path: str,
        body: str | bytes,
        content_type: str = "text/html; charset=utf-8",
        last_modified: str | None = None,
    ) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        page = Page(data, content_type)
        if last_modified:
            page.last_modified = last_modified
        with self._lock:
            self.pages[path] = page

    def hold(self, path: str, timeout: float = 30.0) -> threading.Event:
        """Requests for `path` wait (at most `timeout` s) until the returned event is set: a
        test can keep one URL of a batch in flight while it watches the others finish."""
        event = threading.Event()
        with self._lock:
            self._held[path] = (event, timeout)
        return event

    @property
    def base_url(self) -> str:
        """The server's address; with a fixed port it is known before the server starts
        (tests that replay recorded HTTP need the same URLs without a running server)."""
        if self._httpd is not None:
            return f"http://127.0.0.1:{self._httpd.server_address[1]}"
        if not self.port:
            raise RuntimeError("server not started and no fixed port given")
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def requested(self, path: str) -> list[dict[str, str]]:
        """Headers of every request made for `path`."""
        with self._lock:
            return [h for _, p, h in self.requests if p == path]

    def _answer(
        self, path: str, headers: dict[str, str]
    ) -> tuple[int, bytes, str | None, Page | None]:
        """Log a GET of `path` (headers lower-cased); (status, body, content type, page)."""
        with self._lock:
            self.requests.append(("GET", path, headers))
            page = self.pages.get(path)
            held = self._held.get(path)
        if held is not None:
            held[0].wait(held[1])
        if page is None:
            return 404, b"not found", "text/plain", None
        if headers.get("if-none-match") == page.etag or (
            "if-none-match" not in headers
            and headers.get("if-modified-since") == page.last_modified
        ):
            return 304, b"", None, page
        return 200, page.body, page.content_type, page

    def _mock(self, request: httpx.Request) -> httpx.Response:
        headers = {k.lower(): v for k, v in request.headers.items()}
        status, body, ctype, page = self._answer(request.url.raw_path.decode("ascii"), headers)
        out = {"Content-Type": ctype} if ctype else {}
        if page is not None:
            out |= {"ETag": page.etag, "Last-Modified": page.last_modified}
        out["Content-Length"] = str(len(body))
        # A stream, as off the wire: the fetcher counts the bytes it downloads.
        return httpx.Response(status, headers=out, stream=httpx.ByteStream(body))

    @property
    def transport(self) -> httpx.MockTransport:
        """The pages through `httpx.MockTransport`: no socket, any host name, same answers."""
        return httpx.MockTransport(self._mock)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                headers = {k.lower(): v for k, v in self.headers.items()}
                self._send(*server._answer(self.path, headers))

            def _send(
                self, status: int, body: bytes, ctype: str | None, page: Page | None = None
            ) -> None:
                self.send_response(status)
                if ctype:
                    self.send_header("Content-Type", ctype)
                if page is not None:
                    self.send_header("ETag", page.etag)
                    self.send_header("Last-Modified", page.last_modified)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if body:
                    self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass  # the request log above is enough

        return Handler

    @contextmanager
    def running(self) -> Iterator[PageServer]:
        self._httpd = _Server(("127.0.0.1", self.port), self._handler())
        thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._httpd.shutdown()
            self._httpd.server_close()
            thread.join(timeout=5)
            self._httpd = None
