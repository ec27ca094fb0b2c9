"""Tokens and hand-written lexical cues for persuasion techniques.

The cue lists come from the definitions of the SemEval-2023 Task 3 techniques
(annotation guidelines), not from the annotated data. They serve two purposes:
they give the statistical models a few dense, interpretable features that
transfer across topics, and they give reasons a reader can check ("the phrase
'everyone knows' appeals to popularity").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

TOKEN_PATTERN = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]")
SENTENCE_END = frozenset({".", "!", "?"})

STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "s",
        "t",
        "don",
        "shall",
        "may",
        "might",
        "must",
    ]
)

# Each cue family: the technique(s) it points to, and lower-cased words or phrases.
CUES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "intensifier": (
        ("Loaded_Language", "Exaggeration-Minimisation"),
        (
            "absolutely",
            "utterly",
            "totally",
            "completely",
            "extremely",
            "incredibly",
            "truly",
            "outrageous",
            "shocking",
            "horrific",
            "disgusting",
            "shameful",
            "disgraceful",
            "appalling",
            "brutal",
            "evil",
            "insane",
            "ridiculous",
            "absurd",
            "pathetic",
            "disastrous",
            "catastrophic",
            "devastating",
            "massive",
            "huge",
            "enormous",
            "terrible",
            "horrible",
            "awful",
            "vicious",
            "savage",
            "sinister",
            "blatant",
            "deeply",
            "radical",
            "extreme",
            "hysterical",
            "hysteria",
            "chaos",
            "crisis",
        ),
    ),
    "absolute": (
        ("Exaggeration-Minimisation", "False_Dilemma-No_Choice"),
        (
            "always",
            "never",
            "everyone",
            "everybody",
            "nobody",
            "nothing",
            "everything",
            "all",
            "every",
            "none",
            "entire",
            "ever",
            "forever",
            "impossible",
            "unprecedented",
            "greatest",
            "worst",
            "best",
            "biggest",
            "only",
            "whatsoever",
        ),
    ),
    "minimiser": (
        ("Exaggeration-Minimisation",),
        ("just a", "merely", "only a", "a little", "no big deal", "nothing more than", "mere", "trivial"),
    ),
    "epithet": (
        ("Name_Calling-Labeling",),
        (
            "idiot",
            "idiots",
            "fool",
            "fools",
            "liar",
            "liars",
            "thug",
            "thugs",
            "traitor",
            "traitors",
            "extremist",
            "extremists",
            "radicals",
            "terrorist",
            "terrorists",
            "fascist",
            "fascists",
            "commie",
            "communist",
            "communists",
            "socialist",
            "socialists",
            "globalist",
            "globalists",
            "elite",
            "elites",
            "puppet",
            "puppets",
            "clown",
            "clowns",
            "crooked",
            "corrupt",
            "criminal",
            "criminals",
            "snowflake",
            "snowflakes",
            "deplorables",
            "leftist",
            "leftists",
            "leftwing",
            "left-wing",
            "right-wing",
            "far-right",
            "far-left",
            "racist",
            "racists",
            "bigot",
            "bigots",
            "regime",
            "propagandist",
            "so-called",
            "mob",
            "cabal",
            "swamp",
            "hoax",
            "sham",
            "witch",
            "hack",
            "hacks",
            "stooge",
        ),
    ),
    "doubt": (
        ("Doubt", "Questioning_the_Reputation"),
        (
            "allegedly",
            "supposedly",
            "so-called",
            "claims",
            "claimed",
            "claim",
            "questionable",
            "dubious",
            "suspicious",
            "really",
            "credibility",
            "trust",
            "believe",
            "why would",
            "how can",
            "how could",
            "what if",
            "is it possible",
            "one wonders",
            "wonder",
        ),
    ),
    "authority": (
        ("Appeal_to_Authority",),
        (
            "according to",
            "experts",
            "expert",
            "scientists",
            "scientist",
            "study",
            "studies",
            "research",
            "professor",
            "doctor",
            "dr",
            "officials",
            "report",
            "reports",
            "said",
            "says",
            "stated",
            "confirmed",
            "pope",
            "president",
            "court",
            "data",
            "evidence shows",
        ),
    ),
    "popularity": (
        ("Appeal_to_Popularity",),
        (
            "everyone knows",
            "everybody knows",
            "most people",
            "the majority",
            "millions of",
            "polls",
            "poll",
            "popular",
            "the people",
            "the public",
            "many people",
            "growing number",
            "nobody believes",
        ),
    ),
    "fear": (
        ("Appeal_to_Fear-Prejudice",),
        (
            "threat",
            "threaten",
            "threatens",
            "danger",
            "dangerous",
            "fear",
            "afraid",
            "terror",
            "deadly",
            "destroy",
            "destruction",
            "invasion",
            "invade",
            "collapse",
            "catastrophe",
            "disaster",
            "die",
            "death",
            "kill",
            "killed",
            "killing",
            "attack",
            "attacks",
            "war",
            "risk",
            "pandemic",
            "lose",
            "losing",
            "doom",
            "warning",
            "warn",
            "warns",
        ),
    ),
    "nation": (
        ("Flag_Waving",),
        (
            "our country",
            "our nation",
            "nation",
            "national",
            "patriot",
            "patriots",
            "patriotic",
            "american",
            "americans",
            "america",
            "british",
            "britain",
            "our people",
            "homeland",
            "constitution",
            "freedom",
            "liberty",
            "democracy",
            "our values",
            "sovereignty",
            "flag",
            "we",
            "our",
            "us",
        ),
    ),
    "values": (
        ("Appeal_to_Values",),
        (
            "values",
            "moral",
            "morality",
            "justice",
            "fairness",
            "honest",
            "honesty",
            "integrity",
            "dignity",
            "faith",
            "god",
            "tradition",
            "traditional",
            "family",
            "freedom",
            "rights",
        ),
    ),
    "causal": (
        ("Causal_Oversimplification", "Consequential_Oversimplification"),
        (
            "because",
            "therefore",
            "thus",
            "hence",
            "caused",
            "causes",
            "cause",
            "due to",
            "the reason",
            "leads to",
            "lead to",
            "result",
            "results in",
            "resulted",
            "as a result",
            "responsible for",
            "blame",
            "blamed",
            "thanks to",
            "which means",
            "will lead",
            "slippery slope",
            "next thing",
        ),
    ),
    "dilemma": (
        ("False_Dilemma-No_Choice",),
        (
            "either",
            "or else",
            "no choice",
            "no alternative",
            "only option",
            "only way",
            "only solution",
            "the only",
            "must",
            "there is no other",
            "either you",
            "with us or",
        ),
    ),
    "killer": (
        ("Conversation_Killer",),
        (
            "end of story",
            "period",
            "that's it",
            "that’s it",
            "enough",
            "no debate",
            "case closed",
            "move on",
            "it is what it is",
            "so be it",
            "nothing more to say",
            "let's not",
            "stop",
            "forget it",
        ),
    ),
    "time": (
        ("Appeal_to_Time",),
        (
            "now",
            "right now",
            "before it's too late",
            "before it’s too late",
            "too late",
            "urgent",
            "urgently",
            "immediately",
            "time is running out",
            "no time",
            "the time has come",
            "today",
        ),
    ),
    "hypocrisy": (
        ("Appeal_to_Hypocrisy", "Whataboutism"),
        (
            "hypocrite",
            "hypocrites",
            "hypocrisy",
            "hypocritical",
            "double standard",
            "what about",
            "meanwhile",
            "yet",
            "while",
            "same people",
            "themselves",
        ),
    ),
    "association": (
        ("Guilt_by_Association",),
        (
            "hitler",
            "nazi",
            "nazis",
            "stalin",
            "stalinist",
            "communist",
            "kkk",
            "mussolini",
            "fascism",
            "like the",
            "just like",
            "reminiscent",
            "sympathizer",
            "sympathiser",
        ),
    ),
    "slogan_mark": (
        ("Slogans",),
        ("!", "#", "first", "again", "great", "never again", "lives matter", "stop the", "yes we"),
    ),
}

_CUE_PATTERNS: dict[str, re.Pattern[str]] = {
    name: re.compile(
        r"(?<![\w#])(?:"
        + "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
        + r")(?!\w)",
        re.IGNORECASE,
    )
    for name, (_, phrases) in CUES.items()
}
CUE_NAMES: tuple[str, ...] = tuple(CUES)

_WORD_RUN = re.compile(r"\w+")


def _first_words(phrases: tuple[str, ...]) -> frozenset[str] | None:
    """The case-folded first words of ``phrases``, or None when one does not start with an ASCII word."""
    firsts = set()
    for phrase in phrases:
        first = _WORD_RUN.match(phrase)
        if first is None or not first.group().isascii():
            return None
        firsts.add(first.group().casefold())
    return frozenset(firsts)


# A cue can only match where its first word stands as a whole word, so a paragraph without
# any of a cue's first words is not scanned for it (more than half of the scans).
_CUE_FIRST_WORDS = {name: _first_words(phrases) for name, (_, phrases) in CUES.items()}
# Case-insensitive matching takes these for "i", but case folding does not.
_FOLDS_APART = ("İ", "ı")


@dataclass(frozen=True, slots=True)
class CueMatch:
    cue: str
    start: int
    end: int
    text: str


def find_cues(text: str, offset: int = 0) -> list[CueMatch]:
    """Every cue phrase in ``text``, with offsets shifted by ``offset``."""
    found = _cues_in(text)
    if not offset:
        return list(found)
    return [CueMatch(c.cue, offset + c.start, offset + c.end, c.text) for c in found]


def _cues_in(text: str) -> tuple[CueMatch, ...]:
    # Remembered: the linear technique models look at each paragraph's cues twice (its cue
    # counts, then the words they cover), and scanning for every cue is the costly part.
    # Not very long ones: 1,024 one-line articles of a megabyte would hold a gigabyte.
    return _remembered_cues(text) if len(text) <= _REMEMBERED_LENGTH else _scan(text)


_REMEMBERED_LENGTH = 20_000


@lru_cache(maxsize=1024)
def _remembered_cues(text: str) -> tuple[CueMatch, ...]:
    return _scan(text)


def _scan(text: str) -> tuple[CueMatch, ...]:
    words = None
    if not any(c in text for c in _FOLDS_APART):
        words = {w.casefold() for w in _WORD_RUN.findall(text)}
    matches = [
        CueMatch(name, m.start(), m.end(), m.group())
        for name, pattern in _CUE_PATTERNS.items()
        if words is None or (firsts := _CUE_FIRST_WORDS[name]) is None or not firsts.isdisjoint(words)
        for m in pattern.finditer(text)
    ]
    return tuple(sorted(matches, key=lambda c: (c.start, c.end, c.cue)))


def cues_for(technique: str) -> tuple[str, ...]:
    return tuple(name for name, (techniques, _) in CUES.items() if technique in techniques)


# Style features that do not depend on a lexicon; order fixed because it is saved with the models.
STYLE_NAMES: tuple[str, ...] = (
    "log_chars",
    "question",
    "exclamation",
    "quote",
    "all_caps_words",
    "digits",
    "first_person_plural",
    "second_person",
    "repeated_words",
    "is_title",
    "relative_position",
)

_QUOTES = re.compile(r"[\"“”]")
_CAPS = re.compile(r"\b[A-Z]{3,}\b")
_DIGITS = re.compile(r"\d")
_WE = re.compile(r"\b(?:we|us|our|ours|ourselves)\b", re.IGNORECASE)
_YOU = re.compile(r"\b(?:you|your|yours)\b", re.IGNORECASE)


def content_words(text: str) -> list[str]:
    return [w for w in (t.lower() for t in TOKEN_PATTERN.findall(text)) if w.isalpha() and w not in STOPWORDS]


def cue_vector(
    text: str,
    *,
    article_word_counts: Counter[str] | None = None,
    is_title: bool = False,
    relative_position: float = 0.0,
) -> np.ndarray:
    """Dense cue and style features of one paragraph (cue counts, then :data:`STYLE_NAMES`)."""
    found = Counter(c.cue for c in _cues_in(text))
    cue_counts = [float(found[name]) for name in CUE_NAMES]
    words = content_words(text)
    n_words = max(len(words), 1)
    repeated = 0.0
    if article_word_counts is not None and words:
        # Words that recur elsewhere in the article are what Repetition is made of.
        here = Counter(words)
        repeated = sum(1 for w in words if article_word_counts[w] - here[w] >= 1 and len(w) > 3) / n_words
    style = [
        float(np.log1p(len(text))),
        float(text.count("?")),
        float(text.count("!")),
        float(len(_QUOTES.findall(text)) > 0),
        float(len(_CAPS.findall(text))),
        float(len(_DIGITS.findall(text)) > 0),
        float(len(_WE.findall(text))),
        float(len(_YOU.findall(text))),
        repeated,
        float(is_title),
        relative_position,
    ]
    return np.log1p(np.asarray(cue_counts + style, dtype=np.float64))


CUE_VECTOR_NAMES: tuple[str, ...] = CUE_NAMES + STYLE_NAMES
