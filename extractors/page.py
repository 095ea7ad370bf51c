"""The cleaners' working model: a page as an ordered list of blocks (paragraph-sized units)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from palimpsest.extractors.article import Removal
from palimpsest.extractors.options import DEFAULT_OPTIONS, CleaningOptions
from palimpsest.extractors.text import ends_sentence, normalise, word_count


@dataclass
class Block:
    """One paragraph-sized unit of extracted text, with the structure it came from."""

    text: str
    # "p" paragraph, "head" heading, "item" list item, "quote" blockquote, "cell" table row
    kind: str = "p"
    removed_by: str | None = None

    @property
    def alive(self) -> bool:
        return self.removed_by is None

    def is_body(self, min_words: int) -> bool:
        """A prose paragraph: at least `min_words` words, ending a sentence."""
        return self.kind == "p" and word_count(self.text) >= min_words and ends_sentence(self.text)


@dataclass
class Page:
    """Blocks plus metadata; cleaners mark blocks removed and record a `Removal` for each."""

    blocks: list[Block]
    source: str | None = None
    mode: str = "html"  # "html" or "text"
    meta: dict[str, str | None] = field(default_factory=dict)
    removed: list[Removal] = field(default_factory=list)
    evidence: Any = None  # markup evidence (extractors.htmlclean.Evidence) in html mode
    options: CleaningOptions = DEFAULT_OPTIONS

    def live(self) -> list[Block]:
        return [b for b in self.blocks if b.alive]

    def drop(self, block: Block, cleaner: str, reason: str) -> None:
        if not block.alive:
            return
        block.removed_by = cleaner
        self.removed.append(Removal(cleaner=cleaner, text=normalise(block.text), reason=reason))

    def text(self) -> str:
        return "\n".join(_render(b) for b in self.blocks if b.alive and b.text.strip())


def _render(block: Block) -> str:
    return normalise(block.text) if "\n" in block.text else block.text.strip()
