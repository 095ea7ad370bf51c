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

from palimpsest.extractors.article import Removal
from palimpsest.extractors.page import Block, Page
from palimpsest.extractors.text import word_count

CleanerFunc = Callable[[Page], None]


@dataclass(frozen=True)
class Cleaner:
    name: str
    func: CleanerFunc
    modes: tuple[str, ...]
    stage: int
    certain: bool = False  # removes only blocks that are whole furniture labels: never undone

    @property
    def doc(self) -> str:
        return (self.func.__doc__ or "").strip()


CLEANERS: dict[str, Cleaner] = {}


def cleaner(
    name: str, stage: int, modes: tuple[str, ...] = ("html", "text"), certain: bool = False
) -> Callable[[CleanerFunc], CleanerFunc]:
    """Register `func` under `name`; it runs (in ascending `stage`) for pages in `modes`.
    `certain`: each block it removes is, whole, a label of page furniture (a separator, an
    "Advertisement" label, a share row), so the safety net never undoes it."""

    def register(func: CleanerFunc) -> CleanerFunc:
        if name in CLEANERS:
            raise ValueError(f"cleaner {name!r} registered twice")
        if not (func.__doc__ or "").strip():
            raise ValueError(f"cleaner {name!r} needs a docstring saying what it removes and why")
        CLEANERS[name] = Cleaner(name=name, func=func, modes=modes, stage=stage, certain=certain)
        return func

    return register


def run_cleaners(page: Page) -> Page:
    """Run the registered cleaners over `page` in ascending stage, then the safety net."""
    found = _words(page.blocks)
    for item in sorted(CLEANERS.values(), key=lambda c: c.stage):
        if page.mode in item.modes:
            item.func(page)
    safety_net(page, found)
    return page


def _words(blocks: list[Block]) -> int:
    return sum(word_count(b.text) for b in blocks)


def safety_net(page: Page, found: int) -> None:
    """Undo the cleaners that took the most text while they took more than
    `options.max_removed_share` of the `found` words, and record each undo in `page.removed`
    (cleaner "safety_net").

    Why: every cleaner judges blocks one by one, on cues that hold on most pages; a page where
    they add up to most of what the main-content extractor found is one they misread (a
    class name that only looks like furniture, a body the markup calls a caption). Losing
    the article is worse than keeping furniture, and nothing is lost silently.
    """
    if found == 0:
        return
    max_removed = page.options.max_removed_share
    while _words(page.live()) < (1 - max_removed) * found:
        taken: dict[str, int] = {}
        for block in page.blocks:
            name = block.removed_by
            if name is not None and not (name in CLEANERS and CLEANERS[name].certain):
                taken[name] = taken.get(name, 0) + word_count(block.text)
        if not taken:
            return
        name = max(taken, key=lambda n: taken[n])
        for block in page.blocks:
            if block.removed_by == name:
                block.removed_by = None
        page.removed = [r for r in page.removed if r.cleaner != name]
        page.removed.append(
            Removal(
                cleaner="safety_net",
                text="",
                reason=f"kept the {taken[name]} words {name!r} would have removed: the "
                f"cleaners took over {max_removed:.0%} of the {found} words of the article",
            )
        )
