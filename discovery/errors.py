"""Errors of the discovery package (under the one root, palimpsest.errors).

PalimpsestError
└── DiscoveryError    a feed or section page could not be read; names its URL
"""

from __future__ import annotations

from palimpsest.errors import PalimpsestError


class DiscoveryError(PalimpsestError):
    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}", subject=url, reason=reason)
        self.url = url
