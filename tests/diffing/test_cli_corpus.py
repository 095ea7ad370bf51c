"""`palimpsest seeds` and `palimpsest compare FILE`, run in-process with typer's runner."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from palimpsest.app import settings
from palimpsest.cli import app

SEEDS_DIR = Path(__file__).parents[2] / "seeds"


@pytest.fixture(autouse=True)
def seeds_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("PALIMPSEST_SEEDS_DIR", str(SEEDS_DIR))
    settings.cache_clear()
    yield
    settings.cache_clear()


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_seeds_json(names: dict[str, str]) -> None:
    result = run("seeds", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [row["seed"] for row in data["seeds"]] == sorted(names.values())
    assert all(row["words"] > 100 and row["raw_words"] >= row["words"] for row in data["seeds"])
    rel = {(r["a"], r["b"]): r["relation"] for r in data["relations"]}
    assert rel[(names["000"], names["002"])] == "edited copy"


def test_seeds_table(names: dict[str, str]) -> None:
    result = run("seeds")
    assert result.exit_code == 0, result.output
    assert names["004"] in result.stdout and "edited copy" in result.stdout


def test_compare_text_file_json(names: dict[str, str]) -> None:
    result = run("compare", str(SEEDS_DIR / f"{names['001']}.txt"), "--json", "--limit", "3")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data["matches"]) == 3
    first = data["matches"][0]
    assert first["seed"] == names["001"] and first["counts"]["identical"] > 10
    assert first["title"].startswith("Ukrainian President Volodymyr Zelenskyy has instructed")
    link = first["links"][0]
    assert (link["label"], link["text_index"], link["seed_index"]) == ("identical", 0, 0)
    assert {"added", "dropped", "reordered"} <= set(first)


def test_compare_unrelated_story_has_no_match() -> None:
    """Below the calibrated link score nothing matches: no seed listed at a few percent."""
    story = str(Path(__file__).parent / "data" / "unrelated_story.txt")
    result = run("compare", story, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["matches"] == []
    result = run("compare", story)
    assert "no related coverage in the seed corpus" in result.stdout


def test_compare_table_names_seed_titles(names: dict[str, str]) -> None:
    result = run("compare", str(SEEDS_DIR / f"{names['002']}.txt"), "--limit", "2")
    assert result.exit_code == 0, result.output
    assert "U.S. Presents Ukraine With Document" in result.stdout


def test_compare_html_file(
    tmp_path: Path, raw_seeds: dict[str, str], names: dict[str, str]
) -> None:
    body = "".join(f"<p>{line}</p>" for line in raw_seeds[names["002"]].splitlines() if line)
    page = tmp_path / "page.html"
    page.write_text(f"<html><body><article>{body}</article></body></html>", "utf-8")
    result = run("compare", str(page))
    assert result.exit_code == 0, result.output
    assert names["002"] in result.stdout


def test_compare_errors(tmp_path: Path) -> None:
    result = run("compare", str(tmp_path / "missing.txt"))
    assert result.exit_code == 1 and "missing.txt" in result.stderr
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\xff\xfe\x00bad")
    result = run("compare", str(binary), "--text")
    assert result.exit_code == 1 and "blob.txt" in result.stderr and "UTF-8" in result.stderr


def test_compare_json_links_carry_both_sentences_label_and_score(names: dict[str, str]) -> None:
    """The README's JSON contract: each link with the indexes and texts of both sides, its
    label and calibrated score, and the figures / names / quotations that differ."""
    from palimpsest.diffing import split_sentences
    from palimpsest.extractors import extract_text

    def sentences(number: str) -> list[str]:
        path = SEEDS_DIR / f"{names[number]}.txt"
        return split_sentences(extract_text(path.read_text("utf-8"), source=path.stem).text)

    result = run("compare", str(SEEDS_DIR / f"{names['000']}.txt"), "--json")
    assert result.exit_code == 0, result.output
    match = next(m for m in json.loads(result.stdout)["matches"] if m["seed"] == names["002"])
    text, seed = sentences("000"), sentences("002")
    keys = {"text_index", "seed_index", "text", "seed", "label", "score", "differences"}
    for link in match["links"]:
        assert set(link) == keys
        assert link["text"] == text[link["text_index"]]
        assert link["seed"] == seed[link["seed_index"]]
        assert link["label"] in {"identical", "edited", "paraphrase", "partial"}
        assert 0.0 < link["score"] <= 1.0
        assert set(link["differences"]) <= {"numbers", "names", "quotes"}
    bessent = next(link for link in match["links"] if "Bessent" in link["text"])
    assert bessent["differences"]["names"] == {"text": ["bessent"], "seed": ["bassent"]}
    assert [a["text"] for a in match["added"]] == [
        "SECURITY GUARANTEES",
        "‘RECOUP’ MONEY",
        "NO EUROPE",
    ]
