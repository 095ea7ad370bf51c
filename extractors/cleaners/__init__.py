"""Built-in cleaners; importing this package registers them (in execution order)."""

from __future__ import annotations

from extractors.cleaners import (  # noqa: F401  (import order = execution order)
    credits,
    embeds,
    furniture,
    header,
    promos,
    related,
    tail,
    unrelated,
)
