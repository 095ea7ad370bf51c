"""Social-media embeds that survive as text (tweets, Instagram/TikTok posts)."""

from __future__ import annotations

import re

from palimpsest.extractors.page import Page
from palimpsest.extractors.registry import cleaner
from palimpsest.extractors.text import word_count

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
# "— Name (@handle) February 12, 2025": the credit line of an embedded tweet.
_TWEET_CREDIT = re.compile(
    rf"^\s*[—–-]{{1,2}}\s*.{{0,80}}\(@\w{{1,30}}\)\s*(?:on\s+)?(?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}"
    r"|\d{1,2}\s+" + _MONTH + r"\s+\d{4})?\s*$",
    re.IGNORECASE,
)
# "A post shared by Name (@handle) on Feb 3, 2025 at 10:01am PST"
_POST_CREDIT = re.compile(
    r"^\s*(?:a\s+)?(?:post|video|photo)\s+shared\s+by\s+.{0,80}\(@[\w.]{1,30}\)", re.IGNORECASE
)
_EMBED_LINK = re.compile(
    r"\bpic\.twitter\.com/\w+|\bt\.co/\w+|\b(?:twitter|x)\.com/\w+/status/\d+"
    r"|\binstagram\.com/p/|\btiktok\.com/@",
    re.IGNORECASE,
)  # every form holds a "/": blocks without one are not searched


@cleaner("social_embeds", stage=30)
def social_embeds(page: Page) -> None:
    """Embedded tweets and posts: the post text and its "— Name (@handle) Date" credit line.

    Signals: the embed's credit line shape (dash, display name, "(@handle)", date) or "A post
    shared by ... (@handle)"; the post text is the block right before that credit line; any
    block carrying a media permalink (pic.twitter.com/..., t.co/..., .../status/123) is embed
    text. Safe: article prose quotes people without handles and permalinks.
    """
    blocks, opt = page.blocks, page.options
    longest = opt.embed_post_max_words
    for i, block in enumerate(blocks):
        if not block.alive:
            continue
        text = block.text.strip()
        n = word_count(text)
        if n <= opt.embed_credit_max_words and (
            _TWEET_CREDIT.match(text) or _POST_CREDIT.match(text)
        ):
            page.drop(block, "social_embeds", "embedded post credit line (name, @handle, date)")
            prev = blocks[i - 1] if i > 0 else None
            if prev is not None and prev.alive and word_count(prev.text) <= longest:
                page.drop(prev, "social_embeds", "text of the embedded post credited below")
        elif n <= longest and "/" in text and _EMBED_LINK.search(text):
            page.drop(block, "social_embeds", "carries a social-media permalink")
