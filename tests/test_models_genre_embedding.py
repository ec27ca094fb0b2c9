"""The genre head that reads sentence embeddings: fitting, mixing with the TF-IDF head, saving, using."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from test_models_semeval2023 import make_corpus

from spinlens.analysers.base import Context
from spinlens.analysers.techniques import GenreFramesAnalyser
from spinlens.core.model import Analysis, Article
from spinlens.core.settings import GENRES
from spinlens.models.semeval2023 import CONFIG_FILE, article_style
from spinlens.models.store import load_semeval2023
from spinlens.nlp.embed import article_embeddings
from spinlens.nlp.segment import paragraphs
from spinlens.train.semeval2023 import fit_embedded_genre, tune_genre_mix

rng = np.random.default_rng(3)


def _clusters(genres: list[str], per_genre: int = 20) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Unit vectors around one random centre per genre, with random style ratios."""
    centres = {g: rng.normal(size=384) for g in genres}
    rows, names = [], []
    for g in genres:
        for _ in range(per_genre):
            v = centres[g] + 0.3 * rng.normal(size=384)
            rows.append(v / np.linalg.norm(v))
            names.append(g)
    return np.array(rows), rng.uniform(0, 1, size=(len(rows), 8)), names


def test_embedded_head_keeps_the_genre_order_and_never_picks_an_unseen_genre() -> None:
    embeddings, styles, names = _clusters(["satire", "opinion"])  # reporting absent, order shuffled
    head = fit_embedded_genre(embeddings, styles, names, seed=1)
    assert head is not None
    assert head.coef.shape == (len(GENRES), 384 + 8)
    predicted = [GENRES[i] for i in head.decision(embeddings, styles).argmax(axis=1)]
    assert predicted == names
    assert "reporting" not in predicted


def test_embedded_head_with_three_genres_separates_them() -> None:
    embeddings, styles, names = _clusters(list(GENRES))
    head = fit_embedded_genre(embeddings, styles, names, seed=1)
    assert head is not None
    predicted = [GENRES[i] for i in head.decision(embeddings, styles).argmax(axis=1)]
    assert predicted == names


def test_no_embedded_head_from_a_single_genre() -> None:
    embeddings, styles, names = _clusters(["opinion"])
    assert fit_embedded_genre(embeddings, styles, names, seed=1) is None


def test_mix_follows_the_head_that_separates_the_genres() -> None:
    gold = [0] * 30 + [1] * 6 + [2] * 4
    informative = np.eye(3)[gold] * 4.0
    noise = 10.0 * rng.normal(size=(len(gold), 3))
    share, _, f1 = tune_genre_mix(gold, noise, informative)
    assert share == 1.0 and f1 == pytest.approx(1.0)
    share, _, f1 = tune_genre_mix(gold, informative, noise)
    assert share == 0.0 and f1 == pytest.approx(1.0)


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from spinlens.train.semeval2023 import train

    root = tmp_path_factory.mktemp("genre")
    return train(make_corpus(root / "en"), root / "models", seed=5)


def test_training_writes_the_embedded_head_and_it_survives_a_round_trip(trained: Path) -> None:
    card = json.loads((trained / "model_card.json").read_text(encoding="utf-8"))
    share = card["thresholds"]["genre_embedding_share"]
    assert share in (0.0, 0.25, 0.5, 0.75, 1.0)
    assert set(card["thresholds"]["genre_bias_with_embedding"]) == set(GENRES)
    head = load_semeval2023(trained).articles.embedded_genre
    assert head is not None and head.share == share
    assert head.coef.shape == (len(GENRES), 384 + len(head.style_mean))


def test_older_models_without_the_embedded_head_use_tfidf_alone(trained: Path, tmp_path: Path) -> None:
    older = tmp_path / "older"
    shutil.copytree(trained, older)
    config = json.loads((older / CONFIG_FILE).read_text(encoding="utf-8"))
    del config["articles"]["embedded_genre"]
    (older / CONFIG_FILE).write_text(json.dumps(config), encoding="utf-8")
    models = load_semeval2023(older)
    assert models.articles.embedded_genre is None
    text = "Council vote\n\nThe council met on Monday to discuss the water budget.\n"
    with_embeddings = models.predict_article_labels([text], article_embeddings([text]))[0]
    without = models.predict_article_labels([text])[0]
    assert with_embeddings == without


def test_the_mix_uses_the_embedding_exactly_as_stored(trained: Path) -> None:
    models = load_semeval2023(trained)
    head = models.articles.embedded_genre
    assert head is not None
    texts = ["Budget\n\nOfficials said the school plan would be reviewed in June.\n"]
    embeddings = article_embeddings(texts)
    X = models.articles.features(texts)
    tfidf = models.articles.genre.decision(X)
    expected = (
        (1 - head.share) * tfidf
        + head.share * head.decision(embeddings, np.vstack([article_style(t) for t in texts]))
        + head.bias
    )
    scores = models.predict_article_labels(texts, embeddings)[0][1]
    probabilities = np.exp(expected[0] - expected[0].max())
    probabilities /= probabilities.sum()
    assert [scores[g] for g in GENRES] == pytest.approx(list(probabilities))


def test_article_embeddings_are_unit_vectors_of_the_opening_paragraphs() -> None:
    opening = "Title\n\n" + "\n\n".join(f"Paragraph {i} about the harbour." for i in range(12))
    longer = opening + "\n\nA thirteenth paragraph that the embedding never reads."
    first, second, empty = article_embeddings([opening, longer, ""])
    assert np.linalg.norm(first) == pytest.approx(1.0, abs=1e-5)
    assert np.allclose(first, second, atol=1e-6)
    assert not empty.any()


def test_default_genre_analyser_reads_the_embedding_and_says_so() -> None:
    models = load_semeval2023()
    if models.articles.embedded_genre is None:
        pytest.fail("the shipped SemEval-2023 model has no embedding genre head; retrain it")
    article = Article(
        text="Opinion\n\nThis shameful decision by the council is a disgrace, and you know it.\n"
    )
    for embed in (False, True):
        analysis = Analysis(article)
        GenreFramesAnalyser(models, embed=embed)(
            Context(analysis=analysis, doc=None, paragraphs=paragraphs(article.text))
        )
        genre = analysis.labels_of("genre")[0]
        assert ("sentence embeddings" in genre.reason) is embed
