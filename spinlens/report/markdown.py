"""A Markdown report: verdict, labels, techniques with examples, sourcing and entities.

Text from the article or an analyser is escaped so that it renders as typed:
Markdown punctuation gets a backslash, ``<``, ``>`` and ``&`` become HTML
entities (so raw HTML in an article is never passed through by a renderer),
and table cells are kept on one line with ``|`` escaped.
"""

from __future__ import annotations

import re

from spinlens.core.model import Analysis
from spinlens.core.settings import humanise
from spinlens.report.spans import highlighted, line_safe
from spinlens.report.summary import (
    SOURCE_CLASS_NAMES,
    by_score,
    excerpt,
    explained_narratives,
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

# Characters that start inline Markdown syntax anywhere in a line (links need "[").
_INLINE_SYNTAX = re.compile(r"([\\`*_\[\]|~])")
# Markers that only mean something at the start of a line: headings, quotes, lists, rules.
_BLOCK_START = re.compile(r"^(\s*)([#>+=-]|\d+(?=[.)]))")


def escape_markdown(text: str) -> str:
    """``text`` as one literal line of Markdown, safe in paragraphs and table cells."""
    flat = line_safe(" ".join(text.split()))
    flat = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    flat = _INLINE_SYNTAX.sub(r"\\\1", flat)
    # "1." -> "1\." and "# x" -> "\# x": the text may end up at the start of a line.
    return _BLOCK_START.sub(_escape_block_marker, flat)


def _escape_block_marker(match: re.Match[str]) -> str:
    lead, marker = match.group(1), match.group(2)
    if marker[0].isdigit():
        return lead + marker + "\\"
    return lead + "\\" + marker


def _quote(text: str, limit: int) -> str:
    return "“" + escape_markdown(excerpt(text, limit)) + "”"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return lines


def render_markdown(analysis: Analysis) -> str:
    article = analysis.article
    out: list[str] = [f"# {escape_markdown(title_of(analysis))}", ""]

    facts = []
    if article.url:
        facts.append(
            f"Source: <{article.url}>"
            if _plain_http_url(article.url)
            else f"Source: {escape_markdown(article.url)}"
        )
    elif article.path:
        facts.append(f"Source: {escape_markdown(article.path)}")
    if article.published:
        facts.append(f"Published: {escape_markdown(article.published)}")
    facts.append(f"Language: {escape_markdown(article.language or 'undetermined')}")
    facts.append(f"Length: {len(article.text):,} characters")
    out += [f"- {fact}" for fact in facts] + [""]

    out += ["## Verdict", "", escape_markdown(analysis.verdict or "No verdict was written."), ""]
    if analysis.warnings:
        out += ["## Warnings", ""] + [f"- {escape_markdown(w)}" for w in analysis.warnings] + [""]

    out += ["## Genre and frames", ""]
    genre = genre_of(analysis)
    if genre is not None:
        label, reason = escape_markdown(genre.label), escape_markdown(genre.reason)
        out.append(f"- **Genre:** {label} ({genre.score:.2f}): {reason}")
    else:
        out.append("- **Genre:** not determined")
    frames = by_score(analysis.labels_of("frame"))
    frame_text = ", ".join(f"{escape_markdown(humanise(f.label))} ({f.score:.2f})" for f in frames)
    out.append(f"- **Frames:** {frame_text or 'none'}")
    for kind, name in (("narrative", "Narratives"), ("subnarrative", "Sub-narratives")):
        labels = by_score(analysis.labels_of(kind))
        if labels:
            joined = "; ".join(escape_markdown(narrative_text(lab)) for lab in labels)
            out.append(f"- **{name}:** {joined}")
        if kind == "narrative":
            out += [
                f"  - {escape_markdown(lab.label)}: {escape_markdown(lab.reason)}"
                for lab in explained_narratives(analysis)
            ]
    out.append("")

    out += ["## Techniques", ""]
    counts = technique_counts(analysis)
    if counts:
        rows = [
            [
                escape_markdown(humanise(row.label)),
                escape_markdown(row.family),
                str(row.count),
                " · ".join(_quote(example, 100) for example in row.examples),
            ]
            for row in counts
        ]
        out += [*_table(["Technique", "Family", "Count", "Examples"], rows), ""]
        out += ["### Every technique finding", ""]
        for number, index in enumerate(highlighted(analysis, ("technique",)), start=1):
            finding = analysis.findings[index]
            line = line_of(finding)
            where = f", line {line}" if line is not None else ""
            out.append(
                f"{number}. **{escape_markdown(humanise(finding.label))}** ({finding.score:.2f}{where}): "
                f"{_quote(finding.text, 200)}. {escape_markdown(finding.reason)}"
            )
        out.append("")
    else:
        out += ["No persuasion techniques found.", ""]

    out += ["## Sourcing", "", escape_markdown(sourcing_overview(analysis)), ""]
    sources = sourcing_rows(analysis)
    if sources:
        rows = [
            [
                escape_markdown(row.speaker) or "—",
                escape_markdown(SOURCE_CLASS_NAMES.get(row.source_class, row.source_class)),
                escape_markdown(row.mode),
                escape_markdown(row.cue) or "—",
                _quote(row.claim, 160),
            ]
            for row in sources
        ]
        out += [*_table(["Speaker", "Class", "Mode", "Cue", "Claim"], rows), ""]

    out += ["## Entities", ""]
    entities = top_entities(analysis, limit=25)
    if entities:
        rows = [
            [
                escape_markdown(e.name),
                escape_markdown(e.type),
                str(e.count),
                f"{escape_markdown(e.tone_label)} ({e.tone:+.2f})",
                escape_markdown(roles_text(e)) or "—",
            ]
            for e in entities
        ]
        out += [*_table(["Name", "Type", "Mentions", "Tone", "Roles"], rows), ""]
    else:
        out += [escape_markdown(no_entities_message(analysis)), ""]
    return "\n".join(out).rstrip("\n") + "\n"


_SAFE_URL = re.compile(r"^https?://[^\s<>\"'`]+$", re.IGNORECASE)


def _plain_http_url(url: str) -> bool:
    """Whether ``url`` can be written as a Markdown autolink without escaping anything."""
    return bool(_SAFE_URL.match(url))
