"""Several processes archiving a page that changes under them: no version is ever claimed with
a capture older than its predecessor's (the older capture is dropped as superseded)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

URL = "https://news.example/a/story"
WRITER = Path(__file__).with_name("order_writer.py")


@pytest.mark.parametrize("store_spec", ["local", "s3"], indirect=True)
def test_concurrent_writers_keep_capture_order(store: Any, store_spec: str) -> None:
    writers = [
        subprocess.Popen([sys.executable, str(WRITER), store_spec, URL, f"w{n}", "6"])
        for n in range(6)
    ]
    assert [w.wait(timeout=120) for w in writers] == [0] * 6
    history = store.versions(URL)
    assert len(history) >= 6
    times = [r.captured_at for r in history]
    assert times == sorted(times), [(r.version, r.captured_at.isoformat()) for r in history]
    assert [r.version for r in history] == list(range(1, len(history) + 1))


def test_an_older_capture_is_superseded(store: Any, make_draft: Any) -> None:
    from dataclasses import replace
    from datetime import timedelta

    newer, _ = store.add_version(make_draft("Text fetched later."))
    older = replace(
        make_draft("Text fetched earlier."), captured_at=newer.captured_at - timedelta(seconds=1)
    )
    assert store.add_version(older) == (newer, False)
    assert [r.text for r in store.versions(URL)] == ["Text fetched later."]
