"""Run every benchmark in order and print the table, peak memory and the `bench:` line."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

from bench import cli_latency, corpus_query, extraction_speed, throughput
from bench.measure import peak_rss_mb
from bench.pages import make_pages, markup_profile, reference_profile
from bench.prefect_api import prefect_server
from bench.server import serving

Say = Callable[[str], None]
GOALS = {  # name: (goal, "higher" or "lower" is better)
    "archive_throughput_ratio": (1.5, "higher"),
    "recheck_speedup": (10.0, "higher"),
    "corpus_query_p50_ms": (20.0, "lower"),
    "extraction_speed_ratio": (0.8, "higher"),
    "stored_bytes_ratio": (0.35, "lower"),
    "cli_latency_ratio": (1.5, "lower"),
    "alignment_heldout_f1_min": (0.85, "higher"),
}


def _profile_line(name: str, p: dict[str, float]) -> str:
    return (
        f"  {name:<28} {p['pages']:>4} pages, size p10/p50/p90 {p['size_kb_p10']:.0f}/"
        f"{p['size_kb_p50']:.0f}/{p['size_kb_p90']:.0f} KB, deflate ratio "
        f"{p['deflate_ratio_p50']:.3f}, <p> text share {p['paragraph_share_p50']:.3f}"
    )


def _memory(say: Say, stage: str) -> None:
    own, child = peak_rss_mb()
    say(f"  peak RSS after {stage}: bench process {own:.0f} MB, largest child {child:.0f} MB")


def _verdict(name: str, value: float) -> str:
    goal, better = GOALS[name]
    ok = value >= goal if better == "higher" else value <= goal
    sign = ">=" if better == "higher" else "<="
    return f"{'meets' if ok else 'MISSES'} goal {sign} {goal:g}"


def run_all(args: argparse.Namespace, tmp: Path, say: Say, started: float) -> int:
    pages = make_pages(args.pages)
    say(f"bench pages: {len(pages)} generated, served by a separate process on 127.0.0.1")
    say(_profile_line("generated", markup_profile([p.body for p in pages])))
    ref = reference_profile()
    if ref is None:
        say("  (real pages of ../shared/benchmarks absent: no reference profile to compare)")
    else:
        say(_profile_line("real (shared benchmark)", ref))
    say(
        "politeness off for the run: PALIMPSEST_HOST_DELAY=0, PALIMPSEST_HOST_CONCURRENCY=8, "
        "PALIMPSEST_SHARED_LIMITS=0"
    )
    served = [(p.path, p.body) for p in pages]
    html_bytes = sum(len(p.body) for p in pages)
    figures: dict[str, float] = {}
    rows: list[tuple[str, str]] = []
    with serving(served) as base:
        urls = [base + p.path for p in pages]

        say("\n[1/5] extraction speed: extractors.extract vs trafilatura.extract, interleaved")
        ex = extraction_speed.run(served_with_urls(urls, served))
        figures["extraction_speed_ratio"] = ex.ratio
        rows.append(("ours pages/s", f"{ex.pages / ex.ours_s:.1f}"))
        rows.append(("trafilatura pages/s", f"{ex.pages / ex.trafilatura_s:.1f}"))
        rows.append(("no text found (ours / trafilatura)", f"{ex.failures}"))
        _memory(say, "extraction")

        say("[2/5] archive throughput: bare loop, then the Prefect flow twice (first, recheck)")
        t0 = time.perf_counter()
        with prefect_server(tmp / "prefect-server") as api:
            say(f"  Prefect API {api} (separate process) up in {time.perf_counter() - t0:.0f} s")
            tp = throughput.run(urls, html_bytes, tmp / "throughput")
        figures["archive_throughput_ratio"] = tp.flow_pps / tp.baseline_pps
        figures["recheck_speedup"] = tp.recheck_pps / tp.flow_pps
        figures["stored_bytes_ratio"] = tp.stored_bytes / tp.html_bytes
        rows += [
            ("bare loop pages/s (httpx + trafilatura + file)", f"{tp.baseline_pps:.1f}"),
            ("flow first archive pages/s", f"{tp.flow_pps:.1f}  {tp.first_statuses}"),
            ("flow recheck pages/s", f"{tp.recheck_pps:.1f}  {tp.recheck_statuses}"),
            ("HTML served / stored by first archive", f"{tp.html_bytes:,} / {tp.stored_bytes:,} B"),
            ("bytes added by the unchanged recheck", f"{tp.recheck_bytes:,} B"),
            (
                "catalog file (SQLite): after archive / +2 rechecks",
                f"{tp.catalog_bytes:,} / +{tp.catalog_recheck_bytes:,} B",
            ),
            (
                "one task per URL (batch_size=1): first / recheck",
                f"{tp.pages / tp.per_url_s:.1f} / {tp.pages / tp.per_url_recheck_s:.1f} pages/s"
                f" (throughput ratio {tp.baseline_s / tp.per_url_s:.2f},"
                f" recheck speedup {tp.per_url_s / tp.per_url_recheck_s:.2f})",
            ),
        ]
        _memory(say, "the flow runs")

        say("[3/5] CLI latency: `palimpsest archive URL` vs a bare httpx + trafilatura script")
        middle = sorted(pages, key=lambda p: len(p.body))[len(pages) // 2]
        cli = cli_latency.run(base + middle.path, runs=args.cli_runs)
        figures["cli_latency_ratio"] = cli.ratio
        rows += [
            (f"CLI archive, median of {cli.runs} (delay 0)", f"{cli.cli_s * 1000:.0f} ms"),
            (f"bare script, median of {cli.runs}", f"{cli.bare_s * 1000:.0f} ms"),
            ("CLI archive, default 1 s host delay", f"{cli.cli_default_delay_s * 1000:.0f} ms"),
        ]

    say(f"[4/5] corpus query: SeedCorpus.match against {args.corpus_docs:,} synthetic documents")
    cq = corpus_query.run(args.corpus_docs)
    figures["corpus_query_p50_ms"] = cq.match_p50_ms if cq else float("nan")
    if cq:
        rows += [
            ("corpus build", f"{cq.build_s:.1f} s for {cq.documents:,} documents"),
            ("match p50 / p95", f"{cq.match_p50_ms:.1f} / {cq.match_p95_ms:.1f} ms"),
            ("retrieval only p50", f"{cq.retrieve_p50_ms:.2f} ms (recall@1 {cq.recall_at_1:.3f})"),
        ]
    _memory(say, "the corpus query")

    say("[5/5] seed alignment against the hand alignments (bench/alignment.py)")
    from bench import alignment

    al = alignment.measure()
    figures["alignment_heldout_f1_min"] = al["heldout_f1_min"]
    for line in alignment.lines(al):
        say(f"  {line}")

    say("\n" + "-" * 78)
    for label, value in rows:
        say(f"  {label:<46} {value}")
    say("-" * 78)
    for name in GOALS:
        say(f"  {name:<28} {figures[name]:>9.3f}   {_verdict(name, figures[name])}")
    own, child = peak_rss_mb()
    say(f"  peak RSS: bench process {own:.0f} MB, largest child process {child:.0f} MB")
    say(f"  total bench time {time.perf_counter() - started:.0f} s")
    say(
        "bench: "
        f"archive_throughput_ratio={figures['archive_throughput_ratio']:.2f} "
        f"recheck_speedup={figures['recheck_speedup']:.2f} "
        f"corpus_query_p50_ms={figures['corpus_query_p50_ms']:.2f} "
        f"extraction_speed_ratio={figures['extraction_speed_ratio']:.2f} "
        f"stored_bytes_ratio={figures['stored_bytes_ratio']:.3f} "
        f"cli_latency_ratio={figures['cli_latency_ratio']:.2f} "
        f"alignment_heldout_f1_min={figures['alignment_heldout_f1_min']:.3f}"
    )
    return 0


def served_with_urls(urls: list[str], served: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    return [(url, body) for url, (_, body) in zip(urls, served, strict=True)]
