"""The S3 endpoint dies in the middle of a run.

The run must fail clearly (a StoreUnavailable naming the endpoint, never a credential),
leave no partial version (whatever reached the bucket passes the fixity check), and a rerun
once the endpoint is back must archive every URL exactly once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import boto3
import pytest
from palimpsest.catalog import open_catalog
from palimpsest.extractors import extract
from palimpsest.flows.context import PipelineConfig, catalog_address
from palimpsest.flows.rebuild import rebuild
from palimpsest.storage import StoreUnavailable, make_s3_client, open_store, verify

Configure = Callable[..., PipelineConfig]
KILL_AFTER = 6  # page requests before the endpoint dies


def _kill_once_stored(n: int, proxy: Any, moto: str, bucket: str, keys: tuple[str, str]) -> None:
    """At page request KILL_AFTER: wait until a version record reached the bucket (so the run
    is truly under way), then kill the endpoint while the other requests are in flight."""
    if n != KILL_AFTER:
        return
    client = boto3.client(
        "s3",
        endpoint_url=moto,
        aws_access_key_id=keys[0],
        aws_secret_access_key=keys[1],
        region_name="us-east-1",
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        listed = client.list_objects_v2(Bucket=bucket, Prefix="archive/sources/")
        if any(o["Key"].endswith(".json") for o in listed.get("Contents", [])):
            break
        time.sleep(0.05)
    proxy.kill()


def _assert_clear(
    exc: pytest.ExceptionInfo[StoreUnavailable], endpoint: str, keys: tuple[str, str]
) -> None:
    message = str(exc.value)
    assert endpoint in message, message
    assert all(k not in message for k in keys), "a credential leaked into the error"


def _assert_archived_once(site: Any, store: Any, urls: list[str]) -> None:
    for url in urls:
        (record,) = store.versions(url)
        assert record.text == extract(site.page_of(url).body, url).text
    assert verify(store) == []


def test_endpoint_dies_mid_run_then_comes_back(
    fault_site: Any,
    config_for: Configure,
    archive_in_process: Any,
    moto_port: int,
    s3_env: Callable[[str], None],
    bucket_name: str,
    s3tools: Any,
    fake_keys: tuple[str, str],
    make_bucket: Callable[[str, str], None],
) -> None:
    site = fault_site
    site.healthy = True
    urls = site.urls()[:24]
    proxy = s3tools.KillableProxy(moto_port)
    proxy.start()
    s3_env(proxy.url)
    make_bucket(proxy.url, bucket_name)
    spec = f"s3://{bucket_name}/archive"
    moto = f"http://127.0.0.1:{moto_port}"
    site.on_page_request = lambda n: _kill_once_stored(n, proxy, moto, bucket_name, fake_keys)

    with pytest.raises(StoreUnavailable) as exc:
        archive_in_process(urls, config_for(spec))
    _assert_clear(exc, proxy.url, fake_keys)
    assert proxy.kills == 1

    # Look behind the dead proxy: whatever reached the bucket is whole.
    s3_env(f"http://127.0.0.1:{moto_port}")
    behind = open_store(spec, s3_client=make_s3_client())
    stored = [u for u in urls if behind.versions(u)]
    assert 1 <= len(stored) < len(urls)
    for url in stored:
        assert [r.version for r in behind.versions(url)] == [1]
    assert verify(behind) == []

    site.on_page_request = None
    proxy.start()  # the endpoint is back, same address
    s3_env(proxy.url)
    outcomes = archive_in_process(urls, config_for(spec))
    assert [o.url for o in outcomes] == urls
    for o in outcomes:
        expected = "unchanged" if o.url in stored else "new"
        assert (o.status, o.version) == (expected, 1), o
    _assert_archived_once(site, open_store(spec, s3_client=make_s3_client()), urls)
    proxy.kill()


def test_s3_server_process_killed_mid_run(
    fault_site: Any,
    config_for: Configure,
    archive_in_process: Any,
    s3_env: Callable[[str], None],
    bucket_name: str,
    s3tools: Any,
    fake_keys: tuple[str, str],
    make_bucket: Callable[[str, str], None],
) -> None:
    """The real server process is SIGKILLed; moto keeps objects in memory, so the restarted
    server on the same port is empty. The catalog still lists the pages whose version was
    written before the kill (the pipeline trusts it and reads no store for a page it knows),
    so it is rebuilt from the store, as `palimpsest catalog rebuild` does after a store lost
    objects: then the rerun archives everything afresh."""
    site = fault_site
    site.healthy = True
    urls = site.urls()[:16]
    proc, port = s3tools.start_moto()
    endpoint = f"http://127.0.0.1:{port}"
    try:
        s3_env(endpoint)
        make_bucket(endpoint, bucket_name)
        spec = f"s3://{bucket_name}/archive"
        site.on_page_request = lambda n: proc.kill() if n == KILL_AFTER else None

        with pytest.raises(StoreUnavailable) as exc:
            archive_in_process(urls, config_for(spec))
        _assert_clear(exc, endpoint, fake_keys)
        assert proc.wait(timeout=10) != 0

        site.on_page_request = None
        proc, _ = s3tools.start_moto(port)
        make_bucket(endpoint, bucket_name)
        catalog = open_catalog(catalog_address(config_for(spec)))
        try:
            rebuild(open_store(spec, s3_client=make_s3_client()), catalog, None)
        finally:
            catalog.close()
        outcomes = archive_in_process(urls, config_for(spec))
        assert [(o.url, o.status) for o in outcomes] == [(u, "new") for u in urls]
        _assert_archived_once(site, open_store(spec, s3_client=make_s3_client()), urls)
    finally:
        s3tools.stop(proc)
