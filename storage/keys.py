"""The key layout of DESIGN.md, identical under a local directory and an S3 prefix.

sources/{host}/{url_hash}/versions/{seq:08d}.json
raw/{sha256[:2]}/{sha256}.warc.gz
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit

SOURCES = "sources/"
RAW = "raw/"
_UNSAFE = re.compile(r"[^a-z0-9.-]+")
_VERSION_KEY = re.compile(r"^sources/[^/]+/([0-9a-f]{16})/versions/(\d{8})\.json$")
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


def source_prefix(url: str) -> str:
    return f"{SOURCES}{safe_host(url)}/{url_hash(url)}/versions/"


def version_key(url: str, seq: int) -> str:
    return f"{source_prefix(url)}{seq:08d}.json"


def parse_version_key(key: str) -> tuple[str, int] | None:
    """(url_hash, seq) of a version key, or None if `key` is not one."""
    m = _VERSION_KEY.match(key)
    return (m.group(1), int(m.group(2))) if m else None


def raw_key(sha256: str) -> str:
    return f"{RAW}{sha256[:2]}/{sha256}.warc.gz"


def raw_sha(key: str) -> str | None:
    """The sha256 a raw key is named by, or None if `key` is not a raw key."""
    m = _RAW_KEY.match(key)
    return m.group(2) if m and m.group(1) == m.group(2)[:2] else None
