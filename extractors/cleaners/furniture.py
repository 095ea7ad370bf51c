"""Page furniture that is never prose: separators, ad labels, share rows, cookie banners,
comment widgets."""

from __future__ import annotations

import re

from palimpsest.extractors.page import Page
from palimpsest.extractors.registry import cleaner
from palimpsest.extractors.text import WORD, word_count, wordset

_LETTER = re.compile(r"[^\W_]")

_AD_LABEL = re.compile(
    r"^\W*(?:(?:skip|close|hide)\s+)?(?:advertisement|advertising|advert|ad|ads|sponsored"
    r"(?:\s+content)?|paid\s+content|promoted(?:\s+content)?|partner\s+content|anzeige|publicidad"
    r"|publicidade|pub(?:licité)?)\W*$"
    r"|^\W*(?:story|article)?\s*continues\s+(?:below|after)\s+(?:this\s+)?(?:advertisement|ad)\W*$"
    r"|^\W*continue\s+reading\s+(?:below|the\s+main\s+story)\W*$",
    re.IGNORECASE,
)

_SHARE_WORDS = wordset(
    """share shares shared sharing tweet tweets email e mail print copy link links url
    whatsapp facebook twitter x linkedin reddit pinterest telegram messenger flipboard
    tumblr threads bluesky mastodon sms on via this article story page post comment comments
    save bookmark gift the to with friend friends"""
)
_SHARE_VERBS = wordset("""share tweet email print copy save bookmark gift""")

_COOKIE = re.compile(r"\bcookies?\b", re.IGNORECASE)
_SITE_VOICE = re.compile(
    r"\b(?:we\s+use|this\s+(?:site|website)\s+uses|you\s+(?:agree|consent|accept)|your\s+consent"
    r"|accept\s+(?:all|cookies)|manage\s+(?:cookies|preferences|settings)|privacy\s+policy"
    r"|by\s+(?:continuing|using|clicking))\b",
    re.IGNORECASE,
)
_COMMENTS = re.compile(
    r"^\W*(?:\d+\s+)?(?:comments?|responses?|replies)\W*$"
    r"|^\W*(?:show|view|read|load|hide|see)\s+(?:all\s+)?(?:\d+\s+)?comments?\W*$"
    r"|^\W*(?:leave|post|add|write)\s+a\s+(?:comment|reply)\W*$"
    r"|^\W*join\s+the\s+(?:conversation|discussion)\W*$"
    r"|^\W*(?:comments?\s+(?:are|have\s+been)\s+closed|be\s+the\s+first\s+to\s+comment)\W*$",
    re.IGNORECASE,
)


@cleaner("separators", stage=10, certain=True)
def separators(page: Page) -> None:
    """Separator lines ("___", "* * *", "•••"): blocks with no word characters at all.

    Signal: the block contains no letters or digits. Safe: a block without words carries no
    sentence, so no article text can be lost.
    """
    for block in page.live():
        if not _LETTER.search(block.text):
            page.drop(block, "separators", "no words (rule or ornament)")


@cleaner("ad_labels", stage=11, certain=True)
def ad_labels(page: Page) -> None:
    """ "Advertisement" / "Sponsored" / "Story continues below advertisement" labels.

    Signal: the WHOLE block is an advertising label (a few words, nothing else). Safe: a
    sentence that merely mentions advertising is longer than the label and never matches.
    """
    limit = page.options.ad_label_max_words
    for block in page.live():
        if word_count(block.text) <= limit and _AD_LABEL.match(block.text.strip()):
            page.drop(block, "ad_labels", "block is only an advertising label")


@cleaner("share_rows", stage=12, certain=True)
def share_rows(page: Page) -> None:
    """Share rows ("Share on Facebook", "Tweet Email Print", "Copy link").

    Signal: a short block (`share_row_max_words`) in which every word is a share action or a
    social network name, with at least one share verb. Safe: prose always has other words.
    """
    for block in page.live():
        if not 0 < word_count(block.text) <= page.options.share_row_max_words:
            continue
        toks = [t.lower() for t in WORD.findall(block.text)]
        if all(t in _SHARE_WORDS or t.isdigit() for t in toks) and _SHARE_VERBS & set(toks):
            page.drop(block, "share_rows", "only share actions and network names")


@cleaner("cookie_banners", stage=13)
def cookie_banners(page: Page) -> None:
    """Cookie and consent banners ("We use cookies ... you agree to our privacy policy").

    Signal: mentions cookies AND speaks as the site to the reader about consent ("we use",
    "you agree", "accept all", "by continuing"). Safe: news about browser cookies is written in
    the third person and lacks the site's consent formula.
    """
    for block in page.live():
        if word_count(block.text) > page.options.cookie_max_words:
            continue
        if _COOKIE.search(block.text) and _SITE_VOICE.search(block.text):
            page.drop(block, "cookie_banners", "cookie notice in the site's voice")


@cleaner("comment_widgets", stage=14, certain=True)
def comment_widgets(page: Page) -> None:
    """Comment-section furniture ("12 Comments", "Leave a comment", "Join the conversation").

    Signal: the whole block is a comment-widget label. Safe: whole-block match only.
    """
    limit = page.options.comment_label_max_words
    for block in page.live():
        if word_count(block.text) <= limit and _COMMENTS.match(block.text.strip()):
            page.drop(block, "comment_widgets", "comment-section label")


_TAG_ITEM = re.compile(r"^[\w#][\w\s#&'’.-]{0,40}$")


@cleaner("tag_lists", stage=15)
def tag_lists(page: Page) -> None:
    """Keyword/tag lists ("calendar 2018, stock car, interlagos, ...").

    Signal: many comma-separated items (`tag_list_min_items`) of a few words, mostly lower-case
    (keywords are typed as labels), with no sentence punctuation anywhere. Safe: a sentence that
    lists things has a verb and a full stop, and a list of names (a cast, credits) is
    capitalised.
    """
    opt = page.options
    for block in page.live():
        text = block.text.strip()
        if any(c in text for c in '.!?:;"“”'):
            continue
        items = [i.strip() for i in text.split(",")]
        if len(items) < opt.tag_list_min_items or not all(
            i and _TAG_ITEM.match(i) and len(i.split()) <= opt.tag_item_max_words for i in items
        ):
            continue
        if sum(1 for i in items if i[0].islower()) >= opt.tag_lowercase_share * len(items):
            page.drop(block, "tag_lists", f"{len(items)} short comma-separated keywords")


_DISCLOSURE = re.compile(
    r"\baffiliate\s+(?:links?|commissions?|partnerships?|programs?)\b"
    r"|\b(?:may|might|could|will)\s+(?:get|earn|receive|make)\s+(?:a\s+)?(?:small\s+)?"
    r"(?:share|commission|compensation|cut)\b.{0,40}\b(?:sale|purchase|buy|link)"
    r"|\bhas\s+been\s+compensated\s+by\b",
    re.IGNORECASE,
)


@cleaner("disclosures", stage=16)
def disclosures(page: Page) -> None:
    """Affiliate and sponsorship disclosures ("If you buy something through this post, we may get a
    share of the sale", "This post contains affiliate links").

    Signal: the disclosure formula (affiliate links/commission, earning a share or commission of
    a sale, "has been compensated by"), in a short block (`disclosure_max_words`). Safe:
    reporting about commissions names who earns them and does not use the site's disclosure
    formula.
    """
    limit = page.options.disclosure_max_words
    for block in page.live():
        if word_count(block.text) <= limit and _DISCLOSURE.search(block.text):
            page.drop(block, "disclosures", "affiliate or sponsorship disclosure")


@cleaner("own_address", stage=17, modes=("html",), certain=True)
def own_address(page: Page) -> None:
    """A block that is nothing but the page's own address (URL or canonical URL).

    Signal: the block's text equals the page URL given to `extract` or the canonical URL from
    the page head. Safe: the address of the page itself is never article prose.
    """
    own = {u.rstrip("/") for u in (page.source, page.meta.get("canonical_url")) if u}
    if not own:
        return
    for block in page.live():
        if block.text.strip().rstrip("/") in own:
            page.drop(block, "own_address", "the page's own URL")
