"""What a run shows in the Prefect UI: each URL's outcome in its task's log, a markdown diff
artifact per changed article (the `prefect` reporter), and the run's table of outcomes.

Artifact keys are unique per URL (a readable slug of the URL, then the storage layout's hash
of the whole URL) and the outcomes table's key per deployment and store, so the history the UI
keeps under a key is the history of one thing.
"""

from __future__ import annotations

import hashlib
import re

from palimpsest.diffing.render import render_markdown
from palimpsest.flows.context import PipelineConfig
from palimpsest.flows.pipeline import Outcome
from palimpsest.flows.reporters import Reporter, VersionWritten
from palimpsest.storage.keys import url_hash
from prefect import runtime
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.logging import get_run_logger

OUTCOMES_KEY = "archive-outcomes"
_SLUG_CHARS = 40


def _slug(text: str) -> str:
    """Artifact keys allow lowercase letters, digits and dashes only."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:_SLUG_CHARS].strip("-")


def diff_key(url: str) -> str:
    """`diff-<host and path, shortened>-<hash of the URL>`: readable, and one per URL."""
    readable = _slug(url.split("://", 1)[-1])
    return f"diff-{readable}-{url_hash(url)}" if readable else f"diff-{url_hash(url)}"


def outcomes_key(store_location: str) -> str:
    """`archive-outcomes-<deployment>-<hash of the store>` (`adhoc` outside a deployment)."""
    deployment = _slug(runtime.deployment.name or "") or "adhoc"
    store = hashlib.sha256(store_location.encode()).hexdigest()[:12]
    return f"{OUTCOMES_KEY}-{deployment}-{store}"


def outcome_line(o: Outcome) -> str:
    """One line for a log: the status and version, then the reason or the title."""
    version = f" v{o.version}" if o.version else ""
    detail = o.error or o.title or ""
    return f"{o.status}{version}: {detail}" if detail else f"{o.status}{version}"


def outcome_rows(outcomes: list[Outcome]) -> list[dict[str, object]]:
    return [
        {
            "status": o.status,
            "error": o.error or "",
            "url": o.url,
            "version": o.version,
            "seed match": o.seed_match or "",
        }
        for o in outcomes
    ]


def publish_outcomes(outcomes: list[Outcome], store_location: str) -> None:
    create_table_artifact(
        key=outcomes_key(store_location),
        table=outcome_rows(outcomes),
        description=f"Archive run into {store_location}",
    )


class PrefectReporter(Reporter):
    """Inside a Prefect task: logs each URL's outcome and publishes each change's diff."""

    name = "prefect"

    def __init__(self, config: PipelineConfig | None = None) -> None:
        self.config = config

    def checked(self, outcome: Outcome) -> None:
        logger = get_run_logger()
        if outcome.status == "failed":
            logger.warning("%s", outcome_line(outcome))
        else:
            logger.info("%s", outcome_line(outcome))

    def version_written(self, event: VersionWritten) -> None:
        before, after = event.previous, event.record
        if before is None or event.diff is None:
            return
        title = f"{after.title or after.url}: version {before.version} → {after.version}"
        create_markdown_artifact(
            key=diff_key(after.url),
            markdown=render_markdown(event.diff, title=title),
            description=f"Changes of {after.url}",
        )
