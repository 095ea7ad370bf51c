"""Soft word overlap from wordllama's static vectors, read from the installed wheel."""

from __future__ import annotations

import numpy as np
from palimpsest.diffing import split_sentences
from palimpsest.diffing.embed import (
    TermTable,
    idf_of,
    soft_overlap,
    soft_overlap_of,
    word_vector,
)
from palimpsest.diffing.text import terms


def _lists(sentences: list[str]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(sorted(set(terms(s)))) for s in sentences)


def test_word_vectors_are_unit_length_and_near_for_synonyms() -> None:
    v = word_vector("guarantees")
    assert v.shape == (256,) and abs(float(np.linalg.norm(v)) - 1.0) < 1e-5
    near = float(word_vector("guarantees") @ word_vector("assurances"))
    far = float(word_vector("guarantees") @ word_vector("bridge"))
    assert near > far + 0.1


def test_word_vectors_are_the_normalised_sum_of_their_tokens_rows() -> None:
    """Batched from the remembered token ids, each row is the plain definition."""
    from palimpsest.diffing.embed import _model, word_vectors

    tokenizer, matrix = _model()
    words = ["Zelenskyy", "guarantees", "counter-proposal", "guarantees", "a"]
    batch = word_vectors(words)
    for word, row in zip(words, batch, strict=True):
        ids = [t.id for t in tokenizer.model.tokenize("▁" + word)]
        plain = matrix[ids].sum(axis=0)
        assert np.allclose(row, plain / np.linalg.norm(plain), atol=1e-6)
    assert word_vectors([]).shape == (0, 256)


def test_soft_overlap_ranks_a_paraphrase_above_a_same_topic_sentence() -> None:
    a = _lists(["The president rejected the offer of the minister."])
    b = _lists(
        [
            "The minister's proposal was turned down by the president.",
            "The minister travelled to the capital on Wednesday.",
            "",
        ]
    )
    idf = dict.fromkeys({w for t in a + b for w in t}, 1.0)
    soft = soft_overlap(a, b, idf)
    assert soft.shape == (1, 3)
    assert soft[0, 0] > soft[0, 1] > 0.0
    assert soft[0, 2] == 0.0  # a sentence without content terms overlaps nothing
    same = soft_overlap(a, a, idf)
    assert abs(same[0, 0] - 1.0) < 1e-5


def _random_sentences(rng: np.random.Generator, words: list[str], n: int) -> list[str]:
    """Sentences of words drawn from `words` (repeats, empty sentences and one-word ones
    included), so that term lists overlap, repeat terms and sometimes hold none."""
    out = []
    for _ in range(n):
        size = int(rng.integers(0, 14))
        out.append(" ".join(rng.choice(words, size).tolist()).capitalize() + ".")
    return out


def test_soft_overlap_from_tables_equals_the_plain_definition(
    clean_seeds: dict[str, str],
) -> None:
    """The per-side layout (`TermTable`, what alignment uses) gives bit for bit the plain
    definition's figures: on every pair of seeds (each against itself too) and on random
    texts drawn from a small vocabulary with the seeds' words mixed in."""
    texts = [split_sentences(t) for t in clean_seeds.values()]
    rng = np.random.default_rng(19)
    words = sorted({w for t in texts[:2] for s in t for w in s.split()})[:60]
    words += ["harbour", "bridge", "mayor", "the", "of", "rejected", "turned", "down"]
    texts += [_random_sentences(rng, words, int(rng.integers(1, 25))) for _ in range(12)]
    texts.append([""])
    for a in texts:
        for b in texts:
            la, lb = _lists(a), _lists(b)
            plain = soft_overlap(la, lb, idf_of(la, lb))
            fast = soft_overlap_of(TermTable.of(la), TermTable.of(lb))
            assert fast.shape == plain.shape and fast.tobytes() == plain.tobytes()


def test_vectors_load_from_the_installed_wheel_without_any_hub_client() -> None:
    """No download can happen: aligning in a fresh interpreter loads the weights and the
    tokenizer from wordllama's files, and neither wordllama's loader nor a Hugging Face
    client is ever imported."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from palimpsest.diffing.align import align\n"
        "a = align(['The president rejected the minister offer on Monday.'],"
        " ['The minister offer was turned down by the president.'])\n"
        "assert len(a.links) == 1, a.links\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in"
        " {'wordllama', 'huggingface_hub', 'requests', 'httpx2'})\n"
        "assert not loaded, loaded\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


def test_shared_similarity_slices_equal_the_direct_products(clean_seeds: dict[str, str]) -> None:
    """One product of a text's vocab with the union of several seeds' gives, sliced, bit
    for bit each seed's own product (what the corpus's match relies on)."""
    from palimpsest.diffing.embed import SharedSimilarity, term_similarity

    tables = [TermTable.of(_lists(split_sentences(t))) for t in clean_seeds.values()]
    rng = np.random.default_rng(7)
    words = sorted({w for t in tables for w in t.vocab})
    tables.append(TermTable.of(_lists(_random_sentences(rng, words, 9))))
    for text in tables:
        shared = SharedSimilarity(text, tables)
        for other in tables:
            direct = term_similarity(list(text.vocab), list(other.vocab))
            assert shared.against(other).tobytes() == direct.tobytes()
