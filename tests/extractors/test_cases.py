"""Table-driven cleaning tests: cases.yaml lists, per document, what must go (and which
cleaner must record it) and what must stay."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from palimpsest.extractors import Article, extract, extract_text

HERE = Path(__file__).parent
TABLE: dict[str, Any] = yaml.safe_load((HERE / "cases.yaml").read_text(encoding="utf-8"))
BODY: list[str] = TABLE["body"]


def _lines(article: Article) -> list[str]:
    return [line for line in article.text.split("\n") if line]


def _build(case: dict[str, Any]) -> str:
    lines = [
        *case.get("before", []),
        *BODY[:3],
        *case.get("middle", []),
        *BODY[3:],
        *case.get("after", []),
    ]
    return "\n".join(lines) + "\n"


def _assert_dropped(article: Article, snippet: str, cleaner: str | None) -> None:
    assert snippet not in article.text, f"junk left in the text: {snippet!r}"
    records = [r for r in article.removed if snippet in r.text]
    if cleaner is not None:
        assert records, f"{snippet!r} vanished without a removal record"
        assert cleaner in {r.cleaner for r in records}, (
            f"{snippet!r} removed by {[r.cleaner for r in records]}, expected {cleaner}"
        )


@pytest.mark.parametrize("case", TABLE["texts"], ids=[c["name"] for c in TABLE["texts"]])
def test_text_case(case: dict[str, Any]) -> None:
    article = extract_text(_build(case), source=case["name"])
    lines = _lines(article)
    for line in BODY:
        assert line in lines, f"article sentence lost: {line[:60]!r}"
    for snippet, cleaner in (case.get("drop") or {}).items():
        assert snippet not in lines
        _assert_dropped(article, snippet, cleaner)
    for line in case.get("keep") or []:
        assert line in lines, f"kept line lost: {line!r}"
    # nothing else was removed: every removal is one of the case's junk lines
    junk = set(case.get("drop") or {})
    stray = [r.text for r in article.removed if r.text not in junk]
    assert not stray, f"unexpected removals: {stray}"


@pytest.mark.parametrize("case", TABLE["pages"], ids=[c["file"] for c in TABLE["pages"]])
def test_page_case(case: dict[str, Any]) -> None:
    html = (HERE / "fixtures" / case["file"]).read_bytes()
    article = extract(html, case["url"])
    for snippet, cleaner in case["drop"].items():
        _assert_dropped(article, snippet, cleaner)
    for snippet in case["keep"]:
        assert snippet in article.text, f"article text lost: {snippet!r}"
    for name, value in case.get("metadata", {}).items():
        assert getattr(article, name) == value, name
