"""Scores for labels and spans, written out so their arithmetic can be checked by hand.

Kept free of any dataset format: callers pass plain label sets and
``(label, start, end)`` triples keyed by document.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class PRF:
    precision: float
    recall: float
    f1: float
    support: int = 0

    def to_dict(self) -> dict[str, float | int]:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1, "support": self.support}


@dataclass(slots=True)
class LabelScores:
    """Micro and macro averages plus the per-label figures they come from."""

    micro: PRF
    macro_f1: float
    per_label: dict[str, PRF] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {
            "micro": self.micro.to_dict(),
            "macro_f1": self.macro_f1,
            "per_label": {label: prf.to_dict() for label, prf in self.per_label.items()},
        }


def f1_score(precision: float, recall: float) -> float:
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def _prf(tp: float, n_pred: float, n_gold: float, support: int = 0) -> PRF:
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    return PRF(precision, recall, f1_score(precision, recall), support)


def multilabel_scores(
    gold: Sequence[Iterable[str]],
    pred: Sequence[Iterable[str]],
    labels: Sequence[str] | None = None,
) -> LabelScores:
    """Micro-F1 over all (item, label) pairs; macro-F1 over ``labels``.

    ``labels`` defaults to every label seen in ``gold``: a label nobody annotated
    in the evaluated items has no defined recall, so it is left out of the macro
    average (as the SemEval scorers do for the labels of one language).
    """
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold items but {len(pred)} predicted items")
    tp: Counter[str] = Counter()
    n_gold: Counter[str] = Counter()
    n_pred: Counter[str] = Counter()
    for gold_item, pred_item in zip(gold, pred, strict=True):
        g, p = set(gold_item), set(pred_item)
        n_gold.update(g)
        n_pred.update(p)
        tp.update(g & p)
    if labels is None:
        labels = sorted(n_gold)
    per_label = {label: _prf(tp[label], n_pred[label], n_gold[label], n_gold[label]) for label in labels}
    micro = _prf(sum(tp.values()), sum(n_pred.values()), sum(n_gold.values()), sum(n_gold.values()))
    macro = sum(s.f1 for s in per_label.values()) / len(per_label) if per_label else 0.0
    return LabelScores(micro=micro, macro_f1=macro, per_label=per_label)


def single_label_scores(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> LabelScores:
    """Accuracy (as ``micro``) and macro-F1 over all of ``labels`` for one-label-per-item tasks."""
    scores = multilabel_scores([{g} for g in gold], [{p} for p in pred], labels)
    return scores


SpanTriple = tuple[str, int, int]


def _merge(intervals: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def _covered(start: int, end: int, union: list[tuple[int, int]]) -> int:
    """Characters of ``[start, end)`` inside the (merged, sorted) ``union``."""
    return sum(max(0, min(end, e) - max(start, s)) for s, e in union)


@dataclass(slots=True)
class SpanScores:
    overall: PRF
    per_label: dict[str, PRF] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {
            "overall": self.overall.to_dict(),
            "per_label": {label: prf.to_dict() for label, prf in self.per_label.items()},
        }


def span_scores(
    gold: Mapping[str, Iterable[SpanTriple]],
    pred: Mapping[str, Iterable[SpanTriple]],
    *,
    label_aware: bool = True,
) -> SpanScores:
    """Span precision/recall/F1 with partial credit for overlap (SemEval-2020 Task 11 style).

    Precision is the mean over predicted spans ``s`` of ``|s ∩ G| / |s|`` and recall
    the mean over gold spans ``t`` of ``|t ∩ P| / |t|``, where ``G`` (``P``) is the
    union of the gold (predicted) spans of the same document and, when
    ``label_aware``, of the same label. Using the union rather than a sum over
    pairs keeps each span's credit at most 1 when annotations overlap. When labels
    are ignored, identical spans annotated with several techniques are counted
    once on each side, since they are the same stretch of text.
    Documents are the keys of ``gold``; predictions for other documents count as wrong.
    """
    gold_by_doc = {doc: list(spans) for doc, spans in gold.items()}
    pred_by_doc = {doc: list(spans) for doc, spans in pred.items()}

    def key(label: str) -> str:
        return label if label_aware else "*"

    credit_p: defaultdict[str, float] = defaultdict(float)
    credit_r: defaultdict[str, float] = defaultdict(float)
    count_p: Counter[str] = Counter()
    count_g: Counter[str] = Counter()
    for doc in set(gold_by_doc) | set(pred_by_doc):
        g_spans = {(key(lab), s, e) for lab, s, e in gold_by_doc.get(doc, []) if e > s}
        p_spans = {(key(lab), s, e) for lab, s, e in pred_by_doc.get(doc, []) if e > s}
        g_union: defaultdict[str, list[tuple[int, int]]] = defaultdict(list)
        p_union: defaultdict[str, list[tuple[int, int]]] = defaultdict(list)
        for lab, s, e in g_spans:
            g_union[lab].append((s, e))
        for lab, s, e in p_spans:
            p_union[lab].append((s, e))
        g_merged = {lab: _merge(v) for lab, v in g_union.items()}
        p_merged = {lab: _merge(v) for lab, v in p_union.items()}
        for lab, s, e in p_spans:
            count_p[lab] += 1
            credit_p[lab] += _covered(s, e, g_merged.get(lab, [])) / (e - s)
        for lab, s, e in g_spans:
            count_g[lab] += 1
            credit_r[lab] += _covered(s, e, p_merged.get(lab, [])) / (e - s)

    per_label: dict[str, PRF] = {}
    for lab in sorted(set(count_p) | set(count_g)):
        p = credit_p[lab] / count_p[lab] if count_p[lab] else 0.0
        r = credit_r[lab] / count_g[lab] if count_g[lab] else 0.0
        per_label[lab] = PRF(p, r, f1_score(p, r), count_g[lab])
    total_p, total_g = sum(count_p.values()), sum(count_g.values())
    precision = sum(credit_p.values()) / total_p if total_p else 0.0
    recall = sum(credit_r.values()) / total_g if total_g else 0.0
    overall = PRF(precision, recall, f1_score(precision, recall), total_g)
    return SpanScores(overall=overall, per_label=per_label if label_aware else {})
