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
    ("text", "line", "message"),
    [
        ("sources:\n  - url: ftp://a.example/x\n", 2, "not an http(s) URL"),
        ("sources:\n  - tags: [a]\n", 2, "has no 'url'"),
        ("sources:\n  - url: https://a.example/\n    cadnce: 1h\n", 2, "unknown key(s) cadnce"),
        ("sources:\n  - url: https://a.example/\n    cadence: often\n", 3, "cadence 'often'"),
        ("sources:\n  - url: https://a.example/\n    tags: politics\n", 3, "tags must be a list"),
        ("sources:\n - url: https://a.example/\n - url: https://a.example/\n", 3, "listed twice"),
        ("sources: [\n", 2, "not valid YAML"),
        ("sources: https://a.example/\n", 1, "'sources' must be a list"),
        ("- url: https://a.example/\n", 1, "top level must be a mapping"),
    ],
)
def test_errors_name_the_file_and_line(tmp_path: Path, text: str, line: int, message: str) -> None:
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
