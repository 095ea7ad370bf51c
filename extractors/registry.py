"""Registry of named cleaners.

A cleaner is a plain function `(page: Page) -> None` that marks blocks removed through
`page.drop(block, name, reason)`. Cleaners run in ascending `stage`: cheap, certain
cleaners (separators, labels, credits) run before the ones that weigh evidence against the
rest of the text (teasers), so that junk already found does not pollute the evidence.
Each cleaner's docstring says what it removes, the general signal it uses and why it is safe.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from palimpsest.extractors.page import Page

CleanerFunc = Callable[[Page], None]


@dataclass(frozen=True)
class Cleaner:
    name: str
    func: CleanerFunc
    modes: tuple[str, ...]
    stage: int

    @property
    def doc(self) -> str:
        return (self.func.__doc__ or "").strip()

    def __call__(self, page: Page) -> None:
        self.func(page)


CLEANERS: dict[str, Cleaner] = {}


def cleaner(
    name: str, stage: int, modes: tuple[str, ...] = ("html", "text")
) -> Callable[[CleanerFunc], CleanerFunc]:
    """Register `func` under `name`; it runs (in ascending `stage`) for pages in `modes`."""

    def register(func: CleanerFunc) -> CleanerFunc:
        if name in CLEANERS:
            raise ValueError(f"cleaner {name!r} registered twice")
        if not (func.__doc__ or "").strip():
            raise ValueError(f"cleaner {name!r} needs a docstring saying what it removes and why")
        CLEANERS[name] = Cleaner(name=name, func=func, modes=modes, stage=stage)
        return func

    return register


def run_cleaners(page: Page, names: list[str] | None = None) -> Page:
    """Run the registered cleaners (all, or only `names`, in registry order) over `page`."""
    import palimpsest.extractors.cleaners  # noqa: F401  (registers the built-in cleaners)

    for item in sorted(CLEANERS.values(), key=lambda c: c.stage):
        if names is not None and item.name not in names:
            continue
        if page.mode in item.modes:
            item(page)
    return page
