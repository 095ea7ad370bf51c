"""One decoding rule for fetching, extraction and re-extraction (palimpsest.text.charset)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from palimpsest.text import charset_of, decode, sniff

CAFE = "<p>Le café rouvrira en été, a déclaré la maire.</p>"
QUOTES = "<p>\u201cWe will reopen,\u201d she said \u2013 in June.</p>"
UTF8_PAGE = "<p>Zürich, Genève, Kraków, Москва, 東京: naïve façades and café déjà vu.</p>"

# (body, declared charset label, expected codec, expected text); None: any (a detected codec)
CASES = [
    pytest.param(b"\xef\xbb\xbf<p>x</p>", "iso-8859-1", "utf-8", "<p>x</p>", id="bom-wins"),
    pytest.param(CAFE.encode("latin-1"), "ISO-8859-1", "cp1252", CAFE, id="latin1-header"),
    pytest.param(QUOTES.encode("cp1252"), "iso-8859-1", "cp1252", QUOTES, id="latin1-is-cp1252"),
    pytest.param(QUOTES.encode("cp1252"), "latin-1", "cp1252", QUOTES, id="latin-1-label"),
    pytest.param(QUOTES.encode("cp1252"), "us-ascii", "cp1252", QUOTES, id="ascii-label"),
    pytest.param(
        ('<meta charset="iso-8859-1">' + QUOTES).encode("cp1252"),
        None,
        "cp1252",
        '<meta charset="iso-8859-1">' + QUOTES,
        id="latin1-meta",
    ),
    pytest.param(CAFE.encode(), '"UTF-8"', "utf-8", CAFE, id="quoted-label"),
    pytest.param(
        b"<meta charset='koi8-r'><p>\xf0\xd2\xc9</p>", None, "koi8-r", None, id="meta-koi8r"
    ),
    pytest.param(
        b"<?xml version='1.0' encoding='iso-8859-2'?><html/>", None, "iso8859-2", None, id="xml"
    ),
    pytest.param(b"<p>plain ascii</p>", None, "utf-8", "<p>plain ascii</p>", id="ascii"),
    pytest.param(CAFE.encode(), None, "utf-8", CAFE, id="undeclared-utf8"),
    pytest.param(b"<p>x</p>", "no-such-codec", "utf-8", "<p>x</p>", id="unknown-label"),
    pytest.param(b"<p>x</p>", "base64", "utf-8", "<p>x</p>", id="not-a-text-codec"),
    pytest.param(
        b"<meta charset=utf-16><p>x</p>",
        None,
        "utf-8",
        "<meta charset=utf-16><p>x</p>",
        id="utf16-meta-in-ascii",
    ),
    pytest.param(
        b"<p>plain ascii</p>", "utf-16", "utf-8", "<p>plain ascii</p>", id="utf16-header-ascii"
    ),
    pytest.param(
        "<p>wide</p>".encode("utf-16-le"), "utf-16", "utf-16", "<p>wide</p>", id="utf16-real"
    ),
    pytest.param(
        UTF8_PAGE.encode().replace("Genève".encode(), b"Gen\xe8ve"),
        "utf-8",
        "utf-8",
        UTF8_PAGE.replace("Genève", "Gen\ufffdve"),
        id="utf8-one-stray-byte",
    ),
    pytest.param(
        ('<meta charset="utf-8">' + UTF8_PAGE).encode().replace(b"\xc3\xa9", b"\xe9", 1),
        None,
        "utf-8",
        None,
        id="utf8-meta-one-stray-byte",
    ),
    pytest.param((CAFE * 5).encode("cp1252"), "utf-8", None, CAFE * 5, id="utf8-label-on-latin1"),
    pytest.param(
        b"<p>caf\x81</p>", "windows-1252", "cp1252", "<p>caf\ufffd</p>", id="lone-undefined"
    ),
    pytest.param(
        (QUOTES * 3).encode("cp1252") + b"\x81",
        "cp1252",
        "cp1252",
        QUOTES * 3 + "\ufffd",
        id="cp1252-undefined-byte",
    ),
    pytest.param(b"", None, "utf-8", "", id="empty"),
]


@pytest.mark.parametrize(("body", "declared", "codec", "text"), CASES)
def test_decoding(body: bytes, declared: str | None, codec: str | None, text: str | None) -> None:
    assert codec is None or sniff(body, declared) == codec
    if text is not None:
        assert decode(body, declared) == text
    # the fetcher records sniff's codec; extraction given it decodes the same text
    assert decode(body, sniff(body, declared)) == decode(body, declared)


@pytest.mark.parametrize(
    ("content_type", "label"),
    [
        ("text/html; charset=ISO-8859-1", "ISO-8859-1"),
        ('text/html; charset="utf-8"', "utf-8"),
        ("text/html;charset=utf-8;q=1", "utf-8"),
        ("text/html", None),
        (None, None),
        ("", None),
    ],
)
def test_charset_of_a_content_type(content_type: str | None, label: str | None) -> None:
    assert charset_of(content_type) == label


def test_detection_without_any_declaration() -> None:
    text = "Le gouvernement a annoncé une réforme des retraites très contestée. " * 20
    assert sniff(text.encode("cp1252")) in {"cp1252", "iso8859-1", "iso8859-15"}
    assert decode(text.encode("cp1252")) == text


@settings(max_examples=200, deadline=None)
@given(
    st.binary(max_size=200),
    st.sampled_from([None, "utf-8", "iso-8859-1", "utf-16", "shift_jis", "koi8-r", "bogus"]),
)
def test_any_bytes_decode_and_the_recorded_codec_gives_the_same_text(
    body: bytes, declared: str | None
) -> None:
    assert decode(body, sniff(body, declared)) == decode(body, declared)
