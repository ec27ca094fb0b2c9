"""Language detection: non-English text is refused unless allowed; short English is never misjudged."""

from __future__ import annotations

import pytest

from spinlens.core.errors import InputError
from spinlens.ingest import detect_language, read_text

# Invented paragraphs: the same small news item in several languages.
NON_ENGLISH = {
    "de": (
        "German",
        "Der Stadtrat hat am Dienstag beschlossen, eine neue Brücke über den Fluss zu bauen. Die Kosten "
        "werden auf zwölf Millionen Euro geschätzt, und die Bauarbeiten sollen im nächsten Frühjahr "
        "beginnen. "
        "Kritiker sagen, das Geld wäre besser für Schulen ausgegeben worden.",
    ),
    "fr": (
        "French",
        "Le conseil municipal a voté mardi la construction d'un nouveau pont sur la rivière. Le coût est "
        "estimé à douze millions d'euros et les travaux devraient commencer au printemps prochain. Les "
        "opposants affirment que cet argent aurait dû servir aux écoles.",
    ),
    "es": (
        "Spanish",
        "El ayuntamiento aprobó el martes la construcción de un nuevo puente sobre el río. El coste se "
        "estima en doce millones de euros y las obras comenzarán la próxima primavera. Los críticos dicen "
        "que el dinero debería haberse gastado en escuelas.",
    ),
    "it": (
        "Italian",
        "Il consiglio comunale ha approvato martedì la costruzione di un nuovo ponte sul fiume. Il costo è "
        "stimato in dodici milioni di euro e i lavori dovrebbero iniziare la prossima primavera. I critici "
        "sostengono che quei soldi andavano spesi per le scuole.",
    ),
    "nl": (
        "Dutch",
        "De gemeenteraad heeft dinsdag besloten een nieuwe brug over de rivier te bouwen. De kosten worden "
        "geschat op twaalf miljoen euro en de bouw begint volgend voorjaar. Critici zeggen dat het geld "
        "beter aan scholen had kunnen worden besteed of aan wegen.",
    ),
    "pl": (
        "Polish",
        "Rada miejska zdecydowała we wtorek o budowie nowego mostu na rzece. Koszt szacuje się na "
        "dwanaście milionów euro, a prace mają ruszyć wiosną przyszłego roku. Krytycy twierdzą, że "
        "pieniądze lepiej byłoby wydać na szkoły.",
    ),
    "ru": (
        "Russian",
        "Городской совет во вторник одобрил строительство нового моста через реку. Стоимость оценивается "
        "в двенадцать миллионов евро, работы начнутся следующей весной.",
    ),
}

SHORT_ENGLISH = [
    "Trump slams Biden",
    "Mayor resigns",
    "Putin meets Xi in Moscow as Kremlin hails Beijing ties amid Western sanctions pressure",
    "Mayor Lena Ortiz backs Miller River footbridge plan. Councillors Okafor, Brandt, Nakamura oppose.",
]
ENGLISH = (
    "The town council voted on Tuesday to build a new footbridge over the Miller River. Critics said "
    "the money should have been spent on schools, while supporters argued that the bridge would bring "
    "shoppers back to the old market square."
)


@pytest.mark.parametrize("code", sorted(NON_ENGLISH))
def test_non_english_is_refused_with_a_clear_message(code: str) -> None:
    name, text = NON_ENGLISH[code]
    expected = (
        f"the text looks like {name} ({code}); spinlens's models are trained on English. "
        "Use --allow-non-english to analyse it anyway (results will be unreliable)"
    )
    with pytest.raises(InputError) as caught:
        read_text(text)
    assert str(caught.value) == expected


@pytest.mark.parametrize("code", sorted(NON_ENGLISH))
def test_non_english_is_analysed_with_a_warning_when_allowed(code: str) -> None:
    name, text = NON_ENGLISH[code]
    article = read_text(text, allow_non_english=True)
    assert article.language == code
    assert article.text == text
    assert article.meta["warnings"][0] == (
        f"the text looks like {name} ({code}); spinlens's models are trained on English, "
        "so results are unreliable"
    )


def test_short_cyrillic_text_is_still_recognised() -> None:
    guess = detect_language("Путин встретился с Си")
    assert (guess.code, guess.english) == ("ru", False)


@pytest.mark.parametrize("text", SHORT_ENGLISH)
def test_short_english_is_not_refused(text: str) -> None:
    article = read_text(text)
    assert article.language in ("en", None)
    assert [w.split(" (")[0] for w in article.meta["warnings"]] == ["the text is short"]


def test_english_prose_is_english() -> None:
    guess = detect_language(ENGLISH)
    assert guess.code == "en" and guess.english
    assert guess.function_word_share > 0.15


def test_detection_is_deterministic() -> None:
    text = NON_ENGLISH["nl"][1]
    assert len({detect_language(text) for _ in range(5)}) == 1


def test_detection_handles_a_long_article_after_others() -> None:
    detect_language(NON_ENGLISH["de"][1])  # langdetect loads its profiles once per process
    long_article = (ENGLISH + "\n") * 300
    guess = detect_language(long_article)
    assert guess.english and guess.code == "en"


@pytest.mark.parametrize("code", ["de", "ru"])
def test_an_english_summary_does_not_make_an_article_english(code: str) -> None:
    # About 900 characters of English above 3,000-4,000 in another language: the opening
    # alone would say English; the middle and the end say otherwise.
    text = (ENGLISH + "\n") * 4 + (NON_ENGLISH[code][1] + "\n") * 16
    guess = detect_language(text)
    assert (guess.code, guess.english) == (code, False)


def test_an_english_article_with_a_foreign_footnote_stays_english() -> None:
    text = (ENGLISH + "\n") * 16 + (NON_ENGLISH["de"][1] + "\n") * 3
    assert detect_language(text).english
