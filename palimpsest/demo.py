"""`make demo`: the main job, offline, on the embedded default store.

Serves three sample article pages on 127.0.0.1, archives them into ./archive, edits one page
(a corrected name and an added paragraph), archives again, then shows the versions, the diff
and the comparison with the seed corpus, running the same commands a user would type. Last,
it follows a local Atom feed with `palimpsest run`: the feed gains an entry, and the next run
discovers and archives it.
"""

from __future__ import annotations

import shlex
import sys
import tempfile
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


def atom(base: str, paths: list[str]) -> str:
    """A news feed listing `paths` (with the campaign parameters feeds like to add)."""
    entries = "".join(
        f"<entry><title>{p.rsplit('/', 1)[-1]}</title><id>urn:demo:{p}</id>"
        f"<updated>2025-02-17T09:00:00Z</updated>"
        f'<link href="{base}{p}?utm_source=feed&amp;utm_medium=rss"/></entry>'
        for p in paths
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Demo newsroom</title><id>urn:demo</id><updated>2025-02-17T09:00:00Z</updated>"
        f"{entries}</feed>"
    )


def follow_feed(server: PageServer, paths: list[str], new: str) -> None:
    """Follow a feed: `palimpsest run` archives its entries, then the entry added later."""
    feed = f"/{Path(paths[0]).parent.name}/feed.atom"
    server.set(feed, atom(server.base_url, paths), "application/atom+xml")
    with tempfile.TemporaryDirectory() as folder:
        sources = Path(folder) / "sources.yaml"
        sources.write_text(f"feeds:\n  - url: {server.url(feed)}\n    tags: [demo]\n")
        print(f"\nFollowing the newsroom's feed {server.url(feed)} (sources.yaml: feeds:)")
        store = str(Path(folder) / "archive")  # its own archive: feeds of earlier demos are gone
        run("run", "--file", str(sources), "--store", store)
        print("\nThe feed gains an entry; the next run discovers it and archives it at once.")
        server.set(feed, atom(server.base_url, [*paths, new]), "application/atom+xml")
        run("run", "--file", str(sources), "--store", store)
        run("list", "--store", store)


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
        feed_new = f"/{run_id}/feed-only/{Path(EDITED).stem}"
        server.set(feed_new, (PAGES / "minerals-analysis.html").read_text(encoding="utf-8"))
        follow_feed(server, [paths[EDITED]], feed_new)
    run("versions", wire)
    run("diff", wire)
    run("diff", wire, "--unified")
    run("diff", wire, "--seeds")
    print("\nThe archive is in ./archive; try `palimpsest show " + wire + "`.")


if __name__ == "__main__":
    main()
