"""The extractor's tunables, as data: one frozen object passed to `extract(..., options=)`.

Each value was measured on both public sets (bench/extraction.py); each field says why it
holds on pages nobody tuned it to. Word counts are runs of `\\w`.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class CleaningOptions:
    # -- the safety net (extractors.registry) ----------------------------------------------
    # cleaners that would take more than this share of trafilatura's words misread the page
    max_removed_share: float = 0.5

    # -- plain-text mode (extractors.api) --------------------------------------------------
    # a line this short that ends no sentence is a heading, not a paragraph
    text_head_max_words: int = 12

    # -- trafilatura's second chance (extractors.adapter) ----------------------------------
    # an extraction this long is an article already; shorter ones are checked
    retry_below_words: int = 300
    # under this share of the visible paragraphs' words, the fast extraction took a fragment
    retry_min_kept: float = 0.1

    # -- markup evidence (extractors.markupscan, .htmlclean, cleaners.markup) --------------
    # an element with more of the page's paragraph text than this is content, whatever its class
    guard_share: float = 0.25
    # ... once it holds this many characters (a short page's one box is not its body)
    guard_min_chars: int = 400
    # a sign-up box is a pitch and an e-mail field; a bigger parent is a page section
    max_form_words: int = 80
    # a link of this many words is a headline or a call to action, not a word in a sentence
    link_min_words: int = 3
    # shorter texts (without whitespace) are too common to tell where on the page they sit
    evidence_min_chars: int = 12
    # the first body paragraph (header evidence above it counts even if repeated): prose
    first_body_words: int = 25
    # ... and header evidence counts so only among the first few blocks
    top_blocks: int = 3

    # -- chunk recovery (extractors.recover) -----------------------------------------------
    # extracted paragraphs that must sit in one container before its twins are read
    recover_min_matched: int = 2
    # an extracted block this long names one page paragraph (shorter ones recur as labels)
    recover_key_words: int = 5
    # a recovered paragraph is prose, not a label
    recover_min_words: int = 12
    # prose paragraphs a twin must hold: a chunk of article, not a blurb
    recover_min_chunk: int = 3
    # share of a chunk's terms the article already uses: the same story
    recover_min_overlap: float = 0.2

    # -- furniture labels (extractors.cleaners.furniture) ----------------------------------
    # an advertising label is a few words; a sentence that mentions ads is longer
    ad_label_max_words: int = 6
    # a row of share buttons; prose this short would still have other words
    share_row_max_words: int = 10
    # a consent banner is a notice; a longer block about cookies is reporting
    cookie_max_words: int = 80
    # a comment-widget label ("Leave a comment", "12 Comments")
    comment_label_max_words: int = 8
    # a tag list has many items; a sentence listing things has fewer commas
    tag_list_min_items: int = 8
    # ... each a keyword or short phrase
    tag_item_max_words: int = 6
    # ... mostly typed in lower case (a list of names is capitalised)
    tag_lowercase_share: float = 0.6
    # an affiliate disclosure is one or two sentences
    disclosure_max_words: int = 60

    # -- photo credits and captions (extractors.cleaners.credits) --------------------------
    # a photo credit is a short attribution line
    credit_max_words: int = 14
    # ... with a sentence break inside and more words than this, it is prose
    credit_prose_words: int = 8
    # a repeated paragraph shorter than this is a label, not a caption printed twice
    caption_min_words: int = 3
    # a caption that ends with its own credit is at most a few sentences
    caption_max_words: int = 80

    # -- social embeds (extractors.cleaners.embeds) ----------------------------------------
    # an embed's credit line is a name, a handle and a date
    embed_credit_max_words: int = 25
    # an embedded post (the text above its credit, a block with a permalink) is short
    embed_post_max_words: int = 80

    # -- promos (extractors.cleaners.promos) -----------------------------------------------
    # a call to action is short; a longer paragraph about a newsletter is reporting
    promo_max_words: int = 50
    # a paywall formula or social call to action counts alone up to this length
    promo_formula_max_words: int = 40
    # above this length, more than `promo_max_sentences` sentences make it prose
    promo_prose_words: int = 30
    # ... (a call to action has a pitch, an offer and a button label at most)
    promo_max_sentences: int = 3
    # a promo's strap line beside it is one short line
    strap_max_words: int = 25

    # -- header (extractors.cleaners.header) -----------------------------------------------
    # a header never runs longer than this many blocks
    header_max_blocks: int = 12
    # the header zone ends at the first paragraph this long that ends a sentence
    header_body_words: int = 15
    # a header block (title, dek) above the last byline or date is at most this long
    header_block_max_words: int = 40
    # a dateline ("Published 5 March 2024, 10:01 GMT") is a date and its labels
    dateline_max_words: int = 16
    # a date line in any language (numeric date or year and day) is short...
    numeric_dateline_max_words: int = 12
    # ... with few words of 4+ letters (weekday, month, "published"); a headline has more
    numeric_dateline_max_long: int = 4
    # a byline is names and an agency, a sentence is longer
    byline_max_words: int = 14
    # a bare author name is 2 to this many capitalised words
    name_line_max_words: int = 4
    # a byline outside the header zone goes only when this short
    lone_byline_max_words: int = 8

    # -- teaser sections (extractors.cleaners.related) -------------------------------------
    # a section label ("Related", "More from X") is a few words
    section_label_max_words: int = 8
    # a teaser headline under such a label; prose is longer
    section_headline_max_words: int = 30
    # "Read more: <headline>" lines
    read_more_max_words: int = 40
    # a heading left alone over removed blocks is a label
    orphan_heading_max_words: int = 6
    # ... over at least this many removed blocks (one block removed is not a section)
    orphan_min_section: int = 2

    # -- end matter (extractors.cleaners.tail) ---------------------------------------------
    # end matter sits in the last few blocks
    tail_blocks: int = 4
    # end-matter lines are short; a longer block is article text
    end_matter_max_words: int = 70
    # a paragraph of press-release boilerplate about the issuer
    boilerplate_max_words: int = 90
    # an "About <Organisation>" heading closes a release: it is looked for after this share
    about_from: Fraction = Fraction(2, 3)
    # ... and is short
    about_heading_max_words: int = 6
    # ... over a boilerplate section of at most this many words
    about_section_max_words: int = 200

    # -- unrelated teasers (extractors.cleaners.unrelated) ---------------------------------
    # fewer paragraphs than this give no article to compare a teaser with
    teaser_min_paragraphs: int = 3
    # teaser snippets are cut at a length limit; shorter lines are items or labels
    teaser_min_words: int = 25
    # a cut-off paragraph this long is a snippet even without a finished sentence inside
    teaser_long_words: int = 50
    # a cut-off paragraph sharing this much with the rest of the text is the article's own
    teaser_candidate_overlap: float = 0.5
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
