"""The rich terminal view and its plain-text rendering."""

from __future__ import annotations

import io
import re

import pytest
from report_samples import BRIDGE_ARTICLE, add_sourcing, add_technique, bare_analysis, bridge_analysis
from rich.console import Console
from rich.style import Style

from spinlens.report import render
from spinlens.report.summary import FAMILY_COLOURS
from spinlens.report.terminal import article_text, print_analysis

ANSI = re.compile(r"\x1b\[")


def colour_console(width: int = 100) -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, width=width, force_terminal=True, color_system="truecolor"), buffer


def test_plain_text_has_every_section_and_no_escape_codes() -> None:
    analysis = bridge_analysis()
    text = render(analysis, "text")
    assert not ANSI.search(text)
    for expected in (
        "Council approves reckless bridge plan",
        "opinion (0.72): Many evaluative words.",
        "economic (0.66), political (0.51)",
        "Warning",
        "an ingest warning",
        "Techniques",
        "Technique findings",
        "4 attributed statements: 1 named person, 1 media, 1 anonymous, 1 unattributed",
        "Mayor Lena Ortiz",
        "Top entities",
        "Protagonist (Peacemaker)",
        "Narratives, and why",
        "About a budget.",  # each narrative's reason, beside its label
        "Verdict",
        "one source is anonymous.",
    ):
        assert expected in text, expected


def test_plain_text_fits_100_columns_without_trailing_spaces() -> None:
    lines = render(bridge_analysis(), "text").split("\n")
    assert max(len(line) for line in lines) <= 100
    assert all(line == line.rstrip() for line in lines)


@pytest.mark.parametrize("width", [40, 60, 80, 100])
def test_the_legend_never_splits_a_family_from_its_count(width: int) -> None:
    buffer = io.StringIO()
    print_analysis(bridge_analysis(), Console(file=buffer, width=width))
    lines = buffer.getvalue().split("\n")
    assert not ANSI.search(buffer.getvalue())
    for family in ("Attack on reputation", "Manipulative wording", "Simplification", "Distraction", "Call"):
        holding = [line for line in lines if re.search(rf" {family}  \d+", line)]
        assert holding, (family, width)


def test_technique_ends_are_numbered_in_reading_order() -> None:
    text = render(bridge_analysis(), "text")
    # Name calling ends after Loaded_Language ends; both get a marker, nested order preserved.
    assert "a reckless waste[2] of taxpayers' money[1]" in text
    assert "Either we build it now or the town dies[3]" in text
    assert "It is a disaster[4], a total disaster[5][6]." in text


def test_technique_counts_per_label() -> None:
    text = render(bridge_analysis(), "text")
    assert re.search(r"repetition\s+Manipulative wording\s+2\s", text)
    assert re.search(r"false dilemma / no\s+Simplification\s+1\s", text)


def test_highlight_styles_encode_family_overlap_and_sourcing() -> None:
    analysis = bridge_analysis()
    rich_text = article_text(analysis)
    plain = rich_text.plain

    def style_at(offset: int) -> Style:
        style = Style()
        for span in rich_text.spans:
            if span.start <= offset < span.end:
                style += Style.parse(str(span.style))
        return style

    loaded = style_at(plain.index("reckless waste"))
    assert loaded.bgcolor == Style.parse(FAMILY_COLOURS["Manipulative wording"][1]).bgcolor
    assert loaded.bold and loaded.underline  # two techniques overlap, inside an attributed claim
    name_calling_only = style_at(plain.index("of taxpayers"))
    assert name_calling_only.bgcolor == Style.parse(FAMILY_COLOURS["Attack on reputation"][1]).bgcolor
    dilemma = style_at(plain.index("Either we build"))
    assert dilemma.bgcolor == Style.parse(FAMILY_COLOURS["Simplification"][1]).bgcolor
    assert not dilemma.underline and not dilemma.bold
    quote = style_at(plain.index("This bridge will"))
    assert quote.underline and quote.bgcolor is None
    assert style_at(plain.index("The town council")) == Style()


def test_colour_console_output_is_styled() -> None:
    console, buffer = colour_console()
    print_analysis(bridge_analysis(), console)
    output = buffer.getvalue()
    assert "48;2;255;200;144" in output  # the Manipulative wording background (#ffc890)
    assert ANSI.search(output)


def test_markup_emoji_and_escape_sequences_in_the_article_are_inert() -> None:
    text = "The [bold red]council[/bold red] said :smile: and \x1b[31mred\x1b[0m then \x07 rang. [link=https://x.example]y[/link]"
    analysis = bare_analysis(text, title="[blink]Title[/blink]")
    analysis.verdict = "[red]verdict[/red] :thumbs_up:"
    plain = render(analysis, "text")
    assert "[bold red]council[/bold red]" in plain
    assert ":smile:" in plain and "😄" not in plain
    assert "[blink]Title[/blink]" in plain
    assert "[red]verdict[/red] :thumbs_up:" in plain
    assert "\x1b" not in plain and "\x07" not in plain
    assert "␛[31mred␛[0m" in plain

    console, buffer = colour_console()
    print_analysis(analysis, console)
    coloured = buffer.getvalue()
    assert "␛[31m" in coloured
    assert "\x1b[31mred" not in coloured
    assert "\x1b]8;" not in coloured  # no hyperlink escape from [link=...]


def test_speaker_names_wrap_between_words_at_80_columns() -> None:
    text = (
        "Invented talks.\n\nThe Transcaucasian broadcasting authority claimed the talks had failed. "
        "Commentator Maximilianovsky argued that nobody had been told."
    )
    analysis = bare_analysis(text)
    add_sourcing(
        analysis,
        "media",
        "the talks had failed",
        speaker="The Transcaucasian broadcasting authority",
        cue="claimed",
    )
    add_sourcing(
        analysis, "named_person", "nobody had been told", speaker="Commentator Maximilianovsky", cue="argued"
    )
    buffer = io.StringIO()
    print_analysis(analysis, Console(file=buffer, width=80))
    table = buffer.getvalue().split("Sourcing:", 1)[1]
    for word in ("Transcaucasian", "broadcasting", "Maximilianovsky"):
        assert re.search(rf"\b{word}\b", table), word


def test_empty_analysis() -> None:
    text = render(bare_analysis("A quiet invented sentence."), "text")
    assert "Untitled article" in text
    assert "No persuasion techniques found." in text
    assert "no attributed statements found" in text
    assert "No people or organisations found." in text
    assert "No verdict was written." in text


def test_long_article_renders_completely() -> None:
    article = BRIDGE_ARTICLE * 40
    analysis = bridge_analysis(text=article)
    for occurrence in range(1, 40):
        add_technique(analysis, "Loaded_Language", "reckless waste", occurrence=occurrence)
        add_technique(analysis, "Doubt", "the costs could double", occurrence=occurrence)
    text = render(analysis, "text")
    assert len(article) > 20_000
    assert text.count("reckless waste[") == 40
    assert max(len(line) for line in text.split("\n")) <= 100


def test_unknown_format_is_an_error() -> None:
    with pytest.raises(
        ValueError, match="unknown report format 'pdf'; choose one of json, html, markdown, text"
    ):
        render(bridge_analysis(), "pdf")


def test_a_headline_longer_than_the_panel_ends_with_an_ellipsis() -> None:
    title = "An invented headline that goes on and on about the harbour deal and everyone involved in it"
    buffer = io.StringIO()
    print_analysis(bare_analysis("A quiet invented sentence.", title=title), Console(file=buffer, width=60))
    first = buffer.getvalue().split("\n")[0]
    assert len(first) <= 60
    assert "An invented headline" in first and "…" in first


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_direction_controls_in_a_title_cannot_reorder_the_report(fmt: str) -> None:
    # A right-to-left override would show "Budget report \u202egnp.exe" as "Budget report exe.png".
    analysis = bridge_analysis(title="Budget report \u202egnp.exe")
    analysis.entities[0].name = "Lena \u2067Ortiz\u2069"
    shown = render(analysis, fmt)
    assert "Budget report \ufffdgnp.exe" in shown
    for character in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069":
        assert character not in shown


def test_an_article_with_no_narrative_has_no_narrative_reasons_table() -> None:
    analysis = bare_analysis("A short note about the weather.")
    analysis.add_label(
        "narrative", "Other", score=0.9, reason="None of the task's narratives.", analyser="n@1"
    )
    assert "Narratives, and why" not in render(analysis, "text")
