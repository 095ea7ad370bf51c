"""Notifications from the pipeline, to real receivers on 127.0.0.1: rules from sources.yaml and
destinations from the settings, one notification per version whatever the retries, reruns,
concurrent senders or a run killed before it could send."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from palimpsest.catalog import open_catalog
from palimpsest.diffing import diff_versions
from palimpsest.fetchers import FetchSettings
from palimpsest.flows.context import Pipeline, PipelineConfig, catalog_address, open_pipeline
from palimpsest.flows.notifications import NotifyReporter, word_changes
from palimpsest.flows.pipeline import archive_url
from palimpsest.flows.reporters import VersionWritten

from palimpsest.localserver import PageServer
from palimpsest.runtime import pipeline_config
from palimpsest.settings import Settings

REPO = Path(__file__).parents[2]
WIRE = (REPO / "palimpsest" / "demo_pages" / "minerals-wire.html").read_text(encoding="utf-8")
FIGURE = "<p>Officials said {} percent of the deposits lie in occupied territory.</p></article>"


def page(figure: int = 65, cosmetic: bool = False) -> str:
    html = WIRE.replace("</article>", FIGURE.format(figure), 1)
    if cosmetic:  # typography only: straight quotes made curly
        html = html.replace("&quot;short-sighted&quot;", "\u201cshort-sighted\u201d")
    return html


def configure(tmp_path: Path, url: str, rule: str, env: dict[str, str]) -> PipelineConfig:
    """The run's config as the CLI makes it: sources.yaml's rule, destinations from the env."""
    sources = tmp_path / "sources.yaml"
    sources.write_text(f"sources:\n  - url: {url}\n    {rule}\n", encoding="utf-8")
    cache = os.environ["PALIMPSEST_CACHE_DIR"]  # the session's (tests/conftest.py)
    settings = Settings.from_env(
        {**env, "PALIMPSEST_SOURCES_FILE": str(sources), "PALIMPSEST_CACHE_DIR": cache}
    )
    config = pipeline_config(settings, store=str(tmp_path / "archive"))
    assert config.notify is not None and "notify" in config.reporters
    return replace(
        config,
        seeds_dir=str(REPO / "seeds"),
        fetch=FetchSettings(host_delay=0.0, retries=0, timeout=10.0),
        extract_workers=1,
        extract_limits=None,
        notify=replace(config.notify, backoff=0.01),
    )


@contextmanager
def run(config: PipelineConfig, site: PageServer) -> Iterator[Pipeline]:
    with open_pipeline(config, transport=site.transport) as pipe:
        yield pipe


def test_a_substantive_edit_sends_exactly_one_notification(tmp_path, mock_site, receiver):
    url = mock_site.url("/story")
    env = {
        "PALIMPSEST_NOTIFY_DESK": "webhook+" + receiver.url,
        "PALIMPSEST_NOTIFY_DESK_SECRET": "k",
        "PALIMPSEST_VIEWER_URL": "http://127.0.0.1:8080/",
    }
    config = configure(tmp_path, url, "notify: substantive\n    to: [desk]", env)
    mock_site.set("/story", page(65))
    with run(config, mock_site) as pipe:
        assert archive_url(url, pipe).status == "new"  # a first version is not a change
    assert receiver.posts == []

    mock_site.set("/story", page(56))
    with run(config, mock_site) as pipe:
        assert archive_url(url, pipe).status == "changed"
        assert receiver.posts == []  # sent when the run ends, not during the archive
    [sent] = receiver.bodies()
    assert (sent["url"], sent["version"], sent["substantive"]) == (url, 2, True)
    assert sent["summary"] == "1 edited [number]"
    assert "65 -> 56 percent" in sent["details"]
    assert sent["link"] == (
        "http://127.0.0.1:8080/diff?url="
        + url.replace(":", "%3A").replace("/", "%2F")
        + "&from=1&to=2"
    )

    with run(config, mock_site) as pipe:  # a rerun (unchanged) sends nothing again
        assert archive_url(url, pipe).status == "unchanged"
    assert len(receiver.posts) == 1
    [row] = open_catalog(catalog_address(config)).notifications()
    assert (row.seq, row.destination, row.status, row.attempts) == (2, "desk", "sent", 1)


def test_a_cosmetic_edit_under_substantive_sends_nothing(tmp_path, mock_site, receiver):
    url = mock_site.url("/story")
    env = {"PALIMPSEST_NOTIFY_HOOK": receiver.url.replace("http://", "json://")}
    config = configure(tmp_path, url, "notify: substantive\n    to: [hook]", env)
    for html in (page(), page(cosmetic=True)):
        mock_site.set("/story", html)
        with run(config, mock_site) as pipe:
            archive_url(url, pipe)
    assert [r.version for r in pipe.store.versions(url)] == [1, 2]  # the edit was archived
    assert receiver.posts == []
    assert open_catalog(catalog_address(config)).notifications() == []

    mock_site.set("/story", page(56))  # the same rule does tell a substantive edit, by Apprise
    with run(config, mock_site) as pipe:
        archive_url(url, pipe)
    [sent] = receiver.bodies()
    assert (
        sent["title"].startswith("Substantive change: ") and "65 -> 56 percent" in sent["message"]
    )


def test_a_receiver_failing_twice_gets_it_once_and_the_archive_never_waits(
    tmp_path, mock_site, receiver
):
    url = mock_site.url("/story")
    env = {"PALIMPSEST_NOTIFY_DESK": "webhook+" + receiver.url}
    config = configure(tmp_path, url, "notify: any\n    to: [desk]", env)
    mock_site.set("/story", page(65))
    with run(config, mock_site) as pipe:
        archive_url(url, pipe)
    receiver.fail_next = [500, 500]
    mock_site.set("/story", page(56))
    with run(config, mock_site) as pipe:
        assert archive_url(url, pipe).status == "changed"
    assert len(receiver.posts) == 1 and receiver.fail_next == []
    [row] = open_catalog(catalog_address(config)).notifications()
    assert row.status == "sent"

    receiver.fail_next = [503] * 3  # down for a whole run: kept, sent by the next one
    mock_site.set("/story", page(57))
    with run(config, mock_site) as pipe:
        archive_url(url, pipe)
    assert len(receiver.posts) == 1
    states = {r.seq: r.status for r in open_catalog(catalog_address(config)).notifications()}
    assert states == {2: "sent", 3: "pending"}
    with run(config, mock_site) as pipe:
        pass
    assert [b["version"] for b in receiver.bodies()] == [2, 3]


KILLED_RUN = """
import os, sys, pickle
from palimpsest.flows.context import open_pipeline
from palimpsest.flows.pipeline import archive_url
config, url = pickle.loads(bytes.fromhex(sys.argv[1]))
with open_pipeline(config) as pipe:
    print(archive_url(url, pipe).status, flush=True)
    os._exit(9)  # killed after the version is written, before the run could notify
"""


def test_a_run_killed_before_notifying_is_told_by_the_next_run_once(tmp_path, live_site, receiver):
    url = live_site.url("/story")
    env = {"PALIMPSEST_NOTIFY_DESK": "webhook+" + receiver.url}
    config = configure(tmp_path, url, "notify: substantive\n    to: [desk]", env)
    live_site.set("/story", page(65))
    with open_pipeline(config) as pipe:
        archive_url(url, pipe)
    live_site.set("/story", page(56))
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_RUN, pickle.dumps((config, url)).hex()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (killed.returncode, killed.stdout.strip()) == (9, "changed"), killed.stderr
    assert receiver.posts == []

    with open_pipeline(config) as pipe:  # the next run: nothing new, the outbox is sent
        assert archive_url(url, pipe).status == "unchanged"
    assert [b["version"] for b in receiver.bodies()] == [2]
    with open_pipeline(config) as pipe:
        pass
    assert len(receiver.posts) == 1


def test_concurrent_senders_send_each_row_once(tmp_path, mock_site, receiver):
    url = mock_site.url("/story")
    env = {"PALIMPSEST_NOTIFY_DESK": "webhook+" + receiver.url}
    config = configure(tmp_path, url, "notify: any\n    to: [desk]", env)
    records = []
    for figure in (65, 56):
        mock_site.set("/story", page(figure))
        with open_pipeline(replace(config, reporters=()), transport=mock_site.transport) as pipe:
            archive_url(url, pipe)
            records = pipe.store.versions(url)
    senders = [NotifyReporter(config, start=False) for _ in range(4)]
    senders[0].version_written(
        VersionWritten(records[1], records[0], pipe.diff(records[0].text, records[1].text))
    )
    threads = [threading.Thread(target=s.close) for s in senders]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [b["version"] for b in receiver.bodies()] == [2]


def test_daily_digest_sends_one_message_per_destination_per_past_day(tmp_path, mock_site, receiver):
    url, other = mock_site.url("/story"), mock_site.url("/other")
    env = {"PALIMPSEST_NOTIFY_DESK": "webhook+" + receiver.url}
    config = configure(tmp_path, url, "notify: daily-digest\n    to: [desk]", env)
    config = replace(config, notify=replace(config.notify, default=config.notify.rules[0][1]))
    with open_pipeline(replace(config, reporters=()), transport=mock_site.transport) as pipe:
        for path in ("/story", "/other"):
            for figure in (65, 56):
                mock_site.set(path, page(figure))
                archive_url(mock_site.url(path), pipe)
        histories = [pipe.store.versions(u) for u in (url, other)]
    sender = NotifyReporter(config, start=False)
    for old, new in histories:
        diff = pipe.diff(old.text, new.text)
        for back in (0, 1):  # today's change waits; yesterday's goes out as one digest
            sender.version_written(
                VersionWritten(
                    replace(
                        new,
                        captured_at=new.captured_at - timedelta(days=back),
                        version=new.version + back,
                    ),
                    old,
                    diff,
                )
            )
    sender.close()
    [day] = receiver.bodies()
    yesterday = (histories[0][1].captured_at - timedelta(days=1)).date().isoformat()
    assert day["title"] == f"2 changes on {yesterday}"
    assert sorted(c["url"] for c in day["changes"]) == sorted([url, other])
    pending = [
        r for r in open_catalog(catalog_address(config)).notifications() if r.status == "pending"
    ]
    assert len(pending) == 2  # today's, for tomorrow's digest


def test_word_changes_name_the_figures_of_a_substantive_edit() -> None:
    diff = diff_versions(
        "Officials said 65 percent of the deposits lie in occupied territory.",
        "Officials said 56 percent of the deposits, not all, lie in occupied land.",
    )
    assert word_changes(diff) == [
        "65 -> 56 percent",
        "+ , not all ,",
        "territory -> land .",
    ]
    cosmetic = diff_versions(
        'He called it "short-sighted".', "He called it \u201cshort-sighted\u201d."
    )
    assert cosmetic.edited and word_changes(cosmetic) == []
