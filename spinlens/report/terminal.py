"""The terminal view: the article with highlighted findings, then tables and the verdict.

Everything that comes from the article or an analyser is wrapped in
:class:`rich.text.Text`, never passed as a string, so square brackets or
``:emoji:`` codes in an article are printed, not interpreted as rich markup;
control characters are replaced so an article cannot send escape sequences.
"""

from __future__ import annotations

import io

from rich import box
from rich.columns import Columns
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from spinlens.core.model import Analysis
from spinlens.core.settings import humanise
from spinlens.report.spans import assign_lanes, display_safe, highlighted, line_safe, segments
from spinlens.report.summary import (
    FAMILIES,
    FAMILY_COLOURS,
    SOURCE_CLASS_NAMES,
    by_score,
    excerpt,
    explained_narratives,
    family_counts,
    family_of,
    genre_of,
    line_of,
    narrative_text,
    no_entities_message,
    roles_text,
    sourcing_overview,
    sourcing_rows,
    technique_counts,
    title_of,
    top_entities,
)

WIDTH = 100
MARKER_STYLE = "bold"
SOURCING_STYLE = "underline"


def _text(value: object, style: str = "") -> Text:
    return Text(line_safe(str(value)), style=style)


def technique_numbers(analysis: Analysis) -> dict[int, int]:
    """Finding index -> the 1-based number shown in the article and the findings table."""
    order = highlighted(analysis, ("technique",))
    return {index: number for number, index in enumerate(order, start=1)}


def _header(analysis: Analysis) -> Panel:
    article = analysis.article
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    source = article.url or article.path
    if source and source != title_of(analysis):
        grid.add_row("Source", _text(source))
    if article.published:
        grid.add_row("Published", _text(article.published))
    genre = genre_of(analysis)
    if genre is not None:
        grid.add_row("Genre", _text(f"{genre.label} ({genre.score:.2f}): {genre.reason}"))
    frames = by_score(analysis.labels_of("frame"))
    grid.add_row("Frames", _text(", ".join(f"{humanise(f.label)} ({f.score:.2f})" for f in frames) or "none"))
    for kind, name in (("narrative", "Narratives"), ("subnarrative", "Sub-narratives")):
        labels = by_score(analysis.labels_of(kind))
        if labels:
            grid.add_row(name, _text("; ".join(narrative_text(lab) for lab in labels)))
    grid.add_row("Language", _text(article.language or "undetermined"))
    grid.add_row("Length", _text(f"{len(article.text):,} characters"))
    for warning in analysis.warnings:
        grid.add_row(Text("Warning", style="bold yellow"), _text(warning, "yellow"))
    title = _text(title_of(analysis), "bold")
    title.overflow = "ellipsis"  # a headline longer than the panel shows that it goes on
    return Panel(grid, title=title, title_align="left", box=box.ROUNDED)


def article_text(analysis: Analysis) -> Text:
    """The article with technique spans coloured by family, attributions underlined and ``[n]`` markers."""
    findings = analysis.findings
    order = highlighted(analysis)
    lanes = assign_lanes(findings, order)
    numbers = technique_numbers(analysis)
    text = Text()
    for segment in segments(analysis.article.text, findings, order, lanes):
        techniques = [i for i in segment.covering if findings[i].kind == "technique"]
        styles = []
        if techniques:
            # The innermost (highest-lane) technique decides the colour; bold marks an overlap.
            styles.append(FAMILY_COLOURS[family_of(findings[techniques[-1]])][1])
            if len(techniques) > 1:
                styles.append("bold")
        if any(findings[i].kind == "sourcing" for i in segment.covering):
            styles.append(SOURCING_STYLE)
        text.append(display_safe(segment.text), style=" ".join(styles))
        ending = sorted(numbers[i] for i in techniques if findings[i].end == segment.end)
        for number in ending:
            text.append(f"[{number}]", style=MARKER_STYLE)
    return text


def _legend(analysis: Analysis) -> Group:
    counts = family_counts(analysis)
    # One cell per family, so a narrow terminal wraps between families, never inside one.
    families = []
    for family in FAMILIES:
        if family == "Other" and not counts.get(family):
            continue
        entry = Text(no_wrap=True)
        entry.append(f" {family} ", style=FAMILY_COLOURS[family][1])
        entry.append(f" {counts.get(family, 0)}")
        families.append(entry)
    key = Text()
    key.append("underlined", style=SOURCING_STYLE)
    key.append(" = attributed statement   ")
    key.append("bold", style="bold")
    key.append(" = techniques overlap   [n] = end of technique finding n")
    return Group(Columns(families, padding=(0, 3)), key)


def _techniques_table(analysis: Analysis) -> RenderableType:
    rows = technique_counts(analysis)
    if not rows:
        return Text("No persuasion techniques found.")
    table = Table(title="Techniques", title_justify="left", box=box.SIMPLE_HEAD, expand=True)
    table.add_column("Technique", ratio=3, overflow="fold")
    table.add_column("Family", min_width=20, overflow="fold")
    table.add_column("Count", justify="right", width=5)
    table.add_column("Example", ratio=5, overflow="fold")
    for row in rows:
        table.add_row(
            _text(humanise(row.label), FAMILY_COLOURS[row.family][1]),
            _text(row.family),
            _text(row.count),
            _text(f"“{row.examples[0]}”" if row.examples else ""),
        )
    return table


def _findings_table(analysis: Analysis) -> RenderableType | None:
    numbers = technique_numbers(analysis)
    if not numbers:
        return None
    table = Table(title="Technique findings", title_justify="left", box=box.SIMPLE_HEAD, expand=True)
    table.add_column("#", justify="right", width=3)
    table.add_column("Technique", ratio=3, overflow="fold")
    table.add_column("Line", justify="right", width=4)
    table.add_column("Quote", ratio=4, overflow="fold")
    table.add_column("Reason", ratio=5, overflow="fold")
    for index, number in numbers.items():
        finding = analysis.findings[index]
        line = line_of(finding)
        table.add_row(
            _text(number),
            _text(f"{humanise(finding.label)} ({finding.score:.2f})", FAMILY_COLOURS[family_of(finding)][1]),
            _text(line if line is not None else ""),
            _text(f"“{excerpt(finding.text, 160)}”"),
            _text(finding.reason),
        )
    return table


_SPEAKER_WORD_MAX = 20


def _sourcing_table(analysis: Analysis) -> RenderableType:
    rows = sourcing_rows(analysis)
    overview = _text(f"Sourcing: {sourcing_overview(analysis)}", "bold")
    if not rows:
        return overview
    table = Table(box=box.SIMPLE_HEAD, expand=True)
    # Names wrap between words, not inside them ("Azerbaija / ni media" was hard to read at 80
    # columns): a ratio column shrinks to its fixed width at most, so that width is the longest
    # word of a speaker (up to _SPEAKER_WORD_MAX characters).
    longest_word = max((len(word) for row in rows for word in (row.speaker or "").split()), default=1)
    table.add_column("Speaker", ratio=2, width=max(8, min(longest_word, _SPEAKER_WORD_MAX)), overflow="fold")
    table.add_column("Class", max_width=12, overflow="fold")  # "named / organisation"
    table.add_column("Cue", max_width=15, overflow="fold")
    table.add_column("Claim", ratio=5, overflow="fold")
    for row in rows:
        source_style = "bold red" if row.source_class in ("anonymous", "unattributed") else ""
        table.add_row(
            _text(row.speaker or "—"),
            _text(SOURCE_CLASS_NAMES.get(row.source_class, row.source_class), source_style),
            _text(row.cue or "—"),
            _text(excerpt(row.claim, 140)),
        )
    return Group(overview, table)


def _entities_table(analysis: Analysis) -> RenderableType:
    entities = top_entities(analysis)
    if not entities:
        return Text(no_entities_message(analysis))
    table = Table(title="Top entities", title_justify="left", box=box.SIMPLE_HEAD, expand=True)
    table.add_column("Name", ratio=3, overflow="fold")
    table.add_column("Type", min_width=12, overflow="fold")
    table.add_column("Mentions", justify="right", width=8)
    table.add_column("Tone", min_width=16, overflow="fold")
    table.add_column("Roles", ratio=4, overflow="fold")
    tone_styles = {"negative": "red", "positive": "green"}
    for entity in entities:
        table.add_row(
            _text(entity.name),
            _text(entity.type),
            _text(entity.count),
            _text(f"{entity.tone_label} ({entity.tone:+.2f})", tone_styles.get(entity.tone_label, "")),
            _text(roles_text(entity) or "—"),
        )
    return table


def _narratives_table(analysis: Analysis) -> RenderableType | None:
    narratives = explained_narratives(analysis)
    if not narratives:
        return None
    table = Table(title="Narratives, and why", title_justify="left", box=box.SIMPLE_HEAD, expand=True)
    table.add_column("Narrative", ratio=2, overflow="fold")
    table.add_column("Reason", ratio=5, overflow="fold")
    for label in narratives:
        table.add_row(_text(f"{label.label} ({label.score:.2f})"), _text(label.reason))
    return table


def print_analysis(analysis: Analysis, console: Console) -> None:
    """Print the whole report for one analysis to ``console``."""
    console.print(_header(analysis))
    console.print(Rule(Text("Article")))
    console.print(article_text(analysis))
    console.print()
    console.print(_legend(analysis))
    console.print(Rule())
    console.print(_techniques_table(analysis))
    findings = _findings_table(analysis)
    if findings is not None:
        console.print(findings)
    console.print(_sourcing_table(analysis))
    console.print()
    console.print(_entities_table(analysis))
    narratives = _narratives_table(analysis)
    if narratives is not None:
        console.print(narratives)
    console.print(
        Panel(_text(analysis.verdict or "No verdict was written."), title=Text("Verdict"), title_align="left")
    )


def render_text(analysis: Analysis, width: int = WIDTH) -> str:
    """The terminal view as plain text, without colour or style codes."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        color_system=None,
        force_terminal=False,
        force_jupyter=False,
        force_interactive=False,
        no_color=True,
        highlight=False,
        emoji=False,
        markup=False,
        legacy_windows=False,
    )
    print_analysis(analysis, console)
    # rich pads table rows to the full width; trailing spaces only bloat a text file.
    return "\n".join(line.rstrip() for line in buffer.getvalue().split("\n"))
