"""The failure classes seen on held-out pages (issue 15), one page written for each: what the
article must keep, what must go, and the safety net that keeps a misread page whole."""

from __future__ import annotations

import lxml.html
import pytest
from palimpsest.extractors import extract
from palimpsest.extractors.markupscan import plain_candidates
from palimpsest.extractors.options import DEFAULT_OPTIONS
from palimpsest.extractors.page import Block, Page
from palimpsest.extractors.recover import recover_chunks
from palimpsest.extractors.registry import safety_net

LINK_WORDS = DEFAULT_OPTIONS.link_min_words

BODY = [
    "The regional council voted on Thursday to keep the mountain railway open through the "
    "winter, after a campaign by residents of the three villages it serves.",
    "Engineers had warned that the viaduct needed repairs costing four million euros, and the "
    "operator proposed closing the line from December until the work was done.",
    "Residents collected eleven thousand signatures in a month and packed the council chamber "
    "on the day of the vote, many of them pupils who take the train to school.",
]

MORE = [
    "The operator said the timetable for the winter would be published in November, with "
    "two trains a day in each direction and a bus to replace the last evening service.",
    "Tourism offices in the valley welcomed the decision, saying skiers and hikers account "
    "for a third of the passengers on the line during the winter season.",
    "The council will review the cost of the repairs again in the spring, when engineers "
    "have inspected the viaduct and the tunnels above the second village.",
]


def page(inner: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body>{inner}</body></html>"


def paragraphs(texts: list[str] = BODY) -> str:
    return "".join(f"<p>{t}</p>" for t in texts)


# (id, page, texts the article keeps, texts that must not be in it)
CASES = [
    (
        "bem-modifier-hidden",
        page(
            f'<article>{paragraphs(MORE)}<div class="field field--label-hidden">'
            f"{paragraphs(BODY[:1])}</div>{paragraphs(BODY[1:])}</article>"
        ),
        BODY,
        [],
    ),
    (
        "namespaced-hide",
        page(
            f'<article>{paragraphs(MORE)}<div class="h-hide kb-overflow-hidden">'
            f"{paragraphs(BODY[:1])}</div>{paragraphs(BODY[1:])}</article>"
        ),
        BODY,
        [],
    ),
    (
        "paywall-container",
        page(
            f'<article>{paragraphs(MORE)}<div class="steady-paywall-container non-paywall">'
            f"{paragraphs(BODY[:1])}</div>{paragraphs(BODY[1:])}</article>"
        ),
        BODY,
        [],
    ),
    (
        "instagram-class-post-body",
        page(f'<article><div class="post instagram-media">{paragraphs()}</div></article>'),
        BODY,
        [],
    ),
    (
        "loose-text-after-blocks",
        page(
            f"<article>{paragraphs(BODY[:2])}"
            "<h2>Campaign</h2> The campaign began in the spring with a letter from the head "
            f"teacher of the village school to the council. {paragraphs(BODY[2:])}</article>"
        ),
        [*BODY, "The campaign began in the spring with a letter"],
        [],
    ),
    (
        "soft-hyphens",
        page(
            f"<article>{paragraphs(BODY)}<p>The oper&shy;ator will co\u00adoperate "
            "with the coun&#173;cil on a new time&#8203;table for the winter months.</p>"
            "</article>"
        ),
        ["The operator will cooperate with the council on a new timetable"],
        ["\u00ad", "\u200b"],
    ),
    (
        "quotation-at-the-end",
        page(
            f"<article>{paragraphs()}<p>\u201cThere is no reason to believe the operator has "
            "changed its plans for the line,\u201d said Anna Berger, a professor who has "
            "studied the railway for twenty years.</p></article>"
        ),
        [*BODY, "\u201cThere is no reason to believe the operator"],
        [],
    ),
    (
        "non-english-date-line",
        page(
            f"<article><p>segunda-feira, 22 de janeiro de 2018 às 0:13</p>{paragraphs()}</article>"
        ),
        BODY,
        ["segunda-feira"],
    ),
    (
        "sign-up-form-in-german",
        page(
            f"<article>{paragraphs()}<div><p>Jeden Morgen die wichtigsten Nachrichten aus der "
            "Region, kostenlos in Ihrem Postfach.</p><form><input type='email'>"
            "<button>Abonnieren</button></form></div></article>"
        ),
        BODY,
        ["Jeden Morgen"],
    ),
    (
        "teaser-section-in-german",
        page(
            f"<article>{paragraphs()}<h3>Lesen Sie auch</h3><ul>"
            "<li><a href='/a'>Neue Buslinie zwischen den drei Dörfern geplant</a></li>"
            "<li><a href='/b'>Bahnhof im Tal wird bis zum Sommer renoviert</a></li>"
            "</ul></article>"
        ),
        BODY,
        ["Lesen Sie auch", "Neue Buslinie", "Bahnhof im Tal"],
    ),
]


@pytest.mark.parametrize(
    ("html", "kept", "gone"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_failure_class(html: str, kept: list[str], gone: list[str]) -> None:
    text = extract(html, "https://example.test/story").text
    for piece in kept:
        assert piece in text
    for piece in gone:
        assert piece not in text


def test_a_heading_that_is_one_link_is_not_a_teaser_link() -> None:
    """A section heading linked to its anchor (or a post title to its permalink) names this
    page's text; only links outside headings count as one-link teaser blocks."""
    html = page(
        '<h2><a href="#viaduct">Repairs to the viaduct begin in spring</a></h2>'
        '<p><a href="/other">Bahnhof im Tal wird bis zum Sommer renoviert</a></p>'
    )
    links = plain_candidates(lxml.html.fromstring(html).find("body"), LINK_WORDS).links
    assert links == {"BahnhofimTalwirdbiszumSommerrenoviert"}


def test_a_declared_utf8_page_with_one_stray_byte_stays_utf8() -> None:
    html = page(f"<article><p>Zürich, Genève and Kraków voted.</p>{paragraphs()}</article>")
    data = html.encode().replace("Genève".encode(), b"Gen\xe8ve")
    text = extract(data, "https://example.test/x", encoding="utf-8").text
    assert "Zürich, Gen\ufffdve and Kraków voted." in text


def test_chunk_recovery_adds_nothing_the_article_already_has() -> None:
    """Two chunks of one body (same class in same-class wrappers); the second chunk's list
    item is already in the text, inside a longer block."""
    item = "The line carries four hundred passengers a day in winter, most of them pupils."
    chunks = "".join(
        f'<div class="wrap"><div class="body">{paragraphs(texts)}</div></div>'
        for texts in (BODY, [BODY[0] + " Second chunk.", BODY[1] + " Again.", item, BODY[2] + " x"])
    )
    root = lxml.html.fromstring(page(chunks)).find("body")
    blocks = [Block(text=t) for t in BODY] + [Block(text=f"{item} It also carries freight.")]
    recovered = [b.text for b in recover_chunks(root, blocks)]
    assert recovered.count(item) == 0 and len(recovered) == len(set(recovered)) > len(blocks)


def test_chunk_recovery_adds_nothing_the_article_holds_over_two_blocks() -> None:
    """A twin's paragraphs that open with a bold lead-in ("<p><b>Point 0</b> The ...</p>"),
    which the extraction already holds as a heading block and the paragraph after it, are
    not recovered a second time, as merged blocks (dropbox-blog lost a quarter of its
    precision to such copies); the twin's new paragraphs still are."""
    again = [f"{text} Again." for text in BODY]  # new: not in the extracted text
    lead_ins = "".join(f"<p><b>Point {k}</b> {text}</p>" for k, text in enumerate(MORE))
    twin = f'<div class="wrap"><div class="body">{lead_ins}{paragraphs(again)}</div></div>'
    first = f'<div class="wrap"><div class="body">{paragraphs(BODY)}</div></div>'
    root = lxml.html.fromstring(page(first + twin)).find("body")
    blocks = [Block(text=t) for t in BODY]
    for k, text in enumerate(MORE):
        blocks += [Block(text=f"Point {k}", kind="head"), Block(text=text)]
    recovered = [b.text for b in recover_chunks(root, blocks)]
    assert recovered == [b.text for b in blocks] + again


def test_the_safety_net_undoes_a_cleaner_that_takes_most_of_the_article() -> None:
    page_ = Page(blocks=[Block(text=t) for t in BODY] + [Block(text="Advertisement")])
    for block in page_.blocks[:3]:
        page_.drop(block, "promos", "misread")
    page_.drop(page_.blocks[3], "ad_labels", "label")
    safety_net(page_, found=sum(len(t.split()) for t in BODY) + 1)
    assert [b.text for b in page_.live()] == BODY  # the certain label stays removed
    assert [r.cleaner for r in page_.removed] == ["ad_labels", "safety_net"]
    assert "promos" in page_.removed[-1].reason


def test_the_safety_net_leaves_ordinary_cleaning_alone() -> None:
    page_ = Page(blocks=[Block(text=t) for t in BODY] + [Block(text="Sign up for our newsletter")])
    page_.drop(page_.blocks[3], "promos", "promo")
    safety_net(page_, found=sum(len(t.split()) for t in BODY) + 5)
    assert [r.cleaner for r in page_.removed] == ["promos"]
