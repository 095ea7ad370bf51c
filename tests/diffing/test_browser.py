"""The HTML report in a real headless browser (Debian's chromium): it renders, shows the
highlighted edit, and runs no script that came from page text."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from palimpsest.diffing import diff_versions
from palimpsest.diffing.render import render_html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (make test installs it)"),
]

# If any of these ran, the page would change: a new title, an attribute, an element.
PAYLOADS = [
    "<script>document.title='PWNED';document.body.setAttribute('data-pwned','1')</script>",
    "<img src=x onerror=\"document.body.setAttribute('data-pwned','2')\">",
    "<svg onload=\"document.body.setAttribute('data-pwned','3')\"></svg>",
    "</td></tr></table><script>document.write('<p id=pwned>x</p>')</script>",
]


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            CHROMIUM or "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_report_renders_highlight_and_runs_no_script(tmp_path: Path) -> None:
    old = "The document was given by Treasury Secretary Scott Bassent.\nTalks resume soon."
    new = old.replace("Bassent", "Bessent") + "\n" + " ".join(PAYLOADS)
    report = tmp_path / "report.html"
    report.write_text(
        render_html(
            old, new, diff_versions(old, new), title="Report", from_label="v1", to_label="v2"
        ),
        encoding="utf-8",
    )
    result = _chromium(tmp_path, "--dump-dom", report.as_uri())
    dom = result.stdout
    assert result.returncode == 0, result.stderr[-2000:]
    assert "<title>Report</title>" in dom
    assert "<ins>Bessent</ins>" in dom and "<del>Bassent</del>" in dom
    assert 'data-pwned="' not in dom  # no handler set the attribute
    assert 'id="pwned"' not in dom  # document.write did not run
    assert "&lt;script&gt;document.title='PWNED'" in dom  # the payload shows as text
    assert dom.count("<script") == 0 and dom.count("<img") == 0 and dom.count("<svg") == 0


def test_seed_comparison_renders_pairs_side_by_side(
    tmp_path: Path, corpus, clean_seeds: dict[str, str], names: dict[str, str]
) -> None:
    """`diff URL --seeds --html`: the version beside its nearest seeds, pair by pair."""
    from palimpsest.diffing.render import render_seeds_html

    version = clean_seeds[names["002"]].replace("Bassent", "Bessent") + "\n" + " ".join(PAYLOADS)
    page = render_seeds_html(corpus.match(version, limit=2), title="Seeds", version_label="v3")
    report = tmp_path / "seeds.html"
    report.write_text(page, encoding="utf-8")
    result = _chromium(tmp_path, "--dump-dom", report.as_uri())
    dom = result.stdout
    assert result.returncode == 0, result.stderr[-2000:]
    assert f'<h2 id="{names["002"]}">' in dom and f'<h2 id="{names["000"]}">' in dom
    assert "<th>title</th>" in dom and "<th>partial</th>" in dom
    assert '<tr class="edited">' in dom and '<tr class="identical">' in dom
    assert "<del>Bassent</del>" in dom and "<ins>Bessent</ins>" in dom
    assert "names: bessent / seed: bassent" in dom  # the differing name, reported
    assert 'data-pwned="' not in dom and 'id="pwned"' not in dom
    assert dom.count("<script") == 0 and dom.count("<img") == 0
