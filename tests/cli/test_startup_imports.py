"""CLI start-up imports only what a command needs: the modules `palimpsest archive` loads to
archive a page leave out the packages only other paths use (the catalog's migrations,
Apprise deliveries, the wordllama package itself: diffing reads its files directly)."""

from __future__ import annotations

import subprocess
import sys

ARCHIVE_PATH = (
    "palimpsest.cli",
    "palimpsest.runtime",
    "palimpsest.flows.context",
    "palimpsest.flows.run",
    "palimpsest.diffing.embed",
)
NOT_NEEDED = ("alembic", "apprise", "wordllama", "prefect", "boto3")


def test_the_archive_path_does_not_import_what_only_other_paths_use() -> None:
    code = (
        f"import sys\nfor m in {ARCHIVE_PATH!r}: __import__(m)\n"
        "from palimpsest.diffing.embed import word_vector\nassert word_vector('harbour').any()\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({NOT_NEEDED!r})))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]", done.stdout
