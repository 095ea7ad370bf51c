"""The client time the shared host limits add per URL (DESIGN.md "Politeness"); not a test.

    PREFECT_API_URL=http://127.0.0.1:4200/api python tests/flows/measure_shared_limits.py [N]

N sequential GETs of a page on 127.0.0.1 (robots.txt off), per process only and through the
Prefect server's limits (the host's slots cooling down between the requests), without and
with a delay (1 ms: each slot spaces its starts, nobody waits). Prints wall and CPU
milliseconds per URL.
"""

from __future__ import annotations

import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from palimpsest.fetchers import Fetcher, FetchSettings, make_client
from palimpsest.flows.politeness import PrefectHostLimits


class Page(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        body = b"<html><body><p>hello</p></body></html>"
        head = f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {len(body)}\r\n\r\n"
        self.wfile.write(head.encode() + body)  # one write: no Nagle wait between the two

    def log_message(self, *args: object) -> None:
        pass


def main(n: int) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    for delay in (0.0, 0.001):
        settings = FetchSettings(host_delay=delay, obey_robots=False, retries=0)
        for mode in ("per process", "shared"):
            shared = PrefectHostLimits(settings) if mode == "shared" else None
            with make_client(settings) as client:
                fetcher = Fetcher(client, settings, shared=shared)
                fetcher.fetch(base + "/warm-up")
                wall, cpu = time.perf_counter(), time.process_time()
                for i in range(n):
                    fetcher.fetch(f"{base}/{i}")
                wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
                fetcher.close()
            per_url = f"{wall / n * 1e3:.1f} ms wall, {cpu / n * 1e3:.1f} ms CPU per URL"
            print(f"delay {delay:g} s, {mode}: {per_url}")
    server.shutdown()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 320)
