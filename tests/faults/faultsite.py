"""A live fault-injecting news site on 127.0.0.1 for the fault suite.

Each article URL is assigned one fault. While `site.healthy` is False the URL misbehaves in
that way on every request; once it is True every URL serves its page properly (with ETag and
Last-Modified, answering conditional requests with 304), as a site does after an outage.

Faults: `status500`, `reset` (RST halfway through a Content-Length body), `truncated` (clean
close before Content-Length is reached), `chunked_reset` (RST inside a chunked body),
`stall_headers` / `stall_body` (silence before the headers / in the middle of the body,
until the site shuts down or turns healthy: longer than any client timeout), `wrong_type`
(a PDF content type), `redirect_loop` (two URLs redirecting to each other). `ok` URLs are
always healthy. With `heal_after = N` a faulty URL misbehaves on its first N requests only.
"""

from __future__ import annotations

import hashlib
import socket
import struct
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FAULTS = (
    *("status500", "reset", "truncated", "chunked_reset", "stall_headers", "stall_body"),
    *("wrong_type", "redirect_loop"),
)
LAST_MODIFIED = "Tue, 04 Mar 2025 10:00:00 GMT"
PLACES = ("harbour", "orchard", "library", "bridge", "station", "market", "museum", "school")
ROLES = ("mayor", "engineer", "librarian", "farmer", "teacher", "curator", "nurse", "driver")


@dataclass(frozen=True)
class SitePage:
    path: str
    fault: str
    body: bytes
    last_sentence: str

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'


def article_html(index: int) -> tuple[str, str]:
    """An article page with text unique to `index`, and its last sentence."""
    place, role = PLACES[index % len(PLACES)], ROLES[(index // 3) % len(ROLES)]
    paragraphs = [
        f"Work on the {place} number {index} began on Monday after {index + 3} months of"
        f" delays, the {role} told reporters gathered outside the gates.",
        f"The project will cost {index * 7 + 11} million and is due to finish in"
        f" {2026 + index % 4}, according to documents seen by this newspaper.",
        f"Residents said the {place} had been closed since the storm, and that"
        f" {index * 13 % 97} families had written to the council about it.",
        f"The {role} said a second phase would follow if the first went well, adding that"
        f" the budget for story {index} had been agreed with the regional office.",
        f"A public meeting about the {place} is planned for next month, and the final"
        f" sentence of article {index} closes the report.",
    ]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    html = (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>The {place} story {index} | Local Ledger</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<main><article><h1>The {place} story {index}</h1>{body}</article></main>"
        "<footer>© Local Ledger</footer></body></html>"
    )
    return html, paragraphs[-1]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # the default (5) drops SYNs under a burst of parallel connects

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # aborted connections are the point of this server


class FaultSite:
    """Articles at /story/NN, `per_fault` URLs per fault plus `ok` healthy ones."""

    FAULTS = FAULTS

    def __init__(self, per_fault: int = 4, ok: int = 8) -> None:
        kinds = [f for f in FAULTS for _ in range(per_fault)] + ["ok"] * ok
        self.pages: dict[str, SitePage] = {}
        for i, fault in enumerate(kinds):
            html, last = article_html(i)
            self.pages[f"/story/{i:02d}"] = SitePage(f"/story/{i:02d}", fault, html.encode(), last)
        self._healthy = threading.Event()  # also ends the stalls
        # When set: a faulty URL misbehaves on its first N requests only (a flaky site).
        self.heal_after: int | None = None
        self.hits: Counter[str] = Counter()
        self.on_page_request: Callable[[int], None] | None = None  # called with the count
        self._page_requests = 0
        self._lock = threading.Lock()
        self._httpd: _Server | None = None

    @property
    def healthy(self) -> bool:
        return self._healthy.is_set()

    @healthy.setter
    def healthy(self, value: bool) -> None:
        if value:
            self._healthy.set()
        else:
            self._healthy.clear()

    def _healed(self, path: str) -> bool:
        with self._lock:
            return self.heal_after is not None and self.hits[path] > self.heal_after

    def _stall(self) -> None:
        self._healthy.wait(timeout=60)

    @property
    def base_url(self) -> str:
        assert self._httpd is not None, "site not running"
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def urls(self, fault: str | None = None) -> list[str]:
        return [
            self.base_url + p.path for p in self.pages.values() if fault is None or p.fault == fault
        ]

    def page_of(self, url: str) -> SitePage:
        return self.pages[url.removeprefix(self.base_url)]

    def _count(self, path: str) -> None:
        hook = None
        with self._lock:
            self.hits[path] += 1
            if path in self.pages:
                self._page_requests += 1
                hook, n = self.on_page_request, self._page_requests
        if hook is not None:
            hook(n)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                path = self.path.split("?")[0]
                site._count(path)
                page = site.pages.get(path)
                if page is None:
                    self._plain(404, b"not found")
                elif site.healthy or page.fault == "ok" or site._healed(path):
                    self._healthy(page)
                else:
                    getattr(self, f"_{page.fault}")(page)

            def _plain(self, status: int, body: bytes, ctype: str = "text/plain") -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _healthy(self, page: SitePage) -> None:
                if self.headers.get("If-None-Match") == page.etag:
                    self.send_response(304)
                    self.send_header("ETag", page.etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self._head(200, page, len(page.body))
                self.wfile.write(page.body)

            def _head(self, status: int, page: SitePage, length: int | None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("ETag", page.etag)
                self.send_header("Last-Modified", LAST_MODIFIED)
                if length is None:
                    self.send_header("Transfer-Encoding", "chunked")
                else:
                    self.send_header("Content-Length", str(length))
                self.end_headers()

            def _rst(self) -> None:
                """Abort the connection with a TCP reset (SO_LINGER 0, then close)."""
                self.wfile.flush()
                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                )
                self.connection.close()
                self.close_connection = True

            def _status500(self, page: SitePage) -> None:
                self._plain(500, b"internal server error")

            def _reset(self, page: SitePage) -> None:
                self._head(200, page, len(page.body))
                self.wfile.write(page.body[: len(page.body) // 2])
                self._rst()

            def _truncated(self, page: SitePage) -> None:
                self._head(200, page, len(page.body))
                self.wfile.write(page.body[: len(page.body) * 3 // 5])
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True

            def _chunked_reset(self, page: SitePage) -> None:
                self._head(200, page, None)
                half = page.body[: len(page.body) // 2]
                self.wfile.write(f"{len(half):x}\r\n".encode() + half + b"\r\n")
                self._rst()

            def _stall_headers(self, page: SitePage) -> None:
                site._stall()
                self.close_connection = True

            def _stall_body(self, page: SitePage) -> None:
                self._head(200, page, len(page.body))
                self.wfile.write(page.body[:200])
                self.wfile.flush()
                site._stall()
                self.close_connection = True

            def _wrong_type(self, page: SitePage) -> None:
                self._plain(200, b"%PDF-1.7\n%binary\n", "application/pdf")

            def _redirect_loop(self, page: SitePage) -> None:
                target = page.path if "?" in self.path else page.path + "?from=loop"
                self.send_response(302)
                self.send_header("Location", site.base_url + target)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler

    @contextmanager
    def running(self) -> Iterator[FaultSite]:
        self._httpd = _Server(("127.0.0.1", 0), self._handler())
        thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._healthy.set()  # release stalled handlers
            self._httpd.shutdown()
            self._httpd.server_close()
            thread.join(timeout=5)
