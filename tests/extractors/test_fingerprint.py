"""The extractor's identity is derived from its code, cleaners and libraries: any change to
them gives a new EXTRACTOR_VERSION, so `reextract` notices it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from palimpsest.extractors import EXTRACTOR_VERSION, extract
from palimpsest.extractors import fingerprint as fp
from palimpsest.extractors.registry import CLEANERS, Cleaner

HTML = b"<html><body><article>" + b"<p>A sentence of the article, long enough.</p>" * 8


def fresh() -> str:
    return fp.extractor_fingerprint.__wrapped__()


def test_stable_and_stamped_on_every_article() -> None:
    assert fresh() == EXTRACTOR_VERSION == fp.extractor_fingerprint()
    assert extract(HTML).extractor_version == EXTRACTOR_VERSION
    assert EXTRACTOR_VERSION != "1"


def test_the_same_whichever_module_a_process_imports_first() -> None:
    """The package loads its modules on first use: a process that makes an Article before it
    ever extracts (or asks for the fingerprint first) still stamps the full identity."""
    code = (
        "from palimpsest.extractors.article import Article\n"
        "first = Article(text='x').extractor_version\n"
        "from palimpsest.extractors import EXTRACTOR_VERSION\n"
        "print(first == EXTRACTOR_VERSION, EXTRACTOR_VERSION)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", EXTRACTOR_VERSION]


def test_every_name_of_the_package_is_there() -> None:
    from palimpsest.extractors import api

    from palimpsest import extractors

    assert all(hasattr(extractors, name) for name in extractors.__all__)
    assert all(getattr(extractors, name) is getattr(api, name) for name in extractors._API)


def test_a_changed_setting_in_the_code_changes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copies = []
    for folder in fp._code_folders():
        copy = tmp_path / folder.name
        shutil.copytree(folder, copy, ignore=shutil.ignore_patterns("__pycache__"))
        copies.append(copy)
    monkeypatch.setattr(fp, "_code_folders", lambda: copies)
    assert fresh() == EXTRACTOR_VERSION  # same files, same identity
    module = copies[0] / "registry.py"
    module.write_text(module.read_text() + "\nTHRESHOLD = 0.5\n")
    assert fresh() != EXTRACTOR_VERSION


def test_a_registered_cleaner_changes_it() -> None:
    def drop_nothing(page: object) -> None:
        """Removes nothing (a cleaner registered at run time)."""

    CLEANERS["test-extra"] = Cleaner("test-extra", drop_nothing, ("html",), 99)
    try:
        assert fresh() != EXTRACTOR_VERSION
    finally:
        del CLEANERS["test-extra"]
    assert fresh() == EXTRACTOR_VERSION


def test_a_library_upgrade_changes_it(monkeypatch: pytest.MonkeyPatch) -> None:
    real = fp._version
    monkeypatch.setattr(
        fp, "_version", lambda name: "99.0" if name == "trafilatura" else real(name)
    )
    assert fresh() != EXTRACTOR_VERSION
