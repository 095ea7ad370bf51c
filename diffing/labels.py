"""Change labels for an edited sentence: what kind of content an edit touches.

An edit is *cosmetic* when the two sentences say the same words once case, punctuation,
typography (curly/straight quotes, dash variants) and spacing are folded away, and no
quotation was opened or closed. Otherwise it is substantive, with one or more kinds:

- ``number``: a changed token holds a digit or is a number word (figures, dates, counts);
- ``quote``: a changed word stands inside quotation marks, or quotation marks were added or
  removed (a paraphrase turned into a direct quote, or the reverse);
- ``name``: a changed word is capitalised where English would not capitalise an ordinary
  word (not sentence-, quote- or clause-initial, not a function word such as "The"): a
  proper noun (people, places, organisations), the usual shape of a name correction;
- ``attribution``: a changed word is a reporting verb or source marker ("said", "told",
  "according", "spokesman"): who said it, and how, changed;
- ``wording``: any other change of content words (a changed function word such as "to"
  or "the" counts only when nothing else changed).

All rules look at the shape of tokens only (digits, capitals, quote marks, a closed list of
English reporting words), so they hold for any English news text.
"""

from __future__ import annotations

from collections.abc import Sequence

from palimpsest.diffing.text import STOPWORDS, content_key, fold, is_word


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


KIND_ORDER = ("number", "quote", "name", "attribution", "wording")
COSMETIC = "cosmetic"

NUMBER_WORDS = _wordset(
    """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen
    fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty
    ninety hundred hundreds thousand thousands million millions billion billions trillion
    trillions dozen dozens half quarter third percent per cent first second fourth fifth
    sixth seventh eighth ninth tenth"""
)
ATTRIBUTION_WORDS = _wordset(
    """said says say saying told tell tells according stated states state added adds noted
    notes claimed claims reported reports insisted insists argued argues wrote writes
    announced announces confirmed confirms denied denies explained explains asserted
    asserts acknowledged acknowledges remarked remarks declared declares tweeted posted
    alleged alleges suggested suggests warned warns disclosed informed relayed
    spokesman spokeswoman spokesperson spokespeople source sources official officials
    anonymity anonymously statement"""
)
_OPEN_QUOTES = {'"', "“", "„", "«"}
_CLOSE_QUOTES = {'"', "”", "»"}


def quoted_mask(tokens: list[str]) -> list[bool]:
    """For each token, whether it stands inside double quotation marks."""
    mask, inside = [], False
    for tok in tokens:
        if tok in _OPEN_QUOTES or tok in _CLOSE_QUOTES:
            inside = (not inside) if tok == '"' else tok in _OPEN_QUOTES
            mask.append(False)
        else:
            mask.append(inside)
    return mask


_CLAUSE_OPENERS = {'"', "“", "‘", ":", "(", "—", "–"}


def initial_words(tokens: list[str]) -> set[int]:
    """Indexes of words that start the sentence, a quotation or a clause after a colon,
    dash or bracket: English capitalises them whether or not they are names."""
    out, prev_word = set(), False
    for i, tok in enumerate(tokens):
        if is_word(tok):
            if not prev_word:
                out.add(i)
            prev_word = True
        elif tok in _CLAUSE_OPENERS or not out:
            prev_word = False
    return out


def _quote_count(text: str) -> int:
    return fold(text).count('"')


def classify_edit(
    before: str,
    after: str,
    before_tokens: list[str],
    after_tokens: list[str],
    opcodes: Sequence[tuple[str, int, int, int, int]],
) -> list[str]:
    """The kinds of an edit, in KIND_ORDER, or ["cosmetic"]. `opcodes` are difflib's over
    the two token lists."""
    if content_key(before) == content_key(after) and _quote_count(before) == _quote_count(after):
        return [COSMETIC]
    kinds: set[str] = set()
    if _quote_count(before) != _quote_count(after):
        kinds.add("quote")
    sides = (
        (before_tokens, quoted_mask(before_tokens), initial_words(before_tokens)),
        (after_tokens, quoted_mask(after_tokens), initial_words(after_tokens)),
    )
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            continue
        for (toks, quoted, initial), lo, hi in ((sides[0], i1, i2), (sides[1], j1, j2)):
            for k in range(lo, hi):
                tok = toks[k]
                if not is_word(tok):
                    continue
                low = fold(tok).casefold()
                found = set()
                if any(c.isdigit() for c in tok) or low in NUMBER_WORDS:
                    found.add("number")
                if quoted[k]:
                    found.add("quote")
                if tok[0].isupper() and k not in initial and low not in STOPWORDS:
                    found.add("name")
                if low in ATTRIBUTION_WORDS:
                    found.add("attribution")
                if not found and low not in STOPWORDS:
                    found.add("wording")  # function words alone do not make a wording change
                kinds |= found
    if not kinds:
        kinds.add("wording")
    return [k for k in KIND_ORDER if k in kinds]
