"""Characters that are never content: control characters and invisible line-break hints."""

from __future__ import annotations

import pytest
from palimpsest.text import clean_markup, normalise, strip_invisible


@pytest.mark.parametrize(
    ("markup", "clean"),
    [
        ("bell&#8;rang", "bellrang"),
        ("esc&#27;ape", "escape"),
        ("esc&#x1B;ape", "escape"),
        ("esc&#x1b;ape", "escape"),
        ("nul&#0;", "nul"),
        ("del&#127;", "del"),
        ("raw\x08\x1b\x7fbytes", "rawbytes"),
        ("resi&shy;dents", "residents"),
        ("resi&#173;dents", "residents"),
        ("resi&#xAD;dents", "residents"),
        ("resi\u00addents", "residents"),
        ("zero&#8203;width", "zerowidth"),
        ("word&#x2060;joiner", "wordjoiner"),
        ("\ufeffbom", "bom"),
        ("&#65279;bom", "bom"),
        ("invisible&#8290;times", "invisibletimes"),
        # content stays
        ("tab&#9;newline&#10;cr&#13;", "tab&#9;newline&#10;cr&#13;"),
        ("&#82; &#1234; &#x1F600; &#x1b1; &#173x", "&#82; &#1234; &#x1F600; &#x1b1; x"),
        ("a\tb\nc\r", "a\tb\nc\r"),
        ("zwnj\u200czwj\u200d\u200e", "zwnj\u200czwj\u200d\u200e"),  # shaping and direction
        ("?a=1&shy=2&amp;", "?a=1&shy=2&amp;"),  # not the entity
    ],
)
def test_clean_markup(markup: str, clean: str) -> None:
    assert clean_markup(markup) == clean


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        ("co\u00adoper\u00adate", "cooperate"),
        ("zero\u200bwidth\u2060", "zerowidth"),
        ("bell\x07", "bell"),
        ("keep &#8; as text", "keep &#8; as text"),  # plain text has no references
        ("tab\tline\n", "tab\tline\n"),
    ],
)
def test_strip_invisible(text: str, clean: str) -> None:
    assert strip_invisible(text) == clean


def test_normalise_collapses_whitespace() -> None:
    assert normalise("  a \u00a0 b\n\tc  ") == "a b c"
