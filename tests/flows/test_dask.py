"""Scale-out: the flow's tasks on a Dask cluster (a local `distributed.LocalCluster`).

The cluster's worker processes cannot replay cassettes, so the pages come from a live server.
"""

from __future__ import annotations

from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed", reason="the [dask] extra is not installed")


from palimpsest.flow import archive_sources  # noqa: E402
from palimpsest.localserver import PageServer  # noqa: E402

pytestmark = pytest.mark.prefect
PAGES = Path(__file__).parents[2] / "palimpsest" / "demo_pages"


def test_tasks_run_on_the_dask_cluster(
    prefect_api: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PALIMPSEST_HOST_DELAY", "0")
    site = PageServer()
    for page in PAGES.glob("*.html"):
        site.set(f"/{page.stem}", page.read_bytes())
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=2,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
        site.running(),
    ):
        urls = [site.url(f"/{p.stem}") for p in sorted(PAGES.glob("*.html"))]
        with distributed.get_task_stream(client) as stream:
            state = archive_sources(
                urls=urls,
                store=str(tmp_path / "archive"),
                dask_address=cluster.scheduler_address,
                return_state=True,
            )
        assert state.is_completed(), state.message
        assert [o["status"] for o in state.result()] == ["new"] * len(urls)
        ran_on = {t["worker"] for t in stream.data}
        assert len(stream.data) >= len(urls) and ran_on <= set(client.scheduler_info()["workers"])
