"""The S3 backend (boto3): any S3-compatible endpoint, configured the standard boto3 way.

Endpoint, region and credentials come from boto3 itself (env vars, ~/.aws/config and
credentials files, `AWS_ENDPOINT_URL`), so AWS, MinIO, R2 and Ceph work unchanged. The client
is made by `make_s3_client` and passed in; nothing here reads the environment.

Exclusive create is `PutObject` with `If-None-Match: *`. A 412 PreconditionFailed means an
object exists under the key: another writer's, or our own when a PUT succeeded but its
response was lost and botocore retried it, so the stored object is read and compared with what
was sent. A 409 ConditionalRequestConflict means a concurrent conditional write to the key was
in flight: S3 asks for a retry, and it is retried. Every botocore error is translated into a
StorageError naming the bucket/key and endpoint, never a credential.
"""

from __future__ import annotations

import builtins
import re
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from palimpsest.storage.errors import (
    AccessDenied,
    BucketNotFound,
    EndpointUnreachable,
    InvalidStoreSpec,
    ObjectNotFound,
    StorageError,
    StoreUnavailable,
)
from palimpsest.text.redact import redact_urls, safe_url

T = TypeVar("T")


class _Claimed(StorageError):
    """A conditional put found an object under the key (handled in `create`)."""

    retried = False  # botocore retried the PUT: an earlier attempt may have stored it


class _Retry(StorageError):
    """409 ConditionalRequestConflict: a concurrent conditional write; S3 says retry."""


_BUCKET = re.compile(r"[A-Za-z0-9._-]{1,255}")
CONFLICT_RETRIES = 5  # 409 ConditionalRequestConflict retries, 0.1 s, 0.2 s, ... apart
# Checksum modes boto3 uses unless the user's boto3 configuration (AWS_REQUEST_CHECKSUM_...,
# ~/.aws/config) says otherwise: "when_supported" (boto3's default since 1.36) sends
# aws-chunked bodies that older S3 servers (Ceph RGW over HTTPS) refuse.
CHECKSUM_DEFAULTS = {
    "request_checksum_calculation": "when_required",
    "response_checksum_validation": "when_required",
}
_NOT_FOUND = {"NoSuchKey", "404", "NotFound"}
_DENIED = {
    "AccessDenied",
    "403",
    "Forbidden",
    "AllAccessDisabled",
    "AccountProblem",
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "InvalidToken",
    "ExpiredToken",
    "TokenRefreshRequired",
    "InvalidSecurity",
}


def make_s3_client(
    *, connect_timeout: float = 5.0, read_timeout: float = 15.0, max_attempts: int = 3
) -> Any:
    """A boto3 S3 client from the standard configuration, failing fast on a dead endpoint.

    Small connect and read timeouts and a bounded number of attempts make an unreachable or
    hung endpoint an error within `max_attempts * (connect_timeout + read_timeout)` seconds
    (60 s by default) instead of minutes of silent retrying. Checksums follow
    CHECKSUM_DEFAULTS unless boto3's own configuration sets them.
    """
    import boto3
    import botocore.session
    from botocore.config import Config
    from botocore.configprovider import ConfigChainFactory
    from botocore.exceptions import BotoCoreError

    try:
        core = botocore.session.get_session()
        chains = ConfigChainFactory(session=core)
        store = core.get_component("config_store")
        for name, default in CHECKSUM_DEFAULTS.items():
            # the usual lookup (env var, then ~/.aws/config), only with our default at its end
            chain = chains.create_config_chain(
                env_var_names=f"AWS_{name.upper()}", config_property_names=name, default=default
            )
            store.set_config_provider(name, chain)
        config = Config(
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            retries={"total_max_attempts": max_attempts, "mode": "standard"},
        )
        return boto3.session.Session(botocore_session=core).client("s3", config=config)
    except (BotoCoreError, ValueError) as exc:
        # e.g. "Invalid endpoint: minio:9000" or "The config profile (x) could not be found";
        # botocore's messages here name the endpoint or profile, never a credential.
        raise StoreUnavailable(f"cannot configure the S3 client: {redact_urls(str(exc))}") from None


def parse_s3_spec(spec: str) -> tuple[str, str]:
    """("bucket", "prefix") of "s3://bucket/prefix" (the prefix may be empty)."""
    rest = spec[len("s3://") :] if spec.startswith("s3://") else spec
    bucket, _, prefix = rest.partition("/")
    if not bucket:
        raise InvalidStoreSpec(f"store {spec!r} names no bucket (expected s3://bucket/prefix)")
    if not _BUCKET.fullmatch(bucket):
        # Not echoed: a malformed bucket part may be "key:secret@bucket" pasted by mistake.
        raise InvalidStoreSpec(
            "the S3 bucket name in the store location is not valid (letters, digits, '.', '-' "
            "and '_' only; credentials belong in the environment or ~/.aws, not in the URL)"
        )
    return bucket, prefix.strip("/")


def _why(exc: Exception) -> str:
    """A short reason for a connection failure (botocore's own text may be long)."""
    from botocore.exceptions import ConnectTimeoutError, EndpointConnectionError, ReadTimeoutError

    if isinstance(exc, ConnectTimeoutError):
        return "connection timed out"
    if isinstance(exc, ReadTimeoutError):
        return "no answer in time"
    if isinstance(exc, EndpointConnectionError):
        return "connection failed (nothing listening, or host unknown)"
    return type(exc).__name__


class S3Backend:
    """Objects under `prefix/` in one bucket, through a boto3 S3 client."""

    # Each read is a network round trip; several in flight hide the latency. 8 stays under
    # botocore's default connection pool (10), so requests never wait for a connection.
    read_concurrency = 8

    def __init__(self, client: Any, bucket: str, prefix: str = "") -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.location = f"s3://{bucket}/{self.prefix}" if self.prefix else f"s3://{bucket}"

    @property
    def endpoint(self) -> str:
        """The endpoint as shown in errors: an AWS_ENDPOINT_URL's `user:secret@` removed."""
        url = getattr(self.client.meta, "endpoint_url", "")
        return safe_url(url) if url else "default AWS endpoint"

    def _full(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def _strip(self, full: str) -> str:
        return full[len(self.prefix) + 1 :] if self.prefix else full

    def _call(self, what: str, key: str | None, fn: Callable[[], T]) -> T:
        """Run one S3 call, translating botocore's errors into StorageErrors."""
        from botocore.exceptions import (
            BotoCoreError,
            ClientError,
            ConnectionError,
            NoCredentialsError,
            PartialCredentialsError,
            ReadTimeoutError,
        )

        obj = f"{self.location}/{key}" if key else self.location
        try:
            return fn()
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code", ""))
            meta = exc.response.get("ResponseMetadata", {})
            error = self._translate(code, meta.get("HTTPStatusCode"), what, obj)
            if isinstance(error, _Claimed):
                error.retried = bool(meta.get("RetryAttempts"))
            raise error from None
        except (NoCredentialsError, PartialCredentialsError):
            raise AccessDenied(
                f"no usable S3 credentials to {what} {obj} at {self.endpoint} "
                "(configure them the standard boto3 way: env vars or ~/.aws)"
            ) from None
        except (ConnectionError, ReadTimeoutError) as exc:
            raise EndpointUnreachable(
                f"cannot reach S3 endpoint {self.endpoint} to {what} {obj}: {_why(exc)}"
            ) from None
        except BotoCoreError as exc:
            raise StoreUnavailable(
                f"S3 error at {self.endpoint} while trying to {what} {obj}: {type(exc).__name__}"
            ) from None

    def _translate(self, code: str, status: int | None, what: str, obj: str) -> StorageError:
        where = f"at {self.endpoint}"
        if what == "write" and (code == "ConditionalRequestConflict" or status == 409):
            return _Retry(f"{obj}: a concurrent conditional write was in progress")
        if what == "write" and (code == "PreconditionFailed" or status == 412):
            return _Claimed(f"{obj} exists already")
        if code == "NoSuchBucket":
            return BucketNotFound(f"S3 bucket {self.bucket!r} does not exist {where}")
        if code in _DENIED or status == 403:
            reason = {
                "InvalidAccessKeyId": "the access key id is not known",
                "SignatureDoesNotMatch": "the secret key does not match",
            }.get(code, "permission denied")
            return AccessDenied(f"cannot {what} {obj} {where}: {reason} ({code or status})")
        if code in _NOT_FOUND:
            return ObjectNotFound(obj.removeprefix(self.location + "/"), self.location)
        return StoreUnavailable(f"cannot {what} {obj} {where}: S3 error {code or status}")

    def read(self, key: str) -> bytes:
        full = self._full(key)

        def get() -> bytes:
            return self.client.get_object(Bucket=self.bucket, Key=full)["Body"].read()

        return self._call("read", key, get)

    def exists(self, key: str) -> bool:
        try:
            self._call(
                "look up",
                key,
                lambda: self.client.head_object(Bucket=self.bucket, Key=self._full(key)),
            )
        except ObjectNotFound:
            return False
        return True

    def create(self, key: str, data: bytes) -> bool:
        content_type = "application/json" if key.endswith(".json") else "application/gzip"

        def put() -> None:
            self.client.put_object(
                Bucket=self.bucket,
                Key=self._full(key),
                Body=data,
                ContentType=content_type,
                IfNoneMatch="*",
            )

        for attempt in range(CONFLICT_RETRIES + 1):
            try:
                self._call("write", key, put)
                return True
            except _Retry:
                if attempt == CONFLICT_RETRIES:
                    raise StoreUnavailable(
                        f"cannot write {self.location}/{key} at {self.endpoint}: S3 kept "
                        f"answering ConditionalRequestConflict ({CONFLICT_RETRIES + 1} tries)"
                    ) from None
                time.sleep(0.1 * 2**attempt)
            except _Claimed as claimed:
                # A PUT whose response was lost and that botocore retried meets its own
                # object: ours if what is stored is what we sent. Without a retry the 412
                # answered our only attempt, so the object is another writer's.
                return claimed.retried and self.read(key) == data
        raise AssertionError("unreachable")

    def _pages(self, prefix: str, delimiter: str | None) -> Iterator[dict]:
        kwargs: dict[str, Any] = {"Bucket": self.bucket, "Prefix": self._full(prefix)}
        if delimiter:
            kwargs["Delimiter"] = delimiter
        paginator = self.client.get_paginator("list_objects_v2")
        return iter(self._call("list", prefix or None, lambda: list(paginator.paginate(**kwargs))))

    def list(self, prefix: str) -> Iterator[str]:
        keys = [
            self._strip(o["Key"])
            for page in self._pages(prefix, None)
            for o in page.get("Contents", [])
        ]
        return iter(sorted(keys))

    def children(self, prefix: str) -> builtins.list[str]:
        prefix = prefix if not prefix or prefix.endswith("/") else prefix + "/"
        names = [
            self._strip(p["Prefix"])[len(prefix) :].rstrip("/")
            for page in self._pages(prefix, "/")
            for p in page.get("CommonPrefixes", [])
        ]
        return sorted(n for n in names if n)
