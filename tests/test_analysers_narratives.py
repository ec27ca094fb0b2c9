"""The narrative and entity-role analysers, with the shipped SemEval-2025 models on invented articles."""

from __future__ import annotations

import copy
import dataclasses
import re
from collections.abc import Callable

import pytest

from spinlens.analysers.base import Analyser, Context
from spinlens.analysers.narratives import CLOSE_ENOUGH, NarrativeAnalyser, narrative_scores, short_label
from spinlens.analysers.roles import RoleAnalyser
from spinlens.core.model import Entity, Span
from spinlens.datasets.semeval2025 import FINE_ROLES_BY_MAIN
from spinlens.models.semeval2025 import Semeval2025Models, load_semeval2025, names_topic
from spinlens.report.summary import narrative_text

# Invented articles, written for these tests.
CLIMATE = (
    "The Climate Scam Hits Farmers\n\n"
    "Unelected bureaucrats in Brussels want to shut down farms to meet their net zero fantasies. "
    "The so-called climate emergency is built on computer models that have failed again and again.\n\n"
    "Greta Thunberg and her fellow activists travel the world lecturing working people, while billionaires "
    "fly private jets to climate summits. Farmers who feed the nation are treated as criminals.\n\n"
    "Carbon dioxide is plant food, and the planet has been greening for decades. "
    "The real agenda is control, not the climate.\n"
)

WAR = (
    "Zelensky Drags Europe Toward Nuclear War\n\n"
    "The regime of Zelensky has once again shown that it takes its orders from Washington. "
    "Zelensky, who was elected on a promise of peace, now begs for ever more weapons "
    "while ordinary Ukrainians pay the price.\n\n"
    "Moscow has repeatedly warned that supplying long-range missiles would cross a red line "
    "and said it would respond with all means at its disposal, including nuclear weapons.\n\n"
    "European leaders, tired of the endless requests, ask how long they can keep paying. "
    "Zelensky has banned opposition parties and silenced critical media.\n\n"
    "The weather in Denmark was mild.\n"
)

NOTICE = (
    "Library Extends Sunday Opening Hours\n\n"
    "The town library will open on Sundays from next month, the council said on Tuesday. "
    "Librarian Jane Morris said families had asked for more weekend hours.\n\n"
    "The new schedule will be reviewed in the autumn. Volunteers will help run a reading club for children.\n"
)

# A polemic about neither the war nor climate change: the models, which learnt from those two topics only,
# still lean to climate narratives on its words.
MEDIA = (
    "The Media Lies Again\n\n"
    "The mainstream media has once again been caught spreading fake news to protect the political elites. "
    "Their so-called fact checkers are nothing but propagandists paid by the same billionaires who own the "
    "networks.\n\n"
    "When Senator Tom Baker dared to ask questions about the scandal, the corrupt press smeared him as a "
    "liar. The cover-up goes all the way to the top, and the journalists know it. Tom Baker will not be "
    "silenced.\n\n"
    "Ordinary Americans no longer trust anything they read in the newspapers, and who can blame them? "
    "The establishment wants you silent, obedient and afraid, and Tom Baker is the one they fear.\n"
)


@pytest.fixture(scope="module")
def models() -> Semeval2025Models:
    return load_semeval2025()


def _labels(ctx: Context, kind: str) -> list[str]:
    return [label.label for label in ctx.analysis.labels_of(kind)]


def _entity(text: str, name: str, entity_type: str, surface: str | None = None) -> Entity:
    surface = surface or name
    mentions = [Span(m.start(), m.end(), surface) for m in re.finditer(re.escape(surface), text)]
    assert mentions, f"{surface!r} is not in the text"
    return Entity(
        id=f"e-{name.lower().replace(' ', '-')}",
        name=name,
        type=entity_type,
        mentions=mentions,
        variants=[surface],
        tone=0.0,
        tone_label="neutral",
        analyser="test",
    )


def test_analysers_follow_the_contract(models: Semeval2025Models) -> None:
    narratives, roles = NarrativeAnalyser(models), RoleAnalyser(models)
    assert isinstance(narratives, Analyser) and isinstance(roles, Analyser)
    assert (narratives.name, narratives.requires, narratives.assigns) == (
        "narratives",
        ("paragraphs",),
        ("narratives",),
    )
    assert (roles.name, roles.requires, roles.assigns) == ("roles", ("doc", "entities"), ("roles",))


@pytest.mark.parametrize("embed", [False, True], ids=["fast", "default"])
def test_climate_article_gets_climate_narratives_with_quoted_evidence(
    models: Semeval2025Models, make_context: Callable[[str], Context], embed: bool
) -> None:
    ctx = make_context(CLIMATE)
    NarrativeAnalyser(models, embed=embed)(ctx)
    narratives = ctx.analysis.labels_of("narrative")
    assert narratives, "a climate-sceptic polemic should push at least one narrative"
    assert all(label.label.startswith("CC: ") for label in narratives)
    for label in ctx.analysis.labels:
        assert 0.0 <= label.score <= 1.0
        assert label.analyser == "narratives@6"
        for evidence in label.details["evidence"]:
            assert CLIMATE[evidence["start"] : evidence["end"]] == evidence["text"]
        if label.details["evidence"]:
            assert label.details["evidence"][0]["text"][:60] in label.reason
        closest = label.details.get("closest_paragraph")
        if label.label.endswith(": Other"):
            assert closest is None  # a fallback has no words of its own to be close to
        elif embed:
            paragraph = ctx.paragraphs[closest["index"]]
            assert (closest["start"], closest["end"]) == (paragraph.start, paragraph.end)
            assert -1.0 <= closest["similarity"] <= 1.0
            named = f"paragraph {closest['index'] + 1} comes closest in meaning" in label.reason
            assert named == (closest["similarity"] >= CLOSE_ENOUGH)
        else:
            assert closest is None and "comes closest" not in label.reason
    assert any("most telling" in label.reason for label in narratives)
    assert embed == any("comes closest in meaning" in label.reason for label in narratives)
    assert short_label(narratives[0].label) in narratives[0].reason
    # Each sub-narrative hangs under a narrative the article was given.
    for sub in ctx.analysis.labels_of("subnarrative"):
        assert sub.details["narrative"] in _labels(ctx, "narrative")
        assert sub.label.startswith(sub.details["narrative"] + ": ")


def test_a_fallback_subnarrative_names_the_threshold_it_was_decided_with(
    models: Semeval2025Models, make_context: Callable[[str], Context]
) -> None:
    # The default profile decides with the embedding heads' thresholds, not the TF-IDF heads' own.
    strict = copy.deepcopy(models)
    embedded = strict.narratives.embedded
    assert embedded is not None
    embedded.thresholds = dataclasses.replace(embedded.thresholds, sub=0.99)
    assert strict.narratives.thresholds.sub != 0.99
    ctx = make_context(CLIMATE)
    NarrativeAnalyser(strict, embed=True)(ctx)
    fallbacks = [s for s in ctx.analysis.labels_of("subnarrative") if s.label.endswith(": Other")]
    assert fallbacks
    assert all("the best scores stay below 0.99" in s.reason for s in fallbacks)


@pytest.mark.parametrize("embed", [False, True], ids=["fast", "default"])
def test_plain_local_news_is_other(
    models: Semeval2025Models, make_context: Callable[[str], Context], embed: bool
) -> None:
    ctx = make_context(NOTICE)
    NarrativeAnalyser(models, embed=embed)(ctx)
    assert ("article_paragraph_vectors" in ctx.scratch) is embed
    assert _labels(ctx, "narrative") == ["Other"]
    assert _labels(ctx, "subnarrative") == []
    other = ctx.analysis.labels[0]
    assert "None of the task's narratives" in other.reason
    assert other.details["off_topic"] is False
    assert narrative_text(other).startswith(f"Other ({other.score:.2f}; nearest: ")
    # How close the call was: the threshold, and the nearest narratives of the article's domain.
    assert other.score >= other.details["threshold"]
    nearest = other.details["nearest"]
    assert len(nearest) == 2 and nearest[0]["score"] >= nearest[1]["score"]
    assert all(n["label"] in models.narratives.narratives.labels for n in nearest)
    assert f'"{short_label(nearest[0]["label"])}" ({nearest[0]["score"]:.2f})' in other.reason


@pytest.mark.parametrize("embed", [False, True], ids=["fast", "default"])
def test_an_article_about_neither_topic_is_other(
    models: Semeval2025Models, make_context: Callable[[str], Context], embed: bool
) -> None:
    ctx = make_context(MEDIA)
    NarrativeAnalyser(models, embed=embed)(ctx)
    # The heads alone would give it climate narratives: the topic check is what says "Other".
    scores, thresholds = narrative_scores(ctx, models.narratives, embed)
    lean = models.narratives.decide(scores, 0, thresholds)
    assert not lean.is_other and lean.domain == "CC"
    assert _labels(ctx, "narrative") == ["Other"]
    assert _labels(ctx, "subnarrative") == []
    other = ctx.analysis.labels[0]
    assert other.details["off_topic"] is True
    assert "never names climate change" in other.reason
    # Reports say why, not the model's probability, which would read as the reason for "Other".
    assert narrative_text(other).startswith("Other (off topic; nearest: ")
    assert other.details["nearest"] and other.details["nearest"][0]["label"].startswith("CC: ")


def test_an_article_naming_its_topic_keeps_its_narratives(
    models: Semeval2025Models, make_context: Callable[[str], Context]
) -> None:
    # The same polemic, once about the climate: now the narratives stand.
    text = MEDIA.replace("about the scandal", "about the climate scandal")
    ctx = make_context(text)
    NarrativeAnalyser(models, embed=True)(ctx)
    narratives = _labels(ctx, "narrative")
    assert narratives and "Other" not in narratives
    assert all(label.startswith("CC: ") for label in narratives)


def test_no_roles_in_an_article_about_neither_topic(
    models: Semeval2025Models, make_context: Callable[[str], Context], monkeypatch: pytest.MonkeyPatch
) -> None:
    def senator() -> Entity:
        return _entity(MEDIA, "Tom Baker", "person")

    # Without the topic check the senator would be cast: the check is what leaves him out.
    import spinlens.analysers.narratives as narratives

    ctx = make_context(MEDIA)
    unchecked = senator()
    ctx.analysis.entities.append(unchecked)
    with monkeypatch.context() as patch:
        patch.setattr(narratives, "names_topic", lambda text, domain: True)
        RoleAnalyser(models)(ctx)
    assert unchecked.roles

    ctx = make_context(MEDIA)
    checked = senator()
    ctx.analysis.entities.append(checked)
    RoleAnalyser(models)(ctx)
    assert checked.roles == []


@pytest.mark.parametrize(
    ("text", "domain", "named"),
    [
        ("Shelling continued near Kharkiv overnight.", "UA", True),
        ("The Ukrainian army said it held the line.", "UA", True),
        ("NATO leaders met in Vilnius.", "UA", True),
        ("The Pope spoke about the war on poverty.", "UA", False),
        ("EVs and heat pumps are subsidised.", "CC", True),
        ("Record temperatures were measured in July.", "CC", True),
        ("Evening classes resume on Monday.", "CC", False),
        ("Carbonara is on the menu.", "CC", False),
    ],
)
def test_names_topic(text: str, domain: str, named: bool) -> None:
    assert names_topic(text, domain) is named


def test_empty_article_gets_no_label(
    models: Semeval2025Models, make_context: Callable[[str], Context]
) -> None:
    ctx = make_context("   \n\n")
    NarrativeAnalyser(models)(ctx)
    assert ctx.analysis.labels == []


def test_prominent_entity_is_cast_and_the_reason_quotes_its_sentence(
    models: Semeval2025Models, make_context: Callable[[str], Context]
) -> None:
    ctx = make_context(WAR)
    zelensky = _entity(WAR, "Volodymyr Zelensky", "person", "Zelensky")
    denmark = _entity(WAR, "Denmark", "place")
    ctx.analysis.entities.extend([zelensky, denmark])
    RoleAnalyser(models)(ctx)
    assert len(zelensky.roles) == 1
    role = zelensky.roles[0]
    assert role["main"] in FINE_ROLES_BY_MAIN
    assert role["fine"] and all(f in FINE_ROLES_BY_MAIN[role["main"]] for f in role["fine"])
    assert 0.0 <= role["score"] <= 1.0
    assert role["salience"] >= models.roles.salience_threshold
    assert role["reason"].startswith(f'cast as {role["fine"][0]} ({role["main"].lower()}): "')
    evidence = role["evidence"]
    assert WAR[evidence["start"] : evidence["end"]] == evidence["text"]
    assert "Zelensky" in evidence["text"]
    assert evidence["text"][:60] in role["reason"]
    # Named once, in the last line, about the weather: not someone the article casts.
    assert denmark.roles == []


def test_no_roles_without_a_narrative(
    models: Semeval2025Models, make_context: Callable[[str], Context]
) -> None:
    ctx = make_context(NOTICE)
    librarian = _entity(NOTICE, "Jane Morris", "person", "Librarian Jane Morris")
    ctx.analysis.entities.append(librarian)
    RoleAnalyser(models)(ctx)
    assert librarian.roles == []


def test_roles_need_a_parse_and_entities(
    models: Semeval2025Models, make_context: Callable[[str], Context]
) -> None:
    ctx = make_context(WAR)
    RoleAnalyser(models)(ctx)  # no entities: nothing to do, nothing raised
    assert ctx.analysis.entities == []
    ctx.doc = None
    entity = _entity(WAR, "Volodymyr Zelensky", "person", "Zelensky")
    ctx.analysis.entities.append(entity)
    RoleAnalyser(models)(ctx)
    assert entity.roles == []
