"""Entity analyser on short invented articles: merging, descriptions, NER fixes, tone, findings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from spinlens.analysers.base import Context
from spinlens.analysers.entities import EntityAnalyser
from spinlens.core.errors import InputError
from spinlens.core.model import Analysis, Article, Entity
from spinlens.nlp.names import corrected_type, strip_name
from spinlens.nlp.segment import paragraphs

MakeContext = Callable[[str], Context]


def run(make_context: MakeContext, text: str) -> Analysis:
    ctx = make_context(text)
    EntityAnalyser()(ctx)
    return ctx.analysis


def entity(analysis: Analysis, name: str) -> Entity:
    matches = [e for e in analysis.entities if e.name == name]
    assert len(matches) == 1, f"no single entity named {name!r}: {[e.name for e in analysis.entities]}"
    return matches[0]


SUMMIT = (
    "Two presidents meet\n"
    "Russian President Vladimir Putin met Azerbaijani President Ilham Aliyev in Dushanbe on Thursday.\n"
    "Putin's aides said the talks lasted three hours. Mr Putin later spoke to journalists.\n"
    "The Russian president then flew to Moscow, while the Azerbaijani leader returned to Baku.\n"
    "Aliyev's office described the meeting as frank.\n"
)


def test_name_variants_merge_into_one_person(make_context: MakeContext) -> None:
    analysis = run(make_context, SUMMIT)
    putin = entity(analysis, "Vladimir Putin")
    assert putin.type == "person"
    assert {"Vladimir Putin", "Putin"} <= set(putin.variants)
    # Titles and possessives are not part of the mention.
    assert all(m.text in {"Vladimir Putin", "Putin", "The Russian president"} for m in putin.mentions)


def test_descriptions_join_the_person_named_with_that_title(make_context: MakeContext) -> None:
    analysis = run(make_context, SUMMIT)
    putin = entity(analysis, "Vladimir Putin")
    aliyev = entity(analysis, "Ilham Aliyev")
    assert "The Russian president" in putin.variants
    assert "the Azerbaijani leader" in aliyev.variants
    assert putin.count == 4
    assert aliyev.count == 3
    # "Russian" in "Russian President Vladimir Putin" is his title, not a mention of Russians.
    assert all(e.name != "Russian" for e in analysis.entities)


def test_capitals_are_places_whatever_spacy_said(make_context: MakeContext) -> None:
    analysis = run(make_context, SUMMIT)
    for name in ("Dushanbe", "Moscow", "Baku"):
        assert entity(analysis, name).type == "place"


def test_entities_are_sorted_by_mentions_and_findings_match(make_context: MakeContext) -> None:
    analysis = run(make_context, SUMMIT)
    counts = [e.count for e in analysis.entities]
    assert counts == sorted(counts, reverse=True)
    text = analysis.article.text
    findings = analysis.findings_of("entity")
    assert len(findings) == sum(counts)
    by_id = {e.id: e for e in analysis.entities}
    for finding in findings:
        assert text[finding.start : finding.end] == finding.text
        owner = by_id[finding.details["entity_id"]]
        assert finding.label == owner.type
        assert any(m.start == finding.start and m.end == finding.end for m in owner.mentions)
    putin = entity(analysis, "Vladimir Putin")
    first = next(f for f in findings if f.details["entity_id"] == putin.id)
    assert first.reason == "Mention 1 of 4 of Vladimir Putin (person)."


BILATERAL = (
    "Border talks\n"
    "Anton Kel met Darius Vane at the border. Kel spoke about Russia and Azerbaijan. "
    "Vane spoke about Azerbaijan and Russia. Kel and Vane left together.\n"
    "The Russian leader was said to be pleased.\n"
)


def test_description_stays_unlinked_when_the_article_does_not_say_who(make_context: MakeContext) -> None:
    analysis = run(make_context, BILATERAL)
    people = [e for e in analysis.entities if e.type == "person"]
    assert all("The Russian leader" not in e.variants for e in people)
    russian = entity(analysis, "Russian")
    assert russian.type == "group"


SINGLE_LEADER = (
    "Budget day\n"
    "Kristina Tamm presented the budget in Estonia on Monday. "
    "Tamm said Estonia would spend more on defence.\n"
    "Opposition parties in Estonia called the plan reckless, but Tamm did not reply. "
    "The Estonian leader left the chamber early.\n"
)


def test_description_joins_the_only_person_tied_to_the_country(make_context: MakeContext) -> None:
    analysis = run(make_context, SINGLE_LEADER)
    tamm = entity(analysis, "Kristina Tamm")
    # "Tamm" is tagged ORG by spaCy here; as the surname of a person named in full it joins her.
    assert tamm.variants == ["Kristina Tamm", "Tamm", "The Estonian leader"]
    assert tamm.type == "person"
    assert tamm.mentions[-1].text == "The Estonian leader"


TONE = (
    "Two stories\n"
    "The wonderful new park opened, and residents praised Mayor Anna Berg for a great success.\n"
    "Critics called Tom Reyes a corrupt, dishonest liar and a disaster for the city.\n"
)


def test_tone_follows_the_sentences_around_the_mentions(make_context: MakeContext) -> None:
    analysis = run(make_context, TONE)
    berg = entity(analysis, "Anna Berg")
    reyes = entity(analysis, "Tom Reyes")
    assert berg.tone_label == "positive" and berg.tone > 0.05
    assert reyes.tone_label == "negative" and reyes.tone < -0.05
    assert -1.0 <= reyes.tone <= 1.0
    assert berg.roles == []


@pytest.mark.parametrize(
    ("name", "label", "expected"),
    [
        ("jargon", "ORG", None),  # a lower-case common word is no name
        ("Kyiv", "PERSON", "place"),  # capital mis-tagged as a person
        ("Azerbaijani", "PERSON", "group"),  # demonym mis-tagged as a person
        ("Jordan", "PERSON", "person"),  # a place name that is also a given name keeps spaCy's tag
        ("Reuters", "ORG", "organisation"),
        ("Russians", "NORP", "group"),
    ],
)
def test_cheap_ner_corrections(name: str, label: str, expected: str | None) -> None:
    assert corrected_type(name, label) == expected


def test_strip_name_drops_titles_articles_and_possessives() -> None:
    assert strip_name("President Vladimir Putin's", 10) == ("Vladimir Putin", 20)
    assert strip_name("the Kremlin", 0) == ("Kremlin", 4)
    assert strip_name("Mr. Smith", 3) == ("Smith", 7)


def test_without_a_parse_the_analyser_refuses() -> None:
    text = "Nothing parsed."
    ctx = Context(analysis=Analysis(article=Article(text=text)), doc=None, paragraphs=paragraphs(text))
    with pytest.raises(InputError, match="parse"):
        EntityAnalyser()(ctx)


SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "samples" / "dushanbe-summit.txt"


def test_sample_opinion_piece_entities(make_context: MakeContext) -> None:
    if not SAMPLE.exists():
        pytest.skip(f"sample article not found at {SAMPLE}")
    analysis = run(make_context, SAMPLE.read_text(encoding="utf-8"))
    top = {e.name: e for e in analysis.entities[:5]}
    assert {"Aliyev", "Putin"} <= set(top)
    assert top["Putin"].type == top["Aliyev"].type == "person"
    # Mis-tagged capitals and surnames are repaired.
    assert entity(analysis, "Kyiv").type == "place"
    assert entity(analysis, "Yuri Podolyaka").variants == ["Yuri Podolyaka", "Podolyaka"]
    assert not any(e.name.islower() for e in analysis.entities)
