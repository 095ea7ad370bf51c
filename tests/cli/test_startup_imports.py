"""CLI start-up imports only what a command needs: the modules `palimpsest archive` loads to
archive a page leave out the packages only other paths use (the catalog's migrations,
Apprise deliveries, the wordllama package itself: diffing reads its files directly)."""

from __future__ import annotations

import subprocess
import sys

CLI_PROCESS = (  # what `palimpsest archive` imports in its own process
    "palimpsest.cli",
    "palimpsest.runtime",
    "palimpsest.flows.context",
    "palimpsest.flows.run",
)
ARCHIVE_PATH = (*CLI_PROCESS, "palimpsest.diffing.embed")  # with its workers' word vectors
NOT_NEEDED = ("alembic", "apprise", "wordllama", "prefect", "boto3")


def test_the_archive_path_does_not_import_what_only_other_paths_use() -> None:
    code = (
        f"import sys\nfor m in {ARCHIVE_PATH!r}: __import__(m)\n"
        "from palimpsest.diffing.embed import word_vector\nassert word_vector('harbour').any()\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({NOT_NEEDED!r})))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]", done.stdout


WORKERS_ONLY = (  # what the CLI's extraction workers load and its own process never does
    "numpy",
    "palimpsest.diffing.corpus",
    "palimpsest.extractors.cleaners",
    "trafilatura",
)


def test_the_cli_process_leaves_extraction_and_the_seed_alignment_to_its_workers() -> None:
    code = (
        f"import sys\nfor m in {CLI_PROCESS!r}: __import__(m)\n"
        f"print(sorted(m for m in {WORKERS_ONLY!r} if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]", done.stdout


def test_every_name_of_the_diffing_package_is_its_module_s_own() -> None:
    """The package imports its names on first use; each is the one its module defines."""
    import importlib

    from palimpsest import diffing

    for name in diffing.__all__:
        module = importlib.import_module(f"palimpsest.diffing.{diffing._MODULES[name]}")
        assert getattr(diffing, name) is getattr(module, name)
    assert sorted(diffing.__all__) == sorted(diffing._MODULES)
    assert set(diffing.__all__) <= set(dir(diffing))
