"""Reporters: what happens after a version is written and after every check.

A reporter is a small named unit (the Prefect artifacts, notifications, Prefect events)
built once per pipeline from its configuration and called by the per-URL pipeline:

- `version_written(event)`: a new version was stored by the archive; the event
  carries the record, the version before it and their diff.
- `checked(outcome)`: a URL was checked, whatever the result (new, changed, unchanged,
  failed).

A new reporter is a `Reporter` subclass whose constructor takes the `PipelineConfig`, named
in `REPORTERS` by its "module:Class" path (imported only when a pipeline uses it);
`PipelineConfig.reporters` lists the names a pipeline uses (the composition root,
palimpsest/runtime.py, fills it in). A reporter that raises never undoes or fails the
archive: the error is logged, naming the reporter and the URL.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from palimpsest.diffing import VersionDiff
from palimpsest.storage import VersionRecord

if TYPE_CHECKING:
    from palimpsest.flows.context import PipelineConfig
    from palimpsest.flows.pipeline import Outcome

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class VersionWritten:
    """A version was stored: `record`, the version it follows and their diff (None for v1)."""

    record: VersionRecord
    previous: VersionRecord | None
    diff: VersionDiff | None


class Reporter:
    """Base of every reporter: override the hooks you need (the others do nothing)."""

    name = "reporter"

    def version_written(self, event: VersionWritten) -> None:
        """Called once per stored version, after the record is written."""

    def checked(self, outcome: Outcome) -> None:
        """Called once per URL check, after its outcome is known."""

    def close(self) -> None:
        """Called when the pipeline closes."""


ReporterFactory = Callable[["PipelineConfig"], Reporter]

# name -> factory, or "module:attribute" of one (imported when a pipeline uses it)
REPORTERS: dict[str, ReporterFactory | str] = {
    "prefect": "palimpsest.flows.artifacts:PrefectReporter",
    "notify": "palimpsest.flows.notifications:NotifyReporter",
    "events": "palimpsest.flows.events:EventsReporter",
}


def _factory(name: str) -> ReporterFactory:
    from palimpsest.flows.errors import PipelineError

    entry = REPORTERS.get(name)
    if entry is None:
        known = ", ".join(sorted(REPORTERS))
        raise PipelineError(f"unknown reporter {name!r} (known: {known})", subject=name)
    if isinstance(entry, str):
        module, _, attribute = entry.partition(":")
        entry = REPORTERS[name] = getattr(importlib.import_module(module), attribute)
    return entry


class Reporters:
    """The pipeline's reporters, called in order; one reporter's failure never stops the rest."""

    def __init__(self, reporters: Iterable[Reporter] = ()) -> None:
        self.all = list(reporters)

    @classmethod
    def build(cls, config: PipelineConfig, extra: Iterable[Reporter] = ()) -> Reporters:
        return cls([*(_factory(name)(config) for name in config.reporters), *extra])

    def _call(self, hook: str, url: str, argument: object) -> None:
        for reporter in self.all:
            try:
                getattr(reporter, hook)(argument)
            except Exception as exc:  # a reporter must never fail an archive already made
                log.warning("reporter %s failed on %s: %s", reporter.name, url, exc)

    def version_written(self, event: VersionWritten) -> None:
        self._call("version_written", event.record.url, event)

    def checked(self, outcome: Outcome) -> None:
        self._call("checked", outcome.url, outcome)

    def close(self) -> None:
        for reporter in self.all:
            reporter.close()
