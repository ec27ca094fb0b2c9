"""Which propaganda narratives about the war in Ukraine or climate change an article pushes.

The labels are SemEval-2025 Task 10's taxonomy (narratives such as "Discrediting
Ukraine", each with sub-narratives). Most news carries none of them: then the
article gets the single narrative label "Other". Each label's reason quotes the
sentence whose words push the classifier towards it most (see
:meth:`spinlens.models.semeval2025.NarrativeModel.evidence`) and, in the default
profile, names the paragraph whose meaning comes closest to the label's own words
(:meth:`~spinlens.models.semeval2025.NarrativeModel.closest_paragraph`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from spinlens.analysers.base import Context, article_paragraph_vectors
from spinlens.datasets.semeval2025 import DOMAIN_PREFIX, OTHER
from spinlens.models import card_digest
from spinlens.models.semeval2025 import (
    NarrativeModel,
    NarrativePrediction,
    NarrativeScores,
    NarrativeThresholds,
    TextPiece,
    names_topic,
    split_sentences,
)

if TYPE_CHECKING:
    from spinlens.models.semeval2025 import Semeval2025Models

NAME = "narratives"
# 3: an "Other" label names the nearest narratives. 4: the embedding heads read label closeness.
# 5: the embedding heads read up to 32 paragraphs; reasons name the closest paragraph.
# 6: an article that never names the war in Ukraine or climate change gets "Other" (names_topic).
VERSION = 6
# How many of the nearest narratives an "Other" label names.
NEAREST = 2
# MiniLM similarity below which the closest paragraph is not named in a reason (it stays in the details):
# the best paragraph reaches it for 81% of the labels annotators gave in SemEval-2025 and 43% of the others.
CLOSE_ENOUGH = 0.3
DOMAIN_WORDS = {"UA": "the war in Ukraine", "CC": "climate change"}
TOPIC_EXAMPLES = {"UA": "'Ukraine', 'Russia', 'Kyiv' or 'NATO'", "CC": "'climate', 'emissions' or 'warming'"}
_QUOTE_CHARS = 180


def short_label(label: str) -> str:
    """``URW: Discrediting Ukraine: Ukraine is a puppet of the West`` -> the part after the domain."""
    for prefix in DOMAIN_PREFIX.values():
        if label.startswith(prefix + ": "):
            return label[len(prefix) + 2 :]
    return label


def quote(text: str, limit: int = _QUOTE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def narrative_scores(
    ctx: Context, model: NarrativeModel, embed: bool
) -> tuple[NarrativeScores, NarrativeThresholds]:
    """The model's scores for this article and the thresholds that go with them, computed once per
    article: the narrative and role analysers both decide from them."""
    vectors = article_paragraph_vectors(ctx) if embed and model.embedded is not None else None
    key = f"narrative_scores:{id(model)}:{vectors is not None}"
    scores = ctx.memo(key, lambda: model.scores([ctx.analysis.article.text], vectors))
    return scores, model.thresholds_for(vectors)


@dataclass(frozen=True)
class NarrativeDecision:
    """What the narrative and role analysers both act on: the model's decision for the article, and
    whether the topic check overrules it."""

    scores: NarrativeScores
    thresholds: NarrativeThresholds
    prediction: NarrativePrediction
    # The heads give narratives, but the article never names their topic (names_topic).
    off_topic: bool

    @property
    def is_other(self) -> bool:
        return self.prediction.is_other or self.off_topic


def narrative_decision(ctx: Context, model: NarrativeModel, embed: bool) -> NarrativeDecision:
    scores, thresholds = narrative_scores(ctx, model, embed)
    prediction = model.decide(scores, 0, thresholds)
    off_topic = not prediction.is_other and not names_topic(ctx.analysis.article.text, prediction.domain)
    return NarrativeDecision(scores, thresholds, prediction, off_topic)


class NarrativeAnalyser:
    name: ClassVar[str] = NAME
    version: ClassVar[int] = VERSION
    requires: ClassVar[tuple[str, ...]] = ("paragraphs",)
    assigns: ClassVar[tuple[str, ...]] = ("narratives",)

    def __init__(self, models: Semeval2025Models, embed: bool = False) -> None:
        """``embed``: mix in the heads that read the article's sentence embedding (default profile)."""
        self.model: NarrativeModel = models.narratives
        self.embed = embed and self.model.embedded is not None
        digest = card_digest(models.card)
        self.model_version = f"{digest}+embedding" if self.embed else digest

    def __call__(self, ctx: Context) -> None:
        analysis = ctx.analysis
        text = analysis.article.text
        if not ctx.paragraphs:
            return
        model = self.model
        decision = narrative_decision(ctx, model, self.embed)
        prediction, thresholds, off_topic = decision.prediction, decision.thresholds, decision.off_topic
        analyser = f"{NAME}@{VERSION}"
        topic = DOMAIN_WORDS.get(prediction.domain, prediction.domain)
        if decision.is_other:
            # The nearest narratives tell a reader how close the call was, and what to look for.
            nearest = [
                (lab, round(p, 3))
                for lab, p in model.nearest(decision.scores, 0, prediction.domain, k=NEAREST)
            ]
            if off_topic:
                reason = (
                    f"None of the task's narratives is pushed here: the words lean towards narratives about "
                    f"{topic}, but the article never names {topic} (no word such as "
                    f"{TOPIC_EXAMPLES[prediction.domain]}), and those narratives are about nothing else"
                )
            else:
                reason = (
                    "None of the task's narratives about the war in Ukraine or climate change is pushed here "
                    f"(probability that none applies: {prediction.p_other:.2f}; {thresholds.other:.2f} is "
                    "enough)"
                )
            if nearest:
                reason += "; nearest: " + ", ".join(f'"{short_label(lab)}" ({p:.2f})' for lab, p in nearest)
            analysis.add_label(
                "narrative",
                OTHER,
                score=round(prediction.p_other, 3),
                reason=reason + ".",
                analyser=analyser,
                details={
                    "p_other": round(prediction.p_other, 3),
                    "threshold": thresholds.other,
                    "off_topic": off_topic,
                    "nearest": [{"label": lab, "score": p} for lab, p in nearest],
                    "evidence": [],
                },
            )
            return
        sentences = [s for p in ctx.paragraphs for s in split_sentences(p.text, p.start)]
        explainer = model.explainer(text, sentences)
        closest = _ClosestParagraph(model, ctx, self.embed)
        evidence: list[TextPiece]
        for label, probability in prediction.narratives:
            evidence = explainer.top(label, k=2)
            near, near_details = closest(label)
            analysis.add_label(
                "narrative",
                label,
                score=round(probability, 3),
                reason=_reason(
                    f'Pushes the narrative "{short_label(label)}" about {topic}', probability, evidence, near
                ),
                analyser=analyser,
                details={**_details(prediction, evidence), **near_details},
            )
        for label, probability in prediction.subnarratives:
            parent = model.parents.get(label, "")
            near_details = {}
            if label.endswith(f": {OTHER}"):
                reason = (
                    f'No specific sub-narrative of "{short_label(parent)}" stands out '
                    f"(the best scores stay below {thresholds.sub:.2f})."
                )
                evidence = []
            else:
                evidence = explainer.top(label, k=2)
                near, near_details = closest(label)
                reason = _reason(
                    f'Within "{short_label(parent)}": "{label.rsplit(": ", 1)[-1]}"',
                    probability,
                    evidence,
                    near,
                )
            analysis.add_label(
                "subnarrative",
                label,
                score=round(probability, 3),
                reason=reason,
                analyser=analyser,
                details={**_details(prediction, evidence), **near_details, "narrative": parent},
            )


class _ClosestParagraph:
    """For a label: a phrase naming the article's paragraph closest in meaning to the label's own words (empty
    when even that one is not close), and that paragraph's place for the details (both empty where the model
    reads no embeddings)."""

    def __init__(self, model: NarrativeModel, ctx: Context, embed: bool) -> None:
        self.model = model
        self.paragraphs = ctx.paragraphs
        self.vectors = article_paragraph_vectors(ctx) if embed else None

    def __call__(self, label: str) -> tuple[str, dict[str, object]]:
        found = None if self.vectors is None else self.model.closest_paragraph(self.vectors, label)
        if found is None or found[0] >= len(self.paragraphs):
            return "", {}
        index, similarity = found
        paragraph = self.paragraphs[index]
        phrase = (
            f"paragraph {index + 1} comes closest in meaning to the label's own words "
            f"(similarity {similarity:.2f})"
            if similarity >= CLOSE_ENOUGH
            else ""
        )
        return phrase, {
            "closest_paragraph": {
                "index": index,
                "start": paragraph.start,
                "end": paragraph.end,
                "similarity": round(similarity, 3),
            }
        }


def _reason(claim: str, probability: float, evidence: list[TextPiece], closest: str = "") -> str:
    tail = f"; {closest}" if closest else ""
    if not evidence:
        return f"{claim} (probability {probability:.2f}), judged from the article as a whole{tail}."
    return f'{claim} (probability {probability:.2f}); most telling: "{quote(evidence[0].text)}"{tail}'


def _details(prediction: NarrativePrediction, evidence: list[TextPiece]) -> dict[str, object]:
    return {
        "domain": prediction.domain,
        "p_other": round(prediction.p_other, 3),
        "evidence": [{"start": e.start, "end": e.end, "text": e.text} for e in evidence],
    }
