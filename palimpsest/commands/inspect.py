"""Inspect the archive: `versions`, `show` and `diff` (against a version or the seed corpus)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from palimpsest.app import (
    JsonOption,
    StoreOption,
    app,
    echo,
    fail,
    open_store,
    print_json,
    refuse,
    settings,
    user_errors,
)
from palimpsest.terminal import clean

UrlArg = Annotated[str, typer.Argument(help="The archived article's URL.")]
GenerationOption = Annotated[
    int | None,
    typer.Option(
        "--generation",
        help="Read an older extraction of the history (1 = as archived; default: the newest).",
        min=1,
    ),
]


def _records(store: Any, url: str, generation: int | None = None) -> list[Any]:
    from palimpsest.fetchers import normalize_url

    with user_errors():
        records = store.versions(normalize_url(url), generation)
    if not records:
        fail(f"{url}: not in the archive at {store.location}")
    return records


def _pick(records: list[Any], version: int | None, url: str) -> Any:
    if version is None:
        return records[-1]
    for r in records:
        if r.version == version:
            return r
    fail(f"{url}: no version {version} (versions 1-{records[-1].version})")


@app.command()
def versions(
    url: UrlArg,
    store: StoreOption = None,
    json_: JsonOption = False,
    generation: GenerationOption = None,
) -> None:
    """List the stored versions of a URL, oldest first."""
    rows = [
        {
            "version": r.version,
            "captured_at": r.captured_at.isoformat(),
            "sha256": r.sha256,
            "title": r.title,
            "words": r.words,
        }
        for r in _records(open_store(store), url, generation)
    ]
    if json_:
        print_json(rows)
        return
    for row in rows:
        echo(
            f"v{row['version']:<4} {row['captured_at']}  {row['words']:>5} words  "
            f"{row['sha256'][:12]}  {row['title'] or ''}".rstrip()
        )


@app.command()
def show(
    url: UrlArg,
    version: Annotated[int | None, typer.Option(help="Version number (default: latest).")] = None,
    store: StoreOption = None,
    json_: JsonOption = False,
    generation: GenerationOption = None,
) -> None:
    """Print the clean text of a stored version (the latest by default)."""
    record = _pick(_records(open_store(store), url, generation), version, url)
    if json_:
        print_json(record.to_dict())
    else:
        echo(record.text)


def _seed_report(record: Any, url: str, as_json: bool, html: Path | None) -> None:
    from rich.console import Console

    from palimpsest.diffing.render import render_matches_terminal, render_seeds_html
    from palimpsest.flows.seeds import load_seed_corpus

    with user_errors():
        corpus = load_seed_corpus(settings().seeds_dir, settings().cache_dir)
        matches = corpus.match(record.text if as_json else clean(record.text))
        if html is not None:
            title = f"{record.title or url}: v{record.version} against the seed corpus"
            page = render_seeds_html(matches, title=title, version_label=f"v{record.version}")
            html.write_text(page, "utf-8")
    if as_json:
        print_json({"version": record.version, "matches": [m.to_dict() for m in matches]})
    else:
        render_matches_terminal(matches, Console())


@app.command()
def diff(
    url: UrlArg,
    from_: Annotated[int | None, typer.Option("--from", help="Older version.")] = None,
    to: Annotated[int | None, typer.Option("--to", help="Newer version.")] = None,
    seeds: Annotated[bool, typer.Option("--seeds", help="Compare with the seed corpus.")] = False,
    html: Annotated[Path | None, typer.Option(help="Also write an HTML report here.")] = None,
    unified: Annotated[bool, typer.Option(help="Print a unified text diff.")] = False,
    store: StoreOption = None,
    json_: JsonOption = False,
    generation: GenerationOption = None,
) -> None:
    """Show how a URL's text changed between two versions (default: the last two)."""
    from rich.console import Console

    from palimpsest.diffing import diff_versions
    from palimpsest.diffing.render import render_html, render_terminal, render_unified

    if json_ and unified:
        refuse("--json and --unified are two outputs: choose one")
    if seeds and (unified or from_ is not None):
        refuse(
            "--seeds compares one version (--to) with the seed corpus: "
            "--unified and --from do not apply"
        )
    records = _records(open_store(store), url, generation)
    if seeds:
        _seed_report(_pick(records, to, url), url, json_, html)
        return
    new = _pick(records, to, url)
    if from_ is None:
        older = [r for r in records if r.version < new.version]
        if not older:
            fail(f"{url}: only one version (v{new.version}); nothing to diff")
        old = older[-1]
    else:
        old = _pick(records, from_, url)
    if json_:
        old_text, new_text = old.text, new.text
    else:  # shown as text: the page's control characters must not reach the terminal
        old_text, new_text = clean(old.text), clean(new.text)
    result = diff_versions(old_text, new_text)
    labels = {"from_label": f"v{old.version}", "to_label": f"v{new.version}"}
    if html is not None:
        title = new.title or url
        report = render_html(old_text, new_text, result, title=title, **labels)
        with user_errors():
            html.write_text(report, "utf-8")
    if json_:
        print_json({"from": old.version, "to": new.version, **result.to_dict()})
    elif unified:
        dates = {"from_date": old.captured_at.isoformat(), "to_date": new.captured_at.isoformat()}
        named = {"from_label": f"{url} v{old.version}", "to_label": f"{url} v{new.version}"}
        typer.echo(render_unified(old_text, new_text, **named, **dates), nl=False)
    else:
        render_terminal(result, Console(), title=f"{url}  v{old.version} → v{new.version}")
