"""Double-quoted stretches of an article, found character by character.

spaCy's tokens say nothing about which quotation marks pair up, and its
sentences may run across paragraph breaks, so quotations are paired here on
the raw text, paragraph by paragraph. Straight quotes alternate; curly quotes
say which way they face. A paragraph that opens a quotation without closing it
follows the newspaper convention for quotations running over several
paragraphs: the quotation lasts to the end of that paragraph.
"""

from __future__ import annotations

from dataclasses import dataclass

from spinlens.nlp.segment import Paragraph

OPENING = "“"
CLOSING = "”"
STRAIGHT = '"'
QUOTE_CHARS = OPENING + CLOSING + STRAIGHT
# A straight quote after one of these (or at the start of a line) opens.
_OPENS_AFTER = " \t([{—–-:;/"


@dataclass(frozen=True, slots=True)
class Quotation:
    """One quotation: ``open`` is the index of the opening mark, ``close`` of the closing one.

    ``start``/``end`` bound the quoted words without the marks; ``close`` is
    None when the paragraph ends first.
    """

    open: int
    close: int | None
    start: int
    end: int
    paragraph: int  # index into the paragraph list
    words: int
    is_block: bool  # the quotation is the whole paragraph

    def covers(self, index: int) -> bool:
        """True when character ``index`` lies inside the marks (marks included)."""
        last = self.close if self.close is not None else self.end - 1
        return self.open <= index <= last

    @property
    def outer_end(self) -> int:
        return self.close + 1 if self.close is not None else self.end


def _word_count(text: str) -> int:
    return sum(1 for word in text.split() if any(ch.isalnum() for ch in word))


def find_quotations(text: str, paragraphs: list[Paragraph]) -> list[Quotation]:
    """All double-quoted stretches of ``text``, in order."""
    found: list[Quotation] = []
    for number, para in enumerate(paragraphs):
        opened: int | None = None
        for pos in range(para.start, para.end):
            ch = text[pos]
            if ch not in QUOTE_CHARS:
                continue
            if opened is None:
                if ch == CLOSING:
                    continue
                if ch == STRAIGHT and pos > para.start and text[pos - 1] not in _OPENS_AFTER:
                    # A straight quote glued to a word is an inch mark or a
                    # stray closer, not the start of a quotation.
                    continue
                opened = pos
                continue
            if ch == OPENING:
                # Two openers in a row: the first was never closed; restart.
                opened = pos
                continue
            found.append(_make(text, para, number, opened, pos))
            opened = None
        if opened is not None and opened + 1 < para.end:
            found.append(_make(text, para, number, opened, None))
    return found


def _make(text: str, para: Paragraph, number: int, opened: int, close: int | None) -> Quotation:
    start = opened + 1
    end = close if close is not None else para.end
    # Leading/trailing blanks inside the marks are not part of the words.
    while start < end and text[start].isspace():
        start += 1
    # A comma or colon before the closing mark is the sentence's, not the speaker's.
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    after = text[close + 1 : para.end] if close is not None else ""
    is_block = opened == para.start and not any(ch.isalnum() for ch in after)
    return Quotation(opened, close, start, end, number, _word_count(text[start:end]), is_block)
