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


def test_notify_rules_per_source_per_tag_and_by_default(tmp_path: Path) -> None:
    from palimpsest.notify import Rule

    path = write(
        tmp_path,
        "notify:\n"
        "  default: {notify: substantive, to: [desk]}\n"
        "  tags:\n"
        "    ukraine: {notify: any, to: [desk, hook]}\n"
        "sources:\n"
        "  - url: https://a.example/own\n"
        "    tags: [ukraine]\n"
        "    notify: daily-digest\n"
        "    to: [editor]\n"
        "  - url: https://a.example/tagged\n"
        "    tags: [sport, ukraine]\n"
        "  - url: https://a.example/plain\n",
    )
    listed = load_sources(path)
    assert listed.problems == []
    assert dict(listed.rules()) == {
        "https://a.example/own": Rule("daily-digest", ("editor",)),
        "https://a.example/tagged": Rule("any", ("desk", "hook")),
        "https://a.example/plain": Rule("substantive", ("desk",)),
    }


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            "  - url: https://a.example/\n    notify: often\n    to: [d]\n",
            2,
            "notify must be one of",
        ),
        ("  - url: https://a.example/\n    notify: any\n", 2, "needs a 'to' list"),
        ("  - url: https://a.example/\n    notify: any\n    to: desk\n", 4, "to must be a list"),
    ],
)
def test_a_bad_source_rule_skips_that_source_only(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    listed = load_sources(write(tmp_path, "sources:\n" + text + "  - url: https://ok.example/\n"))
    assert listed.urls() == ["https://ok.example/"]
    [problem] = listed.problems
    assert problem.line == line and message in str(problem)
    assert str(problem).startswith(f"{tmp_path / 'sources.yaml'}:{line}: ")


def test_a_bad_top_level_rule_is_reported_and_skipped(tmp_path: Path) -> None:
    from palimpsest.notify import Rule

    listed = load_sources(
        write(
            tmp_path,
            "notify:\n"
            "  default: {notify: any}\n"
            "  tags:\n"
            "    a: {notify: any, to: [d]}\n"
            "    b: {notfy: any}\n"
            "  sometimes: 1\n"
            "sources:\n"
            "  - url: https://ok.example/\n"
            "    tags: [b]\n",
        )
    )
    assert [(p.line, p.reason) for p in listed.problems] == [
        (2, "notify: any needs a 'to' list of destinations"),
        (5, "unknown key(s) notfy in a rule"),
        (6, "unknown key 'sometimes' in 'notify'"),
    ]
    assert listed.default_rule == Rule() and list(listed.tag_rules) == ["a"]
    assert listed.rules() == [("https://ok.example/", Rule())]
