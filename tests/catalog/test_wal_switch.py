"""Processes creating one SQLite catalog at the same moment: each connection switches the
new file to WAL mode, which SQLite refuses at once ("database is locked", without waiting
the busy timeout) while another process is doing the same; catalog.db tries again within
the busy timeout, so every process opens the catalog."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

OPEN = """
import sys, time
from palimpsest.catalog.db import make_engine, migrate
engine = make_engine("sqlite:///" + sys.argv[1])
while time.time() < float(sys.argv[2]):
    pass
migrate(engine)
"""
PROCESSES, ROUNDS = 3, 3


def test_processes_creating_one_catalog_together_all_open_it(tmp_path: Path) -> None:
    for round_ in range(ROUNDS):
        path = tmp_path / f"round-{round_}" / "catalog.sqlite"
        go = str(time.time() + 3.0)  # after every process has imported the catalog
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", OPEN, str(path), go],
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(PROCESSES)
        ]
        errors = [p.communicate(timeout=120)[1] for p in procs]
        assert [p.returncode for p in procs] == [0] * PROCESSES, errors
