"""Sentence units that never cross a paragraph break.

spaCy's small model sometimes runs a sentence over a line break (a heading
glued to the next paragraph, a block quotation glued to the line introducing
it). Analysers that reason "within a sentence" work on these units instead:
spaCy's sentences cut at every paragraph boundary.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spinlens.nlp.segment import Paragraph

if TYPE_CHECKING:
    from spacy.tokens import Doc


@dataclass(frozen=True, slots=True)
class Unit:
    """Tokens ``[start, end)`` of one sentence within one paragraph (``paragraph`` indexes the list)."""

    start: int
    end: int
    start_char: int
    end_char: int
    paragraph: int


@dataclass(frozen=True, slots=True)
class Units:
    units: list[Unit]
    token_unit: list[int]  # unit index of each token, -1 for whitespace tokens

    def of(self, token_index: int) -> Unit | None:
        index = self.token_unit[token_index]
        return self.units[index] if index >= 0 else None


def sentence_units(doc: Doc, paragraphs: list[Paragraph]) -> Units:
    from spacy.attrs import IDX, IS_SPACE, SENT_START

    n = len(doc)
    token_unit = [-1] * n
    units: list[Unit] = []
    if n == 0:
        return Units(units, token_unit)
    # One pass over plain integers: reading attributes token by token through
    # spaCy's Python objects costs several milliseconds on a long article.
    table = doc.to_array([SENT_START, IS_SPACE, IDX]).tolist()
    para_of_char = _paragraph_index(paragraphs)
    current_start = -1
    current_last = -1
    current_para = -1
    for i, (sent_start, is_space, idx) in enumerate(table):
        if sent_start == 1 and current_start >= 0:
            units.append(_unit(doc, current_start, current_last, current_para))
            current_start = -1
        if is_space:
            continue
        para = para_of_char(idx)
        if current_start >= 0 and para != current_para:
            units.append(_unit(doc, current_start, current_last, current_para))
            current_start = -1
        if current_start < 0:
            current_start = i
            current_para = para
        current_last = i
    if current_start >= 0:
        units.append(_unit(doc, current_start, current_last, current_para))
    for index, unit in enumerate(units):
        for i in range(unit.start, unit.end):
            if not table[i][1]:
                token_unit[i] = index
    return Units(units, token_unit)


def _paragraph_index(paragraphs: list[Paragraph]) -> Callable[[int], int]:
    starts = [p.start for p in paragraphs]

    def find(offset: int) -> int:
        return max(bisect_right(starts, offset) - 1, 0)

    return find


def _unit(doc: Doc, first_index: int, last_index: int, paragraph: int) -> Unit:
    first, last = doc[first_index], doc[last_index]
    return Unit(first.i, last.i + 1, first.idx, last.idx + len(last.text), paragraph)
