"""Sourcing analyser on long sentences: the walked parse trees and the per-unit scans that read them.

Long run-on text (no sentence punctuation) once cost the square of its length: every
reporting verb asked spaCy for its subtree, or copied the text before it. These tests
pin what the one-pass lookups must keep equal to spaCy's own answers, and that such a
text is still read sensibly. They assert no timings.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from spacy.language import Language

from spinlens.analysers import sourcing
from spinlens.analysers.base import Context
from spinlens.analysers.sourcing import SourcingAnalyser, _Finder
from spinlens.core.model import Analysis, Finding
from spinlens.nlp.names import cleaned_mentions, with_name_echoes

MakeContext = Callable[[str], Context]

TREE_TEXTS = [
    "Storm over the harbour\n"
    "The minister said on Monday that the bridge, which the council had closed, would reopen soon, "
    "but critics who asked not to be named said the repairs were rushed.\n"
    '"We will not back down," said Maria Lopez. According to Reuters, the bill could reach two million.',
    " ".join(["the reckless mayor said"] * 40),
    "It was reported that the harbour master had resigned: officials, citing sources, denied it. "
    "The councillor reportedly resigned on Friday after the vote, and she added that nothing was agreed.",
]


def run(make_context: MakeContext, text: str) -> Analysis:
    ctx = make_context(text)
    SourcingAnalyser()(ctx)
    return ctx.analysis


def speaker(finding: Finding) -> str | None:
    spk = finding.details["speaker"]
    return None if spk is None else spk["text"]


@pytest.mark.parametrize("text", TREE_TEXTS)
def test_walked_trees_agree_with_spacy_subtrees(make_context: MakeContext, text: str) -> None:
    finder = _Finder(make_context(text))
    doc = finder.doc
    for token in doc:
        subtree = [t.i for t in token.subtree]
        tree = finder._tree_of(token.i)
        k = token.i - tree.start
        assert (tree.first[k], tree.last[k], tree.size[k]) == (min(subtree), max(subtree), len(subtree))
        inside = set(subtree)
        run_start = tree.position[k]
        for other in range(tree.start, tree.end):
            in_run = run_start <= tree.position[other - tree.start] < run_start + tree.size[k]
            assert in_run == (other in inside)


@pytest.mark.parametrize("text", TREE_TEXTS)
def test_unit_scans_agree_with_scanning_token_by_token(make_context: MakeContext, text: str) -> None:
    finder = _Finder(make_context(text))
    doc = finder.doc
    reporting = sourcing.SPEECH_VERBS | sourcing.COGNITION_VERBS
    for index, unit in enumerate(finder.units.units):
        scan = finder._scan(index)
        for i in range(unit.start, unit.end + 1):
            rest = list(doc[i : unit.end])
            k = i - unit.start
            stops = [
                t.i for t in rest if t.text == ":" or (t.pos_ == "VERB" and t.lemma_.lower() in reporting)
            ]
            words = [t.i for t in rest if not t.is_punct]
            clauses = [
                t.i
                for t in rest
                if t.pos_ in ("VERB", "AUX") and any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children)
            ]
            assert scan.next_stop[k] == (stops[0] if stops else unit.end)
            assert scan.next_word[k] == (words[0] if words else unit.end)
            assert scan.next_clause[k] == (clauses[0] if clauses else unit.end)


def test_long_text_without_sentence_punctuation_is_read(make_context: MakeContext) -> None:
    # 24 KB in one "sentence": each "said" but the last reports the rest of the text, which is all
    # the next one's attribution, so the 999 read as one claim passed along a chain of relays.
    text = " ".join(["the reckless mayor said"] * 1000)
    [finding] = run(make_context, text).findings_of("sourcing")
    assert (finding.label, finding.details["mode"], speaker(finding)) == (
        "anonymous",
        "reported_speech",
        "reckless mayor",
    )
    assert (finding.start, finding.end) == (24 * 999, len(text))
    assert finding.details["speaker"]["start"] == 24 * 998 + 4
    assert finding.details["relayed_by"]["start"] == 24 * 997 + 4


def test_long_pronoun_chain_resolves_to_the_person_named_before(make_context: MakeContext) -> None:
    text = "Maria Lopez arrived in the town.\n" + " ".join(["she said"] * 300) + " it rained"
    findings = run(make_context, text).findings_of("sourcing")
    assert len(findings) == 300
    assert {(f.label, f.details.get("speaker_name")) for f in findings} == {("named_person", "Maria Lopez")}
    assert findings[-1].text == "it rained"


def test_content_after_a_colon(make_context: MakeContext) -> None:
    [finding] = run(make_context, "The minister said: the bridge will be rebuilt by spring.").findings_of(
        "sourcing"
    )
    assert finding.text == "the bridge will be rebuilt by spring"
    assert speaker(finding) == "minister"


def test_according_to_in_mid_clause_attributes_the_whole_clause(make_context: MakeContext) -> None:
    text = "The deal, according to the ministry, is worth two million euros."
    [finding] = run(make_context, text).findings_of("sourcing")
    assert finding.label == "named_organisation"
    assert finding.text == "The deal, according to the ministry, is worth two million euros"
    assert finding.details["cue"]["text"] == "according to"


def test_hearsay_adverb_attributes_its_clause(make_context: MakeContext) -> None:
    text = "The councillor reportedly resigned on Friday after the vote."
    [finding] = run(make_context, text).findings_of("sourcing")
    assert finding.label == "unattributed"
    assert finding.text == "The councillor reportedly resigned on Friday after the vote"


def test_parenthetical_attribution_is_not_read_in_an_overlong_unit(
    make_context: MakeContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "As the engineer wrote, the bridge is safe."
    [finding] = run(make_context, text).findings_of("sourcing")
    assert finding.text == "the bridge is safe"
    monkeypatch.setattr(sourcing, "MAX_PARENTHETICAL_UNIT", 5)
    assert run(make_context, text).findings_of("sourcing") == []


def test_the_longest_real_sentences_are_within_the_parenthetical_bound(nlp: Language) -> None:
    # The bound is meant for run-on text only: a long but real sentence is still read.
    clause = (
        "the bridge, which the council had closed after the storms of the winter and which engineers "
        "from three firms had inspected, " * 6
    )
    text = clause.capitalize() + "would reopen in the spring, the engineer said."
    assert len(nlp(text)) < sourcing.MAX_PARENTHETICAL_UNIT


def test_bare_surnames_of_a_person_named_in_full_are_that_person(nlp: Language) -> None:
    text = "Maria Lopez opened the bridge.\n" + "Lopez thanked the builders. " * 40
    doc = nlp(text)
    echoes = [m for m in with_name_echoes(doc, cleaned_mentions(doc)) if m.text == "Lopez"]
    assert len(echoes) == 40
    assert {(m.type, text[m.start : m.end]) for m in echoes} == {("person", "Lopez")}
