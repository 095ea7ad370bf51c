"""Teasers of unrelated stories appended as plain paragraphs in the article's own container."""

from __future__ import annotations

import re
from collections import Counter

from palimpsest.extractors.options import CleaningOptions
from palimpsest.extractors.page import Page
from palimpsest.extractors.registry import cleaner
from palimpsest.extractors.text import is_truncated, overlap, terms, word_count

_INNER_STOP = re.compile(r"[.!?][\"'”’)]*\s+[\"'“‘(]*[A-Z]")


@cleaner("unrelated_teasers", stage=80)
def unrelated_teasers(page: Page) -> None:
    """Teasers of other stories pasted as ordinary paragraphs (often at the end, cut off).

    Signals, weighed together: truncation (a long paragraph that stops mid-sentence, without
    final punctuation, as teaser snippets are cut at a character limit) and topical coherence
    (share of the paragraph's content terms that occur anywhere else in the article; an
    unrelated story shares almost none). A truncated paragraph below `teaser_cut_overlap` goes;
    next to it, the run grows over truncated paragraphs below `teaser_run_cut_overlap` (snippets
    of a teaser list share a cut-off length, and one may touch the same wider topic) and over
    finished ones below `teaser_run_overlap`. Safe: article paragraphs are finished sentences,
    and even a paragraph that opens a new angle reuses the story's names and terms.
    """
    opt = page.options
    live = [b for b in page.live() if b.kind in ("p", "quote")]
    if len(live) < opt.teaser_min_paragraphs:
        return
    snippets = [_snippet(b.text, opt) for b in live]
    if not any(snippets):
        return  # no cut-off paragraph, so no teaser run can start: skip the term counting
    bags = [terms(b.text) for b in live]
    total = Counter(t for bag in bags for t in bag)
    if len(total) < opt.teaser_min_reference:
        return

    def score(k: int, ref: Counter[str], included: bool) -> float:
        """Overlap of block k with `ref`, minus the block's own terms if `ref` includes it."""
        own = Counter(bags[k]) if included else Counter()
        return overlap(bags[k], {t for t in set(bags[k]) if ref.get(t, 0) - own.get(t, 0) > 0})

    cut = {
        k
        for k in range(len(live))
        if snippets[k] and score(k, total, True) < opt.teaser_candidate_overlap
    }
    if not cut:
        return
    ref = Counter(t for k, bag in enumerate(bags) if k not in cut for t in bag)
    if len(ref) < opt.teaser_min_reference:
        return
    scores = {k: score(k, ref, k not in cut) for k in range(len(live))}
    teasers = {k for k in cut if scores[k] < opt.teaser_cut_overlap}
    # Grow runs of teasers over finished but equally unrelated neighbours.
    changed = True
    while changed:
        changed = False
        for k in list(teasers):
            for j in (k - 1, k + 1):
                if (
                    0 <= j < len(live)
                    and j not in teasers
                    and word_count(live[j].text) >= opt.teaser_min_words
                    and scores[j]
                    < (opt.teaser_run_cut_overlap if j in cut else opt.teaser_run_overlap)
                ):
                    teasers.add(j)
                    changed = True
    counts = [word_count(b.text) for b in live]
    if sum(counts[k] for k in teasers) > opt.teaser_max_share * sum(counts):
        return
    for k in sorted(teasers):
        why = "cut off mid-sentence" if k in cut else "finished, inside a run of teasers"
        page.drop(
            live[k],
            "unrelated_teasers",
            f"{why}, term overlap {scores[k]:.2f} with the article body",
        )


def _snippet(text: str, opt: CleaningOptions) -> bool:
    """A long paragraph cut off mid-sentence, with a finished sentence before the cut."""
    n = word_count(text)
    if n < opt.teaser_min_words or not is_truncated(text):
        return False
    return n >= opt.teaser_long_words or bool(_INNER_STOP.search(text))
