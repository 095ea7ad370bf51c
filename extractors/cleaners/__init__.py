"""Built-in cleaners; importing this package registers them (each declares its stage)."""

from __future__ import annotations

from palimpsest.extractors.cleaners import (  # noqa: F401  (registers the cleaners)
    credits,
    embeds,
    furniture,
    header,
    markup,
    promos,
    related,
    tail,
    unrelated,
)
