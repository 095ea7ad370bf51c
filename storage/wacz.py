"""A WACZ (Web Archive Collection Zipped, spec 1.1.1) of stored captures, for ReplayWeb.page
and pywb.

    archive/{sha256}.warc.gz   each capture's WARC exactly as stored (its name is its sha256)
    indexes/index.cdx          CDXJ index of every response record (cdxj-indexer), sorted
    pages/pages.jsonl          one page per archived URL (the URL the user asked for)
    datapackage.json           every file above with its sha256 and size
    datapackage-digest.json    the sha256 of datapackage.json

The WARC files are stored uncompressed in the zip (they are gzip already), so a replay tool can
read a record at its CDXJ offset without inflating the whole archive.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import BinaryIO

from palimpsest.storage import keys
from palimpsest.storage.store import ObjectStore

WACZ_VERSION = "1.1.1"
SOFTWARE = "palimpsest (storage.wacz)"


@dataclass(frozen=True)
class WaczSummary:
    urls: int
    captures: int
    records: int  # CDXJ lines


def _cdxj(name: str, data: bytes) -> list[str]:
    """The CDXJ lines of one WARC file (request records are joined to their responses)."""
    from cdxj_indexer.main import CDXJIndexer

    out = io.StringIO()
    indexer = CDXJIndexer(out, [io.BytesIO(data)], filename=name, post_append=True)
    indexer.process_all()
    return [line for line in out.getvalue().splitlines() if line.strip()]


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_wacz(
    store: ObjectStore, out: BinaryIO, urls: Iterable[str] | None = None, *, title: str = ""
) -> WaczSummary:
    """Write a WACZ of every capture of `urls` (all archived URLs when None) to `out`."""
    targets = sorted(set(urls)) if urls is not None else store.urls()
    resources: list[dict[str, object]] = []
    lines: list[str] = []
    pages: list[dict[str, str]] = []
    seen: set[str] = set()
    with zipfile.ZipFile(out, "w", allowZip64=True) as wacz:

        def put(path: str, data: bytes, method: int) -> None:
            wacz.writestr(zipfile.ZipInfo(path, (1980, 1, 1, 0, 0, 0)), data, method)
            digest = hashlib.sha256(data).hexdigest()
            resources.append(
                {
                    "name": path.rsplit("/", 1)[-1],
                    "path": path,
                    "hash": f"sha256:{digest}",
                    "bytes": len(data),
                }
            )

        for url in targets:
            records = [r for g in store.generations(url) for r in store.versions(url, g.number)]
            if not records:
                continue
            latest = max(records, key=lambda r: r.captured_at)
            pages.append({"url": url, "ts": _iso(latest.captured_at), "title": latest.title or url})
            for key in sorted({r.raw_key for r in records if r.raw_key}):
                if key in seen:
                    continue
                seen.add(key)
                name = f"{keys.raw_sha(key)}.warc.gz"
                data = store.get_raw(key)
                put(f"archive/{name}", data, zipfile.ZIP_STORED)
                lines.extend(_cdxj(name, data))
        index = "".join(f"{line}\n" for line in sorted(lines)).encode()
        put("indexes/index.cdx", index, zipfile.ZIP_DEFLATED)
        header = {"format": "json-pages-1.0", "id": "pages", "title": "Archived pages"}
        jsonl = "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in [header, *pages])
        put("pages/pages.jsonl", jsonl.encode(), zipfile.ZIP_DEFLATED)
        package = {
            "profile": "data-package",
            "wacz_version": WACZ_VERSION,
            "title": title or f"Palimpsest archive of {len(pages)} page(s)",
            "software": SOFTWARE,
            "created": _iso(datetime.now(UTC)),
            "mainPageURL": pages[0]["url"] if len(pages) == 1 else None,
            "resources": resources,
        }
        package_bytes = json.dumps(package, indent=1, sort_keys=True).encode()
        wacz.writestr("datapackage.json", package_bytes, zipfile.ZIP_DEFLATED)
        digest = {
            "path": "datapackage.json",
            "hash": f"sha256:{hashlib.sha256(package_bytes).hexdigest()}",
        }
        wacz.writestr("datapackage-digest.json", json.dumps(digest), zipfile.ZIP_DEFLATED)
    return WaczSummary(len(pages), len(seen), len(lines))
