"""The pages read from the catalog: Changes (and its Atom feed), Sources, a Source's timeline.

The catalog answers the questions across sources (what changed, what is failing, what
matches a search); the store is only read for one version at a time (viewer.pages).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from palimpsest.notify import viewer_link
from palimpsest.notify.feed import atom_feed, items_of
from palimpsest.viewer.context import BadRequest, NotFound, Viewer, link
from palimpsest.viewer.pages import param_int, param_url
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

PAGE_SIZE = 100  # rows of a list page
FAILING_SHOWN = 10  # failing sources named on the Changes page
SPARK_BUCKETS = 30
WINDOWS = {"24h": timedelta(hours=24), "7d": timedelta(days=7), "30d": timedelta(days=30)}


def _catalog(viewer: Viewer) -> Any:
    if viewer.catalog is None:
        raise NotFound(
            "no catalog for this archive: build it with `palimpsest catalog rebuild`, "
            "then start the viewer again"
        )
    return viewer.catalog


def _since(request: Request) -> tuple[str, datetime | None]:
    window = request.query_params.get("since", "")
    if not window:
        return "", None
    if window not in WINDOWS:
        raise BadRequest(f"since={window!r}: use one of {', '.join(WINDOWS)}")
    # To the minute, so that the same filter reads the same (cached) list for a while.
    return window, (datetime.now(UTC) - WINDOWS[window]).replace(second=0, microsecond=0)


def _page(request: Request) -> int:
    return max(param_int(request, "page", 1) or 1, 1)


@dataclass
class Filters:
    substantive: bool
    tag: str
    since: str
    page: int


def _changes(viewer: Viewer, request: Request) -> tuple[Filters, list[Any], bool]:
    _catalog(viewer)  # says so when there is none
    window, since = _since(request)
    filters = Filters(
        substantive=request.query_params.get("substantive") == "1",
        tag=request.query_params.get("tag", "").strip(),
        since=window,
        page=_page(request),
    )
    wanted = filters.page * PAGE_SIZE + 1  # one more tells whether a next page exists
    if filters.tag:
        # The catalog filters changes by time and substance, not by tag: filter its list.
        tagged = {s.url for s in viewer.listed("sources", tag=filters.tag)}
        every = viewer.listed("changes", since=since, substantive=filters.substantive)
        rows = [c for c in every if c.url in tagged][:wanted]
    else:
        rows = viewer.listed("changes", since=since, substantive=filters.substantive, limit=wanted)
    start = (filters.page - 1) * PAGE_SIZE
    return filters, rows[start : start + PAGE_SIZE], len(rows) > start + PAGE_SIZE


def changes_page(viewer: Viewer, request: Request) -> HTMLResponse:
    filters, rows, more = _changes(viewer, request)
    failing = viewer.listed("sources", failing=True, tag=filters.tag or None)
    return viewer.page(
        request,
        "changes.html",
        filters=filters,
        changes=rows,
        more=more,
        failing=failing[:FAILING_SHOWN],
        failing_total=len(failing),
        windows=list(WINDOWS),
    )


def feed(viewer: Viewer, request: Request) -> Response:
    """The Changes list (same filters) as Atom, written by notify.feed (as `palimpsest feed`)."""
    filters, rows, _ = _changes(viewer, request)
    base = str(request.base_url).rstrip("/")
    query = {
        "substantive": filters.substantive and "1",
        "tag": filters.tag or None,
        "since": filters.since or None,
    }
    kind = "substantive changes" if filters.substantive else "changes"
    body = atom_feed(
        items_of(rows, lambda c: base + viewer_link("", c.url, c.seq)),
        title=f"Palimpsest: {kind}" + (f" tagged {filters.tag}" if filters.tag else ""),
        feed_id=base + link("/feed.atom", **query),
        self_link=base + link("/feed.atom", **query),
        alternate=base + link("/", **query),
    )
    return Response(body, media_type="application/atom+xml; charset=utf-8")


def sources_page(viewer: Viewer, request: Request) -> HTMLResponse:
    _catalog(viewer)  # says so when there is none
    query = request.query_params.get("q", "").strip()
    tag = request.query_params.get("tag", "").strip()
    failing = request.query_params.get("failing") == "1"
    page = _page(request)
    hits = viewer.listed("search", text=query, limit=PAGE_SIZE) if query else []
    rows = [] if query else viewer.listed("sources", tag=tag or None, failing=failing)
    start = (page - 1) * PAGE_SIZE
    return viewer.page(
        request,
        "sources.html",
        query=query,
        tag=tag,
        failing=failing,
        page=page,
        hits=hits,
        sources=rows[start : start + PAGE_SIZE],
        total=len(rows),
        more=len(rows) > start + PAGE_SIZE,
    )


@dataclass
class Bar:
    x: int
    height: int
    count: int
    label: str


def sparkline(times: list[datetime], now: datetime, buckets: int = SPARK_BUCKETS) -> list[Bar]:
    """Versions per day over the last `buckets` days, or per equal slice of the source's
    whole life when that is longer; bar heights scaled to the busiest slice (2-28 px)."""
    start = min([*times, now - timedelta(days=buckets)])
    span = (now - start) / buckets or timedelta(days=1)
    counts = [0] * buckets
    for t in times:
        counts[min(int((t - start) / span), buckets - 1)] += 1
    top = max(counts) or 1
    return [
        Bar(
            i * 6,
            max(round(28 * n / top), 4) if n else 2,
            n,
            (start + i * span).strftime("%Y-%m-%d"),
        )
        for i, n in enumerate(counts)
    ]


def source_page(viewer: Viewer, request: Request) -> HTMLResponse:
    url = param_url(request)
    timeline = _catalog(viewer).timeline(url)
    if timeline is None:
        raise NotFound(f"{url}: not in the catalog")
    now = datetime.now(UTC)
    changed = [v.captured_at for v in timeline.versions if v.seq > 1]
    return viewer.page(
        request,
        "source.html",
        url=url,
        source=timeline.source,
        versions=list(reversed(timeline.versions)),
        checks=list(reversed(timeline.checks))[:PAGE_SIZE],
        checks_total=len(timeline.checks),
        spark=sparkline(changed, now),
        spark_changes=len(changed),
    )
