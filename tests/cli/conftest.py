"""CLI tests run the typer app in-process, so recorded HTTP (cassettes) applies to them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from palimpsest.app import settings
from palimpsest.cli import app


@pytest.fixture(autouse=True)
def fresh_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Settings are read once per process; each test gets its own reading of its env."""
    monkeypatch.setenv("PALIMPSEST_HOST_DELAY", "0")
    monkeypatch.setenv("PALIMPSEST_RETRIES", "0")
    monkeypatch.delenv("PALIMPSEST_STORE", raising=False)
    settings.cache_clear()
    yield
    settings.cache_clear()


class Cli:
    def __init__(self, store: Path) -> None:
        self.store = str(store)
        self.runner = CliRunner()

    def __call__(self, *args: str, store: bool = True, input: str | None = None) -> Result:
        argv = [*args, "--store", self.store] if store else list(args)
        return self.runner.invoke(app, argv, input=input)

    def json(self, *args: str, code: int = 0) -> Any:
        result = self(*args, "--json")
        assert result.exit_code == code, result.output
        return json.loads(result.stdout)


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path / "archive")
