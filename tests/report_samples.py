"""Hand-built analyses of invented articles for the reporter tests (no analysers or models involved)."""

from __future__ import annotations

from typing import Any

from spinlens.core import settings
from spinlens.core.model import Analysis, Article, Entity, Span

BRIDGE_ARTICLE = (
    "Council approves reckless bridge plan\n"
    "\n"
    "The town council voted on Tuesday to build a new footbridge over the Miller River. "
    '"This bridge will finally connect two neighbourhoods that have been cut off for decades," '
    "said Mayor Lena Ortiz.\n"
    "Critics called the plan a reckless waste of taxpayers' money, according to the Riverside Gazette.\n"
    "A council official, who asked not to be named, said the costs could double.\n"
    "Either we build it now or the town dies, one resident warned.\n"
    "It is a disaster, a total disaster.\n"
)


def find(text: str, phrase: str, occurrence: int = 0) -> tuple[int, int]:
    """Offsets of the ``occurrence``-th ``phrase`` in ``text`` (fails loudly if it is not there)."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(phrase, start + 1)
    return start, start + len(phrase)


def line_number(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def span_dict(text: str, phrase: str, occurrence: int = 0) -> dict[str, Any]:
    start, end = find(text, phrase, occurrence)
    return {"start": start, "end": end, "text": phrase}


def add_technique(
    analysis: Analysis, label: str, phrase: str, occurrence: int = 0, score: float = 0.8
) -> None:
    text = analysis.article.text
    start, end = find(text, phrase, occurrence)
    analysis.add_finding(
        "technique",
        label,
        start,
        end,
        score=score,
        reason=f"The phrase is typical of {settings.humanise(label)}.",
        analyser="techniques@1",
        details={
            "family": settings.technique_family(label),
            "line": line_number(text, start),
            "cues": [phrase.split()[0]],
        },
    )


def add_sourcing(
    analysis: Analysis,
    source_class: str,
    claim: str,
    *,
    speaker: str | None,
    cue: str | None,
    mode: str = "reported_speech",
) -> None:
    text = analysis.article.text
    start, end = find(text, claim)
    analysis.add_finding(
        "sourcing",
        source_class,
        start,
        end,
        score=0.9,
        reason=f"Attributed with {cue!r}." if cue else "Stated without any attribution.",
        analyser="sourcing@1",
        details={
            "mode": mode,
            "speaker": span_dict(text, speaker) if speaker else None,
            "cue": span_dict(text, cue) if cue else None,
        },
    )


def add_entity(
    analysis: Analysis, entity_id: str, name: str, entity_type: str, tone: float, roles: list[dict[str, Any]]
) -> None:
    text = analysis.article.text
    start, end = find(text, name)
    analysis.add_finding(
        "entity",
        entity_type,
        start,
        end,
        score=1.0,
        reason=f"{name} is named here.",
        analyser="entities@1",
        details={"entity_id": entity_id},
    )
    label = "negative" if tone < -0.2 else "positive" if tone > 0.2 else "neutral"
    analysis.entities.append(
        Entity(
            id=entity_id,
            name=name,
            type=entity_type,
            mentions=[Span(start, end, name)],
            variants=[name],
            tone=tone,
            tone_label=label,
            analyser="entities@1",
            roles=roles,
        )
    )


def bridge_analysis(text: str = BRIDGE_ARTICLE, **article_fields: Any) -> Analysis:
    """An analysis with every kind of finding, label, entity, summary, warning and a verdict."""
    article = Article(
        text=text,
        title=article_fields.pop("title", "Council approves reckless bridge plan"),
        url=article_fields.pop("url", "https://gazette.example.com/news/bridge"),
        language="en",
        meta={"source": "file", "format": "text", "warnings": ["an ingest warning"]},
        **article_fields,
    )
    analysis = Analysis(article=article)
    analysis.warnings.append("an ingest warning")
    analysis.analysers = {"techniques": "techniques@1", "sourcing": "sourcing@1", "entities": "entities@1"}

    # Overlaps on purpose: Loaded_Language inside Name_Calling, Exaggeration over a Repetition.
    add_technique(analysis, "Loaded_Language", "reckless waste")
    add_technique(analysis, "Name_Calling-Labeling", "a reckless waste of taxpayers' money")
    add_technique(analysis, "False_Dilemma-No_Choice", "Either we build it now or the town dies")
    add_technique(analysis, "Repetition", "disaster", occurrence=0, score=0.6)
    add_technique(analysis, "Repetition", "disaster", occurrence=1, score=0.6)
    add_technique(analysis, "Exaggeration-Minimisation", "a total disaster")

    add_sourcing(
        analysis,
        "named_person",
        "This bridge will finally connect two neighbourhoods that have been cut off for decades,",
        speaker="Mayor Lena Ortiz",
        cue="said",
        mode="direct_quote",
    )
    add_sourcing(
        analysis,
        "media",
        "Critics called the plan a reckless waste of taxpayers' money",
        speaker="the Riverside Gazette",
        cue="according to",
    )
    add_sourcing(
        analysis, "anonymous", "the costs could double", speaker="A council official", cue="said the"
    )
    add_sourcing(analysis, "unattributed", "It is a disaster, a total disaster.", speaker=None, cue=None)

    add_entity(
        analysis,
        "e1",
        "Lena Ortiz",
        "person",
        0.4,
        [
            {
                "main": "Protagonist",
                "fine": ["Peacemaker"],
                "score": 0.7,
                "reason": "She champions the bridge.",
            }
        ],
    )
    add_entity(analysis, "e2", "Riverside Gazette", "organisation", 0.0, [])
    add_entity(analysis, "e3", "Miller River", "place", 0.0, [])
    start, end = find(text, "Lena Ortiz")
    analysis.add_finding(
        "role",
        "Protagonist",
        start,
        end,
        score=0.7,
        reason="Presented as the one who fixes the problem.",
        analyser="roles@1",
        details={"entity_id": "e1", "fine": ["Peacemaker"]},
    )

    analysis.add_label("genre", "opinion", score=0.72, reason="Many evaluative words.", analyser="genre@1")
    analysis.add_label("frame", "Economic", score=0.66, reason="Money and costs.", analyser="frames@1")
    analysis.add_label("frame", "Political", score=0.51, reason="A council vote.", analyser="frames@1")
    analysis.add_label("narrative", "Local spending", score=0.4, reason="About a budget.", analyser="nar@1")
    analysis.add_label(
        "subnarrative", "Waste of money", score=0.3, reason="Cost complaints.", analyser="nar@1"
    )

    analysis.summaries["sourcing"] = {
        "total": 4,
        "named": 1,
        "named_share": 0.25,
        "media": 1,
        "anonymous": 1,
        "unattributed": 1,
        "by_class": {"named_person": 1, "media": 1, "anonymous": 1, "unattributed": 1},
        "speakers": [
            {"text": "Mayor Lena Ortiz", "class": "named_person", "count": 1},
            {"text": "the Riverside Gazette", "class": "media", "count": 1},
            {"text": "A council official", "class": "anonymous", "count": 1},
        ],
    }
    analysis.verdict = (
        "An opinion piece that leans on loaded language and a false dilemma; one source is anonymous."
    )
    return analysis


def bare_analysis(text: str, **article_fields: Any) -> Analysis:
    """An analysis with no findings at all, for empty-state and escaping tests."""
    return Analysis(article=Article(text=text, **article_fields))
