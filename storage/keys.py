"""The key layout of DESIGN.md, identical under a local directory and an S3 prefix.

sources/{host}/{url_hash}/versions/{seq:08d}.json                 generation 1 (first extraction)
sources/{host}/{url_hash}/seals/{seq:08d}.json                    each version's whole-record sha256
sources/{host}/{url_hash}/extractions/{g:04d}/versions/...        generation g >= 2 (re-extractions)
sources/{host}/{url_hash}/extractions/{g:04d}/seals/...
sources/{host}/{url_hash}/extractions/{g:04d}/published.json      generation g is complete
raw/{sha256[:2]}/{sha256}.warc.gz
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

SOURCES = "sources/"
RAW = "raw/"
EXTRACTIONS = "extractions/"
PUBLISHED = "published.json"
_UNSAFE = re.compile(r"[^a-z0-9.-]+")
_SOURCE_KEY = re.compile(
    r"^sources/[^/]+/([0-9a-f]{16})/(?:extractions/(\d{4})/)?"
    r"(?:(versions|seals)/(\d{8})\.json|(published\.json))$"
)
_RAW_KEY = re.compile(r"^raw/([0-9a-f]{2})/([0-9a-f]{64})\.warc\.gz$")


def url_hash(url: str) -> str:
    """First 16 hex chars of sha256(url): stable, fixed length and safe in any key."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]


def safe_host(url: str) -> str:
    """The URL's host, lower-cased, reduced to [a-z0-9.-] so it is safe as a path segment.

    The host only makes listings readable; uniqueness comes from `url_hash`, so a lossy
    reduction is harmless. Hosts that reduce to nothing (or to dots) become `_`.
    """
    host = (urlsplit(url).hostname or "").lower()
    host = _UNSAFE.sub("_", host).strip(".")
    return host if host and host not in {".", ".."} else "_"


def source_root(url: str) -> str:
    """Everything stored about `url` (all generations) is under this prefix."""
    return f"{SOURCES}{safe_host(url)}/{url_hash(url)}/"


def generation_root(url: str, generation: int = 1) -> str:
    root = source_root(url)
    return root if generation == 1 else f"{root}{EXTRACTIONS}{generation:04d}/"


def source_prefix(url: str, generation: int = 1) -> str:
    """The prefix of the version records of one generation of `url`."""
    return f"{generation_root(url, generation)}versions/"


def version_key(url: str, seq: int, generation: int = 1) -> str:
    return f"{source_prefix(url, generation)}{seq:08d}.json"


def seal_key(url: str, seq: int, generation: int = 1) -> str:
    return f"{generation_root(url, generation)}seals/{seq:08d}.json"


def published_key(url: str, generation: int) -> str:
    return f"{generation_root(url, generation)}{PUBLISHED}"


@dataclass(frozen=True)
class SourceKey:
    """What a key under sources/ is: a version record, a seal, or a generation's marker."""

    url_hash: str
    generation: int
    kind: Literal["versions", "seals", "published"]
    seq: int = 0


def parse_source_key(key: str) -> SourceKey | None:
    m = _SOURCE_KEY.match(key)
    if not m:
        return None
    generation = int(m.group(2)) if m.group(2) else 1
    if m.group(2) and generation < 2:
        return None  # generation 1 lives at the source's root, never under extractions/
    if m.group(5):
        return SourceKey(m.group(1), generation, "published") if generation > 1 else None
    kind: Literal["versions", "seals"] = "versions" if m.group(3) == "versions" else "seals"
    return SourceKey(m.group(1), generation, kind, int(m.group(4)))


def raw_key(sha256: str) -> str:
    return f"{RAW}{sha256[:2]}/{sha256}.warc.gz"


def raw_sha(key: str) -> str | None:
    """The sha256 a raw key is named by, or None if `key` is not a raw key."""
    m = _RAW_KEY.match(key)
    return m.group(2) if m and m.group(1) == m.group(2)[:2] else None
