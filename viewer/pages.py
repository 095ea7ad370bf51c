"""The pages read from the store alone: a version's Text, a Diff, the Seed comparison, the
Capture (its headers beside the sandboxed page) and the raw capture itself."""

from __future__ import annotations

from typing import Any

from palimpsest.viewer.context import BadRequest, NotFound, Viewer
from palimpsest.viewer.present import CONTEXT, diff_rows, seed_rows
from palimpsest.viewer.security import CAPTURE_CSP
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def param_url(request: Request) -> str:
    url = request.query_params.get("url", "").strip()
    if not url:
        raise BadRequest("give the source's URL: ?url=...")
    return url


def param_int(request: Request, name: str, default: int | None = None) -> int | None:
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"{name}={raw!r} is not a number") from None
    if value < 0:
        raise BadRequest(f"{name}={raw!r} must not be negative")
    return value


def _shown(viewer: Viewer, request: Request) -> dict[str, Any]:
    """The source, the version asked for (`v`, default the latest) and the latest number:
    what every page about one version shows in its header."""
    url = param_url(request)
    latest = viewer.latest(url)
    version = param_int(request, "v") or latest.version
    record = latest if version == latest.version else viewer.record(url, version)
    return {"url": url, "record": record, "latest": latest.version}


def text_page(viewer: Viewer, request: Request) -> HTMLResponse:
    return viewer.page(request, "text.html", **_shown(viewer, request))


def diff_page(viewer: Viewer, request: Request) -> HTMLResponse:
    url = param_url(request)
    latest = viewer.latest(url).version
    new = param_int(request, "to") or latest
    old = param_int(request, "from", max(new - 1, 1))
    if old is None or not (1 <= old <= latest and 1 <= new <= latest):
        raise NotFound(f"{url}: versions are 1-{latest}")
    everything = request.query_params.get("context") == "all"
    context = None if everything else param_int(request, "context", CONTEXT)
    diff = viewer.diff(url, old, new)
    return viewer.page(
        request,
        "diff.html",
        url=url,
        old=viewer.record(url, old),
        new=viewer.record(url, new),
        latest=latest,
        rows=diff_rows(diff, context),
        summary=diff.summary(),
        substantive=diff.substantive,
        changes=sum(op.kind != "identical" for op in diff.ops),
        everything=everything,
    )


def seeds_page(viewer: Viewer, request: Request) -> HTMLResponse:
    shown = _shown(viewer, request)
    url, record = shown["url"], shown["record"]
    # A seed is related coverage when at least one sentence pairs with it; a seed above the
    # corpus's cosine floor with nothing aligned only shares vocabulary.
    matches = [
        m
        for m in viewer.seed_matches(url, record.version)
        if any(a.text and a.seed for a in m.alignment)
    ]
    chosen = request.query_params.get("seed")
    match = next((m for m in matches if m.seed == chosen), matches[0] if matches else None)
    everything = request.query_params.get("context") == "all"
    rows = seed_rows(match, None if everything else CONTEXT) if match else []
    return viewer.page(
        request,
        "seeds.html",
        **shown,
        matches=matches,
        match=match,
        rows=rows,
        everything=everything,
    )


def capture_page(viewer: Viewer, request: Request) -> HTMLResponse:
    shown = _shown(viewer, request)
    record = shown["record"]
    if not record.raw_key:
        raise NotFound(f"{shown['url']}: version {record.version} has no raw capture")
    capture = viewer.store.read_capture(record.raw_key)
    return viewer.page(request, "capture.html", **shown, capture=capture, sha=_sha(record.raw_key))


def _sha(key: str) -> str:
    from palimpsest.storage.keys import raw_sha

    sha = raw_sha(key)
    if sha is None:
        raise NotFound(f"{key}: not a raw capture key")
    return sha


def _raw_key(sha: str) -> str:
    from palimpsest.storage.keys import raw_key, raw_sha

    key = raw_key(sha)
    if raw_sha(key) != sha:
        raise NotFound(f"{sha}: not a capture id")
    return key


def raw_page(viewer: Viewer, request: Request) -> Response:
    """The archived body itself (its Content-Encoding undone, bounded), sandboxed: no script
    runs and nothing is fetched."""
    from palimpsest.fetchers import FetchSettings
    from palimpsest.fetchers.encoding import EncodingError, LayerTooLarge, decode_body
    from palimpsest.storage import ObjectNotFound

    key = _raw_key(request.path_params["sha"])
    try:
        capture = viewer.store.read_capture(key)
    except ObjectNotFound:
        raise NotFound(f"{key}: no such capture") from None
    try:
        body = decode_body(
            capture.body, capture.header("Content-Encoding"), FetchSettings().max_bytes
        )
    except (EncodingError, LayerTooLarge) as exc:
        raise NotFound(f"{key}: the archived body cannot be shown ({exc})") from None
    content_type = capture.header("Content-Type") or ""
    kind = content_type.split(";")[0].strip().lower()
    media = "text/html" if kind in _HTML_TYPES else "text/plain"
    return Response(
        body,
        media_type=f"{media}; charset={_charset(content_type)}",
        headers={"content-security-policy": CAPTURE_CSP, "cache-control": "private, max-age=3600"},
    )


def _charset(content_type: str) -> str:
    for part in content_type.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        value = value.strip().strip('"')
        if name.strip().lower() == "charset" and value.replace("-", "").replace("_", "").isalnum():
            return value
    return "utf-8"


def warc_file(viewer: Viewer, request: Request) -> Response:
    """The capture as stored (WARC 1.1, gzipped), as a download."""
    from palimpsest.storage import ObjectNotFound

    sha = request.path_params["sha"]
    key = _raw_key(sha)
    try:
        data = viewer.store.get_raw(key)
    except ObjectNotFound:
        raise NotFound(f"{key}: no such capture") from None
    return Response(
        data,
        media_type="application/gzip",
        headers={
            "content-disposition": f'attachment; filename="{sha}.warc.gz"',
            "content-security-policy": CAPTURE_CSP,
        },
    )
