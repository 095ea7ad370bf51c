"""The seed corpus: index the seeds, find the ones a text matches, align it to each.

`SeedCorpus.match` retrieves the `limit` nearest seeds by document cosine from a TF-IDF
inverted index (`diffing.index`, pruned retrieval, fast at 100k documents), keeps those at
or above MIN_COSINE, aligns the text sentence by sentence with each (`diffing.align`), and
ranks them by similarity (the mean of cosine and alignment coverage). Seeds are split into
sentences and their sentence terms weighed lazily, once, the first time they are aligned
(eagerly would cost seconds on a 100k-document corpus of which a query touches a few);
the text is split and weighed once per match, whatever the number of hits, and the
corpus remembers the last SENTENCES_REMEMBERED text sentences it weighed (a new version of
a page shares most sentences with the one matched before it). No I/O: the
caller passes the seed texts (clean, for matching) and optionally the raw texts (for
display).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from palimpsest.diffing.align import Alignment, align, coverage, same_story
from palimpsest.diffing.embed import SharedSimilarity
from palimpsest.diffing.errors import CorpusError
from palimpsest.diffing.features import SentenceSide, sentence_features
from palimpsest.diffing.index import TermIndex
from palimpsest.diffing.sentences import split_sentences
from palimpsest.diffing.text import terms

# Whole-text TF-IDF cosine below which a seed is not a match at all and is not aligned: the
# noise level of texts that only share common vocabulary (measured: 0.06-0.10 between
# unrelated synthetic documents of bench/corpus.py; 0.08-0.22 between the seeds and an
# unrelated story of the same genre, tests/diffing/data/unrelated_story.txt; >= 0.22
# between any two seeds, which all tell the same story).
MIN_COSINE = 0.1
# A seed is reported only when the text has at least one sentence linked to it (a link is a
# calibrated judgement, diffing.align.LINK_MIN): below that there is no related coverage.
MIN_LINKS = 1
TITLE_CHARS = 70
# Text sentences whose features (diffing.features.sentence_features) a corpus keeps, least
# recently used dropped first: ~8 KB each (bags of 4-grams are most of it), so ~40 MB, the
# sentences of the last ~150 articles matched. A new version of one of them is matched in
# 55-65 % of the CPU of a new page (bench/corpus_match.py, 2026-12-04).
SENTENCES_REMEMBERED = 5_000


@dataclass
class SeedMatch:
    seed: str
    title: str
    # 0..1: the mean of the whole-text TF-IDF cosine and the alignment coverage (share of the
    # text's sentences found in the seed; see diffing.align.coverage). The cosine alone
    # cannot tell a same-genre stranger from a rewrite; the coverage alone ignores words
    # outside aligned sentences.
    similarity: float
    alignment: Alignment

    @property
    def counts(self) -> dict[str, int]:
        """Text sentences by the label of their best link; added; dropped seed sentences."""
        return self.alignment.counts()

    def to_dict(self, *, alignment: bool = True) -> dict:
        out: dict = {
            "seed": self.seed,
            "title": self.title,
            "similarity": round(self.similarity, 4),
            "counts": self.counts,
        }
        if alignment:
            out.update(self.alignment.to_dict())
        return out


class SeedCorpus:
    """An indexed set of seed texts, named by their file stems."""

    def __init__(
        self,
        docs: Mapping[str, str],
        *,
        raw: Mapping[str, str] | None = None,
        titles: Mapping[str, str] | None = None,
        min_cosine: float = MIN_COSINE,
    ) -> None:
        for name, text in docs.items():
            if not isinstance(name, str) or not name:
                raise CorpusError(f"seed names must be non-empty strings, got {name!r}")
            if not isinstance(text, str):
                raise CorpusError(f"seed {name}: text must be str, got {type(text).__name__}")
        unknown = sorted(set(raw or {}) - set(docs))
        if unknown:
            raise CorpusError(f"raw text given for unknown seed {unknown[0]}")
        self._names = list(docs)
        self._docs = dict(docs)
        self._raw = dict(raw or {})
        self._titles = dict(titles or {})
        self._pos = {name: i for i, name in enumerate(self._names)}
        self._index = TermIndex([terms(self._docs[n]) for n in self._names])
        self._sentences: dict[str, list[str]] = {}
        self._sides: dict[str, SentenceSide] = {}
        self.min_cosine = min_cosine
        self._remember()

    def _remember(self) -> None:
        """A fresh memo of the text sentences' features (thread-safe, bounded); the seeds'
        own features are kept apart, in their SentenceSide."""
        self._features = lru_cache(maxsize=SENTENCES_REMEMBERED)(sentence_features)

    def __getstate__(self) -> dict[str, Any]:
        """Pickled (the cached corpus, flows/seeds.py) without the texts' memo."""
        state = self.__dict__.copy()
        del state["_features"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._remember()

    def __len__(self) -> int:
        return len(self._names)

    def names(self) -> list[str]:
        return list(self._names)

    def text(self, name: str) -> str:
        """The clean text of a seed."""
        try:
            return self._docs[name]
        except KeyError:
            raise CorpusError(f"no seed named {name}") from None

    def raw(self, name: str) -> str:
        """The raw (unclean) text of a seed for display, else its clean text."""
        return self._raw.get(name) or self.text(name)

    def title(self, name: str) -> str:
        """The seed's title as given, else its clean text's first line, cut to TITLE_CHARS."""
        given = self._titles.get(name, "").strip()
        line = given or next(
            (ln.strip() for ln in self.text(name).splitlines() if ln.strip()), name
        )
        return line if len(line) <= TITLE_CHARS else line[: TITLE_CHARS - 1].rstrip() + "…"

    def word_count(self, name: str) -> int:
        return len(self.text(name).split())

    def sentences(self, name: str) -> list[str]:
        """The seed's sentences (split once, then cached)."""
        if name not in self._sentences:
            self._sentences[name] = split_sentences(self.text(name))
        return self._sentences[name]

    def _side(self, name: str) -> SentenceSide:
        """The seed's sentence features for alignment (built once, then cached)."""
        if name not in self._sides:
            self._sides[name] = SentenceSide.of(self.sentences(name))
        return self._sides[name]

    def match(self, text: str, limit: int = 5) -> list[SeedMatch]:
        """The seeds `text` matches, best first, each with its sentence alignment."""
        if limit < 1:
            raise CorpusError(f"limit must be at least 1, got {limit}")
        hits = [h for h in self._index.top(terms(text), limit) if h[1] >= self.min_cosine]
        if not hits:
            return []
        sentences = split_sentences(text)  # split and weighed once, aligned with every hit
        side = SentenceSide.of(sentences, self._features)
        seeds = {doc: self._side(self._names[doc]) for doc, _ in hits}
        # the seeds whose pairs are scored: those that may report the text's story
        scored = [s.table for s in seeds.values() if same_story(side.facts, s.facts)]
        shared = SharedSimilarity(side.table, scored)
        out = []
        for doc, score in hits:
            name = self._names[doc]
            alignment = align(
                sentences,
                self.sentences(name),
                text_side=side,
                seed_side=seeds[doc],
                similarity=shared,
            )
            if len(alignment.links) < MIN_LINKS:
                continue
            similarity = combined_similarity(score, alignment)
            out.append(SeedMatch(name, self.title(name), similarity, alignment))
        out.sort(key=lambda m: (-m.similarity, m.seed))
        return out

    def relations(self, neighbours: int = 10) -> list[dict]:
        """Seed-to-seed relations: for each seed its nearest `neighbours` other seeds (via the
        index, so this stays cheap on a large corpus), each pair once, most similar first.

        Each entry: {"a", "b", "similarity", "counts" (a aligned against b), "relation"}.
        """
        seen: set[tuple[str, str]] = set()
        out: list[dict[str, Any]] = []
        for name in self._names:
            for doc, score in self._index.top(terms(self._docs[name]), neighbours + 1):
                other = self._names[doc]
                key = (min(name, other), max(name, other))
                if other == name or key in seen or score < self.min_cosine:
                    continue
                seen.add(key)
                a, b = key
                alignment = align(
                    self.sentences(a),
                    self.sentences(b),
                    text_side=self._side(a),
                    seed_side=self._side(b),
                )
                counts = alignment.counts()
                out.append(
                    {
                        "a": a,
                        "b": b,
                        "similarity": round(combined_similarity(score, alignment), 4),
                        "counts": counts,
                        "relation": relation_label(counts, score),
                    }
                )
        out.sort(key=lambda r: (-r["similarity"], r["a"], r["b"]))
        return out


def combined_similarity(cosine: float, alignment: Alignment) -> float:
    """Mean of the document cosine and the alignment coverage, in 0..1."""
    return round(min(1.0, max(0.0, (cosine + coverage(alignment)) / 2)), 6)


def relation_label(counts: Mapping[str, int], similarity: float) -> str:
    """Name a relation from the alignment counts of one text against another.

    Shares are taken of the *shorter* side (the text's sentences are its aligned ones plus
    "added", the seed's its aligned ones plus "dropped"), so a short rewrite of a long story
    reads as a rewrite whichever way round the two are aligned: mostly identical is a copy,
    mostly identical or edited an edited copy, mostly aligned at all a rewrite; else related
    when some sentences align or the texts share a fifth of their weighted vocabulary.
    Thresholds are simple majorities so that the label reads as "most of it is ...".
    """
    same = counts.get("identical", 0)
    edited = same + counts.get("edited", 0)
    aligned = edited + counts.get("paraphrase", 0) + counts.get("partial", 0)
    total = aligned + min(counts.get("added", 0), counts.get("dropped", 0))
    if not total:
        return "unrelated"
    if same / total >= 0.5:
        return "copy"
    if edited / total >= 0.5:
        return "edited copy"
    if aligned / total >= 0.5:
        return "rewrite"
    if aligned / total >= 0.1 or similarity >= 0.2:
        return "related"
    return "unrelated"
