"""TF-IDF and feature hashing without scikit-learn give scikit-learn's matrices, bit for bit.

The shipped linear models were trained on scikit-learn's columns; analysis builds them
itself so that it need not import scikit-learn (half a second of every cold start).
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import textwrap
from typing import Any

import numpy as np
import pytest
from scipy import sparse
from sklearn.feature_extraction import FeatureHasher
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from spinlens.core.errors import ModelError
from spinlens.models import semeval2023, semeval2025
from spinlens.models.hashing import hash_features, hash_segments, segment_scores
from spinlens.models.store import load_semeval2023
from spinlens.models.tfidf import TfidfEncoder, build_analyzer

WORDS_TEXT = (
    "the a of we they our minister's plan is a disgrace critics called it shameless betrayal nation "
    "sources say deal doomed never surrender president told reporters Café naïve Ünïon straße "
    "über-rich co-operation 2024 3.5% U.S. e-mail it's don't !!! ?? -- … “quoted” «guillemets» "
    "Kyiv Moscow NATO EU $5bn x y I ok élite façade 日本 emoji🙂 A I"
)
WORDS = WORDS_TEXT.split()
SEPARATORS = (" ", " ", " ", "  ", "\n", "\n\n", "\t", " \u00a0", ", ", ". ")


def texts(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    made = ["", "   ", "a", "I", "Hello", "x  y\t\tz\n\nw"]
    for _ in range(n):
        words = [rng.choice(WORDS) for _ in range(rng.randint(1, 120))]
        made.append("".join(w + rng.choice(SEPARATORS) for w in words).strip(rng.choice(["", " ", "."])))
    return made


PARAMS = {
    "paragraph word": semeval2023.PARAGRAPH_WORD_PARAMS,
    "paragraph char_wb": semeval2023.PARAGRAPH_CHAR_PARAMS,
    "article word": semeval2023.ARTICLE_WORD_PARAMS,
    "article char_wb": semeval2023.ARTICLE_CHAR_PARAMS,
    "narratives": semeval2025.NARRATIVE_TFIDF,
    "roles": semeval2025.ROLE_TFIDF,
    "trigrams from two": {"ngram_range": [2, 3], "min_df": 1},
    "unigrams, no sublinear tf": {"lowercase": False},
}


def sklearn_vectoriser(encoder: TfidfEncoder) -> TfidfVectorizer:
    """How the models applied their vocabulary before: scikit-learn's vectoriser with the saved idf."""
    kwargs: dict[str, Any] = {
        k: v for k, v in encoder.params.items() if k not in ("min_df", "max_df", "max_features")
    }
    if "ngram_range" in kwargs:
        kwargs["ngram_range"] = tuple(kwargs["ngram_range"])
    vectoriser = TfidfVectorizer(vocabulary=encoder.vocabulary, dtype=encoder.dtype, **kwargs)
    vectoriser.idf_ = encoder.idf
    return vectoriser


def assert_same(mine: sparse.spmatrix, theirs: sparse.spmatrix) -> None:
    mine, theirs = sparse.csr_matrix(mine), sparse.csr_matrix(theirs)
    assert mine.shape == theirs.shape and mine.dtype == theirs.dtype
    assert np.array_equal(mine.indptr, theirs.indptr)
    assert np.array_equal(mine.indices, theirs.indices)
    # Bit for bit: not one rounding may differ, or retrained models would stop matching the shipped ones.
    assert mine.data.tobytes() == theirs.data.tobytes()


@pytest.mark.parametrize("name", PARAMS)
@pytest.mark.parametrize("encoder_class", [TfidfEncoder, semeval2025.TfidfEncoder])
def test_tfidf_matches_scikit_learn_bit_for_bit(name: str, encoder_class: type[TfidfEncoder]) -> None:
    encoder = encoder_class.fit(texts(60, seed=1), PARAMS[name])
    assert encoder.size > 10
    unseen = texts(40, seed=2)
    assert_same(encoder.transform(unseen), sklearn_vectoriser(encoder).transform(unseen))
    counter_kwargs = {
        k: (tuple(v) if k == "ngram_range" else v)
        for k, v in encoder.params.items()
        if k in ("ngram_range", "token_pattern", "lowercase", "analyzer")
    }
    counter = CountVectorizer(vocabulary=encoder.vocabulary, dtype=np.float64, **counter_kwargs)
    assert_same(encoder.counts(unseen), counter.transform(unseen))


def test_the_vocabulary_cut_keeps_the_alphabetically_first_of_tied_terms() -> None:
    corpus = ["alpha beta zeta gamma delta", "alpha beta", "zeta mu", "mu nu"] * 3
    # alpha, beta, mu and zeta occur 6 times, delta, gamma and nu 3: two of the last three go.
    encoder = TfidfEncoder.fit(corpus, {"max_features": 5})
    assert encoder.terms == ["alpha", "beta", "delta", "mu", "zeta"]
    # The weights are those scikit-learn gives the same terms.
    reference = TfidfVectorizer(vocabulary=encoder.terms, dtype=np.float32).fit(corpus)
    assert encoder.idf.tobytes() == np.asarray(reference.idf_, dtype=np.float64).tobytes()


@pytest.mark.parametrize("name", ["paragraph word", "paragraph char_wb"])
def test_without_ties_at_the_cut_the_vocabulary_is_scikit_learns(name: str) -> None:
    params = dict(PARAMS[name], max_features=None)
    full = TfidfEncoder.fit(texts(60, seed=1), params)
    assert full.size > 40
    counts = np.asarray(full.counts(texts(60, seed=1)).sum(axis=0)).ravel()
    # The longest vocabulary whose last term is more frequent than the first one cut.
    ordered = np.sort(counts)[::-1]
    limit = next(k for k in range(full.size - 1, 0, -1) if ordered[k - 1] != ordered[k])
    assert limit > 10
    params["max_features"] = limit
    mine = TfidfEncoder.fit(texts(60, seed=1), params)
    kwargs = dict(params, ngram_range=tuple(params["ngram_range"]))
    theirs = TfidfVectorizer(dtype=np.float32, **kwargs).fit(texts(60, seed=1))
    assert mine.terms == [str(t) for t in theirs.get_feature_names_out()]
    assert mine.idf.tobytes() == np.asarray(theirs.idf_, dtype=np.float64).tobytes()


def test_the_vocabulary_does_not_depend_on_numpys_sort_kernels() -> None:
    # numpy sorts with AVX-512 where the CPU has it, and its unstable sorts then order ties
    # otherwise; scikit-learn's own cut gave a few dozen other terms on such CPUs.
    from numpy._core._multiarray_umath import __cpu_features__

    faster = [f for f in ("AVX512_ICL", "AVX512_SKX", "X86_V4") if __cpu_features__.get(f)]
    if not faster:
        pytest.skip("this CPU has no AVX-512 sort kernels to switch off")
    code = textwrap.dedent(
        """
        import hashlib, random
        from spinlens.models.tfidf import TfidfEncoder
        rng = random.Random(5)
        words = [f"w{i}" for i in range(3000)]
        corpus = [" ".join(rng.choice(words) for _ in range(300)) for _ in range(40)]
        encoder = TfidfEncoder.fit(corpus, {"max_features": 1500})
        print(hashlib.sha256(" ".join(encoder.terms).encode() + encoder.idf.tobytes()).hexdigest())
        """
    )
    digests = set()
    for disabled in ("", " ".join(faster)):
        env = {**os.environ, "NPY_DISABLE_CPU_FEATURES": disabled}
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, env=env
        )
        assert result.returncode == 0, result.stderr
        digests.add(result.stdout.strip())
    assert len(digests) == 1


def test_remembered_words_give_the_same_matrix_when_the_memory_fills(monkeypatch: pytest.MonkeyPatch) -> None:
    # Character n-grams are looked up once per distinct word; the memory is emptied when full.
    import spinlens.models.tfidf

    monkeypatch.setattr(spinlens.models.tfidf, "_WORD_CACHE_SIZE", 7)
    encoder = TfidfEncoder.fit(texts(60, seed=1), PARAMS["paragraph char_wb"])
    unseen = texts(40, seed=2)
    expected = sklearn_vectoriser(encoder).transform(unseen)
    for _ in range(2):  # the second pass starts from whatever the first left remembered
        assert_same(encoder.transform(unseen), expected)
        assert 0 < len(encoder._word_columns) <= 7


def test_the_shipped_vocabularies_give_scikit_learns_matrices() -> None:
    models = load_semeval2023()
    encoders = [models.articles.word, models.articles.char, models.stage1.word, models.stage1.char]
    shipped_2025 = semeval2025.load_semeval2025()
    encoders += [shipped_2025.narratives.encoder, shipped_2025.roles.encoder]
    sample = texts(30, seed=3)
    for encoder in encoders:
        assert_same(encoder.transform(sample), sklearn_vectoriser(encoder).transform(sample))


def test_feature_hashing_matches_scikit_learn() -> None:
    rng = random.Random(4)
    names = [f"{kind}={w}" for kind in ("w", "lw", "rw", "s") for w in WORDS] + ["", "bias", "é" * 40]
    rows = [
        [(rng.choice(names), rng.choice([1.0, 0.5, -2.0, 0.0, 3])) for _ in range(rng.randint(0, 60))]
        for _ in range(50)
    ]
    for n_features in (2**16, 2**18, 7):
        theirs = FeatureHasher(n_features=n_features, input_type="pair", alternate_sign=False).transform(rows)
        assert_same(hash_features(rows, n_features), theirs)
    assert hash_features([], 16).shape == (0, 16)


def test_rows_of_shared_segments_hash_as_their_concatenation() -> None:
    # Token rows share their sentence's and paragraph's feature lists; each shared list is looked up
    # once, and the matrix must be the one the concatenated rows give, bit for bit.
    rng = random.Random(9)
    names = [f"{kind}={w}" for kind in ("w", "sw", "p") for w in WORDS]
    shared = [
        [(rng.choice(names), rng.choice([1.0, 0.3, 0.0])) for _ in range(rng.randint(0, 20))]
        for _ in range(6)
    ]
    rows = [
        ([(rng.choice(names), 1.0) for _ in range(rng.randint(0, 8))], rng.choice(shared), rng.choice(shared))
        for _ in range(80)
    ]
    flat = [[pair for segment in row for pair in segment] for row in rows]
    theirs = FeatureHasher(n_features=2**12, input_type="pair", alternate_sign=False).transform(flat)
    assert_same(hash_segments(rows, 2**12), theirs)
    assert_same(hash_segments(iter(rows), 2**12), hash_features(flat, 2**12))


def test_segment_scores_are_the_hashed_matrix_times_the_weights() -> None:
    # The span tagger scores tokens without making the matrix: each shared segment is summed once,
    # so the order of the additions differs and the scores agree to rounding.
    rng = random.Random(4)
    names = [f"{kind}={w}" for kind in ("w", "sw", "p") for w in WORDS] + ["bias"]
    shared = [
        [(rng.choice(names), rng.choice([1.0, 0.3, 0.0, 0.77])) for _ in range(rng.randint(0, 20))]
        for _ in range(6)
    ]
    rows = [
        ([(rng.choice(names), 1.0) for _ in range(rng.randint(0, 8))], rng.choice(shared), rng.choice(shared))
        for _ in range(80)
    ]
    coef = np.random.default_rng(4).normal(size=2**12).astype(np.float32)
    weights: dict[str, float] = {}
    expected = np.asarray(hash_segments(rows, 2**12) @ coef, dtype=np.float64)
    for _ in range(2):  # the second call reads the weights it remembered
        got = segment_scores(iter(rows), coef, weights)
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)
    assert set(weights) == {name for row in rows for segment in row for name, _ in segment}
    assert segment_scores([], coef, weights).shape == (0,)


def test_remembered_hash_columns_stay_right_when_the_memory_fills(monkeypatch: pytest.MonkeyPatch) -> None:
    import spinlens.models.hashing

    monkeypatch.setattr(spinlens.models.hashing, "_REMEMBERED", 5)
    monkeypatch.setattr(spinlens.models.hashing, "_columns", {})
    rows = [[(f"w={w}", 1.0), ("bias", 1.0)] for w in WORDS * 2]
    theirs = FeatureHasher(n_features=2**10, input_type="pair", alternate_sign=False).transform(rows)
    for _ in range(2):  # the second pass starts from whatever the first left remembered
        assert_same(hash_features(rows, 2**10), theirs)
    assert 0 < len(spinlens.models.hashing._columns[2**10]) <= 5


def test_settings_that_cannot_be_applied_are_refused() -> None:
    with pytest.raises(ModelError, match="stop_words"):
        build_analyzer({"stop_words": "english"})
    with pytest.raises(ModelError, match="analyzer 'char'"):
        build_analyzer({"analyzer": "char"})
    with pytest.raises(ModelError, match="more than one group"):
        build_analyzer({"token_pattern": r"(a)(b)"})
    with pytest.raises(ModelError, match="idf weights"):
        TfidfEncoder({}, ["one", "two"], np.ones(3))


def test_analysis_does_not_import_scikit_learn() -> None:
    code = textwrap.dedent(
        """
        import sys
        from spinlens.core.model import Article
        from spinlens.pipeline import load_pipeline
        text = 'Critics called the plan a shameless betrayal. Sources say it was doomed.\\n\\n"No," he said.'
        for profile in ("default", "fast"):
            assert load_pipeline(profile)(Article(text=text)).findings, profile
        print(sorted(m for m in sys.modules if m.split(".")[0] == "sklearn"))
        """
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
