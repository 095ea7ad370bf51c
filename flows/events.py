"""Prefect events: every new version emits `palimpsest.article.changed`, so users can build
Automations in the Prefect UI (Slack, email, run a deployment) with Prefect's own blocks.

The event's resource is the article (`palimpsest.article.<hash of the URL>`, named by its
URL, with `palimpsest.url` and `palimpsest.substantive` labels: `"true"` / `"false"`); its
payload is what a notification says (notify.Notification.payload: summary, labels, word
changes, the viewer's link). Emitted only inside a flow run (the CLI without Prefect has no
events client); the `events` reporter of the `archive-sources` flow.
"""

from __future__ import annotations

from palimpsest.flows.context import PipelineConfig
from palimpsest.flows.notifications import notification_of
from palimpsest.flows.reporters import Reporter, VersionWritten
from palimpsest.notify import Notification
from palimpsest.storage.keys import url_hash
from prefect import runtime
from prefect.events import Event, emit_event

EVENT = "palimpsest.article.changed"


def resource_id(url: str) -> str:
    return f"palimpsest.article.{url_hash(url)}"


def emit_changed(note: Notification) -> Event | None:
    return emit_event(
        event=EVENT,
        resource={
            "prefect.resource.id": resource_id(note.url),
            "prefect.resource.name": note.url,
            "palimpsest.url": note.url,
            "palimpsest.version": str(note.version),
            "palimpsest.substantive": "true" if note.substantive else "false",
        },
        payload=note.payload(),
    )


class EventsReporter(Reporter):
    """Emits `palimpsest.article.changed` for every new version (after the first) in a flow run."""

    name = "events"

    def __init__(self, config: PipelineConfig) -> None:
        self.viewer_url = config.notify.viewer_url if config.notify else None

    def version_written(self, event: VersionWritten) -> None:
        if event.diff is None or not runtime.flow_run.id:
            return
        emit_changed(notification_of(event, self.viewer_url))
