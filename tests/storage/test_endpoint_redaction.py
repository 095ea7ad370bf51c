"""An AWS_ENDPOINT_URL with `user:secret@` never shows its secret in a store error."""

from __future__ import annotations

import socket

import pytest
from palimpsest.storage import EndpointUnreachable, StorageError, open_store


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_endpoint_userinfo_is_redacted_in_store_errors(boto3_env) -> None:  # type: ignore[no-untyped-def]
    port = closed_port()
    boto3_env(f"http://admin:hunter2-endpoint@127.0.0.1:{port}", "AKIAREDACTTEST000001", "k")
    store = open_store("s3://bucket/prefix")
    with pytest.raises(StorageError) as caught:
        store.urls()
    message = str(caught.value)
    assert "hunter2-endpoint" not in message and "admin" not in message
    assert isinstance(caught.value, EndpointUnreachable)
    assert f"http://***@127.0.0.1:{port}" in message
