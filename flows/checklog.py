"""The check log: every check of a source, kept in the store so the catalog can be rebuilt.

Checks are observations, not versions: the catalog records each one at once, and the store
receives them in batches, one immutable JSON-lines object per batch:

    checks/{yyyy}/{mm}/{dd}/{hhmmss}-{uuid}.jsonl

A batch lost with a crashed worker loses only those checks' history (never a version).
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

from palimpsest.catalog import CheckRow
from palimpsest.storage import Store

PREFIX = "checks/"
log = logging.getLogger(__name__)


def write(store: Store, rows: Iterable[CheckRow]) -> str | None:
    """Store `rows` as one log object; its key (None if there was nothing to write)."""
    lines = [json.dumps(r.to_dict(), sort_keys=True) for r in rows]
    if not lines:
        return None
    stamp = datetime.now(UTC)
    key = f"{PREFIX}{stamp:%Y/%m/%d/%H%M%S}-{uuid.uuid4().hex}.jsonl"
    store.backend.create(key, ("\n".join(lines) + "\n").encode("utf-8"))  # type: ignore[attr-defined]
    return key


def read(store: Store) -> Iterator[CheckRow]:
    """Every logged check, in log order. A damaged line is skipped with a warning naming its
    key and line (the checks are observations; no version depends on them)."""
    backend = store.backend  # type: ignore[attr-defined]
    for key in backend.list(PREFIX):
        text = backend.read(key).decode("utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                yield CheckRow.from_dict(json.loads(line))
            except (ValueError, TypeError, KeyError) as exc:
                log.warning("%s line %d: not a check record (%s); skipped", key, number, exc)
