"""Deterministic, realistic news article pages for the benchmarks.

Article text comes from a word-bigram Markov chain trained on the seed corpus and the demo
pages, so every page reads differently while keeping news-like sentence lengths and
vocabulary. Around it goes the markup a real news page carries: a head full of meta tags,
preloads, an inline stylesheet, JSON-LD and minified-looking scripts, a navigation menu, a
cookie banner, share bars, figures with captions and credits, a newsletter box, related and
most-read lists, an SVG icon sprite and a link-heavy footer.

The amount of each is drawn per page so sizes spread over 30-150 KB. Page furniture and
scripts mix repeated template text with random identifiers, hashes and numbers, so the pages
compress about like real ones; `markup_profile` measures that and the text share, and the
bench prints both next to the same figures for the public benchmark pages when present.
"""

from __future__ import annotations

import gzip
import html
import random
import re
import statistics
import zlib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED_PAGES = REPO.parent / "shared" / "benchmarks" / "article-extraction" / "html"
SECTIONS = (
    *("World", "Politics", "Business", "Markets", "Technology", "Science", "Climate"),
    *("Health", "Sport", "Culture", "Opinion", "Travel", "Food", "Video", "Podcasts"),
)
JS_WORDS = ("function", "return", "var", "new", "this", "typeof", "null", "void", "if", "else")
LABELS = ("Latest", "More", "Live", "Newsletters", "Topics", "Guides", "Archive", "Video")
CSS_PROPS = ("margin", "padding", "font-size", "line-height", "color", "border", "width", "gap")


@dataclass(frozen=True)
class BenchPage:
    path: str
    body: bytes
    title: str
    text: str  # the article paragraphs as written (before any extraction)


_QUOTE_MARKS = re.compile(r"[\"“”]|(?<!\w)['‘’]|['‘’](?!\w)")


class Markov:
    """Word-bigram chain over sentences of a training text."""

    def __init__(self, text: str) -> None:
        self.next: dict[str, list[str]] = defaultdict(list)
        self.starts: list[str] = []
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            words = sentence.split()
            if len(words) < 6:
                continue
            self.starts.append(words[0])
            for a, b in zip(words, [*words[1:], "<end>"], strict=True):
                self.next[a].append(b)

    def sentence(self, rng: random.Random, max_words: int = 38) -> str:
        word = rng.choice(self.starts)
        words = [word]
        while len(words) < max_words:
            choices = self.next.get(word)
            if not choices:
                break
            word = rng.choice(choices)
            if word == "<end>":
                if len(words) >= 8:
                    break
                word = rng.choice(self.starts)
            words.append(word)
        # Quote marks are dropped here and put back around whole sentences by `paragraph`: a
        # chain would open and close quotations at random, which real copy never does.
        out = _QUOTE_MARKS.sub("", " ".join(words)).strip(" ,;:")
        out = out[0].upper() + out[1:]
        return out if out[-1] in ".!?" else out + "."

    def paragraph(self, rng: random.Random) -> str:
        sentences = []
        for _ in range(rng.randint(1, 4)):
            sentence = self.sentence(rng)
            if rng.random() < 0.25:  # a quotation, attributed as news copy does
                who = rng.choice(("the official said", "she said", "he told reporters"))
                sentence = f"“{sentence[:-1]},” {who}."
            sentences.append(sentence)
        return " ".join(sentences)

    def headline(self, rng: random.Random) -> str:
        words = self.sentence(rng, max_words=rng.randint(6, 12)).rstrip(".").split()
        return " ".join(words[:12]).strip(",;:")


def training_text() -> str:
    parts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "seeds").glob("*.txt"))]
    for page in sorted((REPO / "palimpsest" / "demo_pages").glob("*.html")):
        for para in re.findall(r"<p[^>]*>(.*?)</p>", page.read_text(encoding="utf-8"), re.S):
            parts.append(html.unescape(re.sub(r"<[^>]+>", "", para)))
    return "\n".join(parts)


_IDENTS = [
    a + b
    for a in "abcdefghijklmnopqrstuvwxyz_$"
    for b in ("", *"abcdefghijklmnopqrstuvwxyz0123456789")
]


def _ident(rng: random.Random, n: int = 0) -> str:
    """A short identifier, as a minifier emits them: drawn from a small alphabet, so they repeat."""
    if n:
        return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(n))
    return _IDENTS[min(int(rng.expovariate(1 / 40)), len(_IDENTS) - 1)]


def _hex(rng: random.Random, n: int) -> str:
    return f"{rng.getrandbits(4 * n):0{n}x}"


DOM_API = (
    *("addEventListener", "querySelector", "getAttribute", "setAttribute", "classList"),
    *("appendChild", "createElement", "dataset", "length", "prototype", "hasOwnProperty"),
)


def _script(rng: random.Random, statements: int) -> str:
    """Minified-looking JavaScript: short repeating identifiers, DOM API names, a few literals."""
    out = []
    for _ in range(statements):
        a, b, c, d = (_ident(rng) for _ in range(4))
        api = rng.choice(DOM_API)
        kind = rng.randrange(7)
        if kind == 0:
            out.append(f"function {a}({b},{c}){{var {d}={b}[{c}]||{rng.randint(0, 99)};")
            out.append(f"return {d}>{rng.randint(1, 9)}?{a}({d}-1,{c}):{b}.push({d})}}")
        elif kind == 1:
            out.append(f'{a}.{b}=function({c}){{this.{d}="{_hex(rng, 8)}"}};')
        elif kind == 2:
            out.append(f'if(typeof {a}!=="undefined"&&{a}.{api}){{{c}({a}.{api},{d})}}')
        elif kind == 3:
            nums = ",".join(str(rng.randint(0, 255)) for _ in range(rng.randint(2, 6)))
            out.append(f"var {a}=[{nums}];")
        elif kind == 4:
            out.append(f'document.{api}("{rng.choice(("click", "scroll", "load"))}",function')
            out.append(f"({b}){{{b}.preventDefault();{c}.{api}({b}.target)}});")
        elif kind == 5:
            out.append(f'window.{a}=window.{a}||[];{a}.push({{event:"{api}",{b}:{c}}});')
        else:
            out.append(f"{a}[{rng.randint(0, 16)}]={rng.choice(JS_WORDS)}({b},'{api}');")
    return "".join(out)


def _style(rng: random.Random, rules: int) -> str:
    out = []
    for _ in range(rules):
        sel = f".c-{_hex(rng, 5)}" + rng.choice(("", " a", ":hover", " > li", "__item"))
        props = ";".join(
            f"{rng.choice(CSS_PROPS)}:{rng.randint(0, 48)}px" for _ in range(rng.randint(1, 5))
        )
        out.append(f"{sel}{{{props}}}")
    return "".join(out)


def _sprite(rng: random.Random, icons: int) -> str:
    symbols = []
    for i in range(icons):
        pts = " ".join(f"{rng.uniform(0, 24):.2f} {rng.uniform(0, 24):.2f}" for _ in range(12))
        symbols.append(f'<symbol id="icon-{i}" viewBox="0 0 24 24"><path d="M{pts}Z"/></symbol>')
    return '<svg style="display:none" aria-hidden="true">' + "".join(symbols) + "</svg>"


def _links(rng: random.Random, chain: Markov | None, n: int, cls: str) -> str:
    """A list of `n` links in card wrappers; headlines from `chain`, else short fixed labels."""
    items = []
    for _ in range(n):
        section = rng.choice(SECTIONS)
        if chain is None:
            label, href = f"{rng.choice(LABELS)} {section}", f"/{section.lower()}"
        else:
            label, href = chain.headline(rng), f"/{section.lower()}/{_hex(rng, 8)}"
        items.append(
            f'<li class="{cls}__item"><div class="card card--compact flex items-center gap-2">'
            '<svg class="icon icon--small" aria-hidden="true">'
            f'<use href="#icon-{rng.randint(0, 9)}"></use></svg>'
            f'<a class="{cls}__link card__link" data-track="{cls}-{rng.randint(0, 40)}" '
            f'href="{href}">{html.escape(label)}</a></div></li>'
        )
    return f'<ul class="{cls} list-none m-0 p-0">' + "".join(items) + "</ul>"


def _figure(rng: random.Random, chain: Markov) -> str:
    caption = html.escape(chain.sentence(rng, max_words=24))
    return (
        f'<figure class="media"><img src="/img/{_hex(rng, 24)}.jpg" '
        f'srcset="/img/{_hex(rng, 24)}-480.jpg 480w, /img/{_hex(rng, 24)}-960.jpg 960w" '
        f'alt="" loading="lazy" width="960" height="540"><figcaption>{caption} '
        f'<span class="credit">Photo: {html.escape(chain.headline(rng)[:30])}</span>'
        "</figcaption></figure>"
    )


def make_page(index: int, chain: Markov, rng: random.Random) -> BenchPage:
    heavy = rng.uniform(0.7, 4.2)  # scales scripts, styles and furniture
    title = chain.headline(rng)
    section = rng.choice(SECTIONS)
    paragraphs = [chain.paragraph(rng) for _ in range(rng.randint(7, 26))]
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "story"
    path = f"/{section.lower()}/{index:04d}-{slug}"
    day = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    head = [
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)} | The Daily Ledger</title>",
        f'<meta property="og:title" content="{html.escape(title)}">',
        f'<meta name="description" content="{html.escape(paragraphs[0][:150])}">',
        f'<meta property="article:published_time" content="{day}T0{rng.randint(0, 9)}:00:00Z">',
        f'<link rel="canonical" href="https://ledger.example{path}">',
        *(
            f'<link rel="preload" as="script" href="/static/{_hex(rng, 20)}.js">'
            for _ in range(int(6 * heavy))
        ),
        f"<style>{_style(rng, int(120 * heavy))}</style>",
        '<script type="application/ld+json">{"@context":"https://schema.org","@type":'
        f'"NewsArticle","headline":"{html.escape(title)}","datePublished":"{day}",'
        f'"articleSection":"{section}","identifier":"{_hex(rng, 32)}"}}</script>',
        *(f"<script>{_script(rng, int(60 * heavy))}</script>" for _ in range(rng.randint(2, 5))),
        "</head>",
    ]
    nav = "".join(
        f'<li class="nav__item"><a class="nav__link" href="/{s.lower()}">{s}</a>'
        + _links(rng, None, rng.randint(0, int(4 * heavy)), "nav__sub")
        + "</li>"
        for s in SECTIONS
    )
    body_parts = []
    for k, para in enumerate(paragraphs):
        body_parts.append(f"<p>{html.escape(para)}</p>")
        if k == 3:
            body_parts.append(
                '<div class="newsletter-signup"><h3>Get the Morning Ledger newsletter</h3>'
                "<p>Sign up to receive the day's top stories in your inbox every morning.</p>"
                '<form><input type="email" placeholder="Email address"><button>Subscribe'
                "</button></form></div>"
            )
        elif k % 7 == 5:
            body_parts.append(_figure(rng, chain))
        elif k % 9 == 8:
            body_parts.append(f"<h2>{html.escape(chain.headline(rng))}</h2>")
        elif k == 6:
            body_parts.append(
                '<aside class="related"><h4>Read more</h4>'
                + _links(rng, chain, 3, "related__list")
                + "</aside>"
            )
    byline = " ".join(w.capitalize() for w in chain.headline(rng).split()[:2])
    body = [
        f'<body class="article {section.lower()}">{_sprite(rng, int(10 * heavy))}',
        f'<header class="site-header"><nav><ul class="nav">{nav}</ul></nav></header>',
        '<div class="cookie-banner">We use cookies to improve your experience. '
        "<button>Accept all</button> <button>Manage choices</button></div>",
        '<main><article class="story">',
        f'<h1 class="story__title">{html.escape(title)}</h1>',
        f'<div class="byline">By {html.escape(byline)} · <time datetime="{day}">{day}</time></div>',
        _figure(rng, chain),
        '<div class="share"><a href="#">Share on Facebook</a> <a href="#">Share on X</a> '
        '<a href="#">Email</a></div>',
        *body_parts,
        "</article>",
        '<aside class="most-read"><h3>Most read</h3>'
        + _links(rng, chain, rng.randint(5, 10), "most-read__list")
        + "</aside></main>",
        '<footer class="site-footer">'
        + _links(rng, None, int(30 * heavy), "footer__links")
        + "<p>© 2025 The Daily Ledger. All rights reserved.</p></footer>",
        *(f"<script>{_script(rng, int(25 * heavy))}</script>" for _ in range(rng.randint(1, 3))),
        "</body></html>",
    ]
    markup = "\n".join(head + body)
    return BenchPage(path, markup.encode("utf-8"), title, "\n".join(paragraphs))


def make_pages(n: int = 320, seed: int = 20250217) -> list[BenchPage]:
    chain = Markov(training_text())
    rng = random.Random(seed)
    return [make_page(i, chain, rng) for i in range(n)]


def markup_profile(bodies: list[bytes]) -> dict[str, float]:
    """Median size (KB), median deflate ratio and median visible-paragraph share of `bodies`."""
    sizes = [len(b) for b in bodies]
    ratios = [len(zlib.compress(b, 6)) / len(b) for b in bodies]
    texts = []
    for b in bodies:
        paras = re.findall(rb"<p(?:\s[^>]*)?>(.*?)</p>", b, re.S)
        texts.append(sum(len(p) for p in paras) / len(b))
    return {
        "pages": len(bodies),
        "size_kb_p10": statistics.quantiles(sizes, n=10)[0] / 1000,
        "size_kb_p50": statistics.median(sizes) / 1000,
        "size_kb_p90": statistics.quantiles(sizes, n=10)[-1] / 1000,
        "deflate_ratio_p50": statistics.median(ratios),
        "paragraph_share_p50": statistics.median(texts),
    }


def reference_profile() -> dict[str, float] | None:
    """`markup_profile` of the public benchmark's real pages, or None when they are absent."""
    files = sorted(SHARED_PAGES.glob("*.html.gz")) if SHARED_PAGES.is_dir() else []
    if not files:
        return None
    return markup_profile([gzip.decompress(f.read_bytes()) for f in files])
