#!/usr/bin/env python3
"""Score palimpsest's extractor beside trafilatura and trafilatura(favor_precision) on the
three public sets, in one run:

- article-extraction: 181 real pages with ground truth (../shared/benchmarks/article-extraction,
  scored with evaluate_extraction.py's 4-gram metric, which we import);
- readability-pages: mozilla/readability's test pages (../shared/benchmarks/readability-pages,
  scored with evaluate_readability_pages.py's bag-of-words metric over its real pages, the
  benchmark's headline figure; its gold keeps captions, which we remove on purpose);
- seeds: the five seed texts of this repository, gold = each seed without the junk lines of
  tests/extractors/test_seeds.py (trafilatura reads them as HTML, one <p> per line).

    .venv/bin/python bench/extraction.py [--rounds 1] [--limit N] [--sets a,r,s] [--json out]

Per set and system: F1, precision, recall, empty pages (no text although the gold has text),
pages/s and the speed ratio to plain trafilatura. All systems run in this process over the
same pages, interleaved page by page (the order rotates), so they see the same machine load;
per page the fastest of --rounds runs counts. ../shared/benchmarks is not part of a clone:
without it only the seeds are measured, and the output says so.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]
# ../shared/benchmarks beside the repository (or beside the folder of its worktrees)
SHARED = (
    next(
        (p for p in (REPO.parent / "shared", REPO.parents[1] / "shared") if p.is_dir()),
        REPO.parent / "shared",
    )
    / "benchmarks"
)
sys.path.insert(0, str(REPO))

# (html, url) -> text; html is what each set's own scorer passes (str or bytes)
Extractor = Callable[["str | bytes", "str | None"], str]


@dataclass
class PageSet:
    name: str
    pages: list[tuple[str, str | bytes, str | None, str]]  # (id, html, url, gold text)
    score: Callable[[str, str], tuple[float | None, float | None]]  # -> (precision, recall)
    headline: set[str] | None = None  # ids the F1 is reported over (None: all)
    comments: bool = False  # trafilatura's include_comments, as the set's own scorer runs it


def _load(name: str) -> ModuleType | None:
    script = SHARED / f"{name}.py"
    if not script.is_file():
        return None
    spec = importlib.util.spec_from_file_location(name, script)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def article_extraction(limit: int | None) -> PageSet | None:
    ev = _load("evaluate_extraction")
    data = SHARED / "article-extraction"
    if ev is None or not (data / "ground-truth.json").is_file():
        return None
    truth = json.loads((data / "ground-truth.json").read_text("utf8"))
    pages = []
    for item_id in sorted(truth)[:limit]:
        with gzip.open(data / "html" / f"{item_id}.html.gz", "rt", encoding="utf8") as fh:
            html = fh.read()  # evaluate_extraction.py passes str
        pages.append((item_id, html, truth[item_id].get("url"), truth[item_id]["articleBody"]))

    def score(gold: str, pred: str) -> tuple[float | None, float | None]:
        row = ev.score_page(gold, pred)
        return row["precision"], row["recall"]

    return PageSet("article-extraction", pages, score)


def readability_pages(limit: int | None) -> PageSet | None:
    ev = _load("evaluate_readability_pages")
    if ev is None or not ev.DATA.is_dir():
        return None
    pages, real = [], set()
    for folder in sorted(p for p in ev.DATA.iterdir() if p.is_dir())[:limit]:
        with gzip.open(folder / "source.html.gz") as fh:
            html = fh.read()  # evaluate_readability_pages.py passes bytes
        with gzip.open(folder / "expected.html.gz") as fh:
            gold = ev.visible_text(fh.read())
        pages.append((folder.name, html, None, gold))
        if len(html) >= ev.REAL_PAGE_BYTES:
            real.add(folder.name)
    return PageSet("readability-pages", pages, ev.page_scores, real, comments=True)


def seeds() -> PageSet:
    from html import escape

    spec = importlib.util.spec_from_file_location(
        "test_seeds", REPO / "tests" / "extractors" / "test_seeds.py"
    )
    assert spec and spec.loader
    table = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(table)
    pages = []
    for prefix, junk in sorted(table.JUNK.items()):
        path = table._seed(prefix)
        lines = table._lines(path.read_text(encoding="utf-8"))
        gold = "\n".join(line for line in lines if not table._is_junk(line, junk))
        html = "".join(f"<p>{escape(line)}</p>\n" for line in lines)
        head = '<head><meta charset="utf-8"></head>'
        html = f"<html>{head}<body><article>{html}</article></body></html>"
        pages.append((path.name, html.encode(), None, gold))

    def score(gold: str, pred: str) -> tuple[float | None, float | None]:
        g, p = set(gold.splitlines()), {line.strip() for line in pred.splitlines()}
        tp = len(g & p)
        return (tp / len(p) if p else None), (tp / len(g) if g else None)

    return PageSet("seeds (lines)", pages, score)


def palimpsest(html: str | bytes, url: str | None) -> str:
    from palimpsest.extractors import EmptyArticle, extract

    try:
        return extract(html, url).text
    except EmptyArticle:
        return ""


def palimpsest_text(html: str | bytes, url: str | None) -> str:
    """Seeds are plain text: ours reads them as such (one paragraph per line)."""
    import lxml.html
    from palimpsest.extractors import EmptyArticle, extract_text

    lines = [p.text_content() for p in lxml.html.fromstring(html).iter("p")]
    try:
        return extract_text("\n".join(lines)).text
    except EmptyArticle:
        return ""


def trafilatura_system(**options: object) -> Extractor:
    import trafilatura

    return lambda html, url: trafilatura.extract(html, **options) or ""


def run(systems: dict[str, Extractor], pages: PageSet, rounds: int) -> dict[str, dict]:
    """Every system on every page, page by page, rotating which goes first."""
    names = list(systems)
    preds: dict[str, dict[str, str]] = {n: {} for n in names}
    seconds = dict.fromkeys(names, 0.0)
    for k, (item_id, html, url, _) in enumerate(pages.pages):
        best = dict.fromkeys(names, float("inf"))
        for r in range(max(1, rounds)):
            shift = (k + r) % len(names)
            for name in names[shift:] + names[:shift]:
                t0 = time.perf_counter()
                try:
                    out = systems[name](html, url)
                except Exception as exc:  # a crash counts as empty output, as in the scorers
                    print(f"  {name} {item_id}: {type(exc).__name__}: {exc}", file=sys.stderr)
                    out = ""
                best[name] = min(best[name], time.perf_counter() - t0)
                preds[name][item_id] = out
        for name in names:
            seconds[name] += best[name]
    rows = {}
    for name in names:
        scored = {
            item_id: pages.score(gold, preds[name][item_id]) for item_id, _, _, gold in pages.pages
        }
        counted = [v for i, v in scored.items() if pages.headline is None or i in pages.headline]
        ps = [p for p, _ in counted if p is not None]
        rs = [r for _, r in counted if r is not None]
        p = sum(ps) / len(ps) if ps else 0.0
        r = sum(rs) / len(rs) if rs else 0.0
        empty = sum(
            1 for i, _, _, gold in pages.pages if gold.strip() and not preds[name][i].strip()
        )
        rows[name] = {
            "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "precision": p,
            "recall": r,
            "empty": empty,
            "pages_per_s": len(pages.pages) / seconds[name],
            "pages": {i: {"precision": v[0], "recall": v[1]} for i, v in scored.items()},
            "text": preds[name],
        }
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--rounds", type=int, default=1, help="timed runs per page (fastest counts)")
    ap.add_argument("--limit", type=int, help="only the first N pages of each public set")
    ap.add_argument(
        "--sets", default="a,r,s", help="a: article-extraction, r: readability, s: seeds"
    )
    ap.add_argument("--json", type=Path, help="write per-page scores and texts here")
    args = ap.parse_args()

    chosen = set(args.sets.split(","))
    sets: list[tuple[PageSet, dict[str, Extractor]]] = []
    public = {
        "a": ("article-extraction", article_extraction),
        "r": ("readability-pages", readability_pages),
    }
    for key, (name, load) in public.items():
        if key not in chosen:
            continue
        loaded = load(args.limit)
        if loaded is None:
            print(f"{name}: NOT MEASURED, no benchmark data at {SHARED} (absent in a clone)")
        else:
            sets.append((loaded, {"palimpsest": palimpsest}))
    if "s" in chosen:
        sets.append((seeds(), {"palimpsest": palimpsest_text}))

    out = {}
    print(
        f"{'set':<20}{'system':<24}{'F1':>7}{'prec':>7}{'recall':>8}{'empty':>6}"
        f"{'pages/s':>9}{'speed':>7}"
    )
    for pages, ours in sets:
        systems: dict[str, Extractor] = {
            "trafilatura": trafilatura_system(include_comments=pages.comments),
            "trafilatura(precision)": trafilatura_system(
                include_comments=pages.comments, favor_precision=True
            ),
            **ours,
        }
        first = pages.pages[0]
        for extract in systems.values():  # warm up imports and caches outside the timing
            extract(first[1], first[2])
        rows = run(systems, pages, args.rounds)
        base = rows["trafilatura"]["pages_per_s"]
        for name, row in rows.items():
            print(
                f"{pages.name:<20}{name:<24}{row['f1']:>7.3f}{row['precision']:>7.3f}"
                f"{row['recall']:>8.3f}{row['empty']:>6d}{row['pages_per_s']:>9.1f}"
                f"{row['pages_per_s'] / base:>6.2f}x"
            )
        out[pages.name] = rows
    if args.json:
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=1), "utf8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
