"""The shipped fine-tuned technique encoder (int8 ONNX) and its runtime, on invented text."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from spinlens.core.errors import ModelError
from spinlens.core.settings import TECHNIQUES
from spinlens.models.technique_encoder import (
    CONFIG_FILE,
    DEFAULT_DIR,
    MODEL_FILE,
    TechniqueEncoder,
    load_technique_encoder,
    paragraph_chunks,
    tokenizer,
    whole_words,
)
from spinlens.nlp.segment import paragraphs

CHARGED = (
    "Corrupt Globalist Thugs Plunder Our Nation\n"
    "\n"
    "These treacherous, spineless cowards in the capital have once again stabbed every hard-working "
    "patriot in the back with their disgusting, shameful scheme.\n"
    "\n"
    "The minister said the budget would be published on Tuesday.\n"
)


@pytest.fixture(scope="module")
def encoder() -> TechniqueEncoder:
    return load_technique_encoder()


def test_shipped_encoder_is_complete_and_described() -> None:
    for name in (MODEL_FILE, CONFIG_FILE, "model_card.json"):
        assert (DEFAULT_DIR / name).is_file(), name
    card = json.loads((DEFAULT_DIR / "model_card.json").read_text(encoding="utf-8"))
    assert card["task"] == "techniques_encoder"
    assert {"seed", "date", "metrics", "data", "labels", "thresholds"} <= set(card)
    # The card states the thresholds the runtime actually uses.
    config = json.loads((DEFAULT_DIR / CONFIG_FILE).read_text(encoding="utf-8"))
    assert card["labels"] == config["labels"]
    assert list(card["thresholds"]["paragraph_techniques"].values()) == config["thresholds"]
    assert card["thresholds"]["span_low"] == config["span_low"]
    assert card["mixing"]["encoder_share"] == config["encoder_share"]


def test_predictions_have_exact_offsets_and_known_labels(encoder: TechniqueEncoder) -> None:
    output = encoder.predict_techniques(CHARGED)
    assert [p.line for p in output.paragraphs] == [1, 3, 5]
    for para in output.paragraphs:
        assert set(para.labels) <= set(TECHNIQUES)
        assert all(0.0 <= v <= 1.0 for v in para.scores.values())
        assert set(para.evidence) == set(para.labels)
        for words in para.evidence.values():
            assert all(w in CHARGED for w in words)
    assert output.spans
    for span in output.spans:
        assert 0 <= span.start < span.end <= len(CHARGED)
        assert span.technique in TECHNIQUES
        assert 0.0 <= span.score <= 1.0 and 0.0 <= span.span_score <= 1.0
        assert all(w in CHARGED[span.start : span.end] for w in span.evidence)


def test_spans_begin_and_end_on_word_boundaries(encoder: TechniqueEncoder) -> None:
    # The line break makes the encoder start a span inside "incompetent" (at "##omp").
    text = (
        "Officials Under Fire\n\nSources say the reckless\nand incompetent officials ignored it for weeks.\n"
    )
    spans = encoder.predict_techniques(text).spans
    assert spans
    for span in spans:
        assert span.start == 0 or not (text[span.start - 1].isalnum() and text[span.start].isalnum())
        assert span.end == len(text) or not (text[span.end].isalnum() and text[span.end - 1].isalnum())


def test_whole_words_widens_only_into_letters_and_digits() -> None:
    text = "An incompetent, self-serving plan."
    assert whole_words(text, 5, 10) == (3, 14)  # "compe" -> "incompetent"
    assert whole_words(text, 3, 14) == (3, 14)
    assert whole_words(text, 14, 16) == (14, 16)  # ", " is not widened
    assert whole_words(text, 16, 20) == (16, 20)  # "self" stops at the hyphen
    assert whole_words(text, 29, 33) == (29, 33)  # "plan" at the end of a sentence
    assert whole_words(text, 0, len(text)) == (0, len(text))


def test_charged_wording_is_marked_and_the_plain_sentence_is_not(encoder: TechniqueEncoder) -> None:
    output = encoder.predict_techniques(CHARGED)
    wording = {"Loaded_Language", "Name_Calling-Labeling"}
    second = CHARGED.index("These")
    plain = CHARGED.index("The minister")
    marked = [s for s in output.spans if s.technique in wording and second <= s.start < plain]
    assert marked, output.spans
    assert any(
        word in CHARGED[s.start : s.end] for s in marked for word in ("treacherous", "cowards", "disgusting")
    )
    assert not any(s.start >= plain for s in output.spans)
    assert output.paragraphs[2].labels == []


def test_prediction_is_deterministic_and_independent_of_other_articles(encoder: TechniqueEncoder) -> None:
    first = encoder.predict_techniques(CHARGED)
    encoder.predict_techniques("Another article entirely.\nWith two lines of its own, and nothing charged.")
    again = encoder.predict_techniques(CHARGED)
    assert [(s.start, s.end, s.technique) for s in first.spans] == [
        (s.start, s.end, s.technique) for s in again.spans
    ]
    assert [p.scores for p in first.paragraphs] == [p.scores for p in again.paragraphs]


def test_a_paragraphs_scores_do_not_depend_on_the_paragraphs_around_it(encoder: TechniqueEncoder) -> None:
    # The int8 network scales its activations per run over every row it is given: run together,
    # the other paragraphs (and the padding up to the longest) would shift this one's scores.
    plain = "The minister said the budget would be published on Tuesday."
    alone = encoder.encode(paragraphs(plain))
    article = "\n".join([CHARGED.split("\n")[2], plain, "A short heading", CHARGED.split("\n")[0]])
    together = encoder.encode(paragraphs(article))
    position = next(i for i, c in enumerate(together.chunks) if c.ids == alone.chunks[0].ids)
    assert together.chunk_probs[position].tobytes() == alone.chunk_probs[0].tobytes()
    assert together.token_probs[position].tobytes() == alone.token_probs[0].tobytes()


def test_long_paragraphs_are_cut_into_chunks_that_cover_every_word_piece() -> None:
    text = "Title\n" + " ".join(f"word{i} shameful" for i in range(200)) + "\n"
    tok = tokenizer()
    paras = paragraphs(text)
    chunks = paragraph_chunks(paras, tok, 64)
    pieces = tok.encode(paras[1].text, add_special_tokens=False)
    body = [c for c in chunks if c.paragraph == 1]
    assert len(body) == -(-len(pieces.ids) // 62)
    assert all(len(c.ids) <= 62 for c in chunks)
    assert [i for c in body for i in c.ids] == pieces.ids
    for chunk in body:
        for start, end in chunk.offsets:
            assert text[start:end].lower() in paras[1].text.lower()


def test_a_long_article_is_analysed_whole(encoder: TechniqueEncoder) -> None:
    long_paragraph = " ".join(["The shameful, disgusting traitors lied to every family again."] * 40)
    text = "Headline\n" + long_paragraph + "\n"
    output = encoder.predict_techniques(text)
    assert len(output.paragraphs) == 2
    assert any(s.start > len(text) // 2 for s in output.spans), "spans past the first chunk"


def test_empty_text_gives_nothing(encoder: TechniqueEncoder) -> None:
    output = encoder.predict_techniques("\n \n")
    assert output.paragraphs == [] and output.spans == []


def test_broken_model_folders_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="missing"):
        TechniqueEncoder(tmp_path)
    folder = tmp_path / "copy"
    shutil.copytree(DEFAULT_DIR, folder)
    config = json.loads((folder / CONFIG_FILE).read_text(encoding="utf-8"))
    (folder / CONFIG_FILE).write_text(json.dumps({**config, "format_version": 99}), encoding="utf-8")
    with pytest.raises(ModelError, match="format version"):
        TechniqueEncoder(folder)
    (folder / CONFIG_FILE).write_text(json.dumps({**config, "thresholds": [0.5]}), encoding="utf-8")
    with pytest.raises(ModelError, match="one threshold per label"):
        TechniqueEncoder(folder)
    (folder / CONFIG_FILE).write_text(json.dumps(config), encoding="utf-8")
    (folder / MODEL_FILE).write_bytes(b"not an onnx file")
    with pytest.raises(ModelError, match="cannot load"):
        TechniqueEncoder(folder)


def test_a_models_folder_without_an_encoder_falls_back_to_the_shipped_one(tmp_path: Path) -> None:
    assert load_technique_encoder(tmp_path).folder == DEFAULT_DIR.resolve()
    folder = tmp_path / "mine"
    shutil.copytree(DEFAULT_DIR, folder)
    config = json.loads((folder / CONFIG_FILE).read_text(encoding="utf-8"))
    config["thresholds"] = [1.01] * len(config["labels"])
    (folder / CONFIG_FILE).write_text(json.dumps(config), encoding="utf-8")
    mine = load_technique_encoder(folder)
    assert mine.folder == folder.resolve()
    assert all(p.labels == [] for p in mine.predict_techniques(CHARGED).paragraphs)
    assert np.allclose(
        [p.scores["Loaded_Language"] for p in mine.predict_techniques(CHARGED).paragraphs],
        [
            p.scores["Loaded_Language"]
            for p in load_technique_encoder().predict_techniques(CHARGED).paragraphs
        ],
    )


def test_linear_word_scores_mix_into_the_word_pieces_they_cover() -> None:
    from spinlens.models.predictions import TechniqueOutput
    from spinlens.models.technique_encoder import Chunk, EncodedArticle, mix_linear_tokens

    # "Shameful liars!" as three word pieces; the linear tokenizer saw two words.
    chunk = Chunk(0, [1, 2, 3], [(0, 8), (9, 15), (15, 16)])
    probs = np.array([[0.2, 0.4], [0.6, 0.2], [0.0, 0.8]])  # one technique, then "any"
    encoded = EncodedArticle([chunk], [probs], np.zeros((1, 1)))
    linear = TechniqueOutput([], [], np.array([[0, 8], [9, 15]]), np.array([0.9, 0.1]))
    mixed = mix_linear_tokens(encoded, linear, 0.5)
    assert np.allclose(mixed.token_probs[0][:, 1], [0.65, 0.15, 0.4])
    assert np.allclose(mixed.token_probs[0][:, 0], probs[:, 0]), "technique columns stay the encoder's"
    assert np.allclose(probs[:, 1], [0.4, 0.2, 0.8]), "the input is not modified"


def test_fallback_keeps_linear_spans_only_in_paragraphs_without_encoder_spans() -> None:
    from spinlens.models.predictions import SpanPrediction
    from spinlens.models.technique_encoder import fallback_spans

    text = "Title\n\nFirst paragraph with words.\n\nSecond paragraph with words.\n"
    paras = paragraphs(text)
    first, second = text.index("First"), text.index("Second")
    spans = [
        SpanPrediction("Loaded_Language", first, first + 5, 0.6, 0.7),
        SpanPrediction("Doubt", second, second + 6, 0.5, 0.6),
    ]
    assert [s.technique for s in fallback_spans(paras, {1}, spans)] == ["Doubt"]
    assert fallback_spans(paras, {1, 2}, spans) == []
    assert len(fallback_spans(paras, set(), spans)) == 2


def test_the_linear_fallback_is_read_from_the_config_and_applied(tmp_path: Path) -> None:
    from spinlens.models.store import load_semeval2023
    from spinlens.models.technique_encoder import EncoderWithLinear

    folder = tmp_path / "fallback"
    shutil.copytree(DEFAULT_DIR, folder)
    config = json.loads((folder / CONFIG_FILE).read_text(encoding="utf-8"))
    # Spans the encoder can never reach: every span then comes from the linear models.
    config.update({"span_low": 2.0, "span_high": 2.0, "span_linear_fallback": True})
    (folder / CONFIG_FILE).write_text(json.dumps(config), encoding="utf-8")
    linear = load_semeval2023()
    with_fallback = EncoderWithLinear(TechniqueEncoder(folder), linear).predict_techniques(CHARGED)
    assert TechniqueEncoder(folder).config.span_linear_fallback is True
    linear_spans = linear.predict_techniques(CHARGED).spans
    assert linear_spans, "the linear tagger marks the charged paragraph"
    assert [(s.start, s.end, s.technique) for s in with_fallback.spans] == [
        (s.start, s.end, s.technique) for s in linear_spans
    ]
    config["span_linear_fallback"] = False
    (folder / CONFIG_FILE).write_text(json.dumps(config), encoding="utf-8")
    assert EncoderWithLinear(TechniqueEncoder(folder), linear).predict_techniques(CHARGED).spans == []
