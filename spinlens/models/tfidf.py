"""TF-IDF with a frozen vocabulary, shared by the SemEval-2023 and SemEval-2025 models.

Saved as the term list and the idf weights (plain arrays, no pickle). Fitting uses
scikit-learn's ``TfidfVectorizer``; applying a fitted vocabulary is done here, with the
same analysers and the same arithmetic in the same order, because importing scikit-learn
costs about half a second of every cold start. The matrices are the same bit for bit
(``tests/test_models_sparse_features.py`` compares them with scikit-learn's).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, ClassVar, Self

import numpy as np

from spinlens.core.errors import ModelError
from spinlens.models.arrays import pack_strings, unpack_strings
from spinlens.models.sparse import sparse

# Corpora this small cannot satisfy a min_df/max_df tuned for hundreds of documents.
_SMALL_CORPUS = 10

# The vectoriser settings applied here, and those that only shaped the vocabulary when it was fitted.
_APPLIED = frozenset({"analyzer", "ngram_range", "token_pattern", "lowercase", "sublinear_tf"})
_FIT_ONLY = frozenset({"min_df", "max_df", "max_features"})
_DEFAULT_TOKEN_PATTERN = r"(?u)\b\w\w+\b"  # scikit-learn's
_WHITE_SPACES = re.compile(r"\s\s+")
_WORD_CACHE_SIZE = 200_000  # distinct words whose n-gram columns are remembered, per vocabulary

Analyzer = Callable[[str], list[str]]


def _word_ngrams(text: str, pattern: re.Pattern[str], lowercase: bool, min_n: int, max_n: int) -> list[str]:
    tokens: list[str] = pattern.findall(text.lower() if lowercase else text)
    if max_n == 1:
        return tokens
    grams = list(tokens) if min_n == 1 else []
    for n in range(max(min_n, 2), min(max_n, len(tokens)) + 1):
        grams.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return grams


@dataclass(frozen=True)
class CharWbAnalyzer:
    """Character n-grams inside words padded with a space, in scikit-learn's order.

    They never cross a word, so a text's n-grams are its words' in turn: :class:`TfidfEncoder`
    cuts each distinct word once (:meth:`words`, :meth:`word_ngrams`) instead of the whole text.
    """

    lowercase: bool
    min_n: int
    max_n: int

    def __call__(self, text: str) -> list[str]:
        grams: list[str] = []
        for word in self.words(text):
            grams.extend(self.word_ngrams(word))
        return grams

    def words(self, text: str) -> list[str]:
        return _WHITE_SPACES.sub(" ", text.lower() if self.lowercase else text).split()

    def word_ngrams(self, word: str) -> list[str]:
        padded = f" {word} "
        grams: list[str] = []
        for n in range(self.min_n, self.max_n + 1):
            if len(padded) <= n:  # a short word counts once, whole
                grams.append(padded)
                break
            grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
        return grams


def build_analyzer(params: Mapping[str, Any]) -> Analyzer:
    """The function that turns a text into its terms, as ``TfidfVectorizer(**params)`` would."""
    unsupported = set(params) - _APPLIED - _FIT_ONLY
    if unsupported:
        raise ModelError(
            f"TF-IDF settings {sorted(unsupported)} are not supported when applying a vocabulary"
        )
    min_n, max_n = params.get("ngram_range", (1, 1))
    lowercase = bool(params.get("lowercase", True))
    kind = params.get("analyzer", "word")
    if kind == "char_wb":
        return CharWbAnalyzer(lowercase, min_n, max_n)
    if kind == "word":
        pattern = re.compile(params.get("token_pattern", _DEFAULT_TOKEN_PATTERN))
        if pattern.groups > 1:
            raise ModelError(f"token pattern {pattern.pattern!r} captures more than one group")
        return partial(_word_ngrams, pattern=pattern, lowercase=lowercase, min_n=min_n, max_n=max_n)
    raise ModelError(f"TF-IDF analyzer {kind!r} is not supported when applying a vocabulary")


def _normalise_rows(matrix: sparse.csr_matrix) -> None:
    """Scale each row to unit length in place, rounding as scikit-learn's compiled loop does.

    That loop squares in the data's precision, sums the squares one by one in double
    precision, and divides in double precision; numpy's pairwise sums would differ in the
    last bit now and then.
    """
    data = matrix.data
    for start, end in zip(matrix.indptr[:-1], matrix.indptr[1:], strict=True):
        if start == end:
            continue
        row = data[start:end]
        total = float(np.cumsum((row * row).astype(np.float64))[-1])
        if total == 0.0:
            continue
        data[start:end] = (row.astype(np.float64) / np.sqrt(total)).astype(data.dtype)


class TfidfEncoder:
    """TF-IDF with a frozen vocabulary; rebuilt from saved terms and idf weights."""

    dtype: ClassVar[type[np.floating[Any]]] = np.float32

    def __init__(self, params: Mapping[str, Any], terms: list[str], idf: np.ndarray) -> None:
        self.params = dict(params)
        self.terms = terms
        self.idf = np.asarray(idf, dtype=np.float64)
        if len(self.idf) != len(terms):
            raise ModelError(f"{len(self.idf)} idf weights for {len(terms)} terms")
        self.vocabulary = dict(zip(terms, range(len(terms)), strict=True))
        self._analyze = build_analyzer(self.params)
        # Each distinct word's character n-gram columns, looked up once, not at every occurrence.
        self._word_columns: dict[str, np.ndarray] = {}

    @classmethod
    def fit(cls, texts: Sequence[str], params: Mapping[str, Any]) -> Self:
        """Learn the vocabulary and idf weights of ``texts``, the same on every kind of CPU.

        ``max_features`` keeps the most frequent terms, and among terms as frequent as the
        last one kept, the alphabetically first. scikit-learn's own cut breaks such ties by an
        unstable sort, whose order numpy's AVX-512 kernels change: the same data gave thousands
        of other terms on another CPU (all of the cut's frequency).
        """
        from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

        build_analyzer(params)  # refuse settings that could be fitted but not applied
        kwargs = dict(params)
        if "ngram_range" in kwargs:
            kwargs["ngram_range"] = tuple(kwargs["ngram_range"])
        if len(texts) < _SMALL_CORPUS:
            kwargs["min_df"] = 1
            kwargs["max_df"] = 1.0
        limit = kwargs.pop("max_features", None)
        sublinear_tf = bool(kwargs.pop("sublinear_tf", False))
        counter = CountVectorizer(dtype=cls.dtype, **kwargs)
        counts = counter.fit_transform(texts)  # columns in term order
        terms = counter.get_feature_names_out()
        if limit is not None and len(terms) > limit:
            frequency = np.asarray(counts.sum(axis=0, dtype=np.float64)).ravel()
            kept = np.sort(np.argsort(-frequency, kind="stable")[:limit])
            counts, terms = counts[:, kept], terms[kept]
        weighting = TfidfTransformer(sublinear_tf=sublinear_tf).fit(counts)
        return cls(params, [str(t) for t in terms], np.asarray(weighting.idf_))

    @property
    def size(self) -> int:
        return len(self.terms)

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        matrix = self._count(texts, self.dtype)
        if self.params.get("sublinear_tf"):
            np.log(matrix.data, matrix.data)
            matrix.data += 1.0
        matrix.data *= self.idf[matrix.indices]
        _normalise_rows(matrix)
        return matrix

    def counts(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """Raw term counts in the same columns (for per-sentence shares of a score)."""
        return self._count(texts, np.float64)

    def _count(self, texts: Sequence[str], dtype: type[np.floating[Any]]) -> sparse.csr_matrix:
        analyze = self._analyze
        if isinstance(analyze, CharWbAnalyzer):
            counts, columns, indptr = self._count_character_ngrams(analyze, texts)
        else:
            counts, columns, indptr = self._count_terms(analyze, texts)
        matrix = sparse.csr_matrix(
            (np.asarray(counts, dtype=dtype), columns, indptr), shape=(len(texts), len(self.terms))
        )
        matrix.sort_indices()
        return matrix

    def _count_terms(
        self, analyze: Analyzer, texts: Sequence[str]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        vocabulary = self.vocabulary
        columns: list[int] = []
        counts: list[int] = []
        indptr = [0]
        for text in texts:
            # Counted by distinct term first (in C): each known term is then looked up once.
            for term, times in Counter(analyze(text)).items():
                column = vocabulary.get(term)
                if column is not None:
                    columns.append(column)
                    counts.append(times)
            indptr.append(len(columns))
        return np.asarray(counts), np.asarray(columns, dtype=np.int32), np.asarray(indptr, dtype=np.int32)

    def _count_character_ngrams(
        self, analyze: CharWbAnalyzer, texts: Sequence[str]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each text's n-gram counts, in column order: every distinct word's columns (looked up
        once per word), weighted by how often the word occurs, summed by numpy."""
        pieces: list[np.ndarray] = []
        piece_rows: list[int] = []
        piece_times: list[int] = []
        for row, text in enumerate(texts):
            for word, times in Counter(analyze.words(text)).items():
                found = self._word_ngram_columns(analyze, word)
                if len(found):
                    pieces.append(found)
                    piece_rows.append(row)
                    piece_times.append(times)
        if not pieces:
            return np.zeros(0), np.zeros(0, dtype=np.int32), np.zeros(len(texts) + 1, dtype=np.int32)
        lengths = np.fromiter((len(piece) for piece in pieces), dtype=np.int64, count=len(pieces))
        width = len(self.terms)
        # One key per (row, column), so that sorting them sorts by row, then column.
        keys = np.concatenate(pieces) + np.repeat(np.asarray(piece_rows, dtype=np.int64) * width, lengths)
        cells, cell_of_key = np.unique(keys, return_inverse=True)
        counts = np.bincount(
            cell_of_key, weights=np.repeat(np.asarray(piece_times, dtype=np.float64), lengths)
        )
        rows, columns = np.divmod(cells, width)
        indptr = np.searchsorted(rows, np.arange(len(texts) + 1))
        return counts, columns.astype(np.int32), indptr.astype(np.int32)

    def _word_ngram_columns(self, analyze: CharWbAnalyzer, word: str) -> np.ndarray:
        """The vocabulary columns of a word's character n-grams, one per occurrence."""
        known = self._word_columns.get(word)
        if known is None:
            vocabulary = self.vocabulary
            grams = analyze.word_ngrams(word)
            known = np.fromiter(
                (column for g in grams if (column := vocabulary.get(g)) is not None), dtype=np.int64
            )
            if len(self._word_columns) >= _WORD_CACHE_SIZE:  # a corpus of millions would grow it without end
                self._word_columns.clear()
            self._word_columns[word] = known
        return known

    def save(self, prefix: str, arrays: dict[str, np.ndarray]) -> dict[str, Any]:
        arrays[f"{prefix}.terms"] = pack_strings(self.terms)
        arrays[f"{prefix}.idf"] = self.idf.astype(np.float32)
        return {"params": self.params, "size": self.size}

    @classmethod
    def load(cls, prefix: str, meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> Self:
        return cls(meta["params"], unpack_strings(arrays[f"{prefix}.terms"]), arrays[f"{prefix}.idf"])
