"""An HTTP proxy in front of a real S3 server (moto) that injects one fault on demand.

`faults` is a list the test appends to; each conditional PUT (`If-None-Match: *`) takes the
first fault off it:

- "conflict": answer 409 ConditionalRequestConflict without forwarding (S3 says "retry");
- "lose-response": forward the PUT (the object is stored) and close the connection without
  answering, as a network failure after the write would.

Everything else is forwarded unchanged, so the store under test talks to moto for real.
"""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

CONFLICT = (
    b'<?xml version="1.0" encoding="UTF-8"?><Error><Code>ConditionalRequestConflict</Code>'
    b"<Message>A conflicting conditional operation is in progress.</Message></Error>"
)


class _Proxy(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    upstream: tuple[str, int]
    faults: list[str]
    seen: list[str]

    def log_message(self, *args: object) -> None:
        pass

    def _forward(self) -> tuple[int, list[tuple[str, str]], bytes]:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        conn = http.client.HTTPConnection(*self.upstream, timeout=30)
        try:
            conn.request(self.command, self.path, body=body, headers=dict(self.headers.items()))
            resp = conn.getresponse()
            return resp.status, resp.getheaders(), resp.read()
        finally:
            conn.close()

    def _handle(self) -> None:
        conditional = self.command == "PUT" and self.headers.get("If-None-Match") == "*"
        fault = self.faults.pop(0) if conditional and self.faults else None
        self.seen.append(f"{self.command} {fault or ''}".strip())
        if fault == "conflict":
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(409)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(CONFLICT)))
            self.end_headers()
            self.wfile.write(CONFLICT)
            return
        status, headers, body = self._forward()
        if fault == "lose-response":
            self.close_connection = True
            self.connection.close()
            return
        self.send_response(status)
        head = self.command == "HEAD"  # keeps the object's Content-Length, sends no body
        for name, value in headers:
            if name.lower() not in {"transfer-encoding", "connection"} and (
                head or name.lower() != "content-length"
            ):
                self.send_header(name, value)
        if not head:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_PUT = do_HEAD = do_POST = do_DELETE = _handle


@contextmanager
def fault_proxy(upstream: str) -> Iterator[tuple[str, list[str], list[str]]]:
    """(proxy endpoint, faults to inject, requests seen) in front of `upstream`."""
    parts = urlsplit(upstream)
    faults: list[str] = []
    seen: list[str] = []
    handler = type(
        "Handler",
        (_Proxy,),
        {"upstream": (parts.hostname, parts.port), "faults": faults, "seen": seen},
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", faults, seen
    finally:
        server.shutdown()
        server.server_close()
