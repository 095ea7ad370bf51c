"""S3 failures become one clear StorageError naming bucket/endpoint, never a secret."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boto3
import pytest
from palimpsest.storage import (
    AccessDenied,
    BucketNotFound,
    EndpointUnreachable,
    InvalidStoreSpec,
    StorageError,
    StoreUnavailable,
    make_s3_client,
    open_store,
)


def one_clear_line(exc: BaseException, secret: str, *names: str) -> str:
    message = str(exc)
    assert "\n" not in message and "Traceback" not in message
    assert secret not in message
    for name in names:
        assert name in message, (name, message)
    return message


def test_client_follows_standard_boto3_configuration(s3_env: str) -> None:
    assert make_s3_client().meta.endpoint_url == s3_env


def test_missing_bucket(s3_env: str, secret: str, make_draft: Any) -> None:
    store = open_store("s3://no-such-bucket-here/prefix")
    for action in (store.urls, lambda: store.add_version(make_draft("Text."))):
        with pytest.raises(BucketNotFound) as err:
            action()
        one_clear_line(err.value, secret, "no-such-bucket-here", s3_env)


def test_unreachable_endpoint(
    s3_env: str, dead_endpoint: str, secret: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", dead_endpoint)
    store = open_store("s3://bucket/prefix", s3_client=make_s3_client(max_attempts=1))
    with pytest.raises(EndpointUnreachable) as err:
        store.latest("https://news.example/a")
    one_clear_line(err.value, secret, dead_endpoint, "s3://bucket/prefix")


def _client(auth: dict[str, str], key_id: str, secret_key: str) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=auth["endpoint"],
        aws_access_key_id=key_id,
        aws_secret_access_key=secret_key,
        region_name="us-east-1",
    )


@pytest.mark.parametrize(
    ("who", "reason"),
    [
        ("unknown key id", "access key id is not known"),
        ("wrong secret", "secret key does not match"),
        ("no permission", "permission denied"),
    ],
)
def test_credentials_and_permissions(
    moto_auth: dict[str, str], secret: str, who: str, reason: str, make_draft: Any
) -> None:
    key_id, secret_key = {
        "unknown key id": ("AKIANOSUCHKEY0000000", secret),
        "wrong secret": (moto_auth["key_id"], secret),
        "no permission": (moto_auth["key_id"], moto_auth["secret"]),
    }[who]
    store = open_store("s3://locked/archive", s3_client=_client(moto_auth, key_id, secret_key))
    for action in (store.urls, lambda: store.add_version(make_draft("Text."))):
        with pytest.raises(AccessDenied) as err:
            action()
        message = one_clear_line(err.value, secret, "locked", moto_auth["endpoint"], reason)
        assert moto_auth["secret"] not in message


def test_no_credentials(
    s3_env: str, secret: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.delenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", raising=False)
    monkeypatch.delenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", raising=False)
    store = open_store("s3://bucket/prefix")
    with pytest.raises(AccessDenied) as err:
        store.urls()
    one_clear_line(err.value, secret, "credentials", "s3://bucket/prefix")


@pytest.mark.parametrize("spec", ["s3://", "s3:///prefix", "ftp://host/dir", "  "])
def test_bad_specs(spec: str) -> None:
    with pytest.raises(InvalidStoreSpec):
        open_store(spec)


def test_local_store_on_a_file(tmp_path: Path) -> None:
    path = tmp_path / "file"
    path.write_text("x")
    with pytest.raises(StorageError) as err:
        open_store(str(path))
    assert str(path) in str(err.value)


@pytest.mark.parametrize(
    ("variable", "value"), [("AWS_ENDPOINT_URL", "minio:9000"), ("AWS_PROFILE", "no-such-profile")]
)
def test_bad_client_configuration(
    s3_env: str, secret: str, monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(StoreUnavailable) as err:
        open_store("s3://bucket/prefix")
    one_clear_line(err.value, secret, value)


def test_credentials_pasted_into_the_location_are_not_echoed(secret: str) -> None:
    with pytest.raises(InvalidStoreSpec) as err:
        open_store(f"s3://AKIATESTINGFAKEKEY01:{secret}@bucket/prefix")
    assert secret not in str(err.value) and "bucket name" in str(err.value)
