"""`palimpsest sources`: the sources file with last change / check and next due time."""

from __future__ import annotations

import json
from pathlib import Path


def test_lists_sources_with_their_state(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "sources.yaml"
    path.write_text("sources:\n  - url: https://news.example/a\n    tags: [x]\n", "utf-8")
    (row,) = cli.json("sources", "--file", str(path))
    assert row == row | {
        "url": "https://news.example/a",
        "tags": ["x"],
        "versions": 0,
        "last_change": None,
        "due": True,
    }


def test_a_bad_line_is_named(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "sources.yaml"
    path.write_text(
        "sources:\n  - url: https://news.example/a\n  - url: ftp://x.example/y\n", "utf-8"
    )
    result = cli("sources", "--file", str(path))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: {path}:3: 'ftp://x.example/y' is not an http(s) URL"
    listed = cli("sources", "--file", str(path), "--json")  # the other sources still listed
    assert listed.exit_code == 1
    assert [row["url"] for row in json.loads(listed.stdout)] == ["https://news.example/a"]
