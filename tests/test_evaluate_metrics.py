"""Metric arithmetic on examples small enough to check by hand."""

from __future__ import annotations

import pytest

from spinlens.evaluate.metrics import f1_score, multilabel_scores, single_label_scores, span_scores


def test_multilabel_micro_and_macro() -> None:
    gold = [{"A"}, {"A", "B"}, set()]
    pred = [{"A"}, {"B", "C"}, {"A"}]
    scores = multilabel_scores(gold, pred)
    # tp = A(1) + B(1) = 2; predicted 4; gold 3
    assert scores.micro.precision == pytest.approx(2 / 4)
    assert scores.micro.recall == pytest.approx(2 / 3)
    assert scores.micro.f1 == pytest.approx(f1_score(0.5, 2 / 3))
    # macro over gold labels A, B only: A p=1/2 r=1/2, B p=1 r=1
    assert set(scores.per_label) == {"A", "B"}
    assert scores.per_label["A"].f1 == pytest.approx(0.5)
    assert scores.per_label["B"].f1 == pytest.approx(1.0)
    assert scores.macro_f1 == pytest.approx(0.75)


def test_multilabel_rejects_unequal_lengths() -> None:
    with pytest.raises(ValueError, match="2 gold items but 1"):
        multilabel_scores([{"A"}, set()], [{"A"}])


def test_single_label_macro_counts_unpredicted_classes_as_zero() -> None:
    scores = single_label_scores(["x", "x", "y"], ["x", "x", "x"], ["x", "y", "z"])
    assert scores.micro.f1 == pytest.approx(2 / 3)  # accuracy
    # x: p=2/3 r=1 -> f1=0.8; y: 0; z: no gold, no pred -> 0
    assert scores.macro_f1 == pytest.approx(0.8 / 3)


def test_span_partial_overlap_half() -> None:
    gold = {"d": [("LL", 0, 10)]}
    pred = {"d": [("LL", 5, 15)]}
    s = span_scores(gold, pred).overall
    assert (s.precision, s.recall, s.f1) == pytest.approx((0.5, 0.5, 0.5))


def test_span_two_predictions_inside_one_gold() -> None:
    gold = {"d": [("LL", 0, 10)]}
    pred = {"d": [("LL", 0, 2), ("LL", 4, 6)]}
    s = span_scores(gold, pred).overall
    assert s.precision == pytest.approx(1.0)
    assert s.recall == pytest.approx(4 / 10)
    assert s.f1 == pytest.approx(2 * 0.4 / 1.4)


def test_span_label_must_match_unless_agnostic() -> None:
    gold = {"d": [("LL", 0, 10)]}
    pred = {"d": [("NC", 0, 10)]}
    assert span_scores(gold, pred).overall.f1 == 0.0
    assert span_scores(gold, pred, label_aware=False).overall.f1 == pytest.approx(1.0)


def test_span_overlapping_gold_of_same_label_gives_at_most_full_credit() -> None:
    gold = {"d": [("LL", 0, 10), ("LL", 5, 15)]}
    pred = {"d": [("LL", 0, 20)]}
    s = span_scores(gold, pred).overall
    # the predicted span covers [0, 15) of gold out of 20 characters
    assert s.precision == pytest.approx(15 / 20)
    assert s.recall == pytest.approx(1.0)


def test_span_agnostic_counts_identical_spans_once() -> None:
    gold = {"d": [("LL", 0, 10), ("Repetition", 0, 10), ("NC", 20, 30)]}
    pred = {"d": [("LL", 0, 10)]}
    s = span_scores(gold, pred, label_aware=False).overall
    assert s.precision == pytest.approx(1.0)
    assert s.recall == pytest.approx(1 / 2)


def test_span_documents_are_kept_apart() -> None:
    gold = {"a": [("LL", 0, 10)], "b": []}
    pred = {"b": [("LL", 0, 10)]}
    s = span_scores(gold, pred).overall
    assert (s.precision, s.recall) == (0.0, 0.0)


def test_span_per_label_and_micro_pooling() -> None:
    gold = {"d": [("LL", 0, 10), ("NC", 20, 24)]}
    pred = {"d": [("LL", 0, 5), ("NC", 30, 34)]}
    s = span_scores(gold, pred)
    assert s.per_label["LL"].precision == pytest.approx(1.0)
    assert s.per_label["LL"].recall == pytest.approx(0.5)
    assert s.per_label["NC"].f1 == 0.0
    assert s.overall.precision == pytest.approx(1 / 2)
    assert s.overall.recall == pytest.approx(0.5 / 2)
