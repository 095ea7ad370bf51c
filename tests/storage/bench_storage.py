#!/usr/bin/env python3
"""Benchmark: fixity check with a thread pool vs one object at a time, local and S3 (moto).

Fills a fresh store (local directory and a moto S3 server started here on 127.0.0.1) with
--sources URLs x --versions versions, each with a raw capture, then times `check(store)` with
1 worker (the baseline) and with --workers workers, alternating --rounds times and keeping
the fastest of each, so both see the same machine load. Prints the speed-up as a ratio.

    .venv/bin/python tests/storage/bench_storage.py [--sources 20] [--versions 5] [--workers 8]
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

import boto3  # noqa: E402
from palimpsest.storage import Capture, VersionDraft, check, open_store  # noqa: E402


def start_moto() -> tuple[subprocess.Popen, str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(600):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("moto server did not start")


def fill(store: object, sources: int, versions: int) -> None:
    when = datetime(2024, 1, 1, tzinfo=UTC)
    for s in range(sources):
        url = f"https://site{s % 5}.example/story/{s}"
        for v in range(versions):
            body = f"<html><p>{'word ' * 400} {s} {v}</p></html>".encode()
            capture = Capture(url, url, 200, "OK", "HTTP/1.1", [], [], body, when)
            raw = store.put_capture(capture)  # type: ignore[attr-defined]
            text = f"Story {s}, version {v}. " + "Sentence. " * 200
            draft = VersionDraft(url, url, when, None, None, raw, text, {}, "bench", "1", [])
            store.add_version(draft)  # type: ignore[attr-defined]


def fastest(store: object, workers: int, rounds: int) -> tuple[float, float]:
    best_one = best_many = float("inf")
    for _ in range(rounds):
        for n in (1, workers):
            start = time.perf_counter()
            report = check(store, workers=n)  # type: ignore[arg-type]
            elapsed = time.perf_counter() - start
            assert report.ok, report.problems
            if n == 1:
                best_one = min(best_one, elapsed)
            else:
                best_many = min(best_many, elapsed)
    return best_one, best_many


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=20)
    parser.add_argument("--versions", type=int, default=5)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    proc, endpoint = start_moto()
    try:
        client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            aws_access_key_id="bench",
            aws_secret_access_key="bench",
            region_name="us-east-1",
        )
        client.create_bucket(Bucket="bench")
        with tempfile.TemporaryDirectory() as tmp:
            stores = {
                "local": open_store(str(Path(tmp) / "archive")),
                "s3 (moto)": open_store("s3://bench/archive", s3_client=client),
            }
            objects = args.sources * args.versions * 2
            for name, store in stores.items():
                fill(store, args.sources, args.versions)
                one, many = fastest(store, args.workers, args.rounds)
                print(
                    f"{name:10} {objects} objects: 1 worker {one:.3f} s, "
                    f"{args.workers} workers {many:.3f} s, speed-up x{one / many:.2f}"
                )
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    main()
