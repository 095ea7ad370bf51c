"""The shortcuts in diffing.text (ASCII skips NFKC, single spacing skips the squash, words by
findall) give exactly the plain definitions."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st
from palimpsest.diffing.text import _TYPO, fold, terms

_CHUNKS = ["a", "B", " ", "  ", "\t", "\n", "\u00a0", "\u2009", "\u3000", "\x1c", "\u2028",
           "’s", "“", "—", "é", "ﬁ", "'", "-", ".", "3.5", "U.S.", "Kyiv's", "_"]  # fmt: skip
_PIECES = st.sampled_from(_CHUNKS)


def _fold_reference(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_TYPO)
    return re.sub(r"\s+", " ", text).strip()


def _terms_reference(text: str) -> list[str]:
    from palimpsest.diffing.text import STOPWORDS, stem

    folded = _fold_reference(text).casefold().replace("'s ", " ").replace("'", "")
    return [
        stem(w)
        for w in re.split(r"[^\w]+", folded)
        if w and w not in STOPWORDS and not (len(w) == 1 and not w.isdigit())
    ]


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_fold_and_terms_equal_their_definitions(text: str) -> None:
    assert fold(text) == _fold_reference(text)
    assert terms(text) == _terms_reference(text)
