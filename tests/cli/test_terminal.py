"""Issue 13.9: control characters from page text never reach the terminal; JSON keeps them.

A hostile page on 127.0.0.1 carries C1 controls (U+009B CSI, U+009D OSC), a BiDi override
(U+202E) and ESC in its title and text; archive, versions, show, diff and extract print it.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from palimpsest.localserver import PageServer
from palimpsest.terminal import SafeStream, clean, escape_json

REPO = Path(__file__).parents[2]
WIRE = (REPO / "palimpsest" / "demo_pages" / "minerals-wire.html").read_text(encoding="utf-8")
HOSTILE = "\u009b2J\u009d0;owned\u0007 \u202eevil\u202c \x1b[31m"
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _hostile(html: str) -> str:
    html = html.replace("<title>", f"<title>{HOSTILE}", 1)
    return html.replace("Scott B", f"Scott {HOSTILE}B", 1)


@pytest.fixture
def hostile_url(cli) -> str:  # type: ignore[no-untyped-def]
    server = PageServer()
    server.set("/hostile", _hostile(WIRE))
    with server.running():
        url = server.url("/hostile")
        archived = cli("archive", url)
        assert archived.exit_code == 0, archived.output
        assert not UNSAFE.search(archived.output)
        server.set("/hostile", _hostile(WIRE.replace("Bassent", "Bessent")))
        assert cli("archive", url).exit_code == 0
    return url


def test_page_text_is_inert_on_the_terminal(cli, hostile_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    stored = cli.json("show", hostile_url)["text"]
    assert "\u009b" in stored and "\u202e" in stored  # the archive keeps the page's text
    page = tmp_path / "hostile.html"
    page.write_text(_hostile(WIRE), encoding="utf-8")
    for args in (
        ["versions", hostile_url],
        ["show", hostile_url],
        ["show", hostile_url, "--version", "1"],
        ["diff", hostile_url],
        ["diff", hostile_url, "--unified"],
        ["diff", hostile_url, "--seeds"],
    ):
        result = cli(*args)
        assert result.exit_code == 0, (args, result.output)
        assert not UNSAFE.search(result.output), args
    shown = cli("show", hostile_url).stdout
    assert "Scott 2J0;owned evil Bessent" in shown.replace("[31m", "")  # only controls went
    extracted = cli("extract", str(page), store=False)
    assert extracted.exit_code == 0 and "Bassent" in extracted.stdout
    assert not UNSAFE.search(extracted.output)


def test_json_keeps_them_escaped(cli, hostile_url: str) -> None:  # type: ignore[no-untyped-def]
    raw = cli("show", hostile_url, "--json").stdout
    assert "\\u009b" in raw and "\\u202e" in raw and not UNSAFE.search(raw)
    text = json.loads(raw)["text"]
    assert "\u009b2J\u009d0;owned" in text and "\u202eevil\u202c" in text


def test_the_stream_filter_passes_rich_colour_but_not_c1_or_bidi() -> None:
    out = io.StringIO()
    SafeStream(out).write("\x1b[1mbold\x1b[0m \u009b31m \u202eabc\r\n")  # type: ignore[arg-type]
    assert out.getvalue() == "\x1b[1mbold\x1b[0m 31m abc\r\n"
    assert clean("a\x1b[2Jb\tc\u2066d\u009de\n") == "a[2Jb\tcde\n"
    assert json.loads(escape_json(json.dumps("x\u202ey\u0085", ensure_ascii=False))) == (
        "x\u202ey\u0085"
    )
