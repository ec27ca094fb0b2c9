"""Sourcing analyser on short invented articles: each class, each quotation pattern, and non-attributions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from spinlens.analysers.base import Context
from spinlens.analysers.sourcing import SourcingAnalyser
from spinlens.core.errors import InputError
from spinlens.core.model import Analysis, Article, Finding
from spinlens.nlp.segment import paragraphs

MakeContext = Callable[[str], Context]


def run(make_context: MakeContext, text: str) -> Analysis:
    ctx = make_context(text)
    SourcingAnalyser()(ctx)
    return ctx.analysis


def finding_for(analysis: Analysis, fragment: str) -> Finding:
    """The one sourcing finding whose attributed text contains ``fragment``."""
    matches = [f for f in analysis.findings_of("sourcing") if fragment in f.text]
    assert len(matches) == 1, f"{len(matches)} findings contain {fragment!r}: {[f.text for f in matches]}"
    return matches[0]


def speaker(finding: Finding) -> str | None:
    spk = finding.details["speaker"]
    return None if spk is None else spk["text"]


WIRE_REPORT = (
    "Flood barriers fail in Riverton\n"
    '"We will not back down," said Maria Lopez, the mayor of Riverton. '
    '"The town has survived worse storms than this one."\n'
    '"The bridge is safe," the chief engineer told reporters on Monday.\n'
    "The Ministry of the Interior said on Tuesday that three bridges had been closed.\n"
    "According to Reuters, the repair bill could reach two million euros.\n"
    "Officials who asked not to be named said the budget would be cut by a third.\n"
    "Lopez met residents in the afternoon. She pointed out that the barriers had been built in 1987.\n"
)


def test_quotes_with_speaker_after_and_continuation(make_context: MakeContext) -> None:
    analysis = run(make_context, WIRE_REPORT)
    first = finding_for(analysis, "We will not back down")
    assert first.label == "named_person"
    assert first.details["mode"] == "direct_quote"
    assert first.text == "We will not back down"  # the comma before the closing mark is not quoted
    assert speaker(first) == "Maria Lopez"
    assert first.details["cue"]["text"] == "said"
    second = finding_for(analysis, "survived worse storms")
    assert second.label == "named_person"
    assert second.details["speaker_resolved_from"]["via"] == "continuation"
    assert second.text == "The town has survived worse storms than this one."


def test_quote_with_noun_speaker_is_anonymous(make_context: MakeContext) -> None:
    analysis = run(make_context, WIRE_REPORT)
    bridge = finding_for(analysis, "The bridge is safe")
    assert bridge.label == "anonymous"
    assert speaker(bridge) == "chief engineer"
    assert bridge.details["cue"]["text"] == "told"


def test_reported_speech_named_organisation_and_according_to(make_context: MakeContext) -> None:
    analysis = run(make_context, WIRE_REPORT)
    ministry = finding_for(analysis, "three bridges had been closed")
    assert ministry.label == "named_organisation"
    assert ministry.details["mode"] == "reported_speech"
    assert ministry.text == "three bridges had been closed"
    reuters = finding_for(analysis, "repair bill")
    assert reuters.label == "named_organisation"
    assert speaker(reuters) == "Reuters"
    assert reuters.details["cue"]["text"] == "According to"
    assert reuters.text == "the repair bill could reach two million euros"


def test_officials_not_named_and_pronoun_resolution(make_context: MakeContext) -> None:
    analysis = run(make_context, WIRE_REPORT)
    officials = finding_for(analysis, "budget would be cut")
    assert officials.label == "anonymous"
    assert speaker(officials) == "Officials who asked not to be named"
    she = finding_for(analysis, "built in 1987")
    assert she.label == "named_person"
    assert she.details["speaker_resolved_from"]["text"] == "She"
    assert she.details["speaker_name"] == "Maria Lopez"
    assert she.details["cue"]["text"] == "pointed out"


def test_offsets_point_at_the_article_text(make_context: MakeContext) -> None:
    analysis = run(make_context, WIRE_REPORT)
    text = analysis.article.text
    for finding in analysis.findings_of("sourcing"):
        assert text[finding.start : finding.end] == finding.text
        for key in ("cue", "speaker"):
            part = finding.details[key]
            if part is not None:
                assert text[part["start"] : part["end"]] == part["text"]
        assert 0.0 < finding.score <= 1.0
        assert finding.reason.endswith(".")


HEARSAY = (
    "Quiet changes at the port\n"
    "It was reported that the harbour master had resigned.\n"
    "It is believed that the cranes were sold abroad.\n"
    "The director is said to have ordered the files destroyed.\n"
    "The company reportedly plans to close two depots.\n"
    "Reports say the ferries will stop in winter.\n"
    "The information also stated that fuel prices would double.\n"
    "According to reports, the mayor knew about the sale.\n"
)


@pytest.mark.parametrize(
    ("fragment", "cue"),
    [
        ("the harbour master had resigned", "It was reported"),
        ("the cranes were sold abroad", "It is believed"),
        ("have ordered the files destroyed", "is said"),
        ("plans to close two depots", "reportedly"),
        ("the ferries will stop in winter", "say"),
        ("fuel prices would double", "stated"),
        ("the mayor knew about the sale", "According to"),
    ],
)
def test_hearsay_without_agent_is_unattributed(make_context: MakeContext, fragment: str, cue: str) -> None:
    analysis = run(make_context, HEARSAY)
    finding = finding_for(analysis, fragment)
    assert finding.label == "unattributed"
    assert finding.details["cue"]["text"] == cue


def test_hearsay_content_is_the_clause(make_context: MakeContext) -> None:
    analysis = run(make_context, HEARSAY)
    assert finding_for(analysis, "harbour master").text == "the harbour master had resigned"
    director = finding_for(analysis, "director is said")
    assert director.text == "The director is said to have ordered the files destroyed"


MEDIA = (
    "A week of headlines\n"
    "State TV claimed that the protesters had been paid by foreign agents.\n"
    "Local newspapers reported on the closure of the border.\n"
    'Pro-government media flooded the airwaves with headlines like "The enemy is already defeated."\n'
    "Telegram channels reported that the convoy had turned back.\n"
    "Media reports suggested the minister would step down.\n"
    "The Kommersant newspaper reported that the deal was signed.\n"
)


def test_generic_media_are_media(make_context: MakeContext) -> None:
    analysis = run(make_context, MEDIA)
    assert finding_for(analysis, "paid by foreign agents").label == "media"
    assert speaker(finding_for(analysis, "paid by foreign agents")) == "State TV"
    assert finding_for(analysis, "closure of the border").label == "media"
    assert finding_for(analysis, "convoy had turned back").label == "media"
    assert speaker(finding_for(analysis, "convoy had turned back")) == "Telegram channels"
    assert finding_for(analysis, "minister would step down").label == "media"


def test_headline_quote_belongs_to_the_media_that_ran_it(make_context: MakeContext) -> None:
    analysis = run(make_context, MEDIA)
    headline = finding_for(analysis, "The enemy is already defeated")
    assert headline.label == "media"
    assert headline.details["mode"] == "direct_quote"
    assert headline.details["cue"]["text"] == "headlines"


def test_a_named_outlet_is_a_named_organisation(make_context: MakeContext) -> None:
    analysis = run(make_context, MEDIA)
    assert finding_for(analysis, "the deal was signed").label == "named_organisation"


BLOCK_QUOTES = (
    "The analyst's warning\n"
    "The economist Petra Novak told the committee:\n"
    '"Inflation will not fall this year. Wages are rising faster than output."\n'
    "She added that the central bank had waited too long.\n"
    "Novak believes the currency is overvalued:\n"
    '"A correction is coming, and it will hurt savers first."\n'
    "Her colleague Tom Reyes was blunter, and his conclusion was simple:\n"
    '"Nobody in this building wants to hear it."\n'
    "A note on method\n"
    '"Numbers in this column are rounded to the nearest thousand and may not add up."\n'
)


def test_block_quote_after_a_colon_line_takes_its_speaker(make_context: MakeContext) -> None:
    analysis = run(make_context, BLOCK_QUOTES)
    block = finding_for(analysis, "Inflation will not fall")
    assert block.label == "named_person"
    assert block.details["mode"] == "direct_quote"
    assert block.text == "Inflation will not fall this year. Wages are rising faster than output."
    assert block.details["cue"]["text"] == "told"
    assert block.details["speaker_name"] == "Petra Novak"


def test_belief_verb_and_its_block_quote_are_both_attributed(make_context: MakeContext) -> None:
    analysis = run(make_context, BLOCK_QUOTES)
    belief = finding_for(analysis, "the currency is overvalued")
    assert belief.label == "named_person"
    assert belief.details["cue"]["text"] == "believes"
    block = finding_for(analysis, "A correction is coming")
    assert block.label == "named_person"
    assert block.details["speaker_name"] == "Petra Novak"


def test_colon_line_without_reporting_verb_takes_that_lines_last_speaker(make_context: MakeContext) -> None:
    text = (
        "Notes from the summit\n"
        '"Only strength is respected here," said the commentator Ivo Marek. He pointed out that the talks '
        "were short. The mood in the hall matched his view:\n"
        '"We need more of this, and we must go on."\n'
    )
    analysis = run(make_context, text)
    block = finding_for(analysis, "We need more of this")
    assert block.label == "named_person"
    assert block.details["speaker_name"] == "Ivo Marek"
    assert block.details["speaker_resolved_from"]["via"] == "preceding_line"
    assert block.score < finding_for(analysis, "Only strength is respected").score


def test_block_quote_with_no_speaker_anywhere_is_unattributed(make_context: MakeContext) -> None:
    analysis = run(make_context, BLOCK_QUOTES)
    note = finding_for(analysis, "rounded to the nearest thousand")
    assert note.label == "unattributed"
    assert note.details["speaker"] is None


def test_curly_quotes_and_speaker_before_the_verb(make_context: MakeContext) -> None:
    text = "Court ruling\n“The ruling is final and cannot be appealed,” Judge Hana Weiss said.\n"
    analysis = run(make_context, text)
    quote = finding_for(analysis, "The ruling is final")
    assert quote.label == "named_person"
    assert quote.text == "The ruling is final and cannot be appealed"
    assert quote.details["speaker_name"] == "Hana Weiss"


def test_citing_sources_makes_the_sources_the_speaker(make_context: MakeContext) -> None:
    text = "Talks stall\nThe talks stalled last week, the newspaper reported, citing senior officials.\n"
    analysis = run(make_context, text)
    finding = finding_for(analysis, "The talks stalled")
    assert finding.text == "The talks stalled last week"
    assert finding.label == "anonymous"
    assert speaker(finding) == "senior officials"
    assert finding.details["relayed_by"]["text"] == "newspaper"


@pytest.mark.parametrize(
    ("sentence", "claim", "source", "relay"),
    [
        # "citing" wherever the parser hangs it, and whatever it reads the claim as.
        (
            "The Courier reported, citing two people briefed on the plan, that the mill would close in June.",
            "the mill would close in June",
            "two people briefed on the plan",
            "Courier",
        ),
        (
            "The Courier reported that the mill would close in June, citing two people briefed on the plan.",
            "the mill would close in June",
            "two people briefed on the plan",
            "Courier",
        ),
        (
            "The Courier said, citing two people briefed on the plan, that the mill would close in June.",
            "the mill would close in June",
            "two people briefed on the plan",
            "Courier",
        ),
        # A report after the claim relays the whole sentence, whatever the speaker's phrase holds.
        (
            "The boy said the man pulled his hair, the Daily Post reported.",
            "the man pulled his hair",
            "boy",
            "Daily Post",
        ),
        (
            "The boy and two other witnesses said the man pulled his hair, the Daily Post reported.",
            "the man pulled his hair",
            "boy",
            "Daily Post",
        ),
        (
            "Tom Reyes, the city engineer, said the man pulled his hair, the Daily Post reported.",
            "the man pulled his hair",
            "Tom Reyes",
            "Daily Post",
        ),
    ],
)
def test_a_relayed_claim_is_one_finding(
    make_context: MakeContext, sentence: str, claim: str, source: str, relay: str
) -> None:
    analysis = run(make_context, f"Town news\n{sentence}\n")
    finding = finding_for(analysis, claim)
    assert finding.text == claim and speaker(finding) == source
    assert finding.details["relayed_by"]["text"] == relay
    assert analysis.summaries["sourcing"]["total"] == 1


def test_a_trailing_according_to_is_not_part_of_the_claim(make_context: MakeContext) -> None:
    text = "Bridge doubts\nThe bridge will close, according to the mayor.\n"
    finding = finding_for(run(make_context, text), "bridge")
    assert finding.text == "The bridge will close"
    assert speaker(finding) == "mayor"


def test_an_attribution_relayed_by_another_is_one_claim(make_context: MakeContext) -> None:
    text = (
        "Bridge doubts\n"
        "Experts warn that the bridge will fail within a year, said Tom Reyes, the city engineer.\n"
        "Tom Reyes said the budget was late and that critics claim the plan is flawed.\n"
    )
    analysis = run(make_context, text)
    finding = finding_for(analysis, "the bridge will fail")
    assert finding.text == "the bridge will fail within a year"
    assert finding.label == "anonymous" and speaker(finding) == "Experts"
    assert finding.details["relayed_by"]["text"] == "Tom Reyes"
    assert "as relayed by 'Tom Reyes'" in finding.reason
    # Reyes says more than what the critics claim: his own claim stays, beside theirs.
    speakers = {f.text: speaker(f) for f in analysis.findings_of("sourcing")}
    assert speakers["the budget was late and that critics claim the plan is flawed"] == "Tom Reyes"
    assert speakers["the plan is flawed"] == "critics"
    assert analysis.summaries["sourcing"]["total"] == 3


def test_a_trailing_according_to_relays_the_whole_sentence(make_context: MakeContext) -> None:
    text = (
        "Hat snatch\n"
        "The boy, Sam Hill, said the man pulled his hair, according to the Daily Post.\n"
        "He is expected to survive, police said.\n"
    )
    analysis = run(make_context, text)
    hair = finding_for(analysis, "pulled his hair")
    assert hair.text == "the man pulled his hair" and speaker(hair) == "boy"
    assert hair.details["relayed_by"]["text"] == "Daily Post"
    # Hearsay without a speaker inside what the police said is the police's own claim.
    survive = finding_for(analysis, "expected to survive")
    assert speaker(survive) == "police" and "relayed_by" not in survive.details
    assert analysis.summaries["sourcing"]["total"] == 2


def test_citing_what_someone_in_the_claim_did_is_no_relay(make_context: MakeContext) -> None:
    text = (
        "Depot attack\n"
        "A young man shot a guard at the depot, citing grievances over the draft, the Courier reported.\n"
    )
    finding = finding_for(run(make_context, text), "shot a guard")
    assert speaker(finding) == "Courier" and "relayed_by" not in finding.details
    assert finding.text.endswith("citing grievances over the draft")


def test_the_attribution_said_last_relays_the_one_before(make_context: MakeContext) -> None:
    text = (
        "Port talks\n"
        "The port will close in May, according to a draft memo seen by the unions, the Herald said.\n"
        "The mayor said the two towns had agreed to share the ferry.\n"
    )
    analysis = run(make_context, text)
    memo = finding_for(analysis, "The port will close")
    assert memo.text == "The port will close in May" and speaker(memo) == "draft memo seen by the unions"
    assert memo.details["relayed_by"]["text"] == "Herald"
    # "had agreed to share" is something the towns did, which the mayor reports: no relay.
    ferry = finding_for(analysis, "the two towns had agreed")
    assert speaker(ferry) == "mayor" and "relayed_by" not in ferry.details


def test_a_relay_may_hold_adverbs_of_time_but_not_of_judgement(make_context: MakeContext) -> None:
    text = (
        "Dam row\n"
        "Engineers have long argued that the dam is unsafe, Senator Ruth Okafor said.\n"
        "Engineers have falsely claimed that the weir is unsafe, Senator Ruth Okafor said.\n"
    )
    analysis = run(make_context, text)
    dam = finding_for(analysis, "the dam is unsafe")
    assert dam.text == "the dam is unsafe" and speaker(dam) == "Engineers"
    assert dam.details["relayed_by"]["text"] == "Senator Ruth Okafor"
    # "falsely" is the senator's own judgement of the engineers: two claims.
    speakers = {f.text: speaker(f) for f in analysis.findings_of("sourcing")}
    assert speakers["Engineers have falsely claimed that the weir is unsafe"] == "Senator Ruth Okafor"
    assert speakers["the weir is unsafe"] == "Engineers"
    assert analysis.summaries["sourcing"]["total"] == 3


@pytest.mark.parametrize(
    ("sentence", "label"),
    [
        ("The lawsuit filed by Tom Reyes claims that the guards beat him.", "named_person"),
        ("Medical files show that the boy was treated twice.", "unattributed"),
        ("The motion argues that the search was illegal.", "unattributed"),
        ("A summary of the proposal says that taxes will rise.", "unattributed"),
        ("A report by a plumber says that the pipes will burst.", "anonymous"),
    ],
)
def test_documents_speak_for_their_authors_not_their_topics(
    make_context: MakeContext, sentence: str, label: str
) -> None:
    analysis = run(make_context, f"Court papers\n{sentence}\n")
    (finding,) = analysis.findings_of("sourcing")
    assert finding.label == label


def test_a_claim_keeps_its_closing_percent_sign(make_context: MakeContext) -> None:
    text = "Markets\nThe bank's chief warned that shares could fall another 20%.\n"
    assert finding_for(run(make_context, text), "shares").text == "shares could fall another 20%"


def test_an_attribution_saying_more_than_another_is_no_relay(make_context: MakeContext) -> None:
    text = "Trip\nThe Herald said Mr Lane flew home in May and said its sources had dated it to March.\n"
    speakers = {f.text: speaker(f) for f in run(make_context, text).findings_of("sourcing")}
    # The parser hangs the second "said" on "flew"; both claims are still the Herald's.
    assert speakers == {"Mr Lane flew home in May": "Herald", "its sources had dated it to March": "Herald"}


def test_source_close_to_and_they_resolution(make_context: MakeContext) -> None:
    text = (
        "Behind closed doors\n"
        "A source close to the negotiating team described the meeting as tense. "
        "They said that both delegations left early.\n"
    )
    analysis = run(make_context, text)
    described = finding_for(analysis, "the meeting as tense")
    assert described.label == "anonymous"
    assert speaker(described) == "source close to the negotiating team"
    they = finding_for(analysis, "both delegations left early")
    assert they.label == "anonymous"
    assert they.details["speaker_resolved_from"]["text"] == "They"


NOT_ATTRIBUTIONS = (
    "Harbour notes\n"
    "That said, the plan still has flaws.\n"
    "The said vessel was seized in port.\n"
    'He wanted to be the "master" of the harbour, and he did "demonstrate" it.\n'
    'The so-called "reform package" was shelved.\n'
    "The captain said nothing.\n"
    "The port proved that it could handle larger ships.\n"
    "Dock workers think in terms of shifts, not hours.\n"
    "Easier said than done.\n"
    "The storm has claimed 57 lives since Monday.\n"
    "The harbour crew claimed the regatta title in May.\n"
)


def test_non_attributions_and_scare_quotes_are_ignored(make_context: MakeContext) -> None:
    analysis = run(make_context, NOT_ATTRIBUTIONS)
    assert analysis.findings_of("sourcing") == []
    summary = analysis.summaries["sourcing"]
    assert summary["total"] == 0
    assert summary["named_share"] == 0


def test_summary_counts_classes_and_speakers(make_context: MakeContext) -> None:
    analysis = run(make_context, WIRE_REPORT)
    summary = analysis.summaries["sourcing"]
    findings = analysis.findings_of("sourcing")
    assert summary["total"] == len(findings)
    assert sum(summary["by_class"].values()) == summary["total"]
    assert summary["named"] == summary["by_class"].get("named_person", 0) + summary["by_class"].get(
        "named_organisation", 0
    )
    assert summary["named_share"] == pytest.approx(summary["named"] / summary["total"])
    assert summary["anonymous"] == summary["by_class"]["anonymous"]
    lopez = next(s for s in summary["speakers"] if s["text"] == "Maria Lopez")
    assert lopez == {"text": "Maria Lopez", "class": "named_person", "count": 3}
    assert set(summary) == {
        "total",
        "named",
        "named_share",
        "media",
        "anonymous",
        "unattributed",
        "by_class",
        "speakers",
    }


def test_without_a_parse_the_analyser_refuses(make_context: MakeContext) -> None:
    text = "Nothing parsed."
    ctx = Context(analysis=Analysis(article=Article(text=text)), doc=None, paragraphs=paragraphs(text))
    with pytest.raises(InputError, match="parse"):
        SourcingAnalyser()(ctx)


SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "samples" / "dushanbe-summit.txt"


def test_sample_opinion_piece_sourcing(make_context: MakeContext) -> None:
    if not SAMPLE.exists():
        pytest.skip(f"sample article not found at {SAMPLE}")
    analysis = run(make_context, SAMPLE.read_text(encoding="utf-8"))
    findings = analysis.findings_of("sourcing")
    cues = [(f.label, f.details["cue"]["text"]) for f in findings]
    assert cues.count(("anonymous", "According to")) >= 3
    assert ("anonymous", "confirmed") in cues
    assert ("unattributed", "It was reported") in cues
    assert ("unattributed", "It was said") in cues
    assert ("unattributed", "stated") in cues
    assert ("unattributed", "According to") in cues
    assert ("media", "claimed") in cues and ("media", "reported") in cues
    named = {f.details.get("speaker_name") for f in findings if f.label == "named_person"}
    assert {"Oleg Kasyan", "Roman Antonovskiy", "Yuri Podolyaka"} <= named
    assert analysis.summaries["sourcing"]["named_share"] < 0.5


def test_sourcing_named_outlet_stays_an_organisation_when_its_place_name_is_tagged_as_a_person(
    make_context: MakeContext,
) -> None:
    example = Path(__file__).resolve().parents[1] / "spinlens" / "examples" / "harbour-deal.txt"
    analysis = run(make_context, example.read_text(encoding="utf-8"))
    speakers = [(f.label, (f.details.get("speaker") or {}).get("text", "")) for f in analysis.findings]
    assert [label for label, text in speakers if "Chronicle" in text] == ["named_organisation"]


def test_full_names_do_not_depend_on_set_order_and_merge_spellings_by_case() -> None:
    from spinlens.analysers.sourcing import _full_names
    from spinlens.nlp.names import NameMention

    persons = [
        NameMention(0, 13, "Boris Johnson", "person", "PERSON"),
        NameMention(40, 53, "BORIS JOHNSON", "person", "PERSON"),
        NameMention(80, 87, "Johnson", "person", "PERSON"),
        NameMention(90, 101, "Anna Müller", "person", "PERSON"),
        NameMention(120, 134, "Thomas Müller", "person", "PERSON"),
    ]
    names = _full_names(persons)
    # One name written two ways is still one name: "Johnson" is Boris Johnson, as first written.
    assert names["johnson"] == "Boris Johnson"
    assert names["boris johnson"] == "Boris Johnson"
    assert "müller" not in names  # two people share it
    assert names["anna"] == "Anna Müller"
    assert _full_names(list(reversed(persons)))["johnson"] == "BORIS JOHNSON"


@pytest.mark.parametrize(
    ("sentence", "reporter", "first", "second"),
    [
        # The small parser makes "added" a conjunct of the reported clause's verb ("were").
        (
            'The minister said the talks were useful and added that "nothing was signed".',
            "minister",
            "the talks were useful",
            "nothing was signed",
        ),
        # Here it makes "warned" a second clause of "said", as if the senator had said that he warned.
        (
            "The senator said the bill was dead and warned that the party would pay a price.",
            "senator",
            "the bill was dead",
            "the party would pay a price",
        ),
    ],
)
def test_second_reporting_verb_keeps_the_reporter_and_its_own_claim(
    make_context: MakeContext, sentence: str, reporter: str, first: str, second: str
) -> None:
    analysis = run(make_context, sentence)
    for claim in (first, second):
        found = finding_for(analysis, claim)
        assert found.text == claim
        assert speaker(found) == reporter


def test_second_reporting_verb_after_but_keeps_the_reporter(make_context: MakeContext) -> None:
    # "denied" is made a conjunct of the reported clause's verb ("is eyeing").
    text = (
        "Port talks resume\n"
        "Elena Varga, the union's leader, confirmed that the union is eyeing two new ports "
        "but denied that it was planning a strike.\n"
    )
    analysis = run(make_context, text)
    eyeing = finding_for(analysis, "two new ports")
    assert eyeing.text == "the union is eyeing two new ports"
    strike = finding_for(analysis, "planning a strike")
    assert strike.label == "named_person"
    assert speaker(strike) == "Elena Varga"


def test_reporting_verb_joined_to_a_clause_reported_after_it_stays_that_clause_subjects(
    make_context: MakeContext,
) -> None:
    # "said" hangs on "cut", which the chairman's "told" reports after the fact: the company said it.
    analysis = run(
        make_context, "The company cut jobs and said more cuts were coming, the chairman told reporters."
    )
    said = [f for f in analysis.findings_of("sourcing") if f.text == "more cuts were coming"]
    assert [speaker(f) for f in said] == ["company"]


def test_verb_joined_to_a_reported_clause_stays_the_clause_subjects_when_it_may_be_theirs(
    make_context: MakeContext,
) -> None:
    text = (
        "Inquiry closes\n"
        "The department announced that an inquiry had been opened and already concluded that the "
        "officer had broken the rules.\n"
        "A clerk informed me that the campaign called the police and told them that the mayor "
        "wanted protection.\n"
    )
    analysis = run(make_context, text)
    # Perfect and passive clauses share their auxiliaries with the next verb, so "concluded"
    # may be the inquiry's: what the department announced is left whole.
    announced = finding_for(analysis, "an inquiry had been opened")
    assert "concluded that the officer had broken the rules" in announced.text
    # Telling someone in particular may be the campaign's act: the clerk's report is left whole.
    informed = finding_for(analysis, "the campaign called the police")
    assert "told them" in informed.text
