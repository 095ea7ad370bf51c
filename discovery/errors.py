"""Errors of the discovery package.

DiscoveryError        a feed or section page could not be read; str() names its URL
"""

from __future__ import annotations


class DiscoveryError(Exception):
    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url, self.reason = url, reason
