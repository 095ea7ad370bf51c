"""The notification reporter: a new version is told to the people its rule names, once.

On `version_written` the reporter builds the `Notification` (flows composes it from the
record and the diff: the summary line, the word changes of substantive edits, the viewer's
diff link) and queues it in the catalog's outbox (catalog/outbox.py), one row per
destination; nothing is sent during the archive. The outbox is sent when the pipeline
closes, and the next pipeline sends what an earlier run left (killed before it could) in a
background thread as it starts, so a slow or failing receiver never delays or fails an
archive: it is retried with back-off (notify.deliver), and a row still failing stays pending
for the next run. Claims are atomic, so reruns and concurrent workers send each row once.
`daily-digest` rows wait for their day to end, then go out as one message per destination.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections import defaultdict
from dataclasses import asdict
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import httpx
from palimpsest.catalog import CatalogError, OutboxRow
from palimpsest.diffing import VersionDiff
from palimpsest.flows.catalog import open_scheduled, summary_line
from palimpsest.flows.reporters import Reporter, VersionWritten
from palimpsest.notify import Notification, Targets, deliver, digest, viewer_link

if TYPE_CHECKING:
    from palimpsest.flows.context import PipelineConfig

log = logging.getLogger(__name__)
MAX_DETAILS = 10  # word changes listed in one notification


def word_changes(diff: VersionDiff) -> list[str]:
    """The word changes of the substantive edits: `65 -> 56 percent` (the words replaced, their
    replacement and the word after them), `+ words added`, `- words removed`."""
    found: list[str] = []
    for edit in diff.edited:
        if not edit.substantive:
            continue
        gone: list[str] = []
        new: list[str] = []
        for op, token in [*edit.words, ("equal", "")]:
            if op == "delete":
                gone.append(token)
            elif op == "insert":
                new.append(token)
            elif gone and new:
                found.append(f"{' '.join(gone)} -> {' '.join(new)} {token}".rstrip())
                gone, new = [], []
            elif gone or new:  # words only removed, or only added
                found.append(f"- {' '.join(gone)}" if gone else f"+ {' '.join(new)}")
                gone, new = [], []
    return found[:MAX_DETAILS]


def notification_of(event: VersionWritten, viewer_url: str | None) -> Notification:
    record, diff = event.record, event.diff
    link = viewer_link(viewer_url, record.url, record.version) if viewer_url else ""
    labels = sorted({k for e in diff.edited for k in e.kinds}) if diff is not None else []
    return Notification(
        url=record.url,
        version=record.version,
        title=record.title or record.url,
        captured_at=record.captured_at.isoformat(),
        headline=summary_line(diff),
        substantive=diff.substantive if diff is not None else False,
        details=tuple(word_changes(diff)) if diff is not None else (),
        labels=tuple(labels),
        link=link,
    )


def _loads(payload: str) -> Notification:
    data = json.loads(payload)
    for name in ("details", "labels"):
        data[name] = tuple(data[name])
    return Notification(**data)


class NotifyReporter(Reporter):
    """Queues each new version that a rule wants told; sends the outbox (see the module)."""

    name = "notify"

    def __init__(self, config: PipelineConfig, *, start: bool = True) -> None:
        from palimpsest.flows.context import catalog_address

        settings = config.notify
        if settings is None:
            raise ValueError("the notify reporter needs PipelineConfig.notify")
        self.settings = settings
        self.rules = dict(settings.rules)
        self.targets = Targets(dict(settings.environ))
        self.catalog = open_scheduled(catalog_address(config))
        self.owner = uuid.uuid4().hex
        self.client = httpx.Client(timeout=settings.timeout)
        self._lock = threading.Lock()  # one send at a time from this reporter
        self._leftovers: threading.Thread | None = None
        if start:  # what an earlier run left, sent beside this run's archive
            self._leftovers = threading.Thread(target=self.flush, daemon=True)
            self._leftovers.start()

    def version_written(self, event: VersionWritten) -> None:
        if event.diff is None:  # a first version is not a change
            return
        rule = self.rules.get(event.record.url, self.settings.default)
        is_digest = rule.mode == "daily-digest"
        if not (is_digest or rule.wants(event.diff.substantive)):
            return
        note = notification_of(event, self.settings.viewer_url)
        payload = json.dumps(asdict(note), ensure_ascii=False, sort_keys=True)
        day = event.record.captured_at.astimezone(UTC).date().isoformat() if is_digest else None
        rows = [OutboxRow(note.url, note.version, to, payload, day) for to in rule.to]
        self.catalog.queue_notifications(rows, datetime.now(UTC))

    def flush(self) -> None:
        """Send every row ready in the outbox (this run's and any earlier run's)."""
        with self._lock:
            try:
                self._flush()
            except CatalogError as exc:
                log.warning("notifications not sent now (kept for the next run): %s", exc)
            except Exception as exc:  # a notifier must never fail an archive already made
                log.error("notifications not sent now (kept for the next run): %r", exc)

    def _flush(self) -> None:
        claimed = self.catalog.claim_notifications(self.owner, datetime.now(UTC))
        groups: dict[tuple[str, str | None, str], list[OutboxRow]] = defaultdict(list)
        for row in claimed:  # at once: one per version; digests: one per destination and day
            key = f"{row.url}#{row.seq}" if row.digest_day is None else ""
            groups[(row.destination, row.digest_day, key)].append(row)
        for (name, day, _), rows in groups.items():
            notes = [_loads(r.payload) for r in rows]
            note = notes[0] if day is None else digest(notes, day)
            error = self._send(note, name)
            keys = [r.key for r in rows]
            self.catalog.finish_notifications(self.owner, keys, datetime.now(UTC), error)

    def _send(self, note: Notification, name: str) -> str:
        """'' when delivered, else the short reason (logged)."""
        try:
            destination = self.targets.resolve(name)
        except KeyError as exc:
            log.error("%s: not notified: %s", note.url, exc.args[0])
            return str(exc.args[0])
        [result] = deliver(
            note,
            [destination],
            client=self.client,
            attempts=self.settings.attempts,
            backoff=self.settings.backoff,
        )
        return "" if result.ok else result.error or "failed"

    def close(self) -> None:
        try:
            if self._leftovers is not None:
                self._leftovers.join()
            self.flush()
        finally:
            self.client.close()
            self.catalog.close()
