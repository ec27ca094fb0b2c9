from __future__ import annotations

from spinlens.nlp.spacy_model import EXPECTED_META, load_spacy


def test_spacy_model_is_the_pinned_official_small_english_pipeline() -> None:
    nlp = load_spacy()
    meta = nlp.meta
    for key, value in EXPECTED_META.items():
        assert meta[key] == value
    # The PyPI copy must be Explosion's build of en_core_web_sm 3.8.0, not a retrained model.
    assert meta["author"] == "Explosion"
    assert meta["spacy_git_version"] == "5010fcbd3"
    assert nlp.pipe_names == ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"]
    assert "PERSON" in nlp.get_pipe("ner").labels
