"""A plain-language summary a journalist can read in a minute.

It only reads what the other analysers wrote; it finds nothing itself.
"""

from __future__ import annotations

from collections import Counter
from typing import ClassVar

from spinlens.analysers.base import Context
from spinlens.core.model import Analysis
from spinlens.core.settings import humanise

GENRE_PHRASES = {"opinion": "Opinion piece", "reporting": "News report", "satire": "Satire"}


class VerdictAnalyser:
    name: ClassVar[str] = "verdict"
    version: ClassVar[int] = 1
    requires: ClassVar[tuple[str, ...]] = ()
    assigns: ClassVar[tuple[str, ...]] = ("verdict",)

    def __call__(self, ctx: Context) -> None:
        analysis = ctx.analysis
        analysis.summaries["techniques"] = technique_summary(analysis)
        analysis.verdict = compose_verdict(analysis)


def technique_summary(analysis: Analysis) -> dict[str, object]:
    counts = Counter(f.label for f in analysis.findings_of("technique"))
    words = max(1, len(analysis.article.text.split()))
    lines_with_technique = {f.details.get("line") for f in analysis.findings_of("technique")}
    return {
        "total": sum(counts.values()),
        "by_label": dict(counts.most_common()),
        "per_1000_words": round(1000 * sum(counts.values()) / words, 1),
        "lines_with_technique": len(lines_with_technique - {None}),
        "words": words,
    }


def _count_phrase(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"


def _sourcing_sentence(analysis: Analysis) -> str | None:
    summary = analysis.summaries.get("sourcing")
    if summary is None:
        return None  # sourcing was not analysed (fast profile)
    if not summary.get("total"):
        return "No quotes or reported speech were found: claims are made in the author's own voice."
    total = int(summary["total"])
    weak = int(summary.get("anonymous", 0)) + int(summary.get("unattributed", 0))
    media = int(summary.get("media", 0))
    parts = [
        f"{weak} of {_count_phrase(total, 'attributed claim')} {'rests' if weak == 1 else 'rest'} "
        "on anonymous or unattributed sources" + _relays_clause(analysis)
    ]
    if media:
        parts.append(f"{media} on unnamed media")
    named = [
        s["text"]
        for s in summary.get("speakers", [])
        if s.get("class") in ("named_person", "named_organisation")
    ]
    if named:
        shown = ", ".join(dict.fromkeys(named[:4]))
        parts.append(f"named sources: {shown}")
    else:
        parts.append("no named source is quoted")
    return "; ".join(parts) + "."


def _relays_clause(analysis: Analysis) -> str:
    """ " (2 relayed by Tom Reyes)": weak claims that a named or unnamed messenger passes on."""
    relayers = Counter(
        str(f.details["relayed_by"].get("text", ""))
        for f in analysis.findings_of("sourcing")
        if f.label in ("anonymous", "unattributed") and isinstance(f.details.get("relayed_by"), dict)
    )
    if not relayers:
        return ""
    names = ", ".join(name for name, _ in relayers.most_common(3)) + (
        " and others" if len(relayers) > 3 else ""
    )
    return f" ({sum(relayers.values())} relayed by {names})"


def _techniques_sentence(analysis: Analysis) -> str:
    summary = analysis.summaries.get("techniques", {})
    by_label: dict[str, int] = summary.get("by_label", {})
    if not by_label:
        return "No persuasion techniques were detected with confidence."
    top = list(by_label.items())[:3]
    listed = ", ".join(f"{humanise(label)} ({n})" for label, n in top)
    per_k = summary.get("per_1000_words")
    return f"Dominant techniques: {listed}; {per_k} technique findings per 1,000 words."


def _entity_sentence(analysis: Analysis) -> str | None:
    cast = []
    for entity in analysis.entities[:12]:
        for role in entity.roles[:1]:
            fine = ", ".join(role.get("fine", [])[:2])
            cast.append(f"{entity.name} as {role['main'].lower()}" + (f" ({fine})" if fine else ""))
    if cast:
        return "Casts " + "; ".join(cast[:3]) + "."
    negative = [e for e in analysis.entities[:8] if e.tone_label == "negative" and e.count >= 2]
    if negative:
        names = ", ".join(e.name for e in negative[:3])
        return f"Most negatively framed: {names}."
    return None


def compose_verdict(analysis: Analysis) -> str:
    sentences: list[str] = []
    genre = analysis.labels_of("genre")
    opening = GENRE_PHRASES.get(genre[0].label, genre[0].label) if genre else "Article"
    frames = [humanise(f.label) for f in analysis.labels_of("frame")][:3]
    if frames:
        opening += " framed around " + ", ".join(frames)
    narratives = [n.label for n in analysis.labels_of("narrative") if n.label != "Other"][:2]
    if narratives:
        opening += "; pushes the narrative " + " and ".join(f"'{n}'" for n in narratives)
    sentences.append(opening + ".")
    for sentence in (
        _sourcing_sentence(analysis),
        _techniques_sentence(analysis),
        _entity_sentence(analysis),
    ):
        if sentence:
            sentences.append(sentence)
    if analysis.warnings:
        sentences.append("Warnings: " + "; ".join(analysis.warnings))
    return " ".join(sentences)
