"""Every new version emits `palimpsest.article.changed` in a flow run; the session's Prefect API
has it, with the article as resource and the summary as payload."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import httpx
from palimpsest.flows.context import open_pipeline
from palimpsest.flows.events import EVENT, resource_id
from palimpsest.flows.pipeline import archive_url
from prefect import flow

from palimpsest.localserver import PageServer

from .conftest import config_for

FIGURE = "<p>Officials said {} percent of the deposits lie in occupied territory.</p></article>"


def _events(api: str, since: str) -> list[dict]:
    body = {"filter": {"event": {"name": [EVENT]}, "occurred": {"since": since}}, "limit": 50}
    response = httpx.post(f"{api}/events/filter", json=body, timeout=10)
    response.raise_for_status()
    return response.json()["events"]


def test_a_new_version_emits_an_event_the_api_reads_back(
    prefect_api: str, mock_site: PageServer, tmp_path: Path
) -> None:
    from prefect.events.worker import EventsWorker

    url = mock_site.url("/story")
    wire = mock_site.pages["/minerals-wire"].body.decode()
    config = replace(config_for(tmp_path / "archive"), reporters=("events",))
    since = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(time.time() - 5))

    @flow
    def archive_twice() -> list[str]:
        statuses = []
        with open_pipeline(config, transport=mock_site.transport) as pipe:
            for figure in (65, 56):
                mock_site.set("/story", wire.replace("</article>", FIGURE.format(figure), 1))
                statuses.append(archive_url(url, pipe).status)
        return statuses

    assert archive_twice() == ["new", "changed"]
    EventsWorker.drain_all(timeout=10)

    deadline = time.monotonic() + 20
    found: list[dict] = []
    while time.monotonic() < deadline and not found:
        found = [e for e in _events(prefect_api, since) if e["resource"]["palimpsest.url"] == url]
        time.sleep(0.2)
    [event] = found  # the first version is not a change
    assert event["resource"]["prefect.resource.id"] == resource_id(url)
    assert event["resource"]["palimpsest.substantive"] == "true"
    assert event["payload"]["summary"] == "1 edited [number]"
    assert event["payload"]["labels"] == ["number"] and event["payload"]["version"] == 2
    assert "65 -> 56 percent" in event["payload"]["details"]
