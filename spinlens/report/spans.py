"""Cutting the article text into segments so overlapping findings can all be shown.

Every start and end offset of a highlighted finding is a boundary; between two
neighbouring boundaries the set of covering findings is constant, so each
segment can be drawn with all of its layers. Each finding also gets a *lane*
(the smallest one free over its whole extent), so the same finding is drawn at
the same depth in every segment it covers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from spinlens.core.model import Analysis, Finding

HIGHLIGHTED_KINDS = ("technique", "sourcing")

# C0 controls except tab and newline, DEL and C1 controls: a terminal would
# execute some of them (ESC starts escape sequences), so reporters show a
# visible stand-in, one character for one, keeping offsets intact.
_UNSAFE_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): inside a title
# they reorder what follows, so "Budget report \u202egnp.exe" would read "Budget report exe.png".
_DIRECTION_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def _control_picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return "\ufffd"


def display_safe(text: str) -> str:
    """``text`` with control characters replaced by visible symbols of the same length."""
    return _UNSAFE_CONTROLS.sub(_control_picture, text)


def line_safe(text: str) -> str:
    """Text from an article for a title, a table cell or a list: :func:`display_safe`, and direction controls
    made visible too, so that it cannot reorder or hide what is shown after it.

    The article body keeps its direction controls (right-to-left quotes need them); its offsets would survive
    either way, one character for one.
    """
    return _DIRECTION_CONTROLS.sub("\ufffd", display_safe(text))


@dataclass(frozen=True, slots=True)
class Segment:
    start: int
    end: int
    text: str
    # Indices into analysis.findings of the findings covering this segment, outermost lane first.
    covering: tuple[int, ...]


def highlighted(analysis: Analysis, kinds: tuple[str, ...] = HIGHLIGHTED_KINDS) -> list[int]:
    """Indices of the findings to highlight, in reading order (longer first at equal starts)."""
    chosen = [i for i, f in enumerate(analysis.findings) if f.kind in kinds and f.end > f.start]
    return sorted(chosen, key=lambda i: (analysis.findings[i].start, -analysis.findings[i].end, i))


def assign_lanes(findings: list[Finding], order: list[int]) -> dict[int, int]:
    """Give each finding the lowest lane not used by an overlapping finding that started earlier."""
    lanes: dict[int, int] = {}
    lane_ends: list[int] = []
    for index in order:
        finding = findings[index]
        for lane, end in enumerate(lane_ends):
            if end <= finding.start:
                lane_ends[lane] = finding.end
                lanes[index] = lane
                break
        else:
            lanes[index] = len(lane_ends)
            lane_ends.append(finding.end)
    return lanes


def segments(text: str, findings: list[Finding], order: list[int], lanes: dict[int, int]) -> list[Segment]:
    """Split ``text`` at every boundary of the findings in ``order``; uncovered text is a segment too."""
    boundaries = {0, len(text)}
    for index in order:
        boundaries.add(findings[index].start)
        boundaries.add(findings[index].end)
    points = sorted(b for b in boundaries if 0 <= b <= len(text))

    # Sweep the boundaries once, keeping the set of open findings.
    starts: dict[int, list[int]] = {}
    ends: dict[int, list[int]] = {}
    for index in order:
        starts.setdefault(findings[index].start, []).append(index)
        ends.setdefault(findings[index].end, []).append(index)
    open_findings: set[int] = set()
    result: list[Segment] = []
    for left, right in pairwise(points):
        open_findings.difference_update(ends.get(left, ()))
        open_findings.update(starts.get(left, ()))
        covering = tuple(sorted(open_findings, key=lambda i: (lanes[i], i)))
        result.append(Segment(left, right, text[left:right], covering))
    return result
