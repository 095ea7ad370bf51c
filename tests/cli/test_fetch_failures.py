"""Through the CLI, a hostile page fails cleanly: a reason naming the URL, no version stored,
no traceback (a live local server: these responses cannot be recorded in a cassette)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

CHUNK = b"<p>" + b"x" * 65_530 + b"</p>"
HUGE = 60 * 1024 * 1024


class Hostile(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        if self.path == "/robots.txt":
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        if self.path == "/huge":  # 60 MB, streamed without a Content-Length
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            try:
                for _ in range(HUGE // len(CHUNK) + 1):
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(CHUNK), CHUNK))
                self.wfile.write(b"0\r\n\r\n")
            except ConnectionError:
                pass  # the client stopped reading at its cap, as it should
        else:  # /truncated: promises 10 000 bytes, sends 120, hangs up
            self.send_header("Content-Length", "10000")
            self.end_headers()
            self.wfile.write(b"<html><body><article><p>The start of an article that never" * 2)
            self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def hostile() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(("path", "reason"), [("/huge", "20"), ("/truncated", "")])
def test_fails_cleanly_and_stores_nothing(cli, hostile: str, path: str, reason: str) -> None:  # type: ignore[no-untyped-def]
    url = hostile + path
    result = cli("archive", url, "--json")
    assert result.exit_code == 1 and "Traceback" not in result.output
    (outcome,) = cli.json("archive", url, code=1)
    assert outcome["status"] == "failed" and outcome["version"] is None
    assert outcome["url"] == url and reason in outcome["error"]  # the URL once, beside it
    assert cli("versions", url).exit_code == 1  # nothing was stored
