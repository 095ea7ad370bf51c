"""HTTP/2 through the real client factory, against a local h2 server over TLS."""

from __future__ import annotations


def test_make_client_negotiates_http2(make_fetcher, h2_server) -> None:
    fetcher = make_fetcher()

    page = fetcher.fetch(h2_server.base_url + "/story")

    assert page.http_version == "HTTP/2"
    assert page.status == 200 and page.reason == "OK"
    assert page.body.startswith(b"<!DOCTYPE html>") and page.encoding == "utf-8"
    assert page.header("Content-Length") == str(len(page.body))
    assert h2_server.alpn[0] == "h2"
    assert h2_server.paths == ["/robots.txt", "/story"]

    again = fetcher.fetch(h2_server.base_url + "/story", page.validators)
    assert again.not_modified and again.http_version == "HTTP/2"
    assert h2_server.paths == ["/robots.txt", "/story", "/story"]
