"""One concurrent archiver (run as a process by test_capture_order.py): `rounds` times it
"fetches" (notes the time), takes a while to extract, then adds its version."""

from __future__ import annotations

import random
import sys
import time
from datetime import UTC, datetime

from palimpsest.storage import VersionDraft, open_store

spec, url, name, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
store = open_store(spec)
rng = random.Random(name)
for i in range(rounds):
    fetched = datetime.now(UTC)
    time.sleep(rng.uniform(0, 0.03))  # extraction time: others may fetch and write meanwhile
    draft = VersionDraft(
        url=url,
        final_url=url,
        captured_at=fetched,
        etag=None,
        last_modified=None,
        raw_key=None,
        text=f"The page as {name} saw it in round {i}.",
    )
    store.add_version(draft)
