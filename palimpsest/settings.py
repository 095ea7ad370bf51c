"""Settings: the only module that reads environment variables.

`Settings.from_env()` is called once per process (by the CLI or the flow entry point) and the
resulting plain values are passed to constructors; nothing else looks at `os.environ`. A value
that cannot be used raises `SettingsError`, whose message names the variable.
"""

from __future__ import annotations

import ipaddress
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from palimpsest.errors import PalimpsestError

DEFAULT_STORE = "./archive"
DEFAULT_SOURCES_FILE = Path("sources.yaml")  # the user's, in the working directory


def packaged_seeds() -> Path:
    """The seed corpus shipped with the code: pyproject maps seeds/ to `palimpsest/seeds/` in
    a wheel, so an installed copy finds it wherever it runs; a clone reads seeds/ itself."""
    installed = files("palimpsest") / "seeds"
    if installed.is_dir():
        return Path(str(installed))
    return Path(__file__).resolve().parent.parent / "seeds"


DEFAULT_SEEDS_DIR = packaged_seeds()


class SettingsError(PalimpsestError, ValueError):
    """An environment variable has a value that cannot be used; the message names it."""


@dataclass(frozen=True)
class Number:
    """A numeric setting: its variable, the Settings field it fills, its type and minimum."""

    variable: str
    field: str
    kind: type[int] | type[float]
    minimum: float
    why: str  # said when the value is below the minimum

    def parse(self, raw: str) -> int | float:
        try:
            value = self.kind(raw)
        except ValueError:
            noun = "an integer" if self.kind is int else "a number"
            raise SettingsError(f"{self.variable}={raw!r} is not {noun}") from None
        if not math.isfinite(value) or value < self.minimum:
            raise SettingsError(f"{self.variable}={raw!r}: {self.why}")
        return value


NUMBERS: tuple[Number, ...] = (
    Number("PALIMPSEST_FETCH_TIMEOUT", "fetch_timeout", float, 0.001, "must be >= 0.001 s"),
    Number("PALIMPSEST_HOST_CONCURRENCY", "host_concurrency", int, 1, "must be at least 1"),
    Number("PALIMPSEST_HOST_DELAY", "host_delay", float, 0, "must be >= 0 seconds"),
    Number("PALIMPSEST_MAX_BYTES", "max_bytes", int, 1, "must be at least 1 byte"),
    Number("PALIMPSEST_RETRIES", "retries", int, 0, "must be >= 0"),
    Number("PALIMPSEST_EXTRACT_WORKERS", "extract_workers", int, 0, "must be >= 0 (0: cores)"),
    Number("PALIMPSEST_FETCH_DEADLINE", "fetch_deadline", float, 0.001, "must be >= 0.001 s"),
    Number("PALIMPSEST_TRANSFER_TIMEOUT", "transfer_timeout", float, 0.001, "must be >= 0.001 s"),
    Number("PALIMPSEST_EXTRACT_TIMEOUT", "extract_timeout", float, 0.001, "must be >= 0.001 s"),
    Number("PALIMPSEST_EXTRACT_MEMORY_MB", "extract_memory_mb", int, 64, "must be >= 64 (MiB)"),
)
_FLAGS = {"1": True, "true": True, "yes": True, "on": True}
_FLAGS.update({"0": False, "false": False, "no": False, "off": False})


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw not in _FLAGS:
        raise SettingsError(f"{name}={raw!r} is not one of 1/0, true/false, yes/no")
    return _FLAGS[raw]


def _networks(raw: str) -> tuple[str, ...]:
    """PALIMPSEST_ALLOW_NETWORKS: comma-separated CIDRs (or single addresses)."""
    found = []
    for part in (p.strip() for p in raw.split(",")):
        if not part:
            continue
        try:
            found.append(str(ipaddress.ip_network(part, strict=False)))
        except ValueError:
            raise SettingsError(f"PALIMPSEST_ALLOW_NETWORKS: {part!r} is not a network") from None
    return tuple(found)


@dataclass(frozen=True)
class Settings:
    store: str = DEFAULT_STORE
    seeds_dir: Path = DEFAULT_SEEDS_DIR
    sources_file: Path = DEFAULT_SOURCES_FILE
    prefect_api_url: str | None = None
    dask_address: str | None = None
    fetch_timeout: float = 30.0
    user_agent: str = "Palimpsest/0.1 (+https://github.com/palimpsest-archive/palimpsest)"
    contact_url: str = "https://github.com/palimpsest-archive/palimpsest"
    host_concurrency: int = 2
    host_delay: float = 1.0
    shared_limits: bool = True  # host limits across workers at the Prefect server, when set
    max_bytes: int = 20 * 1024 * 1024
    retries: int = 3
    extract_workers: int = 0  # 0: one process per core
    # Hostile input (README "Reliability"): per-URL bounds and the address guard.
    fetch_deadline: float = 60.0  # total seconds per URL: robots, redirects, retries, waits
    transfer_timeout: float = 30.0  # seconds a body may take once its headers are in
    allow_private: bool = True  # loopback and private ranges (PALIMPSEST_ALLOW_PRIVATE=0)
    allow_link_local: bool = False  # 169.254.0.0/16, fe80::/10, cloud metadata addresses
    allow_networks: tuple[str, ...] = ()  # CIDRs always allowed (comma-separated)
    extract_timeout: float = 30.0  # seconds one page's extraction may take (worker killed)
    extract_memory_mb: int = 1024  # address space of an extraction worker process
    cache_dir: Path | None = None  # built seed corpus; None: no cache
    catalog_url: str | None = None  # None: catalog.sqlite in a local store's directory
    catalog_file: Path | None = None  # the SQLite catalog of an S3 store
    # The viewer's token (required off loopback): a secret, so never in the repr.
    serve_token: str | None = field(default=None, repr=False)
    # Notification destinations by name (PALIMPSEST_NOTIFY_<NAME>[_SECRET]): secrets too.
    notify_targets: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    viewer_url: str | None = None  # the viewer's address, for links in notifications and feeds

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env

        def text(name: str, default: str | None) -> str | None:
            value = env.get(name, "").strip()
            return value or default

        numbers = {
            n.field: n.parse(env[n.variable].strip())
            for n in NUMBERS
            if env.get(n.variable, "").strip()
        }
        defaults = cls()
        contact = text("PALIMPSEST_CONTACT_URL", defaults.contact_url)
        return cls(
            store=text("PALIMPSEST_STORE", defaults.store) or defaults.store,
            seeds_dir=Path(text("PALIMPSEST_SEEDS_DIR", None) or defaults.seeds_dir),
            sources_file=Path(text("PALIMPSEST_SOURCES_FILE", None) or defaults.sources_file),
            prefect_api_url=text("PREFECT_API_URL", None),
            dask_address=text("PALIMPSEST_DASK_ADDRESS", None),
            user_agent=text("PALIMPSEST_USER_AGENT", None) or f"Palimpsest/0.1 (+{contact})",
            contact_url=contact or defaults.contact_url,
            catalog_url=text("PALIMPSEST_CATALOG_URL", None),
            catalog_file=Path(file) if (file := text("PALIMPSEST_CATALOG_FILE", None)) else None,
            serve_token=text("PALIMPSEST_SERVE_TOKEN", None),
            notify_targets=tuple(
                sorted((k, v) for k, v in env.items() if k.startswith("PALIMPSEST_NOTIFY_"))
            ),
            viewer_url=(text("PALIMPSEST_VIEWER_URL", None) or "").rstrip("/") or None,
            shared_limits=_flag(env, "PALIMPSEST_SHARED_LIMITS", defaults.shared_limits),
            allow_private=_flag(env, "PALIMPSEST_ALLOW_PRIVATE", defaults.allow_private),
            allow_link_local=_flag(env, "PALIMPSEST_ALLOW_LINK_LOCAL", defaults.allow_link_local),
            allow_networks=_networks(env.get("PALIMPSEST_ALLOW_NETWORKS", "")),
            cache_dir=Path(
                text("PALIMPSEST_CACHE_DIR", None)
                or Path(text("XDG_CACHE_HOME", None) or Path.home() / ".cache") / "palimpsest"
            ),
            **numbers,  # type: ignore[arg-type]
        )
