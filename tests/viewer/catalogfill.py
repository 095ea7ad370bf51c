"""Fill a catalog from the test archive: its versions from the store, its checks from the
outcomes of the runs (what flows/ will write after each check; until it does, the viewer's
tests write the same rows through the catalog's own API)."""

from __future__ import annotations

import uuid
from datetime import datetime

from palimpsest.catalog import Catalog, CheckRow, VersionRow
from palimpsest.flows.pipeline import Outcome
from palimpsest.storage import Store, VersionRecord

_KINDS = ("edited", "added", "removed", "moved")


def _summary(changes: dict | None) -> str:
    if changes is None:
        return "first version"
    return ", ".join(f"{changes[k]} {k}" for k in _KINDS if changes.get(k)) or "no change"


def _substantive(changes: dict | None) -> bool | None:
    if changes is None:
        return None
    moves = changes.get("added", 0) + changes.get("removed", 0) + changes.get("moved", 0)
    return bool(moves or changes.get("substantive", 0))


def version_row(r: VersionRecord) -> VersionRow:
    changes = r.diff.get("changes")
    seeds = r.diff.get("seeds") or []
    return VersionRow(
        url=r.url,
        seq=r.version,
        captured_at=r.captured_at,
        sha256=r.sha256,
        title=r.title,
        words=r.words,
        substantive=_substantive(changes),
        summary=_summary(changes),
        key=r.key,
        text=r.text,
        changes=changes,
        seed=seeds[0]["seed"] if seeds else None,
        similarity=seeds[0]["similarity"] if seeds else None,
        etag=r.etag,
        last_modified=r.last_modified,
        raw_key=r.raw_key,
        extractor_version=r.extractor_version,
    )


def fill(catalog: Catalog, store: Store, runs: list[tuple[datetime, list[Outcome]]]) -> None:
    versions = [version_row(r) for url in store.urls() for r in store.versions(url)]
    checks = [
        CheckRow(
            id=str(uuid.uuid4()),
            url=o.url,
            checked_at=at,
            outcome=o.status,
            version=o.version,
            error=o.error,
        )
        for at, outcomes in runs
        for o in outcomes
    ]
    catalog.add_all(versions, checks)
