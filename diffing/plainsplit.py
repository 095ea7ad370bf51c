"""Sentence cuts that need no rule-based segmenter: the common, unambiguous case.

pysbd costs about 1 ms per paragraph of news text, most of it spent trying its ~190
abbreviations and its list, quotation and ellipsis rules on text where none of them can
apply. Most sentence ends are plain: a full stop (or "!" / "?") after an ordinary word,
then a space and a capital letter, outside any quotation. This module cuts a paragraph at
those ends itself and leaves everything else to pysbd:

- A paragraph holding anything pysbd's paragraph-wide rules look at (list markers such as
  "a." / "1." / "iv.", initials, brackets other than a dateline's "(AP)", single-quoted
  passages, ellipses, runs of "!" / "?", "--", unbalanced double quotes, characters outside
  the plain set below) is not cut here at all (`None`: the caller runs pysbd on it whole).
- Stops that pysbd never lets end a sentence are set aside first: a decimal point, the
  stop of a title abbreviation from pysbd's own list before a name ("Gen. Keith"), and the
  stops of "U.S."-style abbreviations before a comma, the end, or a word that is not one
  of pysbd's sentence starters ("U.S. officials", "U.S. Vice President").
- The paragraph is then cut at its *certain* ends: the word before the stop is made of
  ASCII letters (hyphenated words too), at least two, and is neither one of pysbd's
  abbreviations nor a Roman numeral; the stop (and any closing double quote after it) is
  followed by one space and an ASCII capital or an opening quote and a capital; and every
  double quotation opened before it is closed. pysbd ends a sentence there too (its rules
  only keep a stop from ending a sentence after an abbreviation, initial, number or list
  marker, or inside a quotation or bracket, all excluded here).
- Each piece between certain ends that holds no other end punctuation and no quotation
  followed by a capital is one sentence. A piece that does (say, "the U.S. The talks" or a
  quotation with a stop inside) goes to pysbd on its own: pysbd's rules for those are
  local (each looks at the stop, the word before it and the characters after it), so a
  piece cut at certain ends splits as it would inside the paragraph.

Equality with pysbd is tested (tests/diffing/test_plainsplit.py) on every paragraph of
the seed corpus and the demo pages, and by a property test over generated paragraphs made
of news-like pieces (abbreviations, initials, numbers, quotations, lists, ellipses). Kept
because it is measured to pay: +31 % pages archived per CPU second (`bench/segmenter.py`,
bench/README.md); pysbd stays the reference for everything not cut here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from itertools import pairwise

# The characters of plain prose: letters (any script), digits, spaces and the punctuation
# below ("/" and "@" of handles, links and dates: a stop inside such a token is never a
# certain end, see _plain_word). Anything else ("&", "*", "‘", "«", an ellipsis, tabs,
# symbols) leaves the paragraph to pysbd, whose rules for those are not reproduced here.
_PLAIN = re.compile(r"[\w ,;:\-—–'’\"“”$%.!?/@©]+")
# \w also matches "_" and the letters pysbd uses as placeholders while it works ("ȸ" for a
# sentence end, "ƪ", Canadian syllabics): text holding them is left to pysbd.
_NOT_PLAIN = re.compile(r"[_ȸȹƪ\u1400-\u167f]")
# The one kind of bracket allowed: a parenthesised name or agency ending in a capital, as in
# a dateline "MUNICH (AP) —". Not a list marker ("(a)", "(iv)", "(IV)", "(1)" and a
# lower-case word before ")" are pysbd's list rules), no end punctuation or quote inside,
# not followed by a capital (pysbd may end a sentence there), not between quotations.
_NAME_PARENS = re.compile(r"(?<![\"”] )\((?![IVXLCDM]+\))[^()\[\].!?\"“”'’]+[A-Z]\)(?! [A-Z\"“])")
# Square brackets: an editor's words inside a quotation ("standing firmly [with Kyiv]"),
# letters and spaces only (no reference number like "[1]", no punctuation).
_WORD_BRACKETS = re.compile(r"\[[A-Za-z][A-Za-z ]*\]")
# Paragraph-wide features pysbd has rules for: list markers ("a.", "1.", "12)"), ellipses
# and runs of end punctuation, single-quoted passages (a quote mark at a word's edge that
# is not an inner apostrophe as in "didn't"), "--", and an empty quotation '""' (pysbd
# pairs straight quotes around non-empty text only, so it would pair the rest differently).
_RISKY = re.compile(
    r"(?<!\S)(?:[a-z]\."  # lower-case letter + stop: alphabetical list marker, "e.g."
    r"|[A-Z]\.(?=\s|$)"  # an initial ("U.S." and "U.S" are left to the pieces)
    r"|(?i:[ivx]+)\.)"  # Roman numeral list marker ("ii.", "IV.")
    r"|(?<!\d)\d{1,2}[.)](?:\s|$)"  # numbered list marker
    r"|[.!?]\s*[.!?]"  # ellipsis or run of end punctuation
    r"|(?<![^\s\"“”])['’]|['’](?:$|[\s\"“”.,;:!?])"  # single quotes at a word's edge
    r"|--"
    r'|""'
)
# A certain end: stop, optional closing double quote, one space, ASCII capital (or, after
# a stop without a closing quote, an opening double quote and a capital).
_END = re.compile(r"[.!?]([\"”]?) (?=[\"“]?[A-Z])")
# A quotation directly followed by a space and a capital: pysbd may end a sentence there
# (not after a comma inside the closing quote: '"..., our interest," Zelenskyy said').
_QUOTE_CAPITAL = re.compile(r"(?:^|[^,])[\"“”] [A-Z]|[.!?\-][\"“”](?!$)")
_INNER_END = re.compile(r"[.!?]")
_LAST_WORD = re.compile(r"(\S*?)[.!?][\"”]?$")
# pysbd's list of Roman numerals it treats as list markers.
_ROMAN = frozenset(
    re.findall(r"\w+", "i ii iii iv v vi vii viii ix x xi xii xiii xiv xv xvi xvii xviii xix xx")
)
_WORD_EDGE = "\"“”'’"


@cache
def _abbreviations() -> frozenset[str]:
    """pysbd's own English abbreviations (lower-case, as it compares them)."""
    from pysbd.lang.english import English

    abbr = English.Abbreviation
    words = [*abbr.ABBREVIATIONS, *abbr.PREPOSITIVE_ABBREVIATIONS, *abbr.NUMBER_ABBREVIATIONS]
    return frozenset(w.strip().lower() for w in words)


@cache
def _exclamation_words() -> re.Pattern[str]:
    """pysbd's words with a "!" that ends no sentence ("Yahoo!"), matched anywhere in the
    text as pysbd matches them."""
    from pysbd.exclamation_words import ExclamationWords

    return re.compile(ExclamationWords.EXCLAMATION_REGEX)


@cache
def _prepositive() -> re.Pattern[str]:
    """A stop after one of pysbd's prepositive abbreviations ("Mr.", "Gen.", "Dr.") that
    starts the text or follows a space, before a space: pysbd never ends a sentence there
    (it takes what follows for the name or title the abbreviation precedes)."""
    from pysbd.lang.english import English

    words = sorted({w.strip().lower() for w in English.Abbreviation.PREPOSITIVE_ABBREVIATIONS})
    alternatives = "|".join(re.escape(w) for w in words)
    return re.compile(rf"(?<!\S)(?:{alternatives})(\.)(?= )", re.IGNORECASE)


@cache
def _numbered_reference() -> re.Pattern[str]:
    """pysbd's footnote-number rule ("... the deal.12 The talks"): it cuts there itself,
    before any other rule looks at the stop; a paragraph with one is left to pysbd."""
    from pysbd.lang.english import English

    return re.compile(English.NUMBERED_REFERENCE_REGEX)


@cache
def _sentence_starters() -> frozenset[str]:
    """Words after which pysbd lets "U.S." end a sentence ("... the U.S. The talks ...")."""
    from pysbd.lang.english import English

    return frozenset(English.AbbreviationReplacer.SENTENCE_STARTERS)


# Stops that end no sentence in pysbd whatever surrounds them: a decimal point, and the
# stops of an upper-case abbreviation with a stop after each letter ("U.S.", "U.N.")
# before a comma, the paragraph's end or a word that is not one of pysbd's sentence
# starters.
_DECIMAL = re.compile(r"(?<=\d)\.(?=\d)")
# A stop between two ASCII letters or digits ("U.S negotiators", "x.com"), matched the way
# pysbd's own rule matches it (left to right, without overlaps), after the rules above.
_INNER_STOP = re.compile(r"([a-zA-Z0-9_])(\.)([a-zA-Z0-9_])")
_INITIALISM = re.compile(r"(?<!\S)(?:[A-Z]\.){2,}(?:,| (\w*)|$)")
_MASK = "\u222f"  # what pysbd itself puts in place of a stop that ends no sentence


def _mask_initialism(match: re.Match[str]) -> str:
    after = match.group(1)
    if after is not None and (not after or after in _sentence_starters()):
        return match.group()
    return match.group().replace(".", _MASK)


_QUOTE_MARK = re.compile(r"[\"“”]")
_STOPS = str.maketrans(dict.fromkeys(".!?", _MASK))


def _mask_quotations(text: str) -> str:
    """Stops inside a quotation, except those that end it: pysbd never ends a sentence
    there (it takes a quotation whole). Only when the quotation marks pair up plainly
    ('"' with '"', '“' with '”', in order, none nested), the way pysbd pairs them."""
    marks = [(m.start(), m.group()) for m in _QUOTE_MARK.finditer(text)]
    pairs = list(zip(marks[::2], marks[1::2], strict=False))
    if len(marks) % 2 or any((a + b) not in ('""', "“”") for (_, a), (_, b) in pairs):
        return text
    out, pos = [], 0
    for (start, _), (end, _) in pairs:
        inner = text[start + 1 : end]
        core = inner.rstrip(".!?")
        out += [text[pos : start + 1], core.translate(_STOPS), inner[len(core) :]]
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _mask(paragraph: str) -> str:
    """The paragraph with every stop that cannot end a sentence replaced by _MASK (same
    length, so positions carry over to the paragraph)."""
    text = _INITIALISM.sub(_mask_initialism, paragraph)
    text = _prepositive().sub(lambda m: m.group()[:-1] + _MASK, text)
    text = _DECIMAL.sub(_MASK, text)
    text = _INNER_STOP.sub(rf"\1{_MASK}\3", text)
    return _mask_quotations(text) if '"' in text or "“" in text else text


_CURLY_QUOTATION = re.compile(r"“[^“”]*”")


def _balanced(text: str) -> bool:
    """Every double quotation closed: an even number of straight quotes, and curly quotes
    in open-close pairs."""
    if text.count('"') % 2:
        return False
    if "“" not in text and "”" not in text:
        return True
    rest = _CURLY_QUOTATION.sub("", text)
    return "“" not in rest and "”" not in rest


def _plain_word(word: str) -> bool:
    """True when a stop after `word` can only end a sentence."""
    word = word.lstrip(_WORD_EDGE)
    return (
        len(word) >= 2
        and all(part.isalpha() for part in word.split("-"))  # "short-sighted" too
        and word.isascii()
        and word.lower() not in _abbreviations()
        and word.lower() not in _ROMAN
    )


def _plain_end(piece: str) -> bool:
    """True when a piece ends in a stop after a plain word, which pysbd keeps as a stop."""
    match = _LAST_WORD.search(piece)
    return match is not None and _plain_word(match.group(1))


def _one_sentence(piece: str) -> bool:
    """True when a piece between certain ends holds nothing pysbd could cut or keep."""
    text = piece.rstrip(_WORD_EDGE)
    if piece[len(text) :] not in ("", '"', "”"):
        return False  # pysbd may cut other marks off the end
    body = text.rstrip(".!?")
    return not _INNER_END.search(body) and not _QUOTE_CAPITAL.search(piece)


def plain_sentences(paragraph: str, segment: Callable[[str], list[str]]) -> tuple[str, ...] | None:
    """The sentences of a paragraph (single-spaced, stripped), cut at its certain ends, or
    None when the paragraph needs pysbd as a whole. `segment` is the pysbd fallback for a
    piece with ambiguous stops."""
    # Only " " is whitespace in a paragraph that passes _PLAIN (the word before a stop is
    # found with rfind(" ") below).
    prose = _NAME_PARENS.sub("", paragraph) if "(" in paragraph else paragraph
    prose = _WORD_BRACKETS.sub("", prose) if "[" in prose else prose
    if not _PLAIN.fullmatch(prose) or _NOT_PLAIN.search(paragraph):
        return None
    if not _balanced(paragraph) or _RISKY.search(paragraph):
        return None
    if "!" in paragraph and _exclamation_words().search(paragraph):
        return None
    if _numbered_reference().search(paragraph):
        return None
    masked = _mask(paragraph)
    cuts = [0]
    for match in _END.finditer(masked):
        cut = match.end() - 1
        if match.group(1) and masked[match.end()] in _WORD_EDGE:
            continue  # '." "Next': pysbd keeps two quotations in a row together
        word = masked[masked.rfind(" ", 0, match.start()) + 1 : match.start()]
        if _plain_word(word) and _balanced(paragraph[:cut]):
            cuts.append(cut + 1)
    cuts.append(len(paragraph))
    out: list[str] = []
    for start, end in pairwise(cuts):
        piece = paragraph[start:end].strip()
        if not piece:
            continue
        if _one_sentence(masked[start:end].strip()):
            out.append(piece)
        elif end == len(paragraph) and not _plain_end(piece):
            # pysbd takes a text with no end punctuation left (after its own masking) as
            # one sentence; the paragraph has some in earlier pieces, the last piece may
            # not (it ends in "U.S." or in no stop at all): pysbd on the whole paragraph.
            return None
        else:
            out.extend(segment(piece))
    return tuple(out)
