"""Property tests: the extractors on malformed, huge, deeply nested, binary and wrongly
encoded input return an `Article` or raise an `ExtractionError` naming the source: never
any other exception."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from palimpsest.extractors import Article, extract, extract_text
from palimpsest.extractors.errors import ExtractionError

URL = "https://fuzz.example/news/story"
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TAGS = ("div", "p", "span", "article", "section", "a", "figure", "figcaption", "h1", "h2")
TAGS += ("ul", "li", "table", "td", "script", "style", "nav", "footer", "aside", "br", "img")
ENCODINGS = ("utf-8", "utf-16", "latin-1", "cp1252", "shift_jis", "koi8-r", "gb2312")


def check(call: Callable[[], Article], source: str | None = URL) -> None:
    """Run `call`: it returns an Article with text, or raises an ExtractionError whose message
    names `source`. Any other exception fails the test."""
    try:
        article = call()
    except ExtractionError as exc:
        assert source is None or source in str(exc), str(exc)
        return
    assert isinstance(article, Article)
    assert isinstance(article.text, str) and article.text.strip()


words = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=60)
attrs = st.dictionaries(
    st.sampled_from(("class", "id", "href", "style", "data-x", "lang", "onclick")),
    st.text(max_size=20),
    max_size=3,
)


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    def render(tag: str, attributes: dict[str, str], inner: list[str], close: bool) -> str:
        attr = "".join(f' {k}="{v}"' for k, v in attributes.items())
        return f"<{tag}{attr}>" + "".join(inner) + (f"</{tag}>" if close else "")

    return st.builds(
        render, st.sampled_from(TAGS), attrs, st.lists(children, max_size=4), st.booleans()
    )


markup = st.recursive(words, _element, max_leaves=40)
garbage_markup = st.lists(
    st.one_of(
        words,
        st.sampled_from(
            (
                "<",
                ">",
                "</",
                "<!--",
                "-->",
                "<![CDATA[",
                "&",
                "&#",
                "&#x110000;",
                "\x00",
                "<?xml",
                "<!DOCTYPE",
                "\ufeff",
            )
        ),
    ),
    max_size=40,
).map("".join)


@SETTINGS
@given(html=markup)
def test_random_markup(html: str) -> None:
    check(lambda: extract(f"<html><body>{html}</body></html>", URL))


@SETTINGS
@given(html=garbage_markup)
def test_malformed_markup(html: str) -> None:
    check(lambda: extract(html, URL))


@SETTINGS
@given(data=st.binary(max_size=4096))
def test_binary_garbage(data: bytes) -> None:
    check(lambda: extract(data, URL))


@SETTINGS
@given(data=st.binary(max_size=512), encoding=st.sampled_from((*ENCODINGS, "no-such-charset")))
def test_binary_with_declared_encoding(data: bytes, encoding: str) -> None:
    check(lambda: extract(data, URL, encoding=encoding))


@SETTINGS
@given(
    text=words.filter(lambda t: len(t) > 5),
    actual=st.sampled_from(ENCODINGS),
    declared=st.sampled_from((*ENCODINGS, "bogus")),
)
def test_wrongly_declared_encoding(text: str, actual: str, declared: str) -> None:
    page = (
        f"<html><head><meta charset='{declared}'></head><body><article><p>{text}</p>"
        f"<p>{text} {text}</p></article></body></html>"
    )
    body = page.encode(actual, errors="replace")
    check(lambda: extract(body, URL))


@SETTINGS
@given(depth=st.integers(min_value=50, max_value=3000), tag=st.sampled_from(TAGS[:6]))
def test_deeply_nested(depth: int, tag: str) -> None:
    text = "The council met on Monday and agreed the harbour budget after a long debate."
    html = f"<{tag}>" * depth + f"<p>{text}</p>" + f"</{tag}>" * depth
    check(lambda: extract(f"<html><body>{html}</body></html>", URL))


@SETTINGS
@given(text=st.text(max_size=2000))
def test_extract_text_arbitrary_unicode(text: str) -> None:
    check(lambda: extract_text(text, "fuzz.txt"), "fuzz.txt")


@pytest.mark.parametrize("size", [200_000, 3_000_000])
def test_huge_inputs(size: int) -> None:
    sentence = "Officials said the project would continue despite the delays. "
    paragraph = (sentence * (size // len(sentence)))[:size]
    check(lambda: extract(f"<html><body><article><p>{paragraph}</p></article></body></html>", URL))
    one_line = "x" * size  # a single enormous word with no markup at all
    check(lambda: extract(one_line, URL))
    check(lambda: extract_text(paragraph, "huge.txt"), "huge.txt")
