from __future__ import annotations

import subprocess
import sys

import pytest

from spinlens.nlp.spacy_model import EXPECTED_META, load_spacy, start_sentences_at_line_breaks


def test_spacy_model_is_the_pinned_official_small_english_pipeline() -> None:
    nlp = load_spacy()
    meta = nlp.meta
    for key, value in EXPECTED_META.items():
        assert meta[key] == value
    # The PyPI copy must be Explosion's build of en_core_web_sm 3.8.0, not a retrained model.
    assert meta["author"] == "Explosion"
    assert meta["spacy_git_version"] == "5010fcbd3"
    assert [p for p in nlp.pipe_names if not p.startswith("spinlens_")] == [
        "tok2vec",
        "tagger",
        "parser",
        "attribute_ruler",
        "lemmatizer",
        "ner",
    ]
    assert "PERSON" in nlp.get_pipe("ner").labels


def test_spacy_model_starts_a_sentence_at_every_line() -> None:
    doc = load_spacy()(
        "Storm over the harbour\nThe mayor said the deal was fair. Critics disagreed.\nA new line"
    )
    starts = [sent.text.strip() for sent in doc.sents]
    assert starts == [
        "Storm over the harbour",
        "The mayor said the deal was fair.",
        "Critics disagreed.",
        "A new line",
    ]


def test_a_parse_imports_nothing() -> None:
    # load_pipeline parses the articles given ahead in a background thread while the main thread
    # imports the other analysers: two threads importing modules that import each other can deadlock.
    # A fresh interpreter, so that other tests' imports do not hide one of the parse's own.
    script = """
import sys
from spinlens.nlp.spacy_model import load_spacy
nlp = load_spacy()
before = set(sys.modules)
nlp("The minister said on Monday that “sources” doubt it.\\n\\nCritics called the plan a disgrace!")
print(sorted(set(sys.modules) - before))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_loading_skips_spacy_command_line_but_it_still_works() -> None:
    # load_spacy imports spaCy without its command line (a third of its import time, on every
    # cold start); spacy.info and a later import of spacy.cli must still be the real ones.
    script = """
import sys
from spinlens.nlp.spacy_model import load_spacy
load_spacy()
print(sorted(name for name in ("spacy.cli", "spacy.cli.info", "typer", "weasel") if name in sys.modules))
import spacy
print(spacy.info(silent=True)["spacy_version"] == spacy.__version__)
import spacy.cli
from spacy.cli.info import info
print(callable(spacy.cli.download), info.__module__)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:3] == ["[]", "True", "True spacy.cli.info"]


def test_line_breaks_start_sentences_on_a_text_of_many_lines() -> None:
    nlp = load_spacy()
    lines = [f"Line {k} of the notice" for k in range(300)]
    doc = start_sentences_at_line_breaks(nlp.make_doc("\n".join(lines) + "\n\nThe end here"))
    starts = [t.text for t in doc if t.is_sent_start]
    assert starts == ["Line"] * 300 + ["The"]
    assert not any(t.is_sent_start for t in doc if t.text not in ("Line", "The"))


def test_line_breaks_refuse_a_parsed_doc() -> None:
    doc = load_spacy()("A parsed line\nand another")
    with pytest.raises(ValueError, match="E043"):
        start_sentences_at_line_breaks(doc)
