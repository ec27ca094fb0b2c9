"""SemEval-2025 models: training, saving and loading, metrics, and the official-format writer.

Training runs on a small invented corpus (written below, nothing from the task's
data) so that it is fast and its answers are known; the shipped models are
exercised on invented articles.
"""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from spinlens.core.errors import DataError, ModelError
from spinlens.datasets.semeval2025 import load_semeval2025
from spinlens.models.semeval2025 import (
    FINE_ROLE_DESCRIPTIONS,
    SHIPPED_DIR,
    NarrativeModel,
    article_sentences,
    described_labels,
    embedding_head_inputs,
    fine_role_inputs,
    label_descriptions,
    samples_f1,
    split_sentences,
)
from spinlens.models.semeval2025 import (
    load_semeval2025 as load_models,
)
from spinlens.models.sparse import sparse
from spinlens.nlp.embed import (
    ARTICLE_PARAGRAPHS,
    PARAGRAPHS_READ,
    ParagraphVectors,
    article_paragraph_vectors,
)
from spinlens.report.semeval2025 import SUBTASK1_FILE, write_semeval2025_predictions
from spinlens.train.semeval2025 import NARRATIVE_SHARES

PUPPET = "URW: Discrediting Ukraine"
PUPPET_SUB = "URW: Discrediting Ukraine: Ukraine is a puppet of the West"
NUKES = "URW: Amplifying war-related fears"
NUKES_SUB = (
    "URW: Amplifying war-related fears: There is a real possibility that nuclear weapons will be employed"
)
ALARM = "CC: Criticism of climate movement"
ALARM_SUB = "CC: Criticism of climate movement: Climate movement is alarmist"

PUPPET_LINES = [
    "Officials in Kyiv are puppets who obey every order from Washington.",
    "The regime in Kyiv takes its instructions from Western capitals and obeys.",
    "Kyiv cannot decide anything without permission from its Western masters.",
]
NUKES_LINES = [
    "A nuclear strike could come at any moment, analysts warned.",
    "The risk of nuclear escalation has never been higher, and missiles stand ready.",
    "Europe must prepare for nuclear war as warheads are moved closer.",
]
ALARM_LINES = [
    "The alarmist activists claim the planet will burn within ten years.",
    "Climate activists spread panic with hysterical predictions of doom.",
    "Once again the alarmists exaggerate every storm to frighten children.",
]
UA_FILLER = [
    "The front line near the river saw heavy shelling overnight.",
    "Ukrainian and Russian delegations exchanged statements on Tuesday.",
    "Grain shipments through the Black Sea were delayed again.",
]
CC_FILLER = [
    "The summit on emissions opened in the capital on Monday.",
    "Solar panel prices fell slightly during the last quarter.",
    "Rainfall in the region was close to the long-term average.",
]
NEUTRAL = [
    "The town library will open on Sundays from next month.",
    "Local bakers held a fair in the square with music and games.",
    "The school football team won its third match of the season.",
    "Residents were asked to sort their recycling more carefully.",
]
# Role sentences: the entity is named first in each, so its offsets are easy to find.
ROLE_LINES = {
    ("Antagonist", "Traitor"): "Zelensky betrayed his own people and sold the country to foreigners.",
    ("Innocent", "Victim"): "Civilians in Donetsk suffered terribly as shells hit their homes.",
    ("Protagonist", "Guardian"): "Volunteers bravely defended the village and protected the families.",
}


def _write_corpus(root: Path, n_per_kind: int = 10, seed: int = 3) -> Path:
    """An invented SemEval-2025-style folder whose labels follow from the words used."""
    rng = random.Random(seed)
    docs_dir = root / "raw-documents"
    docs_dir.mkdir(parents=True)
    narratives: list[str] = []
    roles: list[str] = []
    kinds = [
        ("UA", [PUPPET], [PUPPET_SUB], PUPPET_LINES, UA_FILLER),
        ("UA", [NUKES], [NUKES_SUB], NUKES_LINES, UA_FILLER),
        ("UA", [PUPPET, NUKES], [PUPPET_SUB, NUKES_SUB], PUPPET_LINES + NUKES_LINES, UA_FILLER),
        ("CC", [ALARM], [ALARM_SUB], ALARM_LINES, CC_FILLER),
        ("UA", ["Other"], ["Other"], NEUTRAL, UA_FILLER),
        ("CC", ["Other"], ["Other"], NEUTRAL, CC_FILLER),
    ]
    number = 0
    for domain, nars, subs, lines, filler in kinds:
        for _ in range(n_per_kind):
            number += 1
            doc_id = f"EN_{domain}_{number:04d}"
            body = rng.sample(lines, min(3, len(lines))) + rng.sample(filler, 2)
            rng.shuffle(body)
            role_key = rng.choice(sorted(ROLE_LINES)) if domain == "UA" else None
            if role_key is not None:
                body.insert(rng.randrange(len(body) + 1), ROLE_LINES[role_key])
            title = body[0].rstrip(".")
            text = title + "\n\n" + "\n".join(body) + "\n"
            (docs_dir / f"{doc_id}.txt").write_text(text, encoding="utf-8")
            narratives.append(f"{doc_id}.txt\t{';'.join(nars)}\t{';'.join(subs)}")
            if role_key is not None:
                sentence = ROLE_LINES[role_key]
                at = text.index(sentence, len(title))
                entity = sentence.split()[0]
                roles.append(
                    f"{doc_id}.txt\t{entity}\t{at}\t{at + len(entity) - 1}\t{role_key[0]}\t{role_key[1]}"
                )
    (root / "subtask-2-annotations.txt").write_text("\n".join(narratives) + "\n", encoding="utf-8")
    (root / "subtask-1-annotations.txt").write_text("\n".join(roles) + "\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write_corpus(tmp_path_factory.mktemp("semeval2025") / "EN")


@pytest.fixture(scope="module")
def trained(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from spinlens.train.semeval2025 import train

    return train(corpus, tmp_path_factory.mktemp("models") / "semeval2025", seed=13)


def _copy_with_card(trained: Path, folder: Path, change: Callable[[dict[str, Any]], object]) -> Path:
    """A copy of the trained models whose card's ``meta`` went through ``change``."""
    shutil.copytree(trained, folder)
    card = json.loads((folder / "model_card.json").read_text(encoding="utf-8"))
    change(card["meta"])
    (folder / "model_card.json").write_text(json.dumps(card), encoding="utf-8")
    return folder


def _copy_without_array(trained: Path, folder: Path, name: str) -> Path:
    """A copy of the trained models without one weight array."""
    shutil.copytree(trained, folder)
    with np.load(folder / "weights.npz") as weights:
        kept = {k: weights[k] for k in weights.files if k != name}
        assert len(kept) == len(weights.files) - 1, f"no array {name}"
    np.savez(folder / "weights.npz", **kept)
    return folder


def test_samples_f1_by_hand() -> None:
    gold = [["A", "B"], ["Other"], ["C"]]
    pred = [["A"], ["Other"], ["D"]]
    # per article: 2*1/(2+1) = 2/3, 1, 0
    assert samples_f1(gold, pred) == pytest.approx((2 / 3 + 1 + 0) / 3)
    assert samples_f1([["A", "A"]], [["A"]]) == 1.0  # sets, as the official scorer's one-hot vectors


def test_sentence_offsets_point_into_the_text() -> None:
    text = 'Title here\n\nFirst sentence. Second one! "Third?" Yes.\n  Indented line stays whole.'
    pieces = article_sentences(text)
    assert [p.text for p in pieces] == [
        "Title here",
        "First sentence.",
        "Second one!",
        '"Third?"',
        "Yes.",
        "Indented line stays whole.",
    ]
    assert all(text[p.start : p.end] == p.text for p in pieces)
    assert split_sentences("One. Two.", 100)[1].start == 105


def test_training_is_deterministic_and_learns_the_invented_labels(
    corpus: Path, trained: Path, tmp_path: Path
) -> None:
    from spinlens.train.semeval2025 import train

    again = train(corpus, tmp_path / "again", seed=13)
    first = np.load(trained / "weights.npz")
    second = np.load(again / "weights.npz")
    assert sorted(first.files) == sorted(second.files)
    for key in first.files:
        assert np.array_equal(first[key], second[key]), key
    card = json.loads((trained / "model_card.json").read_text(encoding="utf-8"))
    assert card["seed"] == 13 and card["data"]["documents"] == 60
    assert set(card["thresholds"]["narratives"]) == {"other", "relative", "sub"}
    assert PUPPET_SUB in card["labels"]["subnarratives"]
    scores = card["metrics"]["scores"]
    # The invented labels follow from the words: held-out articles are easy, and beat "Other" everywhere.
    assert scores["spinlens"]["narratives_f1_coarse"] > 0.8
    assert scores["spinlens"]["narratives_f1_coarse"] > scores["trivial"]["narratives_f1_coarse"] + 0.2
    assert scores["spinlens"]["roles_main_accuracy"] > scores["trivial"]["roles_main_accuracy"]
    # Per-label figures: every held-out mention counted once among the main roles, narratives by article.
    per_label = card["metrics"]["per_label"]
    assert sum(row["support"] for row in per_label["main_roles"].values()) == card["metrics"]["mentions"]
    assert per_label["narratives"][PUPPET]["support"] > 0
    assert 0.0 <= per_label["narratives"][PUPPET]["f1"] <= 1.0


def test_trained_models_predict_unseen_invented_articles(trained: Path) -> None:
    models = load_models(trained)
    texts = [
        "Kyiv takes orders\n\nThe regime in Kyiv obeys its Western masters and has no will of its own.",
        "Activists again\n\nHysterical alarmist activists exaggerate every storm to spread panic.",
        "Fair in the square\n\nLocal bakers held a fair with music while the library opened on Sunday.",
    ]
    first, second, third = models.narratives.predict(texts)
    assert PUPPET in first.narrative_labels and first.domain == "UA"
    assert second.narrative_labels == [ALARM] and second.domain == "CC"
    assert third.narrative_labels == ["Other"] and third.subnarrative_labels == ["Other"]
    # A sub-narrative always sits under a predicted narrative.
    for prediction in (first, second):
        for sub in prediction.subnarrative_labels:
            assert models.narratives.parents[sub] in prediction.narrative_labels


def test_embedding_heads_are_tuned_saved_and_mixed_in(trained: Path) -> None:
    card = json.loads((trained / "model_card.json").read_text(encoding="utf-8"))
    info = card["training"]["narratives"]
    assert info["embedding_share"] in NARRATIVE_SHARES
    assert set(info["thresholds_with_embedding"]) == {"other", "relative", "sub"}
    model = load_models(trained).narratives
    assert model.embedded is not None and model.embedded.share == info["embedding_share"]
    assert model.embedded.narratives.labels == model.narratives.labels
    texts = [
        "Kyiv takes orders\n\nThe regime in Kyiv obeys its Western masters and has no will of its own.",
        "Fair in the square\n\nLocal bakers held a fair with music while the library opened on Sunday.",
    ]
    vectors = article_paragraph_vectors(texts)
    plain, mixed = model.scores(texts), model.scores(texts, vectors)
    w = model.embedded.share
    own = model.embedded.narratives.probabilities(model.embedded.inputs(vectors))
    assert np.allclose(mixed.narratives, (1 - w) * plain.narratives + w * own)
    assert np.array_equal(mixed.subnarratives, plain.subnarratives)
    assert model.thresholds_for(vectors) == model.embedded.thresholds
    assert model.thresholds_for(None) == model.thresholds
    first, second = model.predict(texts, vectors)
    assert PUPPET in first.narrative_labels
    assert second.narrative_labels == ["Other"]


def test_label_descriptions_drop_the_domain_and_the_fallbacks() -> None:
    narratives = ["Other", PUPPET, NUKES]
    parents = {
        PUPPET_SUB: PUPPET,
        f"{PUPPET}: Other": PUPPET,
        NUKES_SUB: NUKES,
    }
    assert label_descriptions(narratives, parents) == [
        "Discrediting Ukraine",
        "Amplifying war-related fears",
        "Amplifying war-related fears: There is a real possibility that nuclear weapons will be employed",
        "Discrediting Ukraine: Ukraine is a puppet of the West",
    ]


def test_closeness_columns_are_the_best_paragraph_and_the_whole_article() -> None:
    first = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], dtype=np.float32)
    vectors = ParagraphVectors((first, np.zeros((0, 3), dtype=np.float32)))
    anchors = np.array([[1.0, 0.0, 0.0], [0.0, 0.6, 0.8]], dtype=np.float32)
    X = embedding_head_inputs(vectors, anchors, weight=2.0)
    mean = np.array([1.0, 1.0, 0.0]) / np.sqrt(2.0)
    # Columns: the mean vector; per anchor the best paragraph's similarity; per anchor the mean's; the
    # similarities times the weight. An article without paragraphs reads zeros.
    expected = np.concatenate([mean, 2.0 * np.array([1.0, 0.6]), 2.0 * (mean @ anchors.T)])
    assert X.shape == (2, 3 + 2 + 2)
    assert np.allclose(X[0], expected)
    assert not X[1].any()
    assert np.array_equal(embedding_head_inputs(vectors, None, 2.0), vectors.pooled())


def test_trained_embedding_heads_read_the_label_descriptions(trained: Path) -> None:
    model = load_models(trained).narratives
    assert model.embedded is not None and model.embedded.anchors is not None
    described = label_descriptions(model.narratives.labels, model.parents)
    assert model.embedded.anchors.shape == (len(described), 384)
    assert model.embedded.narratives.coef.shape[1] == 384 + 2 * len(described)
    # The anchors are the descriptions embedded as article paragraphs are.
    closest = model.embedded.anchors @ article_paragraph_vectors(["Discrediting Ukraine"]).pooled()[0]
    assert described[int(np.argmax(closest))] == "Discrediting Ukraine"


def test_embedding_heads_read_as_many_paragraphs_as_they_were_trained_on(
    trained: Path, tmp_path: Path
) -> None:
    model = load_models(trained).narratives
    assert model.embedded is not None and model.embedded.paragraphs == PARAGRAPHS_READ
    text = ["Kyiv takes orders"] + [
        f"Paragraph {i}: the regime in Kyiv obeys its masters." for i in range(40)
    ]
    vectors = article_paragraph_vectors(["\n\n".join(text)])
    assert len(vectors.per_article[0]) == PARAGRAPHS_READ  # the cap, not all 41
    # Heads trained before round 26 read the first 12 paragraphs, and still do.
    older = _copy_with_card(
        trained,
        tmp_path / "older",
        lambda meta: meta["narratives"]["embedded"].update(paragraphs=ARTICLE_PARAGRAPHS),
    )
    heads = load_models(older).narratives.embedded
    assert heads is not None and heads.paragraphs == ARTICLE_PARAGRAPHS
    assert np.array_equal(heads.inputs(vectors), heads.inputs(vectors.first(ARTICLE_PARAGRAPHS)))
    assert not np.array_equal(model.embedded.inputs(vectors), model.embedded.inputs(vectors.first(12)))


def test_the_closest_paragraph_is_the_one_nearest_the_label_words(trained: Path) -> None:
    model = load_models(trained).narratives
    assert model.embedded is not None and model.embedded.anchors is not None
    described = dict(described_labels(model.narratives.labels, model.parents))
    assert described[PUPPET] == "Discrediting Ukraine"
    assert described[PUPPET_SUB] == "Discrediting Ukraine: Ukraine is a puppet of the West"
    paragraphs = ["Grain prices rose on Monday.", "Ukraine is a puppet of the West.", "The weather was mild."]
    vectors = ParagraphVectors((article_paragraph_vectors(["\n\n".join(paragraphs)]).per_article[0],))
    index, similarity = model.closest_paragraph(vectors, PUPPET_SUB) or (-1, 0.0)
    assert index == 1
    assert np.isclose(
        similarity,
        float(vectors.per_article[0][1] @ model.embedded.anchors[list(described).index(PUPPET_SUB)]),
    )
    # Labels without words of their own, articles without paragraphs, several articles at once: no answer.
    assert model.closest_paragraph(vectors, f"{PUPPET}: Other") is None
    assert model.closest_paragraph(vectors, "Other") is None
    assert model.closest_paragraph(ParagraphVectors((np.zeros((0, 384), dtype=np.float32),)), PUPPET) is None
    assert model.closest_paragraph(ParagraphVectors(vectors.per_article * 2), PUPPET) is None


def test_models_without_embedding_heads_ignore_embeddings(trained: Path, tmp_path: Path) -> None:
    older = _copy_with_card(trained, tmp_path / "older", lambda meta: meta["narratives"].pop("embedded"))
    model = load_models(older).narratives
    assert model.embedded is None
    text = ["Kyiv takes orders\n\nThe regime in Kyiv obeys its Western masters and has no will of its own."]
    assert model.predict(text, article_paragraph_vectors(text)) == model.predict(text)


def test_evidence_is_the_sentence_carrying_the_label(trained: Path) -> None:
    model: NarrativeModel = load_models(trained).narratives
    text = (
        "Grain news\n\nGrain shipments through the Black Sea were delayed again. "
        "A nuclear strike could come at any moment, analysts warned. The summit opened on Monday."
    )
    evidence = model.evidence(text, NUKES, article_sentences(text), k=1)
    assert [e.text for e in evidence] == ["A nuclear strike could come at any moment, analysts warned."]
    assert text[evidence[0].start : evidence[0].end] == evidence[0].text


def test_loading_refuses_missing_or_corrupt_models(trained: Path, tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="no SemEval-2025 models"):
        load_models(tmp_path)
    broken = tmp_path / "broken"
    shutil.copytree(trained, broken)
    (broken / "weights.npz").write_bytes(b"not a zip file")
    with pytest.raises(ModelError, match="corrupt"):
        load_models(broken)
    other_format = tmp_path / "other_format"
    shutil.copytree(trained, other_format)
    card = json.loads((other_format / "model_card.json").read_text(encoding="utf-8"))
    card["format_version"] = 999
    (other_format / "model_card.json").write_text(json.dumps(card), encoding="utf-8")
    with pytest.raises(ModelError, match="format"):
        load_models(other_format)
    # Embedding heads that read label closeness, without their label descriptions.
    with pytest.raises(ModelError, match="do not match their label descriptions"):
        load_models(_copy_without_array(trained, tmp_path / "no_anchors", "narratives.embedded.anchors"))
    # Heads that read more paragraphs than this version embeds.
    too_far = _copy_with_card(
        trained,
        tmp_path / "too_far",
        lambda meta: meta["narratives"]["embedded"].update(paragraphs=PARAGRAPHS_READ + 1),
    )
    with pytest.raises(ModelError, match="other embedding settings"):
        load_models(too_far)
    # A models root with one folder per task is accepted too.
    root = tmp_path / "root"
    shutil.copytree(trained, root / "semeval2025")
    assert load_models(root).narratives.narratives.labels == load_models(trained).narratives.narratives.labels


def test_shipped_models_load_with_the_task_labels() -> None:
    models = load_models()
    assert (SHIPPED_DIR / "model_card.json").is_file()
    assert len(models.narratives.narratives.labels) >= 21
    assert all(
        models.narratives.parents[s] in models.narratives.narratives.labels for s in models.narratives.parents
    )
    assert models.roles.main.labels == ["Protagonist", "Antagonist", "Innocent"]
    embedded = models.narratives.embedded
    assert embedded is not None and embedded.anchors is not None
    described = label_descriptions(models.narratives.narratives.labels, models.narratives.parents)
    assert embedded.anchors.shape == (len(described), 384)
    size = sum(p.stat().st_size for p in SHIPPED_DIR.iterdir())
    assert size <= 12 * 1024 * 1024
    prediction = models.narratives.predict(
        [
            "Climate scare\n\n"
            "The climate alarmists and their scientists lie about warming to push taxes on farmers."
        ]
    )[0]
    assert prediction.domain == "CC"


def test_fine_roles_read_the_mention_sentence_embedding(trained: Path) -> None:
    pytest.importorskip("onnxruntime", reason="sentence embeddings need onnxruntime")
    from spinlens.nlp.embed import DIMENSIONS

    described = len(FINE_ROLE_DESCRIPTIONS)
    for roles in (load_models(trained).roles, load_models().roles):
        assert roles.embedding_dims == DIMENSIONS
        assert roles.role_anchors is not None and roles.role_anchors.shape == (described, DIMENSIONS)
        width = roles.encoder.size + DIMENSIONS + described
        assert all(head.coef.shape[1] == width for head in roles.fine.values())
        assert roles.main.coef.shape[1] == roles.encoder.size
    # The invented corpus has too few fine roles per main role to tell sentences apart: use the shipped one.
    features = [["ent=kyiv", "s=regime", "s=obey"], ["ent=kyiv", "s=regime", "s=obey"]]
    sentences = ["The regime in Kyiv obeys its masters.", "Kyiv residents queued for bread in the cold."]
    embeddings = roles.embed_sentences(sentences)
    assert embeddings is not None and embeddings.shape == (2, DIMENSIONS)
    main_with, fine_with = roles.distributions(features, embeddings)
    main_without, fine_without = roles.distributions(features)
    # Same words, different sentences: only the fine roles, which read the embedding, may differ.
    assert np.allclose(main_with[0], main_with[1]) and np.allclose(main_with, main_without)
    assert any(not np.allclose(f[0], f[1]) for f in fine_with.values())
    assert all(np.allclose(f[0], f[1]) for f in fine_without.values())
    with pytest.raises(ModelError, match="sentence embeddings"):
        roles.distributions(features, embeddings[:1])


def test_fine_role_columns_are_words_embedding_and_closeness_to_each_description() -> None:
    words = sparse.csr_matrix(np.array([[1.0, 0.0], [0.0, 2.0]]))
    vectors = np.array([[1.0, 0.0, 0.0], [0.0, 0.6, 0.8]])
    anchors = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]], dtype=np.float32)
    X = fine_role_inputs(words, vectors, 3, anchors, 2.0).toarray()
    assert np.allclose(X[0], [1, 0, 1, 0, 0, 2 * 1.0, 2 * 0.0])
    assert np.allclose(X[1], [0, 2, 0, 0.6, 0.8, 2 * 0.0, 2 * 0.8])
    # Without embeddings the dense columns are zeros; models without descriptions read no closeness.
    assert not fine_role_inputs(words, None, 3, anchors, 2.0).toarray()[:, 2:].any()
    assert fine_role_inputs(words, vectors, 3, None, 2.0).shape == (2, 5)
    assert fine_role_inputs(words, None, 0, None, 2.0).shape == (2, 2)


def test_role_models_refuse_heads_that_do_not_match_their_descriptions(trained: Path, tmp_path: Path) -> None:
    broken = _copy_without_array(trained, tmp_path / "no_role_anchors", "roles.role_anchors")
    with pytest.raises(ModelError, match="fine-role heads do not match"):
        load_models(broken)


# ---------------------------------------------------------------------------
# Official-format writer


def _predict_folder(tmp_path: Path) -> tuple[Path, Path]:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "EN_UA_9001.txt").write_text(
        "Kyiv obeys\n\nZelensky betrayed his own people, and the regime in Kyiv obeys Washington.\n",
        encoding="utf-8",
    )
    (docs / "EN_CC_9002.txt").write_text(
        "Panic\n\nThe alarmist activists of Extinction Rebellion spread panic again.\n", encoding="utf-8"
    )
    text = (docs / "EN_UA_9001.txt").read_text(encoding="utf-8")
    z = text.index("Zelensky")
    k = text.index("Kyiv", z)
    cc = (docs / "EN_CC_9002.txt").read_text(encoding="utf-8")
    x = cc.index("Extinction Rebellion")
    mentions = tmp_path / "mentions.txt"
    mentions.write_text(
        f"EN_UA_9001.txt\tZelensky\t{z}\t{z + 7}\n"
        f"EN_CC_9002.txt\tExtinction Rebellion\t{x}\t{x + 19}\n"
        f"EN_UA_9001.txt\tKyiv\t{k}\t{k + 3}\n",
        encoding="utf-8",
    )
    return docs, mentions


def test_writer_round_trips_through_the_dataset_reader(trained: Path, tmp_path: Path) -> None:
    models = load_models(trained)
    docs, mentions = _predict_folder(tmp_path)
    out = tmp_path / "EN"
    counts = write_semeval2025_predictions(docs, mentions, out, models)
    assert counts == {"documents": 2, "mentions": 3}
    rows = (out / SUBTASK1_FILE).read_text(encoding="utf-8").splitlines()
    inputs = mentions.read_text(encoding="utf-8").splitlines()
    assert [r.split("\t")[:4] for r in rows] == [
        i.split("\t") for i in inputs
    ]  # same order, end still inclusive
    # The written files are themselves a valid task folder: read them back with the data reader.
    shutil.copytree(docs, out / "raw-documents")
    data = load_semeval2025(out)
    assert data.repaired_offsets == 0 and not data.notes
    back = {(d.id, m.entity): m for d in data.documents for m in d.mentions}
    assert set(back) == {
        ("EN_UA_9001", "Zelensky"),
        ("EN_UA_9001", "Kyiv"),
        ("EN_CC_9002", "Extinction Rebellion"),
    }
    for d in data.documents:
        assert d.narratives and d.subnarratives
        known = set(models.narratives.narratives.labels) | {"Other"}
        assert set(d.narratives) <= known
        assert set(d.subnarratives) <= set(models.narratives.subnarratives.labels) | {"Other"}


def test_writer_names_the_bad_mentions_line(trained: Path, tmp_path: Path) -> None:
    models = load_models(trained)
    docs, mentions = _predict_folder(tmp_path)
    lines = mentions.read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "bad.txt"
    bad.write_text("\n".join([lines[0], "EN_UA_9001.txt\tKyiv\tseven\t10"]) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"bad\.txt line 2: start and end must be integers"):
        write_semeval2025_predictions(docs, bad, tmp_path / "out", models)
    bad.write_text("EN_UA_9001.txt\tKyiv\t3\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"bad\.txt line 1: expected 4 tab-separated columns"):
        write_semeval2025_predictions(docs, bad, tmp_path / "out", models)
    bad.write_text("EN_UA_7777.txt\tKyiv\t3\t6\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"EN_UA_7777\.txt, which is not in"):
        write_semeval2025_predictions(docs, bad, tmp_path / "out", models)
    bad.write_text("EN_UA_9001.txt\tKyiv\t3\t60000\n", encoding="utf-8")
    with pytest.raises(DataError, match="past the end"):
        write_semeval2025_predictions(docs, bad, tmp_path / "out", models)


def test_writer_warns_about_mentions_that_do_not_match_their_text(trained: Path, tmp_path: Path) -> None:
    models = load_models(trained)
    docs, mentions = _predict_folder(tmp_path)
    lines = mentions.read_text(encoding="utf-8").splitlines()
    odd = tmp_path / "odd.txt"
    # a correct row, the same row again, and one whose offsets point at other words
    odd.write_text(
        "\n".join([lines[0], lines[0], "EN_UA_9001.txt\tZelensky\t40\t47"]) + "\n", encoding="utf-8"
    )
    warnings: list[str] = []
    counts = write_semeval2025_predictions(docs, odd, tmp_path / "out", models, warn=warnings.append)
    assert counts["mentions"] == 3  # still predicted, at the offsets given
    assert len(warnings) == 2, warnings
    assert "odd.txt: mention 2 repeats an earlier row" in warnings[0]
    assert "mention 3 says 'Zelensky' is at 40-47 of EN_UA_9001.txt, where the text is" in warnings[1]
    warnings.clear()
    write_semeval2025_predictions(docs, mentions, tmp_path / "out", models, warn=warnings.append)
    assert warnings == []
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    write_semeval2025_predictions(docs, empty, tmp_path / "out", models, warn=warnings.append)
    assert warnings == ["empty.txt lists no mentions: subtask-1-annotations.txt will be empty"]
