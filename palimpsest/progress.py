"""Batch output: one line per URL as it finishes, a progress bar on a terminal, a summary.

`archive` and `reextract` report each URL's outcome the moment it is known (a batch of 100
URLs is not silent for minutes); on a terminal a rich progress bar with the counts so far
stays below the lines; the batch ends with one summary line:

    100 URLs: 3 changed (2 substantive), 95 unchanged, 2 failed
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from types import TracebackType
from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from palimpsest.terminal import clean

# The order statuses are counted in, in the bar and the summary line.
STATUSES = ("new", "changed", "reextracted", "unchanged", "failed")


def describe_changes(changes: dict[str, Any] | None) -> str:
    """What a new version changed: `1 edited [name], 1 added` (from the diff summary)."""
    if not changes:
        return ""
    parts = []
    if changes.get("edited"):
        kinds = ", ".join(changes.get("kinds") or {})
        parts.append(f"{changes['edited']} edited" + (f" [{kinds}]" if kinds else ""))
    parts += [f"{changes[k]} {k}" for k in ("added", "removed", "moved") if changes.get(k)]
    return ", ".join(parts) or "whitespace only"


def is_substantive(changes: dict[str, Any] | None) -> bool:
    """An added, removed or moved sentence, or an edit that is not cosmetic."""
    if not changes:
        return False
    return any(changes.get(k) for k in ("substantive", "added", "removed", "moved"))


def summary_line(total: int, counts: Counter[str], substantive: int, noun: str = "URL") -> str:
    parts = []
    for status in STATUSES:
        if counts[status]:
            extra = f" ({substantive} substantive)" if status == "changed" else ""
            parts.append(f"{counts[status]} {status}{extra}")
    return f"{total} {noun}{'' if total == 1 else 's'}: " + (", ".join(parts) or "nothing done")


class BatchReport:
    """Print outcome lines as they come; a bar with the counts while on a terminal.

    `add(status, line, substantive=False)` per finished URL; `summary()` at the end. With
    `quiet` (JSON output) nothing is printed but the counts are still kept."""

    def __init__(self, total: int, *, quiet: bool = False, console: Console | None = None):
        self.total = total
        self.counts: Counter[str] = Counter()
        self.substantive = 0
        self._quiet = quiet
        self._console = console or Console()
        self._bar: Progress | None = None
        self._task: Any = None

    def __enter__(self) -> BatchReport:
        if not self._quiet and self.total > 1 and self._console.is_terminal:
            self._bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=self._console,
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task(self._counts_text(), total=self.total)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def _counts_text(self) -> str:
        done = [f"{self.counts[s]} {s}" for s in STATUSES if self.counts[s]]
        return ", ".join(done) or "starting"

    def add(self, status: str, line: str, *, substantive: bool = False) -> None:
        self.counts[status] += 1
        self.substantive += substantive
        if self._quiet:
            return
        line = clean(line)
        if self._bar is None:
            typer.echo(line)
            return
        self._bar.console.print(Text(line), soft_wrap=True)
        self._bar.update(self._task, advance=1, description=self._counts_text())

    def summary(self, noun: str = "URL") -> None:
        """The summary line, for batches (a single URL's line says it all)."""
        if not self._quiet and self.total > 1:
            typer.echo(summary_line(self.total, self.counts, self.substantive, noun))


def outcome_line(outcome: Any) -> str:
    """`changed   v2    https://...  1 edited [name], 1 added`."""
    version = f"v{outcome.version}" if outcome.version else "-"
    if outcome.status == "failed":
        detail = outcome.error or ""
        detail = detail.removeprefix(f"{outcome.url}: ")  # the line names the URL already
    elif outcome.status == "changed":
        detail = describe_changes(outcome.changes)
    else:
        detail = outcome.title or ""
    return f"{outcome.status:<9} {version:<5} {outcome.url}  {detail}".rstrip()


def report_outcomes(report: BatchReport, outcomes: Iterable[Any]) -> None:
    for outcome in outcomes:
        report.add(
            outcome.status, outcome_line(outcome), substantive=is_substantive(outcome.changes)
        )
