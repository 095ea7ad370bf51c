"""The servers of the scale bench (bench/scale.py), each in a process of its own.

- `news_hosts`: N article pages on `hosts` loopback addresses 127.1.x.y (one port, one
  listening socket per address; uvicorn serving a small ASGI app). A page's body is one of a
  few hundred generated pages (bench/pages.py) with a paragraph of its own appended, so every
  URL has its own text without holding 10k bodies in memory. ETag and Last-Modified are
  fixed per URL; a matching conditional GET gets 304; /robots.txt is 404 (allow all).
- `counting_s3`: moto's S3 (its WSGI app, in memory) behind a middleware that counts the
  requests by method and the bytes each way; GET /__counts answers the totals as JSON.

Every address is in 127.0.0.0/8: nothing leaves the machine.
"""

from __future__ import annotations

import json
import multiprocessing
import random
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from multiprocessing.connection import Connection
from typing import Any

LAST_MODIFIED = b"Mon, 17 Feb 2025 09:00:00 GMT"
BASE_PAGES = 300


def host_address(h: int) -> str:
    """The loopback address of host number `h` (0-based): 127.1.0.1, 127.1.0.2, ..."""
    return f"127.1.{h // 250}.{h % 250 + 1}"


def page_url(i: int, hosts: int, port: int) -> str:
    """URL of source `i`: consecutive sources sit on different hosts."""
    return f"http://{host_address(i % hosts)}:{port}/story/{i:06d}"


def _bind_all(hosts: int) -> list[socket.socket]:
    """One listening socket per host address, all on the same free port."""
    for _attempt in range(20):
        first = socket.socket()
        first.bind((host_address(0), 0))
        port = first.getsockname()[1]
        socks = [first]
        try:
            for h in range(1, hosts):
                s = socket.socket()
                socks.append(s)
                s.bind((host_address(h), port))
        except OSError:
            for s in socks:
                s.close()
            continue
        for s in socks:
            s.listen(1024)
        return socks
    raise RuntimeError("no port free on every bench host address")


def _news_app(n: int) -> Callable[..., Any]:
    from bench.pages import Markov, make_pages, training_text

    bases = [p.body.split(b"</article>", 1) for p in make_pages(min(BASE_PAGES, n))]
    chain = Markov(training_text())
    extra = [
        f"<p>{chain.paragraph(random.Random(i))} (Dispatch {i}.)</p>".encode() for i in range(n)
    ]
    counts = {"200": 0, "304": 0, "404": 0}

    async def app(scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            return
        path = scope["path"]
        if path == "/__counts":
            await _answer(send, 200, [(b"content-type", b"application/json")], json.dumps(counts))
            return
        i = int(path[7:]) if path.startswith("/story/") and path[7:].isdigit() else -1
        if not 0 <= i < n:
            counts["404"] += 1
            await _answer(send, 404, [], b"not found")
            return
        etag = f'"s{i}-1"'.encode()
        headers = [(b"etag", etag), (b"last-modified", LAST_MODIFIED)]
        if dict(scope["headers"]).get(b"if-none-match") == etag:
            counts["304"] += 1
            await _answer(send, 304, headers, b"")
            return
        head, tail = bases[i % len(bases)]
        counts["200"] += 1
        await _answer(
            send,
            200,
            [*headers, (b"content-type", b"text/html; charset=utf-8")],
            head + extra[i] + b"</article>" + tail,
        )

    return app


async def _answer(send: Callable, status: int, headers: list, body: bytes | str) -> None:
    data = body.encode() if isinstance(body, str) else body
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": data})


def _serve_news(n: int, hosts: int, conn: Connection) -> None:
    import asyncio

    import uvicorn

    socks = _bind_all(hosts)
    config = uvicorn.Config(
        _news_app(n), log_level="error", access_log=False, lifespan="off", backlog=1024
    )
    server = uvicorn.Server(config)
    conn.send(socks[0].getsockname()[1])
    asyncio.run(server.serve(sockets=socks))


def _serve_s3(conn: Connection) -> None:
    from socketserver import ThreadingMixIn
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    class Threaded(ThreadingMixIn, WSGIServer):
        daemon_threads = True

    class Quiet(WSGIRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # no line per request
            pass

    counts: dict[str, int] = {"bytes_in": 0, "bytes_out": 0}
    moto = DomainDispatcherApplication(create_backend_app)

    def app(environ: dict, start_response: Callable) -> Any:
        if environ.get("PATH_INFO") == "/__counts":
            start_response("200 OK", [("Content-Type", "application/json")])
            return [json.dumps(counts).encode()]
        method = environ["REQUEST_METHOD"]
        counts[method] = counts.get(method, 0) + 1
        counts["bytes_in"] += int(environ.get("CONTENT_LENGTH") or 0)
        body = b"".join(moto(environ, start_response))
        counts["bytes_out"] += len(body)
        return [body]

    server = make_server("127.0.0.1", 0, app, server_class=Threaded, handler_class=Quiet)
    conn.send(server.server_address[1])
    server.serve_forever()


@contextmanager
def _child(target: Callable, *args: object) -> Iterator[int]:
    """Run `target(*args, conn)` in a spawned process; yield the port it reports."""
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=target, args=(*args, child), daemon=True)
    proc.start()
    try:
        if not parent.poll(300):
            raise RuntimeError(f"bench server {target.__name__} did not start within 300 s")
        yield parent.recv()
    finally:
        proc.terminate()
        proc.join(timeout=10)
        if proc.is_alive():
            proc.kill()
            proc.join()


@contextmanager
def news_hosts(n: int, hosts: int) -> Iterator[int]:
    """Serve `n` pages over `hosts` addresses; yield the port (URLs: `page_url`)."""
    with _child(_serve_news, n, hosts) as port:
        yield port


@contextmanager
def counting_s3() -> Iterator[str]:
    """Yield the endpoint URL of an in-memory S3 that counts its requests (GET /__counts)."""
    with _child(_serve_s3) as port:
        yield f"http://127.0.0.1:{port}"


def counts(base: str) -> dict[str, int]:
    """The request counts a bench server answers at /__counts."""
    import httpx

    with suppress(httpx.HTTPError):
        return httpx.get(f"{base}/__counts", timeout=30).json()
    return {}
