"""Prefect artifacts for a run: a table of outcomes and a markdown diff per changed article."""

from __future__ import annotations

from palimpsest.diffing import diff_versions
from palimpsest.diffing.render import render_markdown
from palimpsest.flows.pipeline import Outcome
from palimpsest.storage import Store
from prefect.artifacts import create_markdown_artifact, create_table_artifact


def outcome_rows(outcomes: list[Outcome]) -> list[dict[str, object]]:
    return [
        {
            "url": o.url,
            "status": o.status,
            "version": o.version,
            "seed match": o.seed_match or "",
            "error": o.error or "",
        }
        for o in outcomes
    ]


def _slug(text: str) -> str:
    """Artifact keys allow lowercase letters, digits and dashes only."""
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")[:60] or "diff"


def publish_artifacts(outcomes: list[Outcome], store: Store) -> None:
    create_table_artifact(
        key="archive-outcomes",
        table=outcome_rows(outcomes),
        description=f"Archive run into {store.location}",
    )
    for o in outcomes:
        if o.status != "changed" or o.version is None:
            continue
        before, after = store.get(o.url, o.version - 1), store.get(o.url, o.version)
        diff = diff_versions(before.text, after.text)
        title = f"{o.title or o.url}: version {before.version} → {after.version}"
        create_markdown_artifact(
            key=f"diff-{_slug(o.url.split('://', 1)[-1])}",
            markdown=render_markdown(diff, title=title),
            description=f"Changes of {o.url}",
        )
