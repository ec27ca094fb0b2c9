"""Paragraphs and sentences with offsets into the exact article text."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A non-empty line of the article; ``line`` is 1-based as in the SemEval files."""

    line: int
    start: int
    end: int
    text: str


def paragraphs(text: str) -> list[Paragraph]:
    """Split on newlines, keeping every non-blank line with its offsets.

    Lines are the unit of SemEval-2023 subtask 3, so this must agree with how
    the data counts them: ``str.split("\\n")``, 1-based, blank lines skipped but
    still counted.
    """
    result: list[Paragraph] = []
    offset = 0
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.rstrip("\r")
        if stripped.strip():
            lead = len(stripped) - len(stripped.lstrip())
            body = stripped.strip()
            start = offset + lead
            result.append(Paragraph(number, start, start + len(body), body))
        offset += len(line) + 1
    return result
