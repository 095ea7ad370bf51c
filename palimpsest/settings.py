"""Settings: the only module that reads environment variables.

`Settings.from_env()` is called once per process (by the CLI or the flow entry point) and the
resulting plain values are passed to constructors; nothing else looks at `os.environ`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_STORE = "./archive"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class SettingsError(ValueError):
    """An environment variable has a value that cannot be used; the message names it."""


@dataclass(frozen=True)
class Settings:
    store: str = DEFAULT_STORE
    seeds_dir: Path = PROJECT_ROOT / "seeds"
    sources_file: Path = PROJECT_ROOT / "sources.yaml"
    prefect_api_url: str | None = None
    dask_address: str | None = None
    fetch_timeout: float = 30.0
    user_agent: str = "Palimpsest/0.1 (+https://github.com/palimpsest-archive/palimpsest)"
    contact_url: str = "https://github.com/palimpsest-archive/palimpsest"
    host_concurrency: int = 2
    host_delay: float = 1.0
    max_bytes: int = 20 * 1024 * 1024
    retries: int = 3
    extract_workers: int = 0  # 0: one process per core
    cache_dir: Path | None = None  # built seed corpus; None: no cache
    catalog_url: str | None = None  # None: catalog.sqlite in a local store's directory
    # The viewer's token (required off loopback): a secret, so never in the repr.
    serve_token: str | None = field(default=None, repr=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        defaults = cls()

        def text(name: str, default: str | None) -> str | None:
            value = env.get(name, "").strip()
            return value or default

        def number(name: str, default: float, kind: type = float) -> float:
            raw = env.get(name, "").strip()
            if not raw:
                return default
            try:
                value = kind(raw)
            except ValueError:
                raise SettingsError(f"{name}={raw!r} is not a {kind.__name__}") from None
            if value < 0:
                raise SettingsError(f"{name}={raw!r} must not be negative")
            return value

        contact = text("PALIMPSEST_CONTACT_URL", defaults.contact_url)
        return cls(
            store=text("PALIMPSEST_STORE", defaults.store) or defaults.store,
            seeds_dir=Path(text("PALIMPSEST_SEEDS_DIR", None) or defaults.seeds_dir),
            sources_file=Path(text("PALIMPSEST_SOURCES_FILE", None) or defaults.sources_file),
            prefect_api_url=text("PREFECT_API_URL", None),
            dask_address=text("PALIMPSEST_DASK_ADDRESS", None),
            fetch_timeout=number("PALIMPSEST_FETCH_TIMEOUT", defaults.fetch_timeout),
            user_agent=text("PALIMPSEST_USER_AGENT", None) or f"Palimpsest/0.1 (+{contact})",
            contact_url=contact or defaults.contact_url,
            host_concurrency=int(number("PALIMPSEST_HOST_CONCURRENCY", 2, int)),
            host_delay=number("PALIMPSEST_HOST_DELAY", defaults.host_delay),
            max_bytes=int(number("PALIMPSEST_MAX_BYTES", defaults.max_bytes, int)),
            retries=int(number("PALIMPSEST_RETRIES", defaults.retries, int)),
            extract_workers=int(number("PALIMPSEST_EXTRACT_WORKERS", 0, int)),
            catalog_url=text("PALIMPSEST_CATALOG_URL", None),
            serve_token=text("PALIMPSEST_SERVE_TOKEN", None),
            cache_dir=Path(
                text("PALIMPSEST_CACHE_DIR", None)
                or Path(text("XDG_CACHE_HOME", None) or Path.home() / ".cache") / "palimpsest"
            ),
        )
