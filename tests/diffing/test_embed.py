"""Soft word overlap from wordllama's static vectors, read from the installed wheel."""

from __future__ import annotations

import numpy as np
from palimpsest.diffing.embed import soft_overlap, word_vector
from palimpsest.diffing.text import terms


def _lists(sentences: list[str]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(sorted(set(terms(s)))) for s in sentences)


def test_word_vectors_are_unit_length_and_near_for_synonyms() -> None:
    v = word_vector("guarantees")
    assert v.shape == (256,) and abs(float(np.linalg.norm(v)) - 1.0) < 1e-5
    near = float(word_vector("guarantees") @ word_vector("assurances"))
    far = float(word_vector("guarantees") @ word_vector("bridge"))
    assert near > far + 0.1


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
