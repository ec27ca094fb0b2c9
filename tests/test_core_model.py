from __future__ import annotations

import pytest

from spinlens.core.errors import OffsetError
from spinlens.core.model import FINDING_KINDS, Analysis, Article, Entity, Span

TEXT = "The mayor said the deal was shameful.\nCritics disagreed."


def make_analysis() -> Analysis:
    return Analysis(article=Article(text=TEXT, title="A test"))


def test_model_add_finding_takes_text_from_article() -> None:
    analysis = make_analysis()
    finding = analysis.add_finding(
        "technique", "Loaded_Language", 28, 36, score=0.8, reason="charged word", analyser="t@1"
    )
    assert finding.text == "shameful"
    assert TEXT[finding.start : finding.end] == finding.text


@pytest.mark.parametrize(("start", "end"), [(-1, 3), (5, 5), (10, 4), (0, len(TEXT) + 1)])
def test_model_add_finding_rejects_offsets_outside_text(start: int, end: int) -> None:
    with pytest.raises(OffsetError):
        make_analysis().add_finding("technique", "Doubt", start, end, score=0.5, reason="r", analyser="t@1")


def test_model_add_finding_rejects_unknown_kind_and_bad_score() -> None:
    analysis = make_analysis()
    with pytest.raises(ValueError, match="unknown finding kind"):
        analysis.add_finding("mood", "x", 0, 3, score=0.5, reason="r", analyser="t@1")
    with pytest.raises(ValueError, match="outside"):
        analysis.add_finding("technique", "Doubt", 0, 3, score=1.5, reason="r", analyser="t@1")
    with pytest.raises(ValueError, match="unknown label kind"):
        analysis.add_label("tone", "x", score=0.5, reason="r", analyser="t@1")


def test_model_round_trips_through_dict() -> None:
    analysis = make_analysis()
    analysis.add_finding(
        "sourcing",
        "named_person",
        15,
        36,
        score=0.9,
        reason="reported speech",
        analyser="sourcing@1",
        details={"mode": "reported_speech", "speaker": {"start": 0, "end": 9, "text": "The mayor"}},
    )
    analysis.add_label("genre", "opinion", score=0.7, reason="r", analyser="g@1")
    analysis.entities.append(
        Entity(
            id="e1",
            name="mayor",
            type="person",
            mentions=[Span(4, 9, "mayor")],
            variants=["mayor"],
            tone=-0.4,
            tone_label="negative",
            analyser="entities@1",
        )
    )
    analysis.verdict = "Opinion piece."
    data = analysis.to_dict()
    assert data["entities"][0]["count"] == 1
    again = Analysis.from_dict(data)
    assert again.to_dict() == data


def test_model_finding_kinds_are_documented() -> None:
    assert {"sourcing", "entity", "technique"} <= set(FINDING_KINDS)


def test_heading_is_the_title_else_the_first_non_blank_line() -> None:
    assert Article(text="Body line", title="  The title ").heading() == "The title"
    assert Article(text="\n  \n  First line  \nSecond", title=" ").heading() == "First line"
    assert Article(text="   ").heading() == ""
