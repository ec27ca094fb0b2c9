from __future__ import annotations

from spinlens.nlp.segment import paragraphs


def test_segment_paragraphs_count_lines_like_semeval() -> None:
    text = "Title here\n\n  First paragraph.  \nSecond one.\n\n\nLast"
    result = paragraphs(text)
    assert [p.line for p in result] == [1, 3, 4, 7]
    for p in result:
        assert text[p.start : p.end] == p.text
        assert p.text == p.text.strip()


def test_segment_paragraphs_skip_whitespace_lines_and_handle_crlf() -> None:
    text = "One\r\n \t \r\nTwo\r\n"
    result = paragraphs(text)
    assert [(p.line, p.text) for p in result] == [(1, "One"), (3, "Two")]
    assert all(text[p.start : p.end] == p.text for p in result)
