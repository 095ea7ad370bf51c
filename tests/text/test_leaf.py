"""The text leaf imports nothing of Palimpsest's but itself (DESIGN.md, "Dependencies")."""

from __future__ import annotations

import ast
from pathlib import Path

import palimpsest.text

LEAF = Path(palimpsest.text.__file__).parent


def test_the_leaf_imports_nothing_of_ours() -> None:
    imported = set()
    for path in LEAF.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
            elif isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
    ours = {name for name in imported if name.split(".")[0] == "palimpsest"}
    assert ours and all(name.startswith("palimpsest.text") for name in ours)
