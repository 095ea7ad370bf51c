"""What every page handler shares: the store, the catalog, the seed corpus, the templates.

Version records are immutable, so they (and the diffs and seed matches computed from them)
are cached by (url, version); the latest version of a source is always read afresh.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from cachetools import TTLCache
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from palimpsest.diffing import SeedCorpus, SeedMatch, VersionDiff, diff_versions
from palimpsest.storage import Store, VersionRecord
from starlette.requests import Request
from starlette.responses import HTMLResponse

SEED_MATCHES = 3  # nearest seeds shown beside a version
RECORDS_CACHED = 512
# Seconds a list read from the catalog (every source, the changes of a filter, a search) is
# reused: a list of 10k sources costs the catalog far more than a page may take, and a list
# a few seconds old is what any dashboard shows. Single versions are never stale.
LIST_TTL = 15.0


class NotFound(LookupError):
    """A source, version or capture the archive does not have; the message says which."""


class BadRequest(ValueError):
    """A query parameter that cannot be used; the message names it."""


def link(path: str, **params: Any) -> str:
    """`path` with `params` as its query string (None and False left out): every view's
    state lives in its URL."""
    query = [(k.rstrip("_"), v) for k, v in params.items() if v is not None and v is not False]
    return f"{path}?{urlencode(query)}" if query else path


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("palimpsest.viewer", "templates"),
        autoescape=select_autoescape(["html", "xml", "atom"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["link"] = link
    env.filters["when"] = lambda d: d.strftime("%Y-%m-%d %H:%M UTC") if d else "–"
    return env


@dataclass
class Viewer:
    store: Store
    catalog: Any | None
    load_seeds: Callable[[], SeedCorpus]
    templates: Environment = field(default_factory=_environment)

    def __post_init__(self) -> None:
        self._lists: TTLCache[tuple[Any, ...], Any] = TTLCache(maxsize=64, ttl=LIST_TTL)
        self._lists_lock = threading.Lock()
        self.record = lru_cache(maxsize=RECORDS_CACHED)(self._record)
        self.diff = lru_cache(maxsize=64)(self._diff)
        self.seed_matches = lru_cache(maxsize=64)(self._seed_matches)
        self.seeds = lru_cache(maxsize=1)(self.load_seeds)

    def page(self, request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        html = self.templates.get_template(name).render(request=request, **context)
        return HTMLResponse(html, status_code=status)

    def listed(self, method: str, **filters: Any) -> Any:
        """`catalog.<method>(**filters)`, reused for LIST_TTL seconds."""
        key = (method, *sorted(filters.items()))
        with self._lists_lock:
            if key in self._lists:
                return self._lists[key]
        value = getattr(self.catalog, method)(**filters)
        with self._lists_lock:
            self._lists[key] = value
        return value

    def latest(self, url: str) -> VersionRecord:
        record = self.store.latest(url)
        if record is None:
            raise NotFound(f"{url}: not in the archive")
        return record

    def _record(self, url: str, version: int) -> VersionRecord:
        from palimpsest.storage import VersionNotFound

        try:
            return self.store.get(url, version)
        except VersionNotFound:
            raise NotFound(f"{url}: no version {version}") from None

    def _diff(self, url: str, old: int, new: int) -> VersionDiff:
        return diff_versions(self.record(url, old).text, self.record(url, new).text)

    def _seed_matches(self, url: str, version: int) -> list[SeedMatch]:
        return self.seeds().match(self.record(url, version).text, limit=SEED_MATCHES)
