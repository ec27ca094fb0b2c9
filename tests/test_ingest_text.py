"""Decoding, normalisation and the checks every input goes through (spinlens.ingest.text)."""

from __future__ import annotations

import re

import pytest

from spinlens.core import settings
from spinlens.core.errors import InputError
from spinlens.ingest import read_text
from spinlens.ingest.text import codec_name, decode_bytes, describe_size, normalise_text

ENGLISH = (
    "The harbour authority said on Monday that the new ferry terminal would open in June, "
    "two months later than planned, because of delays in the delivery of steel."
)


def test_normalise_strips_bom_and_unifies_line_endings() -> None:
    assert normalise_text("\ufeffone\r\ntwo\rthree\nfour") == "one\ntwo\nthree\nfour"


def test_normalise_keeps_everything_else() -> None:
    text = "  leading space\n\n\ttab and trailing  \n"
    assert normalise_text(text) == text


def test_read_text_returns_exact_normalised_text() -> None:
    article = read_text("\ufeff" + ENGLISH.replace(". ", ".\r\n") + "\r\n", title="Ferry")
    assert article.text == ENGLISH.replace(". ", ".\n") + "\n"
    assert article.title == "Ferry"
    assert article.language == "en"
    assert all(" is short (" in w for w in article.meta.get("warnings", []))  # no other warning


def test_valid_utf8_has_no_warning() -> None:
    decoded = decode_bytes("Café – naïve “quotes”".encode(), "x.txt")
    assert decoded.text == "Café – naïve “quotes”"
    assert decoded.warnings == []
    assert decoded.encoding == "utf-8"


def test_invalid_utf8_bytes_are_replaced_one_for_one_with_a_warning() -> None:
    data = b"The mayor said \xff\xfe it was fine and \xc3 done."
    decoded = decode_bytes(data, "x.txt")
    assert decoded.text == "The mayor said \ufffd\ufffd it was fine and \ufffd done."
    assert decoded.warnings == ["3 bytes were not valid UTF-8 and were replaced by U+FFFD"]


def test_single_invalid_byte_warning_is_singular() -> None:
    decoded = decode_bytes(b"one bad byte: \x80 here", "x.txt")
    assert decoded.warnings == ["1 byte was not valid UTF-8 and was replaced by U+FFFD"]


def test_declared_charset_is_tried_before_utf8() -> None:
    data = "\u201cNo comment,\u201d she said \u2013 twice.".encode("cp1252")
    decoded = decode_bytes(data, "page", declared_charset="windows-1252")
    assert decoded.text == "\u201cNo comment,\u201d she said \u2013 twice."
    assert decoded.warnings == []


def test_latin1_label_decodes_as_windows_1252_like_browsers() -> None:
    assert codec_name("ISO-8859-1") == "cp1252"
    assert codec_name("utf8") == "utf-8"
    assert codec_name("no-such-charset") is None


def test_unknown_declared_charset_falls_back_to_utf8() -> None:
    decoded = decode_bytes("Zürich – ok".encode(), "page", declared_charset="no-such-charset")
    assert decoded.text == "Zürich – ok"


def test_declared_charset_that_cannot_decode_falls_back_to_utf8() -> None:
    # UTF-8 "Ł" is C5 81, and 0x81 is undefined in windows-1252.
    decoded = decode_bytes("Łódź – ok".encode(), "page", declared_charset="windows-1252")
    assert decoded.text == "Łódź – ok"
    assert decoded.encoding == "utf-8"


def test_utf8_bom_beats_declared_charset() -> None:
    decoded = decode_bytes(b"\xef\xbb\xbf" + "Grüße".encode(), "page", declared_charset="windows-1252")
    assert decoded.text.lstrip("\ufeff") == "Grüße"


def test_utf16_with_bom_is_decoded() -> None:
    data = "\ufeffA short note about the port.".encode("utf-16-le")
    decoded = decode_bytes(data, "note.txt")
    assert decoded.text == "A short note about the port."


def test_nul_bytes_mean_binary() -> None:
    with pytest.raises(InputError, match=r"^photo\.txt looks like binary data"):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.txt")


def test_many_control_characters_mean_binary() -> None:
    data = bytes(range(1, 9)) * 20 + b"some text"
    with pytest.raises(InputError, match=r"looks like binary data .*control characters"):
        decode_bytes(data, "blob")


def test_mostly_invalid_utf8_is_refused_with_advice() -> None:
    data = "Городской совет одобрил строительство моста".encode("cp1251")
    with pytest.raises(
        InputError, match=r"does not look like UTF-8 text: \d+% of its bytes .* convert it to UTF-8"
    ):
        decode_bytes(data, "ru.txt")


def test_empty_text_is_refused() -> None:
    with pytest.raises(InputError, match=r"^the text is empty$"):
        read_text("")


def test_whitespace_only_text_is_refused() -> None:
    with pytest.raises(InputError, match=r"^the text contains only whitespace$"):
        read_text(" \n\t\r\n ")


def test_text_over_the_character_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "MAX_TEXT_CHARS", 100)
    with pytest.raises(InputError, match=rf"has {len(ENGLISH)} characters of text; the limit is 100$"):
        read_text(ENGLISH)


def test_describe_size() -> None:
    assert describe_size(2 * 1024 * 1024) == "2 MiB"
    assert describe_size(1536) == "1.5 KiB"
    assert describe_size(12) == "12 bytes"


# ------------------------------------------------------------------ hard-wrapped text

WRAPPED_PARAGRAPHS = [
    "The council voted on Tuesday to lease the harbour to a private operator for ninety-nine "
    "years, after a debate that lasted less than an hour and a vote that surprised even its supporters.",
    '"This is the best deal the city has seen in a generation," said Mayor Lena Ortiz, who '
    "negotiated the lease herself and defended it against every question from the floor.",
    "Critics said the terms had never been published and that the operator's record abroad was "
    "poor, with two ports it runs elsewhere facing fines for neglected maintenance and unpaid wages.",
]


def wrapped_article(width: int = 70) -> str:
    import textwrap

    body = "\n\n".join(textwrap.fill(p, width) for p in WRAPPED_PARAGRAPHS)
    return "Council leases the harbour\n\n" + body + "\n"


def test_hard_wrapped_paragraphs_are_joined_keeping_every_offset() -> None:
    from spinlens.ingest import article_from_bytes

    text = wrapped_article()
    article = article_from_bytes(text.encode(), fmt="text", name="wrapped.txt")
    assert len(article.text) == len(text)
    assert [p for p in article.text.split("\n") if p] == ["Council leases the harbour", *WRAPPED_PARAGRAPHS]
    assert article.title == "Council leases the harbour"
    assert any(
        re.search(r"hard-wrapped \(lines of at most \d\d characters\)", w) for w in article.meta["warnings"]
    )
    assert read_text(text).text == article.text


@pytest.mark.parametrize(
    "text",
    [
        # one paragraph per line, as news files and the SemEval data have them
        "Council leases the harbour\n\n" + "\n".join(WRAPPED_PARAGRAPHS) + "\n",
        # short one-line paragraphs under a title
        "Harbour news\n\n" + "\n".join(f"Item {n} of the agenda was approved." for n in range(8)) + "\n",
        # a list between wrapped paragraphs keeps its lines (each item is a sentence of its own)
        "Notes\n\n"
        + "\n".join(f"- point number {n} was discussed at length by the committee today." for n in range(8)),
    ],
)
def test_text_that_is_not_hard_wrapped_is_left_alone(text: str) -> None:
    from spinlens.ingest.text import unwrap_hard_wrapped

    assert unwrap_hard_wrapped(text) == (text, None)


def test_list_items_and_headings_in_wrapped_markdown_keep_their_breaks() -> None:
    import textwrap

    from spinlens.ingest.text import unwrap_hard_wrapped

    items = "- the first point of the deal, which nobody read\n- the second point of the deal, also unread\n"
    text = "# Harbour\n\n" + "\n\n".join(textwrap.fill(p, 72) for p in WRAPPED_PARAGRAPHS) + "\n\n" + items
    unwrapped, width = unwrap_hard_wrapped(text)
    assert width is not None and width <= 72
    assert unwrapped.endswith(items)
    assert unwrapped.startswith("# Harbour\n\n" + WRAPPED_PARAGRAPHS[0] + "\n\n")


def test_a_short_text_is_analysed_with_a_warning() -> None:
    article = read_text("Hello there.")
    assert article.meta["warnings"] == [
        "the text is short (2 words): the models were trained on whole news articles, "
        "so its genre, frames and narratives are little more than guesses"
    ]
    assert "warnings" not in read_text(" ".join([ENGLISH] * 2)).meta
