"""Training, saving, loading and official-format prediction of the SemEval-2023 models."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest

from spinlens.core.errors import DataError, ModelError
from spinlens.core.settings import FRAMES, GENRES, TECHNIQUES
from spinlens.datasets.semeval2023 import (
    LINES_FILE,
    load_dataset,
    read_article_texts,
    read_label_files,
)
from spinlens.evaluate.semeval2023 import predict_labels, score_labels, trivial_baseline
from spinlens.models.semeval2023 import WEIGHTS_FILE, Semeval2023Models
from spinlens.models.store import SHIPPED_SEMEVAL2023_DIR, load_semeval2023
from spinlens.nlp.segment import paragraphs
from spinlens.report.semeval import write_semeval2023_predictions
from spinlens.train.semeval2023 import train

FIXTURE = Path(__file__).parent / "fixtures" / "semeval2023"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "semeval2023-task3" / "en"

# Invented sentence templates: (text, technique or None, genre hint, frame).
NEUTRAL = [
    "The {body} met on {day} to discuss the {topic} budget.",
    "Officials said the {topic} plan would be reviewed in {month}.",
    "About {n} residents attended the hearing at the town hall.",
    "The proposal was approved by a vote of {n} to two.",
    "A spokesperson for the {body} declined to comment on the {topic} report.",
]
LOADED = [
    ("This {adj} decision by the {body} is a disgrace.", "Loaded_Language", "{adj}"),
    ("These {insult} have ruined the {topic} system.", "Name_Calling-Labeling", "{insult}"),
    ("Never in history has a {body} been so utterly {adj}.", "Exaggeration-Minimisation", "utterly {adj}"),
    (
        "If we allow this, our {topic} will collapse and our children will suffer.",
        "Appeal_to_Fear-Prejudice",
        "our {topic} will collapse and our children will suffer",
    ),
    ("Act now, before it is too late!", "Appeal_to_Time", "Act now, before it is too late!"),
]
SATIRE = [
    "In a bold move, the mayor announced that the {topic} budget will be paid in seashells.",
    "Local pigeons applauded the {body} for its courage.",
]
FILL = {
    "body": ["council", "committee", "board", "assembly"],
    "day": ["Monday", "Tuesday", "Friday"],
    "topic": ["school", "water", "housing", "transport"],
    "month": ["March", "June", "October"],
    "n": ["40", "120", "300"],
    "adj": ["shameful", "disgraceful", "outrageous", "pathetic"],
    "insult": ["clowns", "crooks", "bureaucrats", "puppets"],
}


def _fill(template: str, choice: dict[str, str]) -> str:
    return template.format(**choice)


def make_corpus(root: Path, n_articles: int = 36, seed: int = 1) -> Path:
    """Write an invented SemEval-style folder whose labels follow from the templates used."""
    rng = random.Random(seed)
    (root / "articles").mkdir(parents=True)
    genre_rows, frame_rows, line_rows, span_rows = [], [], [], []
    for k in range(n_articles):
        article_id = str(800000000 + k)
        genre = GENRES[k % 3] if k % 3 != 2 or k % 2 == 0 else "opinion"
        choice = {key: rng.choice(values) for key, values in FILL.items()}
        lines: list[tuple[str, list[tuple[str, str]]]] = [(f"News about the {choice['topic']} plan", [])]
        for _ in range(rng.randint(3, 6)):
            if genre == "opinion" and rng.random() < 0.6:
                template, technique, marked = rng.choice(LOADED)
                sentence = _fill(template, choice)
                lines.append((sentence, [(technique, _fill(marked, choice))]))
            elif genre == "satire" and rng.random() < 0.5:
                lines.append((_fill(rng.choice(SATIRE), choice), []))
            else:
                lines.append((_fill(rng.choice(NEUTRAL), choice), []))
        text = "\n\n".join(line for line, _ in lines) + "\n"
        (root / "articles" / f"article{article_id}.txt").write_text(text, encoding="utf-8")
        genre_rows.append(f"{article_id}\t{genre}\n")
        frames = ["Economic"] + (["Political"] if choice["body"] == "council" else [])
        frame_rows.append(f"{article_id}\t{','.join(frames)}\n")
        marks_of = dict(lines)
        offset = 0
        for number, line in enumerate(text.split("\n"), start=1):
            if line.strip():
                marks = marks_of.get(line, [])
                line_rows.append(f"{article_id}\t{number}\t{','.join(t for t, _ in marks)}\n")
                for technique, phrase in marks:
                    start = offset + line.index(phrase)
                    span_rows.append(f"{article_id}\t{technique}\t{start}\t{start + len(phrase)}\n")
            offset += len(line) + 1
    (root / "labels-subtask-1.txt").write_text("".join(genre_rows), encoding="utf-8")
    (root / "labels-subtask-2.txt").write_text("".join(frame_rows), encoding="utf-8")
    (root / "labels-subtask-3.txt").write_text("".join(line_rows), encoding="utf-8")
    (root / "labels-subtask-3-spans.txt").write_text("".join(span_rows), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("corpus")
    data = make_corpus(root / "en")
    out = train(data, root / "models", seed=7)
    return data, out


def test_train_writes_a_loadable_model_with_a_card(trained: tuple[Path, Path]) -> None:
    data, out = trained
    card = json.loads((out / "model_card.json").read_text(encoding="utf-8"))
    assert card["seed"] == 7
    assert card["data"] == str(data.resolve())
    assert card["labels"]["techniques"] == list(TECHNIQUES)
    assert set(card["thresholds"]["frames"]) == set(FRAMES)
    assert "paragraph_micro_f1" in card["inner_cv"]
    models = load_semeval2023(out)
    assert models.techniques == list(TECHNIQUES)


def test_trained_model_learns_the_invented_patterns(trained: tuple[Path, Path]) -> None:
    _, out = trained
    models = load_semeval2023(out)
    text = (
        "Housing plan\n\nThis outrageous decision by the board is a disgrace.\n\nThe board met on Monday.\n"
    )
    output = models.predict_techniques(text)
    loaded = {p.line: p.scores["Loaded_Language"] for p in output.paragraphs}
    assert loaded[3] > loaded[5]
    assert any(
        s.technique == "Loaded_Language" and "outrageous" in text[s.start : s.end] for s in output.spans
    )


def test_training_is_deterministic(trained: tuple[Path, Path], tmp_path: Path) -> None:
    data, out = trained
    again = train(data, tmp_path / "again", seed=7)
    with np.load(out / WEIGHTS_FILE) as first, np.load(again / WEIGHTS_FILE) as second:
        assert first.files == second.files
        for key in first.files:
            assert np.array_equal(first[key], second[key]), key


def test_train_refuses_a_malformed_folder(tmp_path: Path) -> None:
    with pytest.raises(DataError):
        train(tmp_path / "nothing", tmp_path / "out")


def test_missing_or_corrupt_models_raise_model_error(trained: tuple[Path, Path], tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="no such model folder"):
        load_semeval2023(tmp_path / "absent")
    _, out = trained
    broken = tmp_path / "broken"
    broken.mkdir()
    for path in out.iterdir():
        (broken / path.name).write_bytes(path.read_bytes())
    (broken / WEIGHTS_FILE).write_bytes(b"not a zip file")
    with pytest.raises(ModelError, match="corrupt"):
        load_semeval2023(broken)
    config = json.loads((out / "config.json").read_text(encoding="utf-8"))
    config["format_version"] = 999
    (broken / WEIGHTS_FILE).write_bytes((out / WEIGHTS_FILE).read_bytes())
    (broken / "config.json").write_text(json.dumps(config), encoding="utf-8")
    with pytest.raises(ModelError, match="retrain"):
        load_semeval2023(broken)


def _shipped() -> Semeval2023Models:
    if not (SHIPPED_SEMEVAL2023_DIR / WEIGHTS_FILE).is_file():
        pytest.fail(f"shipped model missing in {SHIPPED_SEMEVAL2023_DIR}")
    return load_semeval2023()


def test_shipped_model_loads_and_is_within_budget() -> None:
    models = _shipped()
    size = sum(p.stat().st_size for p in SHIPPED_SEMEVAL2023_DIR.iterdir())
    assert size <= 25 * 1024 * 1024
    assert models.card["labels"]["techniques"] == list(TECHNIQUES)
    body = (FIXTURE / "articles" / "article900000002.txt").read_text(encoding="utf-8")
    # Speed is measured by bench/bench_pipeline.py, not asserted here.
    assert models.predict((body * 20)[:5000]).genre in GENRES


def test_naming_spans_reuses_the_articles_reading_without_changing_a_number() -> None:
    # The default profile names the encoder's spans right after predict_techniques read the article;
    # the tokens and stage-1 scores it reuses must be that article's, not a stale one's.
    models = _shipped()
    body = (FIXTURE / "articles" / "article900000002.txt").read_text(encoding="utf-8")
    other = "These shameless idiots have utterly ruined the harbour.\n\nNobody believes them anymore."
    paras = paragraphs(body)
    spans = [(p.start, p.start + 12) for p in paras[:3]]
    prior = np.full((len(paras), len(models.techniques)), 1.0 / len(models.techniques))
    other_paras = paragraphs(other)
    models.predict_techniques(other, other_paras)
    other_named = models.name_spans(other, other_paras, [(0, 10)], prior[:2])
    fresh = models.name_spans(body, paras, spans, prior)
    models.predict_techniques(body, paras)
    assert np.array_equal(models.name_spans(body, paras, spans, prior), fresh)
    assert np.array_equal(models.name_spans(body, paragraphs(body), spans, prior), fresh)
    # The other article's spans, asked for after this one was read, are named from its own reading.
    assert np.array_equal(models.name_spans(other, paragraphs(other), [(0, 10)], prior[:2]), other_named)


def test_prediction_files_round_trip(tmp_path: Path) -> None:
    models = _shipped()
    counts = write_semeval2023_predictions(FIXTURE / "articles", tmp_path, models)
    texts = read_article_texts(FIXTURE / "articles")
    n_lines = sum(len(paragraphs(t)) for t in texts.values())
    assert counts["articles"] == 4
    assert counts[LINES_FILE] == n_lines  # a row for every non-empty line
    written = read_label_files(tmp_path)
    in_memory = predict_labels(models, texts)
    assert (written.genres, written.frames, written.lines) == (
        in_memory.genres,
        in_memory.frames,
        in_memory.lines,
    )
    # The spans file has no row for an article without spans.
    assert written.spans == {k: v for k, v in in_memory.spans.items() if v}
    gold = read_label_files(FIXTURE)
    assert score_labels(gold, written) == score_labels(gold, in_memory)
    for article_id, spans in written.spans.items():
        for span in spans:
            assert 0 <= span.start < span.end <= len(texts[article_id])


@pytest.mark.skipif(not SHARED.is_dir(), reason=f"SemEval-2023 data not found at {SHARED}")
def test_models_trained_on_a_third_beat_trivial_baselines_on_unseen_articles() -> None:
    """A quick held-out check on the real data (the full 5-fold CV is in docs/quality.md)."""
    from spinlens.datasets.semeval2023 import Semeval2023Labels
    from spinlens.train.semeval2023 import article_folds, fit_models

    articles = sorted(load_dataset(SHARED).articles, key=lambda a: a.id)
    folds = article_folds([a.id for a in articles], 3, 13)
    train_part = [a for a, f in zip(articles, folds, strict=True) if f == 0]
    held = [a for a, f in zip(articles, folds, strict=True) if f == 1][::2]
    models = fit_models(train_part, seed=13)
    texts = {a.id: a.text for a in held}
    gold = Semeval2023Labels.from_articles(held)
    ours = score_labels(gold, predict_labels(models, texts))
    trivial = score_labels(gold, trivial_baseline(train_part, texts))
    metrics = ("genre_macro_f1", "frames_micro_f1", "paragraph_micro_f1", "span_any_f1", "span_technique_f1")
    for metric in metrics:
        assert ours[metric] > trivial[metric], (metric, ours[metric], trivial[metric])


def test_span_tagger_fitted_without_any_span_never_fires() -> None:
    # An inner fold of a small corpus can hold no span; liblinear refuses a single class.
    from spinlens.models.semeval2023 import SpanTagger, TokenizedArticle, token_targets

    arts = [TokenizedArticle.from_text(t) for t in ("Calm words here.", "More plain and quiet text.")]
    tagger = SpanTagger.fit(arts, [token_targets(a, []) for a in arts], [None, None], [], C=1.0, seed=1)
    assert (tagger.token_scores(arts[0]) < 0.01).all()
    marked = [token_targets(a, [(0, len(a.text))]) for a in arts]
    assert (SpanTagger.fit(arts, marked, [None, None], [], C=1.0, seed=1).token_scores(arts[1]) > 0.99).all()


def test_a_phrase_occurs_twice_exactly_when_count_says_so() -> None:
    from spinlens.models.semeval2023 import _occurs_twice

    draw = random.Random(7)
    for _ in range(2000):
        text = "".join(draw.choice("ab ") for _ in range(draw.randint(0, 12)))
        phrase = "".join(draw.choice("ab ") for _ in range(draw.randint(1, 4)))
        assert _occurs_twice(text, phrase) == (text.count(phrase) >= 2), (text, phrase)


def test_span_features_read_the_sentence_lengths_of_the_whole_article() -> None:
    from spinlens.models.semeval2023 import TokenizedArticle, _span_feature_names

    art = TokenizedArticle.from_text("Title here\n\nThey lie. They lie and lie and lie again, always.")
    lengths = [sum(1 for t in art.tokens if t.sentence == s) for s in range(art.tokens[-1].sentence + 1)]
    assert [art.sentence_lengths[s] for s in range(len(lengths))] == lengths
    first = next(i for i, t in enumerate(art.tokens) if t.text == "They")
    names = _span_feature_names(art, first, first + 1)  # "They lie": 2 of the 3 tokens of its sentence
    assert "sentcover=2" in names
    assert "phrase_rep" in names


def test_scores_by_paragraph_groups_each_paragraphs_tokens_in_order() -> None:
    from spinlens.models.semeval2023 import TokenizedArticle, scores_by_paragraph

    text = "One two.\n\nThree\n\n\n\nfour five six.\n\nSeven"
    art = TokenizedArticle.from_text(text)
    scores = np.arange(len(art.tokens) * 2, dtype=float).reshape(-1, 2)
    index = np.array([t.paragraph for t in art.tokens])
    n_paragraphs = len(art.paragraphs) + 1  # one more than there are: it comes back empty
    grouped = scores_by_paragraph(art, scores, n_paragraphs)
    assert len(grouped) == n_paragraphs
    for i, rows in enumerate(grouped):
        assert np.array_equal(rows, scores[index == i])
    assert grouped[-1].shape == (0, 2)
