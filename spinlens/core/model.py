"""The data model every analyser writes into and every reporter reads from.

An :class:`Article` owns the exact text that is analysed. Findings are views on
that text: each carries character offsets and the covered text, and offsets are
checked when a finding is added, never trusted (as spaCy's ``char_span`` does).
Article-level judgements (genre, frames, narratives) are :class:`DocLabel`s;
people and organisations are :class:`Entity` records that group mention spans.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal, get_args

from spinlens.core.errors import OffsetError

SCHEMA_VERSION = "1.0"

FindingKind = Literal["sourcing", "entity", "technique", "role"]
DocLabelKind = Literal["genre", "frame", "narrative", "subnarrative"]
SourceClass = Literal["named_person", "named_organisation", "media", "anonymous", "unattributed"]
EntityType = Literal["person", "organisation", "place", "group"]

FINDING_KINDS: tuple[str, ...] = get_args(FindingKind)
DOC_LABEL_KINDS: tuple[str, ...] = get_args(DocLabelKind)
SOURCE_CLASSES: tuple[str, ...] = get_args(SourceClass)
ENTITY_TYPES: tuple[str, ...] = get_args(EntityType)


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the article text: ``text == article.text[start:end]``."""

    start: int
    end: int
    text: str


@dataclass(slots=True)
class Article:
    """The text to analyse and what is known about where it came from."""

    text: str
    title: str | None = None
    url: str | None = None
    path: str | None = None
    language: str | None = None
    published: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def heading(self) -> str:
        """The title, else the first non-blank line of the text ("" when there is neither)."""
        if self.title and self.title.strip():
            return self.title.strip()
        return next((line.strip() for line in self.text.split("\n") if line.strip()), "")

    def span(self, start: int, end: int) -> Span:
        """Return the span ``[start, end)``; raise :class:`OffsetError` if it is not inside the text."""
        if not (0 <= start < end <= len(self.text)):
            raise OffsetError(f"span [{start}, {end}) is outside a text of {len(self.text)} characters")
        return Span(start, end, self.text[start:end])


@dataclass(slots=True)
class Finding:
    """One observation about a stretch of text, with the reason a person can read."""

    kind: str
    label: str
    start: int
    end: int
    text: str
    score: float
    reason: str
    analyser: str
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class DocLabel:
    """An article-level judgement such as genre or a frame."""

    kind: str
    label: str
    score: float
    reason: str
    analyser: str
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Entity:
    """A person, organisation, place or group, merged over its name variants."""

    id: str
    name: str
    type: str
    mentions: list[Span]
    variants: list[str]
    tone: float
    tone_label: str
    analyser: str
    roles: list[dict[str, Any]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.mentions)


@dataclass(slots=True)
class Analysis:
    """Everything spinlens found in one article."""

    article: Article
    findings: list[Finding] = field(default_factory=list)
    labels: list[DocLabel] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    summaries: dict[str, dict[str, Any]] = field(default_factory=dict)
    verdict: str = ""
    warnings: list[str] = field(default_factory=list)
    analysers: dict[str, str] = field(default_factory=dict)

    def add_finding(
        self,
        kind: str,
        label: str,
        start: int,
        end: int,
        *,
        score: float,
        reason: str,
        analyser: str,
        details: dict[str, Any] | None = None,
    ) -> Finding:
        """Add a span finding after checking its kind, offsets and score."""
        if kind not in FINDING_KINDS:
            raise ValueError(f"unknown finding kind {kind!r}; expected one of {FINDING_KINDS}")
        span = self.article.span(start, end)
        if not 0.0 <= score <= 1.0:
            raise ValueError(f"score {score} is outside [0, 1]")
        finding = Finding(
            kind=kind,
            label=label,
            start=start,
            end=end,
            text=span.text,
            score=float(score),
            reason=reason,
            analyser=analyser,
            details=details or {},
        )
        self.findings.append(finding)
        return finding

    def add_label(
        self,
        kind: str,
        label: str,
        *,
        score: float,
        reason: str,
        analyser: str,
        details: dict[str, Any] | None = None,
    ) -> DocLabel:
        if kind not in DOC_LABEL_KINDS:
            raise ValueError(f"unknown label kind {kind!r}; expected one of {DOC_LABEL_KINDS}")
        if not 0.0 <= score <= 1.0:
            raise ValueError(f"score {score} is outside [0, 1]")
        doc_label = DocLabel(kind, label, float(score), reason, analyser, details or {})
        self.labels.append(doc_label)
        return doc_label

    def findings_of(self, kind: str) -> list[Finding]:
        return [f for f in self.findings if f.kind == kind]

    def labels_of(self, kind: str) -> list[DocLabel]:
        return [lab for lab in self.labels if lab.kind == kind]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form documented in ``spinlens/schema/analysis.schema.json``."""
        article = asdict(self.article)
        return {
            "schema_version": SCHEMA_VERSION,
            "article": article,
            "verdict": self.verdict,
            "warnings": list(self.warnings),
            "analysers": dict(self.analysers),
            "labels": [asdict(lab) for lab in self.labels],
            "summaries": self.summaries,
            "entities": [{**asdict(e), "count": e.count} for e in self.entities],
            "findings": [asdict(f) for f in self.findings],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Analysis:
        article = Article(**data["article"])
        analysis = cls(
            article=article,
            verdict=data.get("verdict", ""),
            warnings=list(data.get("warnings", [])),
            analysers=dict(data.get("analysers", {})),
            summaries=dict(data.get("summaries", {})),
        )
        analysis.labels = [DocLabel(**lab) for lab in data.get("labels", [])]
        analysis.findings = [Finding(**f) for f in data.get("findings", [])]
        for e in data.get("entities", []):
            e = dict(e)
            e.pop("count", None)
            e["mentions"] = [Span(**m) for m in e["mentions"]]
            analysis.entities.append(Entity(**e))
        return analysis
