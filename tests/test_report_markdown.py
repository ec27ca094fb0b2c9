"""The Markdown report: content, table shape and escaping."""

from __future__ import annotations

import re

import pytest
from report_samples import bare_analysis, bridge_analysis, find

from spinlens.core.model import Analysis, Article
from spinlens.report import render
from spinlens.report.markdown import escape_markdown


def table_rows(markdown: str, header_start: str) -> list[list[str]]:
    """Cells of the table whose header line starts with ``header_start`` (split on unescaped pipes)."""
    lines = markdown.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(header_start))
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]])
    return rows


def test_sections_and_content() -> None:
    analysis = bridge_analysis()
    md = render(analysis, "markdown")
    assert md.startswith("# Council approves reckless bridge plan\n")
    for heading in (
        "## Verdict",
        "## Warnings",
        "## Genre and frames",
        "## Techniques",
        "## Sourcing",
        "## Entities",
    ):
        assert f"\n{heading}\n" in md
    assert "- Source: <https://gazette.example.com/news/bridge>" in md
    assert "- **Genre:** opinion (0.72)" in md
    assert "- **Frames:** economic (0.66), political (0.51)" in md
    assert "one source is anonymous\\." not in md  # "." needs no escape mid-line
    assert md.endswith("\n") and not md.endswith("\n\n")


def test_techniques_table_counts_and_examples() -> None:
    rows = table_rows(render(bridge_analysis(), "markdown"), "| Technique |")
    assert rows[0] == ["Technique", "Family", "Count", "Examples"]
    by_name = {row[0]: row for row in rows[2:]}
    assert by_name["repetition"][2] == "2"
    assert by_name["repetition"][3] == "“disaster”"  # identical quotes are listed once
    assert by_name["name calling / labeling"][1] == "Attack on reputation"
    assert by_name["loaded language"][3] == "“reckless waste”"
    assert all(len(row) == 4 for row in rows)


def test_every_technique_finding_is_listed_with_its_reason() -> None:
    analysis = bridge_analysis()
    md = render(analysis, "markdown")
    listed = re.findall(r"^\d+\. \*\*(.+?)\*\*", md, re.M)
    assert len(listed) == len(analysis.findings_of("technique"))
    assert "(0.80, line 6): “Either we build it now or the town dies”." in md


def test_sourcing_and_entity_tables() -> None:
    md = render(bridge_analysis(), "markdown")
    sources = table_rows(md, "| Speaker |")
    assert sources[2][:4] == ["Mayor Lena Ortiz", "named person", "direct quote", "said"]
    assert [row[1] for row in sources[2:]] == ["named person", "media", "anonymous", "unattributed"]
    assert sources[-1][0] == "—" and sources[-1][3] == "—"
    entities = table_rows(md, "| Name |")
    assert entities[2] == ["Lena Ortiz", "person", "1", "positive (+0.40)", "Protagonist (Peacemaker)"]


def test_empty_analysis() -> None:
    md = render(bare_analysis("An invented sentence with nothing in it."), "markdown")
    assert md.startswith("# Untitled article\n")
    assert "No persuasion techniques found." in md
    assert "no attributed statements found" in md
    assert "No people or organisations found." in md


def test_escape_markdown() -> None:
    assert escape_markdown("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert escape_markdown("[click](javascript:alert(1))") == "\\[click\\](javascript:alert(1))"
    assert escape_markdown("*bold* _it_ `code` a|b ~x~") == "\\*bold\\* \\_it\\_ \\`code\\` a\\|b \\~x\\~"
    assert escape_markdown("# not a heading") == "\\# not a heading"
    assert escape_markdown("1. not a list") == "1\\. not a list"
    assert escape_markdown("- not a list") == "\\- not a list"
    assert escape_markdown("two\nlines\r\nhere") == "two lines here"
    assert escape_markdown("AT&T &amp;") == "AT&amp;T &amp;amp;"
    assert escape_markdown("back\\slash") == "back\\\\slash"


def test_article_text_in_tables_cannot_break_them() -> None:
    text = (
        "Officials said <script>alert(1)</script> | and *loud* [link](javascript:alert(1)) appeared.\n"
        "A second | line with # hash.\n"
    )
    analysis = Analysis(article=Article(text=text, title="<b>Title</b> | *x*"))
    for phrase in (
        "<script>alert(1)</script> | and *loud*",
        "[link](javascript:alert(1))",
        "A second | line",
    ):
        start, end = find(text, phrase)
        analysis.add_finding(
            "technique",
            "Loaded_Language",
            start,
            end,
            score=0.5,
            reason="Because | <i>why</i>.",
            analyser="techniques@1",
            details={"family": "Manipulative wording", "line": 1},
        )
    start, end = find(text, "A second | line with # hash.")
    analysis.add_finding(
        "sourcing",
        "unattributed",
        start,
        end,
        score=0.5,
        reason="No source.",
        analyser="sourcing@1",
        details={"mode": "reported_speech", "speaker": None, "cue": None},
    )
    md = render(analysis, "markdown")
    assert "<script>" not in md and "<i>" not in md and "<b>" not in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md
    assert "\\[link\\](javascript" in md
    assert not re.search(r"(?<!\\)\]\(javascript", md), "an unescaped ](...) would make a link"
    assert md.startswith("# &lt;b&gt;Title&lt;/b&gt; \\| \\*x\\*\n")
    techniques = table_rows(md, "| Technique |")
    assert all(len(row) == 4 for row in techniques)
    sources = table_rows(md, "| Speaker |")
    assert all(len(row) == 5 for row in sources)


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_sections_the_fast_profile_skips_say_so_rather_than_none_found(fmt: str) -> None:
    analysis = bare_analysis("A quiet invented sentence.")
    analysis.analysers = {"techniques": "techniques@2", "genre_frames": "genre_frames@2"}
    rendered = render(analysis, fmt)
    assert "not analysed: the fast profile skips them" in rendered
    assert "No people or organisations found" not in rendered
    assert "no attributed statements found" not in rendered
    analysis.analysers["sourcing"] = "sourcing@1"
    analysis.analysers["entities"] = "entities@1"
    rendered = render(analysis, fmt)
    assert "not analysed" not in rendered
    assert "No people or organisations found" in rendered


def test_each_narrative_comes_with_its_reason() -> None:
    text = render(bridge_analysis(), "markdown")
    assert "- **Narratives:** Local spending (0.40)" in text
    assert "  - Local spending: About a budget." in text
