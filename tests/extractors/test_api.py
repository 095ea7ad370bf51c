"""The public API contract: types, errors, decoding, metadata, registry hygiene."""

from __future__ import annotations

import ast
import pickle
import re
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from palimpsest.extractors import (
    CLEANERS,
    EXTRACTOR_NAME,
    EXTRACTOR_VERSION,
    Article,
    EmptyArticle,
    ExtractionError,
    Removal,
    extract,
    extract_text,
)
from palimpsest.extractors.htmlclean import GATHERERS

from palimpsest import extractors

FIXTURES = Path(__file__).parent / "fixtures"
PACKAGE = Path(extractors.__file__).parent


def test_article_serialises_text_metadata_and_removals() -> None:
    removal = Removal(cleaner="promos", text="Sign up now", reason="call to action")
    article = Article(
        text="One two three.\nFour five.", title="T", language="en", removed=[removal]
    )
    assert article.words == 5
    assert article.metadata() == {
        "title": "T",
        "byline": None,
        "published": None,
        "updated": None,
        "canonical_url": None,
        "site_name": None,
        "language": "en",
    }
    data = article.to_dict()
    assert data["text"] == "One two three.\nFour five."
    assert data["words"] == 5
    assert data["removed"] == [
        {"cleaner": "promos", "text": "Sign up now", "reason": "call to action"}
    ]
    assert (data["extractor"], data["extractor_version"]) == (EXTRACTOR_NAME, EXTRACTOR_VERSION)
    assert data["title"] == "T"


def test_extract_returns_clean_text_one_paragraph_per_line() -> None:
    article = extract((FIXTURES / "library.html").read_bytes(), "https://ledger.example/a")
    assert article.extractor == "palimpsest"
    lines = article.text.split("\n")
    assert all(line.strip() == line and line for line in lines)
    assert lines[0].startswith("The Carnegie library on Elm Street")
    assert article.title == "Restored Carnegie library reopens after fire"
    assert article.title not in article.text


def test_empty_page_raises_empty_article_naming_the_url() -> None:
    url = "https://example.test/empty"
    with pytest.raises(EmptyArticle, match=re.escape(url)):
        extract("<html><body><script>render()</script></body></html>", url)
    with pytest.raises(EmptyArticle, match=re.escape(url)):
        extract(b"   ", url)


def test_text_with_only_junk_raises_empty_article_naming_the_source() -> None:
    with pytest.raises(EmptyArticle, match=re.escape("notes.txt")):
        extract_text("Advertisement\n\n___\n", source="notes.txt")


def test_extraction_errors_share_one_root() -> None:
    assert issubclass(EmptyArticle, ExtractionError)


def _page(body: str, head: str = "") -> str:
    paragraph = (
        "<p>The regional council voted on Thursday to keep the mountain railway open through "
        "the winter, after a campaign by residents of the three villages it serves.</p>"
    )
    return f"<html><head>{head}</head><body><article>{body}{paragraph * 3}</article></body></html>"


def test_bytes_are_decoded_with_the_declared_charset() -> None:
    html = _page("<p>Le café de la gare rouvrira en été, a déclaré la maire du village.</p>")
    data = html.replace("<head>", '<head><meta charset="iso-8859-1">').encode("iso-8859-1")
    article = extract(data, "https://example.test/fr")
    assert "Le café de la gare rouvrira en été" in article.text


@pytest.mark.parametrize(
    ("paragraph", "encode", "declared", "expected"),
    [
        ("The bell &#8; rang at noon in the old town.", "utf-8", None, "The bell rang at noon"),
        ("An escape &#27; sequence in the copy.", "utf-8", None, "An escape sequence in"),
        ("A raw \x08 backspace in the copy.", "utf-8", None, "A raw backspace in the copy."),
        (
            "The resi&shy;dents co\u00adoperated at&#8203;once.",
            "utf-8",
            None,
            "residents cooperated atonce",
        ),
        ("Zürich and Genève voted on the plan.", "utf-8", "utf-8", "Zürich and Gen\ufffdve voted"),
        ("Plain ASCII page said utf-16 in its header.", "ascii", "utf-16", "Plain ASCII page said"),
        (
            "\u201cWe will reopen,\u201d she said.",
            "cp1252",
            "iso-8859-1",
            "\u201cWe will reopen,\u201d",
        ),
    ],
    ids=["bs-ref", "esc-ref", "raw-control", "invisible", "stray-byte", "utf16-label", "latin1"],
)
def test_one_character_does_not_lose_the_page(
    paragraph: str, encode: str, declared: str | None, expected: str
) -> None:
    data = _page(f"<p>{paragraph}</p>").encode(encode)
    if expected.startswith("Zürich"):
        data = data.replace("Genève".encode(), b"Gen\xe8ve")
    article = extract(data, "https://example.test/odd", encoding=declared)
    assert expected in article.text
    assert "\u00ad" not in article.text and "\u200b" not in article.text


def test_explicit_encoding_wins() -> None:
    html = _page("<p>Der Bürgermeister eröffnete am Montag die neue Brücke über den Fluss.</p>")
    article = extract(html.encode("cp1252"), "https://example.test/de", encoding="cp1252")
    assert "Der Bürgermeister eröffnete" in article.text


def test_extract_is_picklable_and_runs_in_a_worker_process() -> None:
    assert pickle.loads(pickle.dumps(extract)) is extract
    html = (FIXTURES / "orchard.html").read_bytes()
    with ProcessPoolExecutor(max_workers=1) as pool:
        article = pool.submit(extract, html, "https://courier.example/x").result(timeout=120)
    assert article.text.startswith("A late frost")
    assert pickle.loads(pickle.dumps(article)) == article


def test_every_cleaner_documents_its_signal_and_why_it_is_safe() -> None:
    assert len(CLEANERS) >= 14
    for name, item in CLEANERS.items():
        assert "Signal" in item.doc, f"cleaner {name} does not name its signal"
        assert "Safe" in item.doc, f"cleaner {name} does not say why it is safe"
    for name, func in GATHERERS.items():
        doc = func.__doc__ or ""
        assert "Signal" in doc and "Safe" in doc, f"gatherer {name} is undocumented"


def test_the_registry_is_complete_on_import_in_a_fresh_interpreter() -> None:
    code = "from palimpsest.extractors import CLEANERS; print(len(CLEANERS))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert int(out.stdout) == len(CLEANERS) >= 14


def test_trafilatura_is_imported_by_the_adapter_only() -> None:
    importers = []
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n == "trafilatura" or n.startswith("trafilatura.") for n in names):
                importers.append(path.name)
    assert set(importers) == {"adapter.py"}


def test_options_are_passed_in_and_change_what_is_cleaned() -> None:
    from dataclasses import FrozenInstanceError

    from palimpsest.extractors.options import DEFAULT_OPTIONS, CleaningOptions

    text = "\n".join(
        [
            "The regional council voted on Thursday to keep the mountain railway open "
            "through the winter, after a campaign by residents of the villages it serves.",
            "Reporting by Jane Doe; Editing by John Roe",
        ]
    )
    assert "Reporting by" not in extract_text(text).text
    kept = extract_text(text, options=CleaningOptions(end_matter_max_words=3)).text
    assert "Reporting by" in kept
    with pytest.raises(FrozenInstanceError):
        DEFAULT_OPTIONS.tail_blocks = 1  # type: ignore[misc]


# Module constants of the cleaning code that are not tunables: a cheap prefilter's width
# (recover.py reads a paragraph's first characters before all of it; the output is the same).
NOT_TUNABLES = {("recover.py", "_HEAD")}


def test_every_tunable_is_a_documented_option_and_no_cleaner_keeps_its_own() -> None:
    from dataclasses import fields

    from palimpsest.extractors import options

    lines = Path(options.__file__).read_text(encoding="utf-8").splitlines()
    for f in fields(options.CleaningOptions):
        at = next(i for i, line in enumerate(lines) if line.startswith(f"    {f.name}: "))
        assert lines[at - 1].strip().startswith("# "), f"{f.name} has no one-line doc above it"
    folder = Path(extractors.__file__).parent
    numeric = []
    for path in sorted(folder.rglob("*.py")):
        if path.name in ("options.py", "pool.py"):  # pool.py: process limits, not cleaning
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if (
                isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Constant)
                and type(node.value.value) in (int, float)
            ):
                for target in node.targets:
                    name = getattr(target, "id", "")
                    if (path.name, name) not in NOT_TUNABLES:
                        numeric.append(f"{path.relative_to(folder)}: {name}")
    assert not numeric, numeric
