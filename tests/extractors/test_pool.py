"""Bounded extraction (`extractors.pool`): a pathological page fails alone, in bounded time and
memory, and the pool goes on extracting the next pages."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from functools import partial

import pytest
from palimpsest.extractors.errors import EmptyArticle, ExtractionError
from palimpsest.extractors.pool import ExtractionTimeout, ExtractPool, Limits, cap_markup

from palimpsest.errors import PalimpsestError

ARTICLE = (
    b"<html><head><title>Harbour</title></head><body><article><h1>Harbour works</h1>"
    + b"".join(
        b"<p>Work on the harbour wall %d began on Monday after months of delays, the council"
        b" said, and residents welcomed the news.</p>" % i
        for i in range(6)
    )
    + b"</article></body></html>"
)
# 100k attributes on one element: super-linear inside the parser (minutes on 1 MB).
ATTRIBUTES = (
    b"<html><body><div "
    + b" ".join(b'a%d="x"' % i for i in range(100_000))
    + b"><p>text</p></div></body></html>"
)


@pytest.fixture(scope="module")
def pool() -> Iterator[ExtractPool]:
    pool = ExtractPool(1, Limits(timeout=3.0, memory=192 << 20, max_parse_bytes=2 << 20))
    try:
        yield pool
    finally:
        pool.close()


def test_a_page_is_extracted_in_a_worker(pool: ExtractPool) -> None:
    article = pool.extract(ARTICLE, "http://127.0.0.1/a", "utf-8")
    assert "harbour wall 5 began" in article.text


def test_a_lazy_pool_starts_its_workers_with_the_first_page() -> None:
    lazy = ExtractPool(1, Limits(timeout=30.0), lazy=True)
    try:
        assert not lazy.started
        assert "harbour wall 5 began" in lazy.extract(ARTICLE, "http://127.0.0.1/a", None).text
        assert lazy.started
    finally:
        lazy.close()


def test_errors_come_back_with_their_type_and_message(pool: ExtractPool) -> None:
    with pytest.raises(EmptyArticle) as caught:
        pool.extract(b"<html><body></body></html>", "http://127.0.0.1/empty", None)
    assert str(caught.value) == "no article text found: http://127.0.0.1/empty"
    assert caught.value.source == "http://127.0.0.1/empty"


def test_a_pathological_page_is_stopped_at_the_deadline(pool: ExtractPool) -> None:
    started = time.monotonic()
    with pytest.raises(ExtractionTimeout) as caught:
        pool.extract(ATTRIBUTES, "http://127.0.0.1/attributes", None)
    assert time.monotonic() - started < 3.0 + 2.0
    assert "http://127.0.0.1/attributes: extraction took over 3 s" in str(caught.value)
    assert "harbour" in pool.extract(ARTICLE, "http://127.0.0.1/a", "utf-8").text  # replaced


def test_a_page_needing_too_much_memory_fails_alone() -> None:
    """2 MB of paragraphs needs more address space than a 110 MiB worker has: the page fails
    with the parser's MemoryError named, and the pool goes on."""
    big = b"<html><body>" + b"<p>The wall was rebuilt after the storm, said the mayor.</p>" * 40_000
    small = ExtractPool(1, Limits(timeout=30.0, memory=110 << 20))
    try:
        with pytest.raises(ExtractionError, match=r"MemoryError|over 110 MiB") as caught:
            small.extract(big, "http://127.0.0.1/big", None)
        assert "http://127.0.0.1/big" in str(caught.value)
        assert "harbour" in small.extract(ARTICLE, "http://127.0.0.1/a", "utf-8").text
    finally:
        small.close()


def test_what_is_parsed_is_capped_at_a_tag_start() -> None:
    body = b"<p>one</p><p>two</p><p>three</p>"
    assert cap_markup(body, 100) == body
    assert cap_markup(body, 15) == b"<p>one</p>"
    assert cap_markup(b"x" * 50, 10) == b"x" * 10


# Jobs for `ExtractPool.run` (module-level: a worker finds them by name).
PREPARED: list[str] = []


def _prepare(word: str) -> None:
    PREPARED.append(word)


def _where_and_prepared(x: int) -> tuple[int, list[str], int]:
    return os.getpid(), list(PREPARED), x * 2


def _refuse(subject: str) -> None:
    raise PalimpsestError(f"{subject}: refused", subject=subject, reason="refused")


def _sleep(seconds: float) -> None:
    time.sleep(seconds)


def _fail_to_prepare() -> None:
    raise MemoryError("no room for the word vectors")


def test_other_work_runs_in_a_prepared_worker_under_the_same_bounds() -> None:
    """`run` sends any module-level job to a worker whose `prepare` jobs ran first (once);
    a PalimpsestError comes back as raised; a job over the deadline is stopped, naming what
    it was, and the pool goes on."""
    pool = ExtractPool(1, Limits(timeout=2.0), prepare=[partial(_prepare, "ready")])
    try:
        pid, prepared, doubled = pool.run(_where_and_prepared, 21, about="http://127.0.0.1/a")
        assert pid != os.getpid() and prepared == ["ready"] and doubled == 42
        assert pool.run(_where_and_prepared, 1, about="x")[:2] == (pid, ["ready"])  # once
        with pytest.raises(PalimpsestError) as caught:
            pool.run(_refuse, "http://127.0.0.1/r", about="http://127.0.0.1/r")
        assert type(caught.value) is PalimpsestError
        assert str(caught.value) == "http://127.0.0.1/r: refused"
        assert (caught.value.subject, caught.value.reason) == ("http://127.0.0.1/r", "refused")
        with pytest.raises(ExtractionTimeout) as stopped:
            pool.run(_sleep, 60.0, about="http://127.0.0.1/s", what="seed match")
        assert str(stopped.value) == "http://127.0.0.1/s: seed match took over 2 s (stopped)"
        new_pid, prepared, _ = pool.run(_where_and_prepared, 1, about="x")
        assert new_pid != pid and prepared == ["ready"]  # a new worker, prepared in turn
    finally:
        pool.close()


def test_a_worker_whose_preparation_failed_still_extracts() -> None:
    pool = ExtractPool(1, Limits(timeout=30.0), prepare=[_fail_to_prepare])
    try:
        assert "harbour wall 5 began" in pool.extract(ARTICLE, "http://127.0.0.1/a", None).text
    finally:
        pool.close()
