"""The seed corpus: ranking, alignment counts, relations, errors, and retrieval at scale."""

from __future__ import annotations

import html
import random
from pathlib import Path

import pytest
from palimpsest.diffing import CorpusError, SeedCorpus, SeedMatch

DATA = Path(__file__).parent / "data"


def _page(story: str) -> str:
    """A news page carrying `story`: navigation, a newsletter box, teasers and a footer."""
    lines = [line.strip() for line in story.splitlines() if line.strip()]
    paragraphs = "\n".join(f"<p>{html.escape(line)}</p>" for line in lines[1:])
    return f"""<!DOCTYPE html><html><head><title>{html.escape(lines[0])}</title></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<main><article><h1>{html.escape(lines[0])}</h1>{paragraphs}</article>
<aside><h2>More stories</h2><ul><li><a href="/a">Storm floods coastal towns</a></li>
<li><a href="/b">Central bank holds rates steady</a></li></ul></aside></main>
<footer>Copyright 2025 Example News. All rights reserved.</footer></body></html>"""


def _text_share(match: SeedMatch, label: str) -> float:
    total = sum(match.counts[k] for k in ("identical", "edited", "paraphrase", "partial", "added"))
    return match.counts[label] / total


def test_page_with_seed_002_matches_002_first(
    corpus: SeedCorpus, raw_seeds: dict[str, str], names: dict[str, str]
) -> None:
    from palimpsest.extractors import extract

    article = extract(_page(raw_seeds[names["002"]]), "http://127.0.0.1/story.html")
    matches = corpus.match(article.text)
    assert matches[0].seed == names["002"]
    assert _text_share(matches[0], "identical") >= 0.85
    assert [m.similarity for m in matches] == sorted((m.similarity for m in matches), reverse=True)


def test_clean_002_matches_itself_then_its_republished_copy(
    corpus: SeedCorpus, clean_seeds: dict[str, str], names: dict[str, str]
) -> None:
    matches = corpus.match(clean_seeds[names["002"]])
    assert [m.seed for m in matches[:2]] == [names["002"], names["000"]]
    assert matches[0].similarity == pytest.approx(1.0)
    assert _text_share(matches[0], "identical") == 1.0
    assert (
        matches[1].counts["edited"] > matches[1].counts["paraphrase"] + matches[1].counts["partial"]
    )


def test_rewrite_001_aligns_to_002_as_paraphrase(
    corpus: SeedCorpus, clean_seeds: dict[str, str], names: dict[str, str]
) -> None:
    matches = corpus.match(clean_seeds[names["001"]])
    assert matches[0].seed == names["001"]
    by_seed = {m.seed: m for m in matches}
    counts = by_seed[names["002"]].counts
    assert counts["paraphrase"] + counts["partial"] >= 8 and counts["identical"] == 0


def test_raw_seed_text_ranks_the_same(
    corpus: SeedCorpus, raw_seeds: dict[str, str], names: dict[str, str]
) -> None:
    """Page furniture left in a text barely moves the ranking."""
    for number in ("000", "002", "003", "004"):
        assert corpus.match(raw_seeds[names[number]], limit=1)[0].seed == names[number]


def test_unrelated_story_matches_nothing(corpus: SeedCorpus) -> None:
    """It shares the genre's vocabulary (cosine 0.08-0.22 with the seeds) but no sentence
    of it links to a seed sentence: no related coverage, no seed listed."""
    assert corpus.match((DATA / "unrelated_story.txt").read_text("utf-8")) == []


def test_match_to_dict_and_limit(corpus: SeedCorpus, clean_seeds: dict[str, str]) -> None:
    (only,) = corpus.match(next(iter(clean_seeds.values())), limit=1)
    d = only.to_dict()
    assert set(d) == {
        "seed",
        "title",
        "similarity",
        "counts",
        "links",
        "added",
        "dropped",
        "reordered",
    }
    assert set(d["counts"]) == {
        *("identical", "edited", "paraphrase", "partial", "added", "dropped")
    }
    assert set(only.to_dict(alignment=False)) == {"seed", "title", "similarity", "counts"}
    assert {"text_index", "seed_index", "text", "seed", "label", "score", "differences"} == set(
        d["links"][0]
    )
    assert corpus.match("") == []


def test_match_aligns_as_align_alone(corpus: SeedCorpus, clean_seeds: dict[str, str]) -> None:
    """The corpus aligns with cached seed features and similarities shared across the hits:
    the alignments are exactly those of `align` on the bare sentence lists."""
    from palimpsest.diffing import split_sentences
    from palimpsest.diffing.align import align

    story = (DATA / "unrelated_story.txt").read_text("utf-8")
    texts = [*clean_seeds.values(), story + "\n" + next(iter(clean_seeds.values()))]
    for text in texts + texts:  # the second time from the corpus's memo of their sentences
        matches = corpus.match(text, limit=5)
        assert matches
        for m in matches:
            plain = align(split_sentences(text), corpus.sentences(m.seed))
            assert m.alignment.to_dict() == plain.to_dict()


def test_the_corpus_owns_a_bounded_memo_that_is_not_pickled(clean_seeds: dict[str, str]) -> None:
    """The texts' sentence features live in the corpus (bounded, least recently used out),
    not in the module; a pickled corpus (the cached one) leaves them out and matches alike."""
    import pickle

    from palimpsest.diffing.corpus import SENTENCES_REMEMBERED

    corpus = SeedCorpus(clean_seeds)
    text = next(iter(clean_seeds.values()))
    first = [m.to_dict() for m in corpus.match(text)]
    memo = corpus._features.cache_info()
    assert 0 < memo.currsize <= memo.maxsize == SENTENCES_REMEMBERED
    copy = pickle.loads(pickle.dumps(corpus))
    assert copy._features.cache_info().currsize == 0
    assert [m.to_dict() for m in copy.match(text)] == first
    assert SeedCorpus(clean_seeds)._features is not corpus._features


def test_corpus_basics(corpus: SeedCorpus, raw_seeds: dict[str, str]) -> None:
    assert len(corpus) == len(raw_seeds) == 5
    assert corpus.names() == sorted(raw_seeds)
    name = corpus.names()[0]
    assert corpus.raw(name) == raw_seeds[name]
    assert corpus.word_count(name) > 100


def test_relations(corpus: SeedCorpus, names: dict[str, str]) -> None:
    relations = corpus.relations()
    pairs = {(r["a"], r["b"]): r for r in relations}
    assert len(pairs) == len(relations) == 10  # every pair of 5 seeds, once
    assert pairs[(names["000"], names["002"])]["relation"] == "edited copy"
    assert pairs[(names["001"], names["002"])]["relation"] == "rewrite"
    assert relations[0]["similarity"] >= relations[-1]["similarity"]


@pytest.mark.parametrize(
    ("docs", "kwargs", "message"),
    [
        ({"": "text"}, {}, "non-empty"),
        ({"a": b"bytes"}, {}, "seed a"),
        ({"a": "text"}, {"raw": {"b": "raw"}}, "unknown seed b"),
    ],
)
def test_bad_corpus_input(docs: dict, kwargs: dict, message: str) -> None:
    with pytest.raises(CorpusError, match=message):
        SeedCorpus(docs, **kwargs)


def test_bad_queries(corpus: SeedCorpus) -> None:
    with pytest.raises(CorpusError, match="limit"):
        corpus.match("some text", limit=0)
    with pytest.raises(CorpusError, match="no seed named nope"):
        corpus.text("nope")


def _synthetic_docs(n: int, seed: int = 7) -> dict[str, str]:
    """News-like filler: sentences drawn from a Zipf-ish vocabulary."""
    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(20_000)]
    weights = [1 / (i + 1) for i in range(len(vocab))]
    docs = {}
    for d in range(n):
        words = rng.choices(vocab, weights, k=300)
        docs[f"syn{d:05d}"] = " ".join(
            " ".join(words[i : i + 15]) + "." for i in range(0, len(words), 15)
        )
    return docs


def test_retrieval_finds_the_story_among_thousands(
    clean_seeds: dict[str, str], names: dict[str, str]
) -> None:
    """With thousands of distractors the pruned retrieval still surfaces the right seeds."""
    docs = {**_synthetic_docs(3000), **clean_seeds}
    big = SeedCorpus(docs)
    matches = big.match(clean_seeds[names["001"]], limit=3)
    assert matches[0].seed == names["001"]
    assert {m.seed for m in big.match(clean_seeds[names["002"]], limit=2)} == {
        names["002"],
        names["000"],
    }


@pytest.mark.parametrize(
    ("counts", "similarity", "label"),
    [
        ({"identical": 9, "edited": 1, "added": 1, "dropped": 0}, 0.9, "copy"),
        ({"identical": 2, "edited": 6, "added": 3, "dropped": 5}, 0.8, "edited copy"),
        ({"paraphrase": 5, "partial": 6, "added": 21, "dropped": 6}, 0.3, "rewrite"),  # 17
        ({"partial": 3, "added": 20, "dropped": 20}, 0.1, "related"),
        ({"added": 15, "dropped": 30}, 0.25, "related"),
        ({"added": 15, "dropped": 30}, 0.05, "unrelated"),
        ({}, 0.0, "unrelated"),
    ],
)
def test_relation_labels(counts: dict[str, int], similarity: float, label: str) -> None:
    from palimpsest.diffing.corpus import relation_label

    assert relation_label(counts, similarity) == label


def test_noise_floor_drops_texts_sharing_only_common_words() -> None:
    docs = {
        "bridge": "The mayor opened the new river bridge on Monday. Traffic was light.",
        "budget": "The council debated the budget on Monday. Taxes will rise.",
    }
    query = "On Monday the mayor opened a new bridge over the river."
    assert [m.seed for m in SeedCorpus(docs).match(query)] == ["bridge"]
    # Past the cosine floor, a seed is still listed only when a sentence links to it.
    assert [m.seed for m in SeedCorpus(docs, min_cosine=0.0).match(query)] == ["bridge"]
