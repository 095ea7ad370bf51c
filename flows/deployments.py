"""Trigger a run of an `archive-sources` deployment (for users with workers) and read its outcome.

The outcome comes back through the run's outcomes table artifact (flows/artifacts.py), so it
needs no result storage shared between the worker and the caller.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any
from uuid import UUID

from palimpsest.flows.artifacts import OUTCOMES_KEY
from palimpsest.flows.errors import DeploymentError
from palimpsest.flows.pipeline import Outcome
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId
from prefect.client.schemas.objects import FlowRun
from prefect.deployments import run_deployment
from prefect.exceptions import ObjectNotFound


async def _outcome_rows(flow_run_id: UUID) -> list[dict[str, Any]] | None:
    async with get_client() as client:
        artifacts = await client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]))
        )
    for artifact in artifacts:
        if artifact.key and artifact.key.startswith(OUTCOMES_KEY) and artifact.data:
            data = artifact.data
            rows = json.loads(data) if isinstance(data, str) else data
            return rows if isinstance(rows, list) else None
    return None


def run_deployment_for(
    name: str, urls: list[str], store: str, timeout: float = 3600
) -> list[Outcome]:
    """Run deployment `name` (flow/deployment) on `urls` into `store`; wait for its outcome."""
    if "/" not in name:
        name = f"archive-sources/{name}"
    try:
        run = run_deployment(name=name, parameters={"urls": urls, "store": store}, timeout=timeout)
        assert isinstance(run, FlowRun)  # called from sync code: the run, not a coroutine
    except ObjectNotFound:
        raise DeploymentError(
            f"deployment {name!r} not found on the Prefect API", subject=name
        ) from None
    state = run.state
    if state is None or not state.is_final():
        raise DeploymentError(
            f"{name}: flow run {run.name} did not finish within {timeout:.0f} s "
            f"(is a worker of its pool running?)"
        )
    rows = asyncio.run(_outcome_rows(run.id))
    if rows is None:
        raise DeploymentError(f"{name}: flow run {run.name} ended {state.name}: {state.message}")
    return [
        Outcome(url=r["url"], status=r["status"], version=r["version"], error=r["error"] or None)
        for r in rows
    ]
