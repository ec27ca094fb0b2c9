"""Turning bytes or a string into the exact text spinlens analyses, and refusing what it cannot.

Normalisation is deliberately minimal because every finding's offsets point into
the result: a leading byte-order mark is removed and line endings become ``\\n``
(``\\r\\n`` and lone ``\\r`` alike, since paragraphs are lines split on ``\\n``).
Nothing else is touched: no trimming, no Unicode normalisation, no whitespace
folding.

Invalid UTF-8 policy: each invalid byte becomes one U+FFFD and a warning saying
how many there were is added to ``article.meta["warnings"]``; a charset declared
by the HTTP headers or the HTML itself is tried first. Input whose bytes are
mostly invalid is refused instead, since replacing most of it would analyse noise.

Language policy: non-English text is refused unless the caller allows it, in
which case it is analysed with a warning. See :func:`detect_language`.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from typing import Any

from spinlens.core import settings
from spinlens.core.errors import InputError, NotEnglishError
from spinlens.core.model import Article

UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = {b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}

# Control characters that never occur in real prose (tab, newline, vertical tab,
# form feed and carriage return do).
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_ESCAPED_BYTES = re.compile(r"[\udc80-\udcff]")

# Above these shares the input is refused rather than analysed.
MAX_CONTROL_SHARE = 0.05
MAX_INVALID_UTF8_SHARE = 0.3

# WHATWG's encoding standard decodes these labels as windows-1252; pages that
# declare latin-1 routinely contain curly quotes from 1252's 0x80-0x9f range.
_WINDOWS_1252_ALIASES = {"latin_1", "ascii", "iso8859_1"}


@dataclass(slots=True)
class DecodedText:
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def describe_size(n_bytes: int) -> str:
    """``2097152`` -> ``2 MiB``; used in messages about limits."""
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n_bytes >= size:
            value = n_bytes / size
            return f"{value:g} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{n_bytes} bytes"


def too_large_error(name: str, limit: int) -> InputError:
    return InputError(f"{name} is larger than the input limit of {describe_size(limit)} ({limit:,} bytes)")


def normalise_text(text: str) -> str:
    """Strip a leading BOM and turn ``\\r\\n`` and lone ``\\r`` into ``\\n``."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


# A line break before one of these starts a new block even in hard-wrapped text.
_BLOCK_START = re.compile(r"[ \t]*(?:[-*+\u2022][ \t]|\d{1,3}[.)][ \t]|#{1,6}[ \t]|>)")
_SENTENCE_END = (".", "!", "?", '"', "\u201d", "'", "\u2019", ")", ":")
# Hard-wrapping tools cut at 60-100 columns; one-paragraph-per-line text has longer lines.
MAX_WRAP_WIDTH = 120


def unwrap_hard_wrapped(text: str) -> tuple[str, int | None]:
    """Join the lines of hard-wrapped paragraphs; return the text and the wrap width (None if untouched).

    Paragraphs are lines, so text wrapped at a fixed width (e-mail, Markdown sources, ``fmt``)
    would split every sentence that crosses a line end, and a quote from the name of who said
    it. The text counts as hard-wrapped when blank lines separate its paragraphs, no line is
    longer than ``MAX_WRAP_WIDTH``, and most line breaks inside those paragraphs fall in mid
    sentence after a line that fills most of the width. Then each such break becomes a space:
    the text keeps its length, so offsets into it are offsets into the file too. Breaks after a
    short line (a title, the end of a verse) or before a list item, heading or quotation stay.
    """
    lines = text.split("\n")
    widths = [len(line.rstrip()) for line in lines if line.strip()]
    if len(widths) < 6 or len(widths) == len(lines) or max(widths) > MAX_WRAP_WIDTH:
        return text, None
    width = max(widths)
    breaks = [
        i
        for i in range(len(lines) - 1)
        if lines[i].strip() and lines[i + 1].strip() and not _BLOCK_START.match(lines[i + 1])
    ]
    joins = [i for i in breaks if len(lines[i].rstrip()) >= 0.6 * width]
    mid_sentence = sum(not lines[i].rstrip().endswith(_SENTENCE_END) for i in joins)
    if len(joins) < 3 or len(joins) < 0.6 * len(breaks) or mid_sentence < 0.5 * len(joins):
        return text, None
    joined = set(joins)
    return "".join(line + (" " if i in joined else "\n") for i, line in enumerate(lines))[:-1], width


def plain_text(text: str) -> tuple[str, list[str]]:
    """The text spinlens analyses from a plain-text or Markdown string, and what was done to it.

    :func:`normalise_text`, then :func:`unwrap_hard_wrapped`; the warnings say when lines were joined.
    (The web app's cache looks up texts by this same result.)
    """
    text, width = unwrap_hard_wrapped(normalise_text(text))
    if width is None:
        return text, []
    return text, [
        f"the text is hard-wrapped (lines of at most {width} characters): "
        "line breaks inside its paragraphs were read as spaces"
    ]


def codec_name(label: str | None) -> str | None:
    """Python's codec for a charset label from a header or ``<meta>``, or None if unknown."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except (LookupError, ValueError):
        return None
    normalised = name.replace("-", "_")
    if normalised in _WINDOWS_1252_ALIASES:
        return "cp1252"
    return name


def decode_bytes(data: bytes, name: str, declared_charset: str | None = None) -> DecodedText:
    """Decode input bytes: BOM first, then a declared charset, then UTF-8 with replacement.

    Refuses binary data (NUL bytes, many control characters) and bytes that are
    mostly invalid UTF-8, each with a message naming ``name``.
    """
    for bom, encoding in UTF16_BOMS.items():
        if data.startswith(bom) and not data.startswith(b"\xff\xfe\x00\x00"):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{name} starts with a UTF-16 byte-order mark but is not valid UTF-16"
                ) from exc
            check_not_binary(text, name)
            return DecodedText(text, "utf-16")

    if b"\x00" in data:
        raise InputError(f"{name} looks like binary data (it contains NUL bytes), not text")

    if data.startswith(UTF8_BOM):
        # A BOM is stronger evidence than any declaration (as in the WHATWG standard).
        declared_charset = "utf-8"

    codec = codec_name(declared_charset)
    if codec is not None and codec != "utf-8":
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            pass  # the declaration was wrong: fall back to UTF-8 below
        else:
            check_not_binary(text, name)
            return DecodedText(text, codec)

    text = data.decode("utf-8", errors="surrogateescape")
    warnings: list[str] = []
    # surrogateescape maps each invalid byte to one lone surrogate, so they can be counted exactly.
    invalid = len(_ESCAPED_BYTES.findall(text))
    if invalid:
        if invalid > MAX_INVALID_UTF8_SHARE * max(len(data), 1):
            share = invalid / len(data)
            raise InputError(
                f"{name} does not look like UTF-8 text: {share:.0%} of its bytes are not valid UTF-8; "
                "convert it to UTF-8 first"
            )
        text = _ESCAPED_BYTES.sub("\ufffd", text)
        if invalid == 1:
            warnings.append("1 byte was not valid UTF-8 and was replaced by U+FFFD")
        else:
            warnings.append(f"{invalid} bytes were not valid UTF-8 and were replaced by U+FFFD")
    check_not_binary(text, name)
    return DecodedText(text, "utf-8", warnings)


def check_not_binary(text: str, name: str) -> None:
    if "\x00" in text:
        raise InputError(f"{name} looks like binary data (it contains NUL characters), not text")
    controls = len(_CONTROL_CHARS.findall(text))
    if controls and controls > MAX_CONTROL_SHARE * len(text):
        raise InputError(
            f"{name} looks like binary data ({controls / len(text):.0%} of it is control characters), "
            "not text"
        )


# Below this many words a text is too short for the article-level models to mean much.
SHORT_TEXT_WORDS = 40


def check_text(text: str, name: str) -> None:
    """Refuse text that is empty, whitespace only, binary-looking or over the length limit."""
    if not text:
        raise InputError(f"{name} is empty")
    if not text.strip():
        raise InputError(f"{name} contains only whitespace")
    check_not_binary(text, name)
    if len(text) > settings.MAX_TEXT_CHARS:
        raise InputError(
            f"{name} has {len(text):,} characters of text; the limit is {settings.MAX_TEXT_CHARS:,}"
        )


# ---------------------------------------------------------------- language

# Function words that are frequent in English and rare as words of other
# languages written in Latin script (so "in", "was", "is", "an", "to", "on",
# "also", "die" are left out: they are common German, Dutch or Slavic words).
# fmt: off
ENGLISH_FUNCTION_WORDS = frozenset(
    (
        "the", "of", "and", "that", "with", "for", "this", "these", "those", "were", "are", "have", "has",
        "had", "been", "being", "would", "could", "should", "will", "they", "their", "them", "there",
        "which", "who", "whom", "what", "when", "where", "why", "how", "from", "by", "not", "but", "or",
        "its", "his", "she", "it", "our", "you", "your", "at", "said", "than", "then", "about", "after",
        "into", "more", "such", "only", "other", "some", "any", "because", "while", "if", "can", "does",
        "did", "just",
    )
)
# fmt: on

# In the SemEval-2023 English articles the share of these words is 0.12-0.36
# (5th percentile 0.21) over the first 2,000 characters; in the Russian
# articles it is 0-0.02 and in the French, German, Spanish, Italian, Dutch and
# Polish paragraphs of tests/test_ingest_language.py at most 0.05.
ENGLISH_FUNCTION_WORD_SHARE = 0.15
# Below this many words neither signal is trustworthy (langdetect calls
# "Trump slams Biden" Latvian), so the language is left undetermined.
MIN_WORDS_TO_JUDGE = 12
# langdetect is fast but not free: a sample from the start, the middle and the
# end is enough to name the language of a news article (and an English summary
# atop an article in another language does not decide it).
SAMPLE_CHARS = 1500

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")

LANGUAGE_NAMES = {
    "af": "Afrikaans", "ar": "Arabic", "bg": "Bulgarian", "bn": "Bengali", "ca": "Catalan", "cs": "Czech",
    "cy": "Welsh", "da": "Danish", "de": "German", "el": "Greek", "en": "English", "es": "Spanish",
    "et": "Estonian", "fa": "Persian", "fi": "Finnish", "fr": "French", "gu": "Gujarati", "he": "Hebrew",
    "hi": "Hindi", "hr": "Croatian", "hu": "Hungarian", "id": "Indonesian", "it": "Italian",
    "ja": "Japanese", "kn": "Kannada", "ko": "Korean", "lt": "Lithuanian", "lv": "Latvian",
    "mk": "Macedonian", "ml": "Malayalam", "mr": "Marathi", "ne": "Nepali", "nl": "Dutch",
    "no": "Norwegian", "pa": "Punjabi", "pl": "Polish", "pt": "Portuguese", "ro": "Romanian",
    "ru": "Russian", "sk": "Slovak", "sl": "Slovenian", "so": "Somali", "sq": "Albanian",
    "sv": "Swedish", "sw": "Swahili", "ta": "Tamil", "te": "Telugu", "th": "Thai", "tl": "Tagalog",
    "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese", "zh-cn": "Chinese",
    "zh-tw": "Chinese",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    """``code`` is None when the text is too short to tell; ``english`` is then True (not refused)."""

    code: str | None
    english: bool
    probability: float
    function_word_share: float

    @property
    def name(self) -> str:
        if self.code is None:
            return "an undetermined language"
        return LANGUAGE_NAMES.get(self.code, self.code)


def _sample(text: str) -> str:
    if len(text) <= SAMPLE_CHARS:
        return text
    part = SAMPLE_CHARS // 3
    middle = (len(text) - part) // 2
    return "\n".join((text[:part], text[middle : middle + part], text[-part:]))


def _langdetect(sample: str) -> list[tuple[str, float]]:
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    # langdetect is randomised; a fixed seed makes the same text always get the same answer.
    DetectorFactory.seed = 0
    try:
        return [(guess.lang, guess.prob) for guess in detect_langs(sample)]
    except LangDetectException:
        return []


def detect_language(text: str) -> LanguageGuess:
    """Guess whether ``text`` is English, combining langdetect with an English function-word share.

    langdetect alone misreads short English texts full of names; the share of
    English function words alone cannot name the other language. English wins
    if either signal says so: langdetect's probability for English is at least
    ``settings.ENGLISH_MIN_SCORE`` or the function-word share reaches
    ``ENGLISH_FUNCTION_WORD_SHARE``. Text mostly in a non-Latin script is never
    English, however short.
    """
    sample = _sample(text)
    words = [w.lower() for w in _WORD.findall(sample)]
    share = sum(w in ENGLISH_FUNCTION_WORDS for w in words) / len(words) if words else 0.0
    letters = sum(len(w) for w in words)
    latin_share = len(_LATIN_LETTER.findall(sample)) / letters if letters else 0.0

    if latin_share >= 0.5:
        if share >= ENGLISH_FUNCTION_WORD_SHARE and len(words) >= 5:
            return LanguageGuess("en", True, 1.0, share)
        if len(words) < MIN_WORDS_TO_JUDGE:
            return LanguageGuess(None, True, 0.0, share)

    guesses = _langdetect(sample)
    if not guesses:
        return LanguageGuess(None, True, 0.0, share)
    english_probability = dict(guesses).get("en", 0.0)
    if latin_share >= 0.5 and english_probability >= settings.ENGLISH_MIN_SCORE:
        return LanguageGuess("en", True, english_probability, share)
    top_code, top_probability = guesses[0]
    if top_code == "en":
        # Only reachable for non-Latin script that langdetect still calls English.
        top_code, top_probability = guesses[1] if len(guesses) > 1 else ("und", 0.0)
    return LanguageGuess(top_code, False, top_probability, share)


def check_language(text: str, name: str, allow_non_english: bool) -> tuple[LanguageGuess, list[str]]:
    """Detect the language; refuse non-English text unless allowed, else return a warning for it."""
    guess = detect_language(text)
    if guess.english:
        return guess, []
    described = f"{guess.name} ({guess.code})"
    if not allow_non_english:
        raise NotEnglishError(f"{name} looks like {described}; spinlens's models are trained on English")
    return guess, [
        f"the text looks like {described}; spinlens's models are trained on English, "
        "so results are unreliable"
    ]


def build_article(
    text: str,
    *,
    name: str,
    allow_non_english: bool = False,
    title: str | None = None,
    url: str | None = None,
    path: str | None = None,
    published: str | None = None,
    meta: dict[str, Any] | None = None,
    warnings: list[str] | None = None,
) -> Article:
    """Check ``text`` (already normalised) and wrap it in an :class:`Article`."""
    check_text(text, name)
    guess, language_warnings = check_language(text, name, allow_non_english)
    article_meta: dict[str, Any] = dict(meta or {})
    all_warnings = [*(warnings or []), *language_warnings]
    words = len(text.split())
    if words < SHORT_TEXT_WORDS:
        all_warnings.append(
            f"{name} is short ({words} word{'s' if words != 1 else ''}): the models were trained on whole "
            "news articles, so its genre, frames and narratives are little more than guesses"
        )
    if all_warnings:
        article_meta["warnings"] = [*article_meta.get("warnings", []), *all_warnings]
    return Article(
        text=text,
        title=title,
        url=url,
        path=path,
        language=guess.code,
        published=published,
        meta=article_meta,
    )


def read_text(
    text: str,
    *,
    title: str | None = None,
    url: str | None = None,
    path: str | None = None,
    published: str | None = None,
    allow_non_english: bool = False,
    name: str = "the text",
) -> Article:
    """An :class:`Article` from a string the caller already has (BOM stripped, newlines normalised,
    hard-wrapped paragraphs joined)."""
    text, warnings = plain_text(text)
    return build_article(
        text,
        warnings=warnings,
        name=name,
        allow_non_english=allow_non_english,
        title=title,
        url=url,
        path=path,
        published=published,
        meta={"source": "text", "format": "text"},
    )
