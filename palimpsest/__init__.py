"""Palimpsest: archive news articles on a schedule and show how they change."""

from __future__ import annotations

__version__ = "0.1.0"
