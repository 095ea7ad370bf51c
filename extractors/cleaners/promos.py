"""Newsletter, subscription, membership and paywall promos."""

from __future__ import annotations

import re

from palimpsest.extractors.options import CleaningOptions
from palimpsest.extractors.page import Block, Page
from palimpsest.extractors.registry import cleaner
from palimpsest.extractors.text import ends_sentence, word_count, wordset

# What a promo sells.
_OFFER = re.compile(
    r"\b(?:newsletters?|subscrib\w*|sign[\s-]?(?:up|in)|signup|log\s?in|inbox|membership"
    r"|become\s+a\s+member|members\s+get|join\s+as\s+a\s+member"
    r"|paywall|premium|unlimited\s+(?:digital\s+)?access|free\s+trial|digital\s+access"
    r"|register(?:ed|ing)?|registration|donat\w+|support\s+(?:our|independent|quality)\s+\w+"
    r"|briefings?|alerts?|podcasts?|our\s+app|download\s+the\s+app|click(?:ing)?\s+here"
    r"|(?:youtube\s+)?channel|magazine|issues|delivered|print\s+edition|the\s+app)\b",
    re.IGNORECASE,
)
# Whose offer: the site's own (first person, "this/the newsletter", the reader's inbox), not a
# third-party product an article happens to review.
_OWN = re.compile(
    r"\b(?:our|us|we|we'll|we're|newsletters?|your\s+inbox|subscribers?|paywall|membership"
    r"|(?:this|the)\s+(?:site|newsletter|briefing|podcast)|free\s+(?:articles?|stories)"
    r"|journalism|click(?:ing)?\s+here|letterbox|keep\s+reading|continue\s+reading)\b",
    re.IGNORECASE,
)
# Social calls to action: "Follow us on Twitter", "Like this story? Share it with a friend".
_SOCIAL_CTA = re.compile(
    r"^\W*(?:follow|like|join|find|connect\s+with)\s+(?:us|@\w+|[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*)"
    r"{0,3})\s+on\s+(?:twitter|facebook|instagram|linkedin|youtube|tiktok|x|threads|bluesky)\b"
    r"|\bshare\s+(?:it|this(?:\s+(?:story|article|post))?)\s+with\s+(?:a\s+friend|your\s+friends)"
    r"|^\W*(?:subscribe|sign\s+up)\s+to\s+(?:our|the)\s+\w+(?:\s+\w+)?\s+(?:on\s+)?(?:youtube|channel)"
    # an instruction to the reader that ends in an address: "Follow our coverage at https://..."
    r"|^\W*(?:follow|read|visit|see|watch|listen\s+to|find|get|check\s+out|download)\b.{0,120}"
    r"\b(?:at|on|here|via)\s*:?\s*(?:https?://|www\.)\S+\W*$",
    re.IGNORECASE,
)
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+)[\"'“‘(\[-–—•*>\s]*([A-Za-z']+)")
_PAYWALL = re.compile(
    r"\b(?:(?:available|exclusive(?:ly)?)\s+(?:only\s+)?(?:to|for)\s+(?:our\s+)?(?:subscribers|members)"
    r"|subscribers?\s+only|already\s+a\s+(?:subscriber|member)|to\s+(?:keep|continue)\s+reading"
    r"|(?:reached|used)\s+your\s+(?:limit|free\s+articles?))\b",
    re.IGNORECASE,
)
# How a promo talks: to the reader, in the imperative or the second person.
_IMPERATIVE = wordset(
    """sign subscribe get join access register try support become enter download follow
    click tap unlock start receive stay continue upgrade claim grab never don't dont want
    enjoy listen read discover sign-up already for log keep check watch"""
)
_SECOND_PERSON = re.compile(r"\b(?:you|your|you're|you'll|you've|yours)\b", re.IGNORECASE)
# How news talks about newsletters: attributed, reported speech.
_ATTRIBUTION = re.compile(
    r"\b(?:said|says|told|according\s+to|announced|reported|reports|wrote|added|stated|noted)\b",
    re.IGNORECASE,
)


def is_promo(text: str, opt: CleaningOptions) -> bool:
    """A call to action selling a newsletter, subscription, membership or sign-up."""
    n = word_count(text)
    if n == 0 or n > opt.promo_max_words or _ATTRIBUTION.search(text):
        return False
    if n <= opt.promo_formula_max_words and (_PAYWALL.search(text) or _SOCIAL_CTA.search(text)):
        return True
    if not (_OWN.search(text) and _OFFER.search(text)):  # the cheaper, rarer test first
        return False
    if n > opt.promo_prose_words and text.count(". ") >= opt.promo_max_sentences:
        return False  # more sentences than a pitch has: prose, not a call to action
    starts = {m.group(1).lower() for m in _SENTENCE_START.finditer(text)}
    return bool(starts & _IMPERATIVE) or bool(_SECOND_PERSON.search(text))


def _is_continuation(block: Block, opt: CleaningOptions) -> bool:
    """A promo's strap line: short, reader-addressed or unfinished, never attributed."""
    text = block.text
    if word_count(text) > opt.strap_max_words or _ATTRIBUTION.search(text) or block.kind == "head":
        return False
    if text.isupper():
        return False  # an all-caps line is a heading
    return bool(_SECOND_PERSON.search(text)) and not ends_sentence(text)


@cleaner("promos", stage=40)
def promos(page: Page) -> None:
    """Newsletter / subscription / membership / paywall promos, as widgets or plain paragraphs.

    Signal: the block offers something (newsletter, subscription, sign-up, membership, free
    trial, app, channel, donation) that is the site's own (first person "our/us", "the
    newsletter", the reader's inbox, subscribers, a price) AND addresses the reader: a
    sentence opens with an imperative ("Sign up", "Get", "Join", "Log in") or it speaks in
    the second person; it is short (`promo_max_words`, a few sentences) and has no reported
    speech. Paywall formulas ("Already a subscriber?", "exclusively to subscribers") and
    social calls to action ("Follow us on Twitter", "Share it with a friend") count alone.
    A reader-addressed strap line without final punctuation right next to a promo ("Your
    weekly briefing on ...") goes with it.
    Safe: a news paragraph that mentions a newsletter or subscribers is written in the third
    person and/or attributed ("said").
    """
    blocks, opt = page.blocks, page.options
    hits = [i for i, b in enumerate(blocks) if b.alive and is_promo(b.text, opt)]
    for i in hits:
        page.drop(blocks[i], "promos", "call to action for a newsletter/subscription/sign-up")
    for i in hits:
        for j in (i - 1, i + 1):
            if 0 <= j < len(blocks) and blocks[j].alive and _is_continuation(blocks[j], opt):
                page.drop(blocks[j], "promos", "strap line of the adjacent promo")
