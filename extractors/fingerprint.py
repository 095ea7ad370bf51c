"""The extractor's identity, derived from what decides its output, so no change goes unnoticed.

A fingerprint over the versions of the parsing libraries (trafilatura and what it parses
with), the registered cleaners (name, stage, modes) and every source and settings file of
the extraction code (`palimpsest.extractors`, and the text leaf `palimpsest.text` it
normalises with): a cleaner added, a threshold changed or trafilatura upgraded gives a new
fingerprint, so `palimpsest reextract` knows which stored versions an older extractor made.
A change that cannot alter any text (a comment) also changes it; reextract then finds the
same texts and adds nothing.
"""

from __future__ import annotations

import hashlib
import importlib.util
from functools import cache
from importlib import metadata
from pathlib import Path

# The libraries whose upgrades can change extracted text.
LIBRARIES = ("trafilatura", "lxml", "lxml_html_clean", "justext", "htmldate", "charset-normalizer")
_FILES = ("*.py", "*.yaml", "*.json", "*.txt", "*.cfg")


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def _code_folders() -> list[Path]:
    spec = importlib.util.find_spec("palimpsest.text")
    text = [Path(spec.origin).parent] if spec and spec.origin else []
    return [Path(__file__).parent, *text]


@cache
def extractor_fingerprint() -> str:
    """ "x" and 16 hex digits, the same in every process running the same extractor."""
    digest = hashlib.sha256()
    for name in LIBRARIES:
        digest.update(f"{name}=={_version(name)}\n".encode())
    for folder in _code_folders():
        files = sorted({p for pattern in _FILES for p in folder.rglob(pattern)})
        for path in files:
            if "__pycache__" in path.parts:
                continue
            digest.update(f"{folder.name}/{path.relative_to(folder).as_posix()}\n".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    digest.update(_registry().encode())
    return f"x{digest.hexdigest()[:16]}"


def _registry() -> str:
    """The registered cleaners as they will run: the built-in ones (imported here, so the
    fingerprint does not depend on what was imported first) and any added at run time."""
    from palimpsest.extractors import cleaners  # noqa: F401
    from palimpsest.extractors.registry import CLEANERS

    return "\n".join(
        f"{c.name}:{c.stage}:{','.join(c.modes)}:{c.func.__module__}.{c.func.__qualname__}"
        for c in sorted(CLEANERS.values(), key=lambda c: (c.stage, c.name))
    )
