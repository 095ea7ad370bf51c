from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from palimpsest.flows.errors import SourcesError
from palimpsest.flows.sources import load_sources, parse_cadence

REPO = Path(__file__).parents[2]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_sources_file_is_valid() -> None:
    sources = load_sources(REPO / "sources.yaml")
    assert sources.sources, "sources.yaml lists no source"
    assert all(s.url.startswith("https://") for s in sources.sources)


def test_parses_urls_tags_and_cadence(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "sources:\n"
        "  - url: https://a.example/story\n"
        "    tags: [politics, eu]\n"
        "  - url: http://b.example/x\n"
        "    cadence: 2h\n",
    )
    a, b = load_sources(path).sources
    assert (a.url, a.tags, a.cadence, a.line) == (
        "https://a.example/story",
        ("politics", "eu"),
        None,
        2,
    )
    assert (b.url, b.cadence, b.line) == ("http://b.example/x", timedelta(hours=2), 4)


@pytest.mark.parametrize(
    ("entry", "line", "message"),
    [
        ("  - url: ftp://a.example/x\n", 2, "not an http(s) URL"),
        ("  - tags: [a]\n", 2, "has no 'url'"),
        ("  - url: https://a.example/\n    cadnce: 1h\n", 2, "unknown key(s) cadnce"),
        ("  - url: https://a.example/\n    cadence: often\n", 3, "cadence 'often'"),
        ("  - url: https://a.example/\n    tags: politics\n", 3, "tags must be a list"),
        ("  - url: https://ok.example/\n", 3, "listed twice (first on line 2)"),
        ("  - url: http://xn--zz-.example/\n", 2, "invalid host 'xn--zz-.example'"),
        (f"  - url: http://{'a' * 60}.{'b' * 200}.example/\n", 2, "longer than 253 characters"),
        ("  - url: http://admin:secret@a.example/\n", 2, "http://***@a.example/: URLs with"),
    ],
)
def test_a_bad_entry_is_reported_with_its_line_and_the_others_load(
    tmp_path: Path, entry: str, line: int, message: str
) -> None:
    path = write(tmp_path, "sources:\n" + entry + "  - url: https://ok.example/\n")
    listed = load_sources(path)
    (problem,) = listed.problems
    assert f"{path}:{line}: " in str(problem) and message in str(problem)
    assert "secret" not in str(problem)
    assert listed.urls() == ["https://ok.example/"]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("sources: [\n", 2, "not valid YAML"),
        ("sources: https://a.example/\n", 1, "'sources' must be a list"),
        ("- url: https://a.example/\n", 1, "top level must be a mapping"),
    ],
)
def test_a_bad_file_names_the_file_and_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(SourcesError) as err:
        load_sources(path)
    assert f"{path}:{line}: " in str(err.value)
    assert message in str(err.value)


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(SourcesError, match=r"nowhere\.yaml: cannot read"):
        load_sources(tmp_path / "nowhere.yaml")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("adaptive", None),
        ("15m", timedelta(minutes=15)),
        ("1d", timedelta(days=1)),
        ("2W", timedelta(weeks=2)),
    ],
)
def test_cadence(text: str, expected: timedelta | None) -> None:
    assert parse_cadence(text) == expected


@pytest.mark.parametrize("text", ["0h", "1y", "", "hourly"])
def test_bad_cadence(text: str) -> None:
    with pytest.raises(ValueError, match="cadence"):
        parse_cadence(text)
