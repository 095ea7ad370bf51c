"""Errors of the flows package (composition of the stages).

    PipelineError                 base; str() names the URL or file
    ├── SourcesError              sources.yaml is missing or invalid (names file and line)
    └── DeploymentError           a Prefect deployment run could not be triggered or failed

Errors of the stage packages (FetchError, ExtractionError, StorageError, DiffError) are not
wrapped: the per-URL pipeline turns them into a `failed` outcome naming the URL.
"""

from __future__ import annotations


class PipelineError(Exception):
    """Base of the flows package's errors."""


class SourcesError(PipelineError):
    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")
        self.path, self.line = path, line


class DeploymentError(PipelineError):
    """Triggering or waiting for a deployment run failed; names the deployment."""
