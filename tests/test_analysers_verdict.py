from __future__ import annotations

from spinlens.analysers.base import Context
from spinlens.analysers.verdict import VerdictAnalyser
from spinlens.core.model import Analysis, Article
from spinlens.nlp.segment import paragraphs

TEXT = (
    "Sources say the minister lied.\n"
    "It was reported that the budget was a disaster.\n"
    'Jane Roe said: "We will fix it."\n'
)


def run_verdict(analysis: Analysis) -> Analysis:
    VerdictAnalyser()(Context(analysis=analysis, doc=None, paragraphs=paragraphs(analysis.article.text)))
    return analysis


def test_verdict_counts_weak_sourcing_and_names_named_sources() -> None:
    analysis = Analysis(article=Article(text=TEXT))
    analysis.add_label("genre", "opinion", score=0.9, reason="r", analyser="g@1")
    analysis.summaries["sourcing"] = {
        "total": 3,
        "named": 1,
        "named_share": 1 / 3,
        "media": 0,
        "anonymous": 1,
        "unattributed": 1,
        "by_class": {"anonymous": 1, "unattributed": 1, "named_person": 1},
        "speakers": [{"text": "Jane Roe", "class": "named_person", "count": 1}],
    }
    for label, start, end in [("Loaded_Language", 75, 83), ("Loaded_Language", 20, 24), ("Doubt", 0, 29)]:
        analysis.add_finding("technique", label, start, end, score=0.7, reason="r", analyser="t@1")
    run_verdict(analysis)
    verdict = analysis.verdict
    assert verdict.startswith("Opinion piece")
    assert "2 of 3 attributed claims rest on anonymous or unattributed sources" in verdict
    assert "Jane Roe" in verdict
    assert verdict.index("loaded language (2)") < verdict.index("doubt (1)")
    assert analysis.summaries["techniques"]["by_label"] == {"Loaded_Language": 2, "Doubt": 1}


def test_verdict_says_when_nothing_was_found() -> None:
    analysis = Analysis(article=Article(text="Plain text."))
    analysis.summaries["sourcing"] = {"total": 0}
    run_verdict(analysis)
    assert "No quotes or reported speech" in analysis.verdict
    assert "No persuasion techniques" in analysis.verdict


def test_verdict_is_silent_about_sourcing_that_was_not_analysed() -> None:
    analysis = run_verdict(Analysis(article=Article(text="Plain text.")))
    assert "quotes" not in analysis.verdict and "sources" not in analysis.verdict


def test_verdict_sourcing_sentence_agrees_in_number() -> None:
    analysis = Analysis(article=Article(text="Sources say the minister lied."))
    analysis.summaries["sourcing"] = {
        "total": 1,
        "anonymous": 1,
        "unattributed": 0,
        "media": 0,
        "speakers": [],
    }
    run_verdict(analysis)
    assert "1 of 1 attributed claim rests on anonymous or unattributed sources" in analysis.verdict


def test_verdict_says_who_relays_weakly_sourced_claims() -> None:
    text = "Experts warn that the bridge will fail, said Tom Reyes. Officials said it would close."
    analysis = Analysis(article=Article(text=text))
    analysis.summaries["sourcing"] = {
        "total": 2,
        "anonymous": 2,
        "unattributed": 0,
        "media": 0,
        "speakers": [],
    }
    relay = {"start": 44, "end": 53, "text": "Tom Reyes"}
    analysis.add_finding(
        "sourcing", "anonymous", 18, 38, score=0.8, reason="r", analyser="s@1", details={"relayed_by": relay}
    )
    analysis.add_finding("sourcing", "anonymous", 69, 85, score=0.8, reason="r", analyser="s@1")
    run_verdict(analysis)
    assert "2 of 2 attributed claims rest on anonymous or unattributed sources (1 relayed by Tom Reyes)" in (
        analysis.verdict
    )
