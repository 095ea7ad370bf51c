"""The viewer in headless Chromium, served on 127.0.0.1: a reader's path from the list of
changes to a diff and the seed comparison, and hostile pages that must execute nothing.
Every page visited leaves a screenshot (tests/viewer/screenshots/, README)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest

from tests.viewer.browser import shot
from tests.viewer.conftest import Served

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.dialogs = dialogs
    yield page
    context.close()


def _url(served: Served, path: str, **params: Any) -> str:
    return f"{served.base_url}{path}?{urlencode(params)}"


def test_changes_to_source_to_diff_to_seed_comparison(served: Served, page: Any) -> None:
    archive = served.archive
    page.goto(served.base_url + "/")
    assert page.title().startswith("Changes")
    failing = page.locator("section.failing")
    assert "1 failing source" in failing.inner_text() and archive.missing in failing.inner_html()
    rows = page.locator("table.changes tbody tr")
    assert rows.count() == 7  # 5 first versions, 2 edits
    shot(page, "changes")
    page.get_by_label("substantive only").check()
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**/?substantive=1*")
    assert page.locator("table.changes tbody tr").count() == 2

    title = "U.S. Presents Ukraine With Document to Access Rare Earth Minerals"
    page.locator("table.changes a.source", has_text=title).first.click()
    page.wait_for_url("**/source?*")
    assert page.locator("table.versions tbody tr").count() == 2
    assert page.locator("svg.spark rect").count() > 0
    assert page.locator("table.checks tbody tr").count() == 2
    shot(page, "source")

    page.locator("table.versions a.diff-link").first.click()
    page.wait_for_url("**/diff?*")
    old, new = page.locator(".row.edited .cell.old del"), page.locator(".row.edited .cell.new ins")
    assert "Bassent" in old.all_inner_texts()
    assert "Bessent" in new.all_inner_texts()
    assert page.locator(".row.added").count() == 1  # the paragraph the newsroom added
    assert page.locator("details.fold").count() >= 1  # unchanged runs are folded
    page.keyboard.press("j")
    first = page.locator("[data-change='1']")
    assert "current" in (first.get_attribute("class") or "")
    assert page.evaluate("location.hash") == "#c1"
    page.keyboard.press("j")
    assert "current" in (page.locator("[data-change='2']").get_attribute("class") or "")
    page.keyboard.press("k")
    assert "current" in (first.get_attribute("class") or "")
    shot(page, "diff")

    page.get_by_role("link", name="Seed comparison").click()
    page.wait_for_url("**/seeds?*")
    matches = page.locator("ul.matches li")
    assert matches.count() >= 1
    kinds = page.eval_on_selector_all(
        ".diff.seeds .row:not(.head)", "rows => rows.map(r => r.classList[1])"
    )
    assert "identical" in kinds  # the wire copy repeats most of the wire story
    labels = page.locator(".diff.seeds .row .label").all_inner_texts()
    assert any(label.startswith(("edited", "paraphrase", "partial")) for label in labels)
    pair = page.locator(".diff.seeds > .row.identical").first  # a visible one, not folded
    assert pair.locator(".cell.old").inner_text() == pair.locator(".cell.new .labels").evaluate(
        "l => l.parentElement.firstChild.textContent.trim()"
    )
    shot(page, "seeds")


def test_unrelated_story_has_no_related_coverage(served: Served, page: Any) -> None:
    page.goto(_url(served, "/seeds", url=served.archive.unrelated))
    assert "No related coverage" in page.locator("main").inner_text()
    shot(page, "seeds-none")


def test_phone_width_and_dark_mode(served: Served, browser: Any) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, color_scheme="dark", is_mobile=True
    )
    page = context.new_page()
    wire = served.archive.wire
    for name, path in [
        ("changes", "/"),
        ("sources", "/sources"),
        ("source", _url(served, "/source", url=wire).removeprefix(served.base_url)),
        ("diff", _url(served, "/diff", url=wire).removeprefix(served.base_url)),
        ("seeds", _url(served, "/seeds", url=wire).removeprefix(served.base_url)),
        ("capture", _url(served, "/capture", url=wire).removeprefix(served.base_url)),
    ]:
        page.goto(served.base_url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{name} scrolls sideways on a phone ({width} px)"
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background != "rgb(251, 250, 247)"  # the dark palette, not the light one
        shot(page, f"{name}-phone-dark")
    context.close()


def _title_and_marks(page: Any) -> tuple[str, Any]:
    return page.title(), page.evaluate(
        "[document.body.dataset.pwned, document.body.dataset.captureRan,"
        " document.querySelectorAll('script:not([src=\"/static/viewer.js\"])').length,"
        " document.querySelectorAll('main img, main svg:not(.spark)').length]"
    )


def test_sources_list_and_search(served: Served, page: Any) -> None:
    page.goto(served.base_url + "/sources")
    assert page.locator("table.sources tbody tr").count() == len(served.archive.urls)
    failed = page.locator("table.sources tr", has_text="/news/gone")
    assert failed.locator(".label.failed").inner_text() == "failed"
    shot(page, "sources")
    page.get_by_label("Search").fill("sourdough")
    page.get_by_role("button", name="Go").click()
    page.wait_for_url("**/sources?q=sourdough*")
    hits = page.locator("table.hits tr")
    assert hits.count() == 1 and "Bakery wins" in hits.inner_text()
    shot(page, "search")


@pytest.mark.parametrize("path", ["/text", "/diff", "/seeds", "/capture", "/source"])
def test_payloads_in_title_and_text_execute_nothing(served: Served, page: Any, path: str) -> None:
    page.goto(_url(served, path, url=served.archive.hostile))
    title, marks = _title_and_marks(page)
    assert "PWNED" in title and title.startswith(("<script>", "Diff", "Seed", "Capture"))
    assert "Harbour council" in title
    assert title != "PWNED" and "CAPTURE-RAN" not in title
    assert marks == [None, None, 0, 0]
    assert "<script>document.title='PWNED'</script>" in page.locator("h1").inner_text()
    assert page.dialogs == []
    shot(page, f"hostile{path.replace('/', '-')}")


def test_capture_is_sandboxed_and_its_scripts_do_not_run(served: Served, page: Any) -> None:
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(_url(served, "/capture", url=served.archive.hostile))
    frame_element = page.locator("iframe.page")
    assert frame_element.get_attribute("sandbox") == ""
    frame = frame_element.element_handle().content_frame()
    frame.wait_for_load_state()
    assert "Harbour council" in frame.locator("h1").inner_text()
    assert frame.evaluate("document.body.dataset.captureRan") is None
    assert "CAPTURE-RAN" not in frame.evaluate("document.title")
    assert "CAPTURE-RAN" not in page.title()
    assert page.locator("table.hdrs th", has_text="Content-Type").count() >= 1
    # Nothing the archived page refers to was fetched (its image, the live site).
    assert not [u for u in requests if u.startswith(served.archive.site.base_url)]
    shot(page, "capture")

    page.goto(frame.url)  # the raw capture opened alone is still sandboxed
    assert page.evaluate("document.body.dataset.captureRan") is None
    assert "CAPTURE-RAN" not in page.title()
