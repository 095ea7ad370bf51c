"""Article metadata read from the page head: title, byline, dates, canonical URL, site, language.

Sources, in order of trust: JSON-LD (schema.org NewsArticle and kin), OpenGraph / article:*
meta tags, other common meta names, then the document itself (<title>, <h1>, <time>, lang).
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urljoin

import lxml.html
from palimpsest.extractors.text import normalise

_ARTICLE_TYPES = re.compile(r"Article|Posting|Report|NewsArticle|WebPage|BlogPosting", re.I)
_ISO = re.compile(
    r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)
_TITLE_SEP = re.compile(r"\s+[|–—·•»:-]\s+")


def read_metadata(tree: lxml.html.HtmlElement, url: str | None) -> dict[str, str | None]:
    meta_els: list[lxml.html.HtmlElement] = []
    scripts: list[lxml.html.HtmlElement] = []
    for el in tree.iter("meta", "script"):  # one walk for both (tag filter in C)
        (meta_els if el.tag == "meta" else scripts).append(el)
    metas = _meta_tags(meta_els)
    ld = _json_ld(scripts)
    site = _first(
        metas.get("og:site_name"), _name(ld.get("publisher")), metas.get("application-name")
    )
    title = _first(
        _text(ld.get("headline")),
        metas.get("og:title"),
        metas.get("twitter:title"),
        _first_text(tree, "h1"),
        _first_text(tree, "title"),
    )
    if title and site:
        title = _strip_site(title, site)
    return {
        "title": title,
        "byline": _byline(
            _authors(ld.get("author")),
            metas.get("author"),
            metas.get("article:author") if not _is_url(metas.get("article:author")) else None,
            metas.get("byl"),
            metas.get("dc.creator"),
            metas.get("parsely-author"),
            metas.get("sailthru.author"),
        ),
        "published": _date(
            _text(ld.get("datePublished")),
            metas.get("article:published_time"),
            metas.get("og:published_time"),
            metas.get("datepublished"),
            metas.get("date"),
            metas.get("dc.date"),
            metas.get("dc.date.issued"),
            metas.get("pubdate"),
            metas.get("publishdate"),
            metas.get("sailthru.date"),
            metas.get("parsely-pub-date"),
            _first_attr(tree, "time", "datetime"),
        ),
        "updated": _date(
            _text(ld.get("dateModified")),
            metas.get("article:modified_time"),
            metas.get("og:updated_time"),
            metas.get("datemodified"),
            metas.get("last-modified"),
        ),
        "canonical_url": _canonical(tree, metas, url),
        "site_name": site,
        "language": _language(tree, metas),
    }


def _meta_tags(meta_els: list[lxml.html.HtmlElement]) -> dict[str, str]:
    found: dict[str, str] = {}
    for el in meta_els:
        key = el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv")
        content = el.get("content")
        if key and content and content.strip():
            found.setdefault(key.strip().lower(), normalise(content))
    return found


def _json_ld(scripts: list[lxml.html.HtmlElement]) -> dict[str, Any]:
    """The first schema.org object that looks like an article (searching @graph and lists)."""
    for script in scripts:
        if script.get("type") != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        for obj in _walk(data):
            kind = obj.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if any(isinstance(k, str) and _ARTICLE_TYPES.search(k) for k in kinds) and (
                "headline" in obj or "datePublished" in obj
            ):
                return obj
    return {}


def _walk(data: Any) -> list[dict[str, Any]]:
    if isinstance(data, list):
        return [o for item in data for o in _walk(item)]
    if isinstance(data, dict):
        return [data, *_walk(data.get("@graph", []))]
    return []


def _text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return normalise(value)
    if isinstance(value, list) and value:
        return _text(value[0])
    return None


def _name(value: Any) -> str | None:
    if isinstance(value, dict):
        return _text(value.get("name"))
    if isinstance(value, list) and value:
        return _name(value[0])
    return _text(value)


def _authors(value: Any) -> str | None:
    items = value if isinstance(value, list) else [value]
    names = [n for n in (_name(v) for v in items) if n and not _is_url(n)]
    return ", ".join(dict.fromkeys(names)) or None


def _byline(*values: str | None) -> str | None:
    """The first byline found, without a leading "By"."""
    value = _first(*values)
    if value is None:
        return None
    return re.sub(r"^(?:by|von|por|par)\s+", "", value, flags=re.IGNORECASE).strip() or None


def _is_url(value: str | None) -> bool:
    return value is not None and value.startswith(("http://", "https://", "/"))


def _first(*values: str | None) -> str | None:
    return next((v for v in values if v), None)


def _date(*values: str | None) -> str | None:
    for value in values:
        match = _ISO.match(value.strip()) if value else None
        if match:
            return match.group(0).replace(" ", "T")
    return None


# The first element of a tag is found with iter(tag), which filters by tag in C while it
# walks the elements; an XPath "//tag" also visits every text node and costs several times more.


def _first_text(tree: lxml.html.HtmlElement, tag: str) -> str | None:
    """The text of the first `tag` element, if it has any (later ones are not read)."""
    for el in tree.iter(tag):
        return normalise(el.text_content()) or None
    return None


def _first_attr(tree: lxml.html.HtmlElement, tag: str, attr: str, **equal: str) -> str | None:
    """`attr` of the first `tag` element that has it (and whose attributes equal `equal`)."""
    for el in tree.iter(tag):
        value = el.get(attr)
        if value is not None and all(el.get(k) == v for k, v in equal.items()):
            return value
    return None


def _strip_site(title: str, site: str) -> str:
    parts = _TITLE_SEP.split(title)
    if len(parts) > 1 and parts[-1].strip().lower() == site.strip().lower():
        return " - ".join(parts[:-1]).strip()
    return title


def _canonical(tree: lxml.html.HtmlElement, metas: dict[str, str], url: str | None) -> str | None:
    href = _first_attr(tree, "link", "href", rel="canonical") or metas.get("og:url")
    if not href:
        return None
    return urljoin(url, href.strip()) if url else href.strip()


def _language(tree: lxml.html.HtmlElement, metas: dict[str, str]) -> str | None:
    lang = tree.get("lang") or tree.get("xml:lang") or metas.get("content-language")
    if not lang and metas.get("og:locale"):
        lang = metas["og:locale"].replace("_", "-")
    if not lang:
        return None
    return lang.strip().split(",")[0].strip() or None
