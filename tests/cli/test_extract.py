"""`palimpsest extract`: HTML files, stdin, plain text (--text) and the JSON view."""

from __future__ import annotations

import json
from pathlib import Path

REPO = Path(__file__).parents[2]
WIRE = REPO / "palimpsest" / "demo_pages" / "minerals-wire.html"


def test_extract_html_file_as_json(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("extract", str(WIRE), "--json", store=False)
    assert result.exit_code == 0, result.output
    article = json.loads(result.stdout)
    assert article["text"].startswith("MUNICH (AP) — Ukrainian President")  # no title, dek
    assert "Sign up" not in article["text"] and "Related stories" not in article["text"]
    assert article["removed"], "the JSON says what the cleaners removed"
    assert {"cleaner", "text", "reason"} <= set(article["removed"][0])


def test_extract_from_stdin(cli) -> None:  # type: ignore[no-untyped-def]
    html = WIRE.read_text(encoding="utf-8")
    result = cli("extract", "-", store=False, input=html)
    assert result.exit_code == 0 and "Zelenskyy" in result.stdout


def test_extract_text_mode_cleans_a_seed(cli) -> None:  # type: ignore[no-untyped-def]
    seed = REPO / "seeds" / "000_68c98c2fdd58867a.txt"
    result = cli("extract", str(seed), "--text", store=False)
    assert result.exit_code == 0
    assert "Photo: AP" not in result.stdout
    assert "Vera Rubin" not in result.stdout  # an unrelated teaser appended to the story
    assert "That means, “It will bring money and security,” he said." in result.stdout


def test_a_missing_file_is_named(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("extract", "nope.html", store=False)
    assert result.exit_code == 1 and "nope.html" in result.stderr
