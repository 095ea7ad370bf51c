"""Errors of the flows package (composition of the stages), under the PalimpsestError root.

    PipelineError                 base; names the URL, file or reporter (`.subject`)
    ├── SourcesError              sources.yaml is missing or invalid (names file and line)
    ├── DeploymentError           a Prefect deployment run could not be triggered or failed
    ├── NotAnArticle              the page is a list of links (a hub), never versioned
    └── UrlsFailed                some URLs of a flow run failed (`.outcomes`: every URL's)

Errors of the stage packages (FetchError, ExtractionError, StorageError, DiffError) are not
wrapped: the per-URL pipeline turns any PalimpsestError into a `failed` outcome for its URL.
"""

from __future__ import annotations

from palimpsest.errors import PalimpsestError


class PipelineError(PalimpsestError):
    """Base of the flows package's errors."""


class SourcesError(PipelineError):
    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}", subject=path, reason=message)
        self.path, self.line = path, line


class DeploymentError(PipelineError):
    """Triggering or waiting for a deployment run failed; names the deployment."""


class NotAnArticle(PipelineError):
    """A hub or section page: its "article text" would be its headlines."""

    def __init__(self, url: str) -> None:
        reason = (
            "not an article: the page is a list of links to other stories (to archive "
            "those, list the page under 'sections:' in sources.yaml)"
        )
        super().__init__(f"{url}: {reason}", subject=url, reason=reason)


class UrlsFailed(PipelineError):
    """Some URLs of a flow run failed: the Failed state's data; `.outcomes` has every URL's."""

    def __init__(self, message: str, outcomes: list[dict[str, object]]) -> None:
        super().__init__(message)
        self.outcomes = outcomes

    def __reduce__(self) -> tuple[type, tuple[str, list[dict[str, object]]]]:
        return type(self), (str(self), self.outcomes)
