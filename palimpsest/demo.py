"""`make demo`: the main job, offline, on the embedded default store.

Serves three sample article pages on 127.0.0.1, archives them into ./archive, edits one page
(a corrected name and an added paragraph), archives again, then shows the versions, the diff
and the comparison with the seed corpus, running the same commands a user would type.
"""

from __future__ import annotations

import shlex
import sys
import time
from pathlib import Path

from palimpsest.localserver import PageServer

PAGES = Path(__file__).with_name("demo_pages")
EDITED = "minerals-wire.html"
ADDED_PARAGRAPH = (
    "<p>Bessent told reporters in Warsaw on Monday that the offer remained on the table "
    "and that he expected an agreement \u201cin the coming weeks.\u201d</p>\n    </article>"
)


def run(*args: str) -> None:
    """Run one `palimpsest` command in this process, echoing it first."""
    from palimpsest.cli import app

    print(f"\n$ palimpsest {shlex.join(args)}", flush=True)
    try:
        app(list(args), prog_name="palimpsest", standalone_mode=False)
    except SystemExit as exc:  # a command's non-zero exit must not stop the demo
        if exc.code:
            print(f"(exit {exc.code})")
    sys.stdout.flush()


def edit(html: str) -> str:
    """The newsroom's update: a misspelt name corrected and a paragraph added."""
    return html.replace("Bassent", "Bessent").replace("</article>", ADDED_PARAGRAPH, 1)


def main() -> None:
    server = PageServer()
    run_id = time.strftime("%Y%m%d-%H%M%S")
    paths = {}
    for page in sorted(PAGES.glob("*.html")):
        paths[page.name] = f"/{run_id}/{page.stem}"
        server.set(paths[page.name], page.read_text(encoding="utf-8"))
    with server.running():
        urls = [server.url(p) for p in paths.values()]
        wire = server.url(paths[EDITED])
        print(f"Serving {len(urls)} sample articles on {server.base_url}")
        run("archive", *urls)
        print("\nArchiving again: nothing changed, so every page is 'unchanged'.")
        run("archive", *urls)
        print(f"\nThe newsroom edits {wire} ...")
        server.set(paths[EDITED], edit((PAGES / EDITED).read_text(encoding="utf-8")))
        run("archive", *urls)
    run("versions", wire)
    run("diff", wire)
    run("diff", wire, "--unified")
    run("diff", wire, "--seeds")
    print("\nThe archive is in ./archive; try `palimpsest show " + wire + "`.")


if __name__ == "__main__":
    main()
