"""The extractor's tunables, as data: one frozen object passed to `extract(..., options=)`.

Each value was measured on both public sets (bench/extraction.py); each field says why it
holds on pages nobody tuned it to. Word counts are runs of `\\w`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CleaningOptions:
    # -- the safety net (extractors.registry) ----------------------------------------------
    # cleaners that would take more than this share of trafilatura's words misread the page
    max_removed_share: float = 0.5

    # -- trafilatura's second chance (extractors.adapter) ----------------------------------
    # an extraction this long is an article already; shorter ones are checked
    retry_below_words: int = 300
    # under this share of the visible paragraphs' words, the fast extraction took a fragment
    retry_min_kept: float = 0.1

    # -- markup evidence (extractors.htmlclean) --------------------------------------------
    # an element with more of the page's paragraph text than this is content, whatever its class
    guard_share: float = 0.25
    # ... once it holds this many characters (a short page's one box is not its body)
    guard_min_chars: int = 400
    # a sign-up box is a pitch and an e-mail field; a bigger parent is a page section
    max_form_words: int = 80
    # the first body paragraph (header evidence above it counts even if repeated): prose
    first_body_words: int = 25

    # -- chunk recovery (extractors.recover) -----------------------------------------------
    # extracted paragraphs that must sit in one container before its twins are read
    recover_min_matched: int = 2
    # a recovered paragraph is prose, not a label
    recover_min_words: int = 12
    # prose paragraphs a twin must hold: a chunk of article, not a blurb
    recover_min_chunk: int = 3
    # share of a chunk's terms the article already uses: the same story
    recover_min_overlap: float = 0.2

    # -- header, end matter (extractors.cleaners.header, .tail) ----------------------------
    # a header never runs longer than this many blocks
    header_max_blocks: int = 12
    # the header zone ends at the first paragraph this long that ends a sentence
    header_body_words: int = 15
    # end matter sits in the last few blocks
    tail_blocks: int = 4
    # end-matter lines are short; a longer block is article text
    end_matter_max_words: int = 70

    # -- unrelated teasers (extractors.cleaners.unrelated) ---------------------------------
    # teaser snippets are cut at a length limit; shorter lines are items or labels
    teaser_min_words: int = 25
    # a cut-off paragraph sharing less than this with the article is a teaser
    teaser_cut_overlap: float = 0.25
    # next to a teaser, a cut-off paragraph with less than this belongs to the same run
    teaser_run_cut_overlap: float = 0.5
    # a finished paragraph inside a run of teasers needs even less to go
    teaser_run_overlap: float = 0.12
    # distinct terms the rest of the text needs before overlap means anything
    teaser_min_reference: int = 60
    # teasers are a minority of the text; beyond this share the evidence is not there
    teaser_max_share: float = 0.4


DEFAULT_OPTIONS = CleaningOptions()
