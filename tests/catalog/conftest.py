"""Catalog fixtures: every catalog test runs on SQLite and on a real PostgreSQL server (the
session's, tests/postgres.py), each test on a database of its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import postgres


@pytest.fixture(params=["sqlite", "postgresql"])
def catalog_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty catalog database: a SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'catalog.sqlite'}"
    return postgres.new_database(request.getfixturevalue("postgres_server"))
