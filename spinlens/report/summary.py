"""What every report shows, gathered once from an :class:`Analysis` so the formats agree."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from spinlens.core import settings
from spinlens.core.model import Analysis, DocLabel, Entity, Finding

FAMILIES: tuple[str, ...] = (*settings.TECHNIQUE_FAMILIES, "Other")

# (HTML colour, rich terminal style) per technique family; light backgrounds
# with black text stay readable on dark and light terminals alike.
FAMILY_COLOURS: dict[str, tuple[str, str]] = {
    "Attack on reputation": ("#e15759", "black on #ff9e9e"),
    "Justification": ("#4e79a7", "black on #a8cfff"),
    "Simplification": ("#d4a017", "black on #ffe680"),
    "Distraction": ("#b07aa1", "black on #e3b8ff"),
    "Call": ("#59a14f", "black on #b0eba8"),
    "Manipulative wording": ("#f28e2b", "black on #ffc890"),
    "Other": ("#8c8c8c", "black on #d6d6d6"),
}

SOURCE_CLASS_NAMES: dict[str, str] = {
    "named_person": "named person",
    "named_organisation": "named organisation",
    "media": "media",
    "anonymous": "anonymous",
    "unattributed": "unattributed",
}
SOURCE_CLASS_COLOURS: dict[str, str] = {
    "named_person": "#1b7f5b",
    "named_organisation": "#1b6f8f",
    "media": "#4e79a7",
    "anonymous": "#c0392b",
    "unattributed": "#8e44ad",
}

EXAMPLES_PER_TECHNIQUE = 3


def family_of(finding: Finding) -> str:
    family = finding.details.get("family") if isinstance(finding.details, dict) else None
    if isinstance(family, str) and family in FAMILY_COLOURS:
        return family
    return settings.technique_family(finding.label)


def family_slug(family: str) -> str:
    return family.lower().replace(" ", "-")


def excerpt(text: str, limit: int = 120) -> str:
    """One line of at most ``limit`` characters: whitespace collapsed, an ellipsis if cut."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[: limit - 1].rstrip() + "…"


def title_of(analysis: Analysis) -> str:
    article = analysis.article
    return article.title or article.path or article.url or "Untitled article"


def genre_of(analysis: Analysis) -> DocLabel | None:
    genres = analysis.labels_of("genre")
    return max(genres, key=lambda lab: lab.score) if genres else None


def by_score(labels: list[DocLabel]) -> list[DocLabel]:
    return sorted(labels, key=lambda lab: (-lab.score, lab.label))


def explained_narratives(analysis: Analysis) -> list[DocLabel]:
    """The narratives the article pushes ("Other" left out: its reason is the header's), best first: each
    report lists their reasons."""
    return [label for label in by_score(analysis.labels_of("narrative")) if label.label != "Other"]


def narrative_text(label: DocLabel) -> str:
    """ "URW: Praise of Russia (0.61)"; an "Other" label adds the nearest narratives it was chosen over."""
    other = label.label == "Other"
    # An off-topic "Other" comes from the topic check, not from the model's score: say so instead.
    head = "off topic" if other and label.details.get("off_topic") else f"{label.score:.2f}"
    nearest = label.details.get("nearest") if other else None
    if isinstance(nearest, list) and nearest:
        named = ", ".join(
            f"{str(n.get('label', '')).split(': ', 1)[-1]} {float(n.get('score', 0.0)):.2f}"
            for n in nearest
            if isinstance(n, dict)
        )
        return f"{label.label} ({head}; nearest: {named})"
    return f"{label.label} ({head})"


def line_of(finding: Finding) -> int | None:
    line = finding.details.get("line")
    return line if isinstance(line, int) else None


@dataclass(slots=True)
class TechniqueCount:
    label: str
    family: str
    count: int
    examples: list[str] = field(default_factory=list)


def technique_counts(analysis: Analysis) -> list[TechniqueCount]:
    """Techniques by how often they were found, with up to three distinct example quotes each."""
    rows: dict[str, TechniqueCount] = {}
    for finding in sorted(analysis.findings_of("technique"), key=lambda f: (f.start, f.end)):
        row = rows.setdefault(finding.label, TechniqueCount(finding.label, family_of(finding), 0))
        row.count += 1
        quote = excerpt(finding.text, 100)
        if len(row.examples) < EXAMPLES_PER_TECHNIQUE and quote not in row.examples:
            row.examples.append(quote)
    return sorted(rows.values(), key=lambda row: (-row.count, row.label))


def family_counts(analysis: Analysis) -> Counter[str]:
    return Counter(family_of(f) for f in analysis.findings_of("technique"))


@dataclass(frozen=True, slots=True)
class SourcingRow:
    speaker: str
    source_class: str
    mode: str
    cue: str
    claim: str
    start: int


def _span_text(value: Any) -> str:
    if isinstance(value, dict) and isinstance(value.get("text"), str):
        return str(value["text"])
    return ""


def sourcing_rows(analysis: Analysis) -> list[SourcingRow]:
    rows = []
    for finding in sorted(analysis.findings_of("sourcing"), key=lambda f: f.start):
        details = finding.details
        rows.append(
            SourcingRow(
                speaker=_span_text(details.get("speaker")),
                source_class=finding.label,
                mode=str(details.get("mode") or "").replace("_", " "),
                cue=_span_text(details.get("cue")),
                claim=finding.text,
                start=finding.start,
            )
        )
    return rows


def analysed(analysis: Analysis, analyser: str) -> bool:
    """Whether ``analyser`` ran; an analysis that does not record its analysers counts as complete."""
    return not analysis.analysers or analyser in analysis.analysers


def _skipped(what: str) -> str:
    # The fast profile leaves out the analysers that need the parse: saying "none found"
    # there would tell a reader the article cites nobody.
    return f"{what} not analysed: the fast profile skips them (the default profile finds them)"


def sourcing_overview(analysis: Analysis) -> str:
    """A one-line count of attributions by class, from the summary if present, else from findings."""
    if not analysed(analysis, "sourcing"):
        return _skipped("quotes and reported speech")
    summary = analysis.summaries.get("sourcing") or {}
    by_class = summary.get("by_class") if isinstance(summary, dict) else None
    if not isinstance(by_class, dict):
        by_class = Counter(f.label for f in analysis.findings_of("sourcing"))
    total = sum(int(n) for n in by_class.values())
    if not total:
        return "no attributed statements found"
    parts = [f"{by_class[c]} {SOURCE_CLASS_NAMES.get(c, c)}" for c in SOURCE_CLASS_NAMES if by_class.get(c)]
    parts += [f"{n} {c}" for c, n in by_class.items() if c not in SOURCE_CLASS_NAMES and n]
    return f"{total} attributed statement{'s' if total != 1 else ''}: " + ", ".join(parts)


def no_entities_message(analysis: Analysis) -> str:
    if not analysed(analysis, "entities"):
        return _skipped("People and organisations") + "."
    return "No people or organisations found."


def top_entities(analysis: Analysis, limit: int = 10) -> list[Entity]:
    return sorted(analysis.entities, key=lambda e: (-e.count, e.name))[:limit]


def roles_text(entity: Entity) -> str:
    parts = []
    for role in entity.roles:
        main = str(role.get("main", ""))
        fine = [str(x) for x in role.get("fine", []) if x]
        parts.append(f"{main} ({', '.join(fine)})" if fine else main)
    return "; ".join(p for p in parts if p)


def entity_rows(analysis: Analysis, limit: int) -> list[dict[str, Any]]:
    """The most-mentioned entities as table rows (for the HTML report and the web page)."""
    return [
        {
            "name": e.name,
            "type": e.type,
            "count": e.count,
            "tone": e.tone,
            "tone_label": e.tone_label,
            "roles": roles_text(e),
            "variants": ", ".join(v for v in e.variants if v != e.name),
        }
        for e in top_entities(analysis, limit=limit)
    ]


def label_line(labels: list[DocLabel]) -> str:
    return ", ".join(f"{lab.label} ({lab.score:.2f})" for lab in by_score(labels)) or "none"
