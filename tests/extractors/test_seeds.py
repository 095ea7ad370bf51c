"""Plain-text mode on the seed corpus: exactly the junk lines named in the issue go, every
other line stays (verbatim, in order)."""

from __future__ import annotations

from pathlib import Path

import pytest
from palimpsest.extractors import extract_text

SEEDS = Path(__file__).parents[2] / "seeds"


def _seed(prefix: str) -> Path:
    matches = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    assert len(matches) == 1, f"expected one seed {prefix}_*.txt in {SEEDS}"
    return matches[0]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


# Junk per seed, as predicates over a line: exact text, or the opening words of a long line.
JUNK: dict[str, list[str]] = {
    # four unrelated teasers appended at the end (cut off), and a photo credit
    "000": [
        "Photo: AP",
        "Drug lord Jose Adolfo Macias Villamar, alias",
        "CYBERCRIME, TRAFFICKING: A ‘pattern of state failures’",
        "The team behind the long-awaited Vera Rubin Observatory",
        "Canada and the EU on Monday signed a defense and security pact",
    ],
    "001": [],
    # title, dek, two bylines, date, duplicated caption, photo credit, rule, contributor line
    "002": [
        "U.S. Presents Ukraine With Document to Access Rare Earth Minerals",
        "But offered almost nothing in return.",
        "Emma Burrows",
        "Aamer Madhani",
        "Feb 17, 2025",
        "United States Vice-President JD Vance addresses the audience",
        "AP Photo/Matthias Schrader",
        "___",
        "Associated Press writers Volodymyr Yurchuk and Susie Blann",
    ],
    # newsletter promo and its strap line
    "003": [
        "Access the White House Watch newsletter at no cost",
        "Your comprehensive overview of the implications of the 2024 US election",
    ],
    # two embedded tweets: the post text and the "— Name (@handle) Date" credit line
    "004": [
        '"U.S. Secretary of the Treasury Scott Bessent brought to Kyiv',
        "— WarTranslated (@wartranslated) February 12, 2025",
        "“We believe this document is very important.",
        "— Denis Danilov (@DenisDanilovL) February 13, 2025",
    ],
}


def _is_junk(line: str, junk: list[str]) -> bool:
    return any(line == j or (len(j) > 25 and line.startswith(j)) for j in junk)


@pytest.mark.parametrize("prefix", sorted(JUNK))
def test_seed_keeps_every_article_line_and_drops_the_junk(prefix: str) -> None:
    path = _seed(prefix)
    source = path.read_text(encoding="utf-8")
    article = extract_text(source, source=str(path))

    expected = [line for line in _lines(source) if not _is_junk(line, JUNK[prefix])]
    dropped = [line for line in _lines(source) if _is_junk(line, JUNK[prefix])]
    # each junk predicate matches at least one line of the seed (the table is not stale)
    for junk in JUNK[prefix]:
        assert any(_is_junk(line, [junk]) for line in dropped), f"{junk!r} not in {path.name}"

    assert _lines(article.text) == expected
    removed_texts = [r.text for r in article.removed]
    for line in dropped:
        assert line in removed_texts, f"{line[:60]!r} removed without a record"
    assert all(r.reason for r in article.removed)


def test_seed_000_teasers_are_dropped_for_truncation_and_low_overlap() -> None:
    article = extract_text(_seed("000").read_text(encoding="utf-8"))
    teasers = [r for r in article.removed if r.cleaner == "unrelated_teasers"]
    assert len(teasers) == 4
    assert all("term overlap" in r.reason for r in teasers)


def test_seed_subheadings_and_quotes_are_kept() -> None:
    text_000 = extract_text(_seed("000").read_text(encoding="utf-8")).text
    text_002 = extract_text(_seed("002").read_text(encoding="utf-8")).text
    assert "SECURITY GUARANTEES" in _lines(text_000)
    assert "NO EUROPE" in _lines(text_000)
    assert "Zelenskyy insists on security guarantees" in _lines(text_002)
    assert "No Europeans at the negotiating table?" in _lines(text_002)
    assert any(line.startswith("“It’s a colonial agreement") for line in _lines(text_000))
