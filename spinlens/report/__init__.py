"""Reporters: pure functions from an :class:`~spinlens.core.model.Analysis` to text in one format."""

from __future__ import annotations

from spinlens.core.model import Analysis

FORMATS = ("json", "html", "markdown", "text")


def render(analysis: Analysis, fmt: str) -> str:
    """The report for ``analysis`` in ``fmt`` (json, html, markdown or text)."""
    if fmt == "json":
        from spinlens.report.jsonout import render_json

        return render_json(analysis)
    if fmt == "html":
        from spinlens.report.html import render_html

        return render_html(analysis)
    if fmt == "markdown":
        from spinlens.report.markdown import render_markdown

        return render_markdown(analysis)
    if fmt == "text":
        from spinlens.report.terminal import render_text

        return render_text(analysis)
    raise ValueError(f"unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}")


__all__ = ["FORMATS", "render"]
