"""The seed corpus: `seeds` (list it, with pairwise relations) and `compare FILE`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from palimpsest.app import JsonOption, app, fail, print_json, settings, user_errors

_HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}


def _corpus() -> Any:
    from palimpsest.flows.seeds import load_seed_corpus

    with user_errors():
        corpus = load_seed_corpus(settings().seeds_dir, settings().cache_dir)
    if not len(corpus):
        fail(f"{settings().seeds_dir}: the seed corpus is empty (no *.txt files)")
    return corpus


@app.command()
def seeds(json_: JsonOption = False) -> None:
    """List the seed corpus with word counts and how the seeds relate to each other."""
    corpus = _corpus()
    with user_errors():
        rows = [
            {
                "seed": name,
                "words": corpus.word_count(name),
                "raw_words": len(corpus.raw(name).split()),
                "sentences": len(corpus.sentences(name)),
            }
            for name in corpus.names()
        ]
        relations = corpus.relations()
    if json_:
        print_json({"seeds": rows, "relations": relations})
        return
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console()
    table = Table(
        title=f"Seed corpus ({settings().seeds_dir})", title_justify="left", box=box.SIMPLE_HEAD
    )
    table.add_column("seed", no_wrap=True)
    for col in ("words", "raw words", "sentences"):
        table.add_column(col, justify="right")
    for row in rows:
        table.add_row(
            Text(row["seed"]), str(row["words"]), str(row["raw_words"]), str(row["sentences"])
        )
    console.print(table)
    rel = Table(
        title="Relations (a aligned against b)",
        caption="i/e/p/q: sentences of a identical / edited / paraphrase / partial in b",
        title_justify="left",
        caption_justify="left",
        box=box.SIMPLE_HEAD,
    )
    rel.add_column("a", no_wrap=True)
    rel.add_column("b", no_wrap=True)
    rel.add_column("sim", justify="right", no_wrap=True, min_width=4)
    rel.add_column("i/e/p/q", justify="right", no_wrap=True)
    rel.add_column("relation", no_wrap=True)
    for r in relations:
        c = r["counts"]
        rel.add_row(
            Text(r["a"]),
            Text(r["b"]),
            f"{r['similarity']:.0%}",
            f"{c['identical']}/{c['edited']}/{c['paraphrase']}/{c['partial']}",
            r["relation"],
        )
    console.print(rel)


def _looks_like_html(path: Path, data: bytes) -> bool:
    """By suffix, else by content: markup starts with a tag or a doctype."""
    if path.suffix.lower() in _HTML_SUFFIXES:
        return True
    head = data[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body"))


@app.command()
def compare(
    file: Annotated[Path, typer.Argument(help="An HTML page or a text file.")],
    text: Annotated[bool, typer.Option("--text", help="Treat FILE as plain text.")] = False,
    limit: Annotated[int, typer.Option(help="How many seeds to show.", min=1)] = 5,
    details: Annotated[bool, typer.Option(help="Show each match's sentence alignment.")] = False,
    json_: JsonOption = False,
) -> None:
    """Align any HTML or text file against the seed corpus, best match first."""
    from palimpsest.extractors import extract, extract_text

    with user_errors():
        data = file.read_bytes()
        if not text and _looks_like_html(file, data):
            article = extract(data, str(file))
        else:
            try:
                decoded = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                fail(f"{file}: not UTF-8 text ({exc.reason} at byte {exc.start})")
            article = extract_text(decoded, source=str(file))
        corpus = _corpus()
        matches = corpus.match(article.text, limit=limit)
    if json_:
        print_json({"file": str(file), "matches": [m.to_dict() for m in matches]})
        return
    from rich.console import Console

    from palimpsest.diffing.render import render_matches_terminal

    render_matches_terminal(matches, Console(), details=details)
