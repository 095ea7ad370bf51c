"""The viewer's security over HTTP: a policy on every response, the sandboxed capture path,
no write endpoint, the token off loopback, and no other Host name accepted."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import httpx
import pytest
from palimpsest.viewer.security import CAPTURE_CSP, PAGE_CSP
from typer.testing import CliRunner

from palimpsest.settings import Settings
from tests.viewer.conftest import Served, make_app, serving


def _pages(served: Served) -> list[str]:
    a = served.archive
    html = httpx.get(f"{served.base_url}/capture?{urlencode({'url': a.hostile})}").text
    raw = re.search(r'src="(/raw/[0-9a-f]{64}\.html)"', html)
    assert raw, "the capture page frames the raw capture"
    return [
        *(f"/{view}?{urlencode({'url': a.wire})}" for view in ("text", "diff", "seeds")),
        f"/capture?{urlencode({'url': a.hostile})}",
        "/",
        "/?substantive=1&since=7d",
        "/feed.atom",
        "/sources?q=harbour",
        f"/source?{urlencode({'url': a.hostile})}",
        f"/diff?{urlencode({'url': 'http://127.0.0.1:9/never-archived'})}",
        "/static/viewer.css",
        "/static/viewer.js",
        "/no-such-page",
        raw.group(1),
        raw.group(1).replace(".html", ".warc.gz"),
    ]


def test_every_response_carries_a_strict_policy(served: Served) -> None:
    with httpx.Client(base_url=served.base_url) as client:
        for path in _pages(served):
            response = client.get(path)
            assert response.status_code in (200, 404), path
            policy = response.headers["content-security-policy"]
            assert response.headers["x-content-type-options"] == "nosniff"
            if path.startswith("/raw/"):
                assert policy == CAPTURE_CSP and policy.startswith("sandbox;"), path
            else:
                assert policy == PAGE_CSP, path
                assert "'unsafe-inline'" not in policy and "script-src 'self'" in policy


def test_no_write_endpoint(served: Served) -> None:
    with httpx.Client(base_url=served.base_url) as client:
        for path in _pages(served):
            for method in ("POST", "PUT", "PATCH", "DELETE"):
                assert client.request(method, path).status_code in (404, 405), (method, path)


def test_other_host_names_are_refused(served: Served) -> None:
    response = httpx.get(f"{served.base_url}/static/viewer.css", headers={"Host": "evil.test"})
    assert response.status_code == 400


def test_the_token_gates_every_request(served: Served) -> None:
    diff = f"/diff?{urlencode({'url': served.archive.wire})}"
    with serving(make_app(served.archive, token="s3cret-token")) as base:
        assert httpx.get(base + diff).status_code == 401
        assert httpx.get(base + "/static/viewer.css").status_code == 401
        assert httpx.get(base + diff + "&token=wrong").status_code == 401
        bearer = {"Authorization": "Bearer s3cret-token"}
        assert httpx.get(base + diff, headers=bearer).status_code == 200
        bounce = httpx.get(base + "//evil.test/x?token=s3cret-token")
        assert bounce.status_code == 303 and bounce.headers["location"] == "/evil.test/x"
        with httpx.Client(base_url=base, follow_redirects=True) as client:
            response = client.get(diff + "&token=s3cret-token")
            assert response.status_code == 200 and "Bessent" in response.text
            assert "token" not in str(response.url)  # dropped from the shareable URL
            assert client.get("/static/viewer.css").status_code == 200  # the cookie


def test_serve_refuses_a_public_address_without_a_token(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from palimpsest.app import settings
    from palimpsest.cli import app

    monkeypatch.delenv("PALIMPSEST_SERVE_TOKEN", raising=False)
    settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0", "--port", "1"])
    finally:
        settings.cache_clear()
    assert result.exit_code == 1
    assert "PALIMPSEST_SERVE_TOKEN" in result.output and "0.0.0.0" in result.output


def test_the_token_stays_out_of_the_settings_repr() -> None:
    loaded = Settings.from_env({"PALIMPSEST_SERVE_TOKEN": "s3cret-token"})
    assert loaded.serve_token == "s3cret-token" and "s3cret" not in repr(loaded)
