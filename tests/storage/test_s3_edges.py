"""S3 client edge cases against moto: checksum modes, a hung endpoint, conditional-write faults.

The faults come from a proxy in front of the real moto server (tests/storage/s3proxy.py).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from palimpsest.storage import EndpointUnreachable, S3Backend, make_s3_client, open_store

from .s3proxy import fault_proxy

KEY = "sources/news.example/0123456789abcdef/versions/00000001.json"


def test_checksums_only_when_required_by_default(s3_env: str) -> None:
    config = make_s3_client().meta.config
    assert config.request_checksum_calculation == "when_required"
    assert config.response_checksum_validation == "when_required"


def test_checksum_mode_follows_boto3_configuration(
    s3_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_REQUEST_CHECKSUM_CALCULATION", "when_supported")
    config = make_s3_client().meta.config
    assert config.request_checksum_calculation == "when_supported"
    assert config.response_checksum_validation == "when_required"


@pytest.fixture
def hung_endpoint() -> Iterator[str]:
    """An endpoint on 127.0.0.1 that accepts connections and never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        sock.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(sock.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        sock.close()


def test_hung_endpoint_is_no_answer_in_time(
    s3_env: str, hung_endpoint: str, secret: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", hung_endpoint)
    client = make_s3_client(read_timeout=0.5, max_attempts=2)
    store = open_store("s3://bucket/prefix", s3_client=client)
    started = time.monotonic()
    with pytest.raises(EndpointUnreachable) as err:
        store.latest("https://news.example/a")
    assert time.monotonic() - started < 5
    message = str(err.value)
    assert hung_endpoint in message and "no answer in time" in message
    assert secret not in message and "\n" not in message


def test_default_timeouts_bound_a_hung_endpoint(s3_env: str) -> None:
    config = make_s3_client().meta.config
    attempts = config.retries["total_max_attempts"]
    assert attempts * (config.connect_timeout + config.read_timeout) <= 60


@pytest.fixture
def proxied(s3_env: str, bucket: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    with fault_proxy(s3_env) as (endpoint, faults, seen):
        monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
        backend = S3Backend(make_s3_client(), bucket, "p")
        yield backend, faults, seen


def test_conditional_request_conflict_is_retried(proxied: Any) -> None:
    backend, faults, seen = proxied
    faults.extend(["conflict", "conflict"])
    assert backend.create(KEY, b"mine") is True
    assert backend.read(KEY) == b"mine"
    assert seen.count("PUT conflict") == 2
    assert backend.create(KEY, b"other") is False  # a real 412 is still "someone else's"


def test_lost_response_then_412_is_our_own_write(proxied: Any) -> None:
    backend, faults, seen = proxied
    faults.append("lose-response")
    assert backend.create(KEY, b"mine") is True  # botocore retried, got 412, we compared
    assert seen[:2] == ["PUT lose-response", "PUT"]  # the retry met our own object
    assert backend.read(KEY) == b"mine"


def test_lost_response_on_another_writers_object(proxied: Any) -> None:
    backend, faults, _ = proxied
    assert backend.create(KEY, b"theirs") is True
    faults.append("lose-response")  # our PUT meets their object, and its 412 is lost too
    assert backend.create(KEY, b"mine") is False
    assert backend.read(KEY) == b"theirs"
