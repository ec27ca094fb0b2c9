"""Cleaning up spaCy's named entities: titles, possessives, obvious tagging errors.

Shared by the entity analyser (which merges mentions) and the sourcing
analyser (which needs to know whether a speaker is a person).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from spinlens.nlp.lexicons import PERSON_TITLES
from spinlens.nlp.places import (
    GROUP_DEMONYMS,
    country_of_capital,
    country_of_demonym,
    country_of_name,
    is_place_name,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

# spaCy labels kept, and the entity type each becomes.
LABEL_TYPES: dict[str, str] = {
    "PERSON": "person",
    "ORG": "organisation",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": "group",
}

# Place names that are just as often given names or surnames: spaCy's PERSON
# tag is trusted for these.
AMBIGUOUS_PLACE_NAMES: frozenset[str] = frozenset(
    {
        "georgia",
        "jordan",
        "chad",
        "washington",
        "sofia",
        "lima",
        "victoria",
        "santiago",
        "israel",
        "paris",
        "florence",
        "austin",
        "chelsea",
        "india",
        "kenya",
        "niger",
        "adelaide",
        "regina",
    }
)

_POSSESSIVE_TAILS = ("'s", "’s", "'", "’")
_STRIP_CHARS = " \t\n\"'“”‘’.,;:()[]-–—"


@dataclass(frozen=True, slots=True)
class NameMention:
    """A cleaned entity mention: ``start``/``end`` are character offsets of ``text`` in the article."""

    start: int
    end: int
    text: str
    type: str
    label: str  # spaCy's label before corrections


def strip_name(text: str, start: int) -> tuple[str, int]:
    """Drop leading titles and articles and a trailing possessive; return (name, new start)."""
    end = start + len(text)
    # Trailing possessive and punctuation.
    changed = True
    while changed and text:
        changed = False
        for tail in _POSSESSIVE_TAILS:
            if text.endswith(tail) and len(text) > len(tail):
                text = text[: -len(tail)]
                end -= len(tail)
                changed = True
        stripped = text.rstrip(_STRIP_CHARS)
        if stripped != text:
            end -= len(text) - len(stripped)
            text = stripped
            changed = True
    # Leading punctuation, articles and titles ("the", "President", "Mr.").
    while text:
        lead = text[0]
        if lead in _STRIP_CHARS:
            text = text[1:]
            start += 1
            continue
        first, _, rest = text.partition(" ")
        if rest and (
            first.lower() in {"the", "a", "an"}
            or first.lower().rstrip(".") in PERSON_TITLES
            or first.lower() in PERSON_TITLES
        ):
            cut = len(first) + 1
            while cut < len(text) and text[cut] == " ":
                cut += 1
            text = text[cut:]
            start += cut
            continue
        break
    return text, start


def corrected_type(name: str, label: str) -> str | None:
    """The entity type after cheap corrections, or None when the mention is no entity at all."""
    if not any(ch.isupper() for ch in name):
        # "jargon" tagged ORG: a lower-case common word is never a name here.
        return None
    if not any(ch.isalpha() for ch in name):
        return None
    lowered = name.lower()
    if country_of_demonym(name) is not None or name in GROUP_DEMONYMS:
        # "Azerbaijani" tagged PERSON is the people, not a person.
        return "group"
    if (country_of_name(name) or country_of_capital(name)) and not (
        label == "PERSON" and lowered in AMBIGUOUS_PLACE_NAMES
    ):
        return "place"
    if is_place_name(name) and label != "PERSON":
        return "place"
    return LABEL_TYPES.get(label)


def cleaned_mentions(doc: Doc) -> list[NameMention]:
    """spaCy's PERSON/ORG/GPE/LOC/FAC/NORP entities, stripped and re-typed; junk dropped."""
    result: list[NameMention] = []
    for ent in doc.ents:
        if ent.label_ not in LABEL_TYPES:
            continue
        for mention in _split_hyphenated(ent):
            result.append(mention)
    return result


def _split_hyphenated(ent: Span) -> list[NameMention]:
    """Split "Russian-Azerbaijani" into its two demonyms; keep "anti-Russian" as "Russian"."""
    from spinlens.nlp.lexicons import DEMONYM_PREFIXES

    text, start = strip_name(ent.text, ent.start_char)
    if not text:
        return []
    if "-" in text and " " not in text:
        parts = text.split("-")
        offsets: list[tuple[int, str]] = []
        pos = start
        for part in parts:
            offsets.append((pos, part))
            pos += len(part) + 1
        kept = [(p, s) for p, s in offsets if s.lower() not in DEMONYM_PREFIXES]
        if kept and all(country_of_demonym(s) or s in GROUP_DEMONYMS or country_of_name(s) for _, s in kept):
            result = []
            for p, s in kept:
                kind = corrected_type(s, ent.label_)
                if kind is not None:
                    result.append(NameMention(p, p + len(s), s, kind, ent.label_))
            return result
    kind = corrected_type(text, ent.label_)
    if kind is None:
        return []
    # A single capitalised adjective tagged ORG ("Eastern-style", "Western")
    # is a description, not an organisation.
    if kind == "organisation" and len(ent) == 1 and ent[0].pos_ == "ADJ":
        return []
    return [NameMention(start, start + len(text), text, kind, ent.label_)]


def person_name_tokens(mentions: list[NameMention]) -> set[str]:
    """Lower-cased words of every person's name: lets "Podolyaka" (mis-tagged NORP) be a person."""
    tokens: set[str] = set()
    for mention in mentions:
        if mention.type == "person":
            tokens.update(word.lower() for word in mention.text.split())
    return tokens


@dataclass(frozen=True, slots=True)
class TitledPerson:
    """A person named with a title: "Russian President Vladimir Putin", "Putin, the Russian president"."""

    name: str  # the mention text of the person
    title: str  # lower-case title lemma, e.g. "president"
    country: str | None  # country named with the title, if any


def titled_people(doc: Doc, persons: list[NameMention]) -> list[TitledPerson]:
    """Titles next to person names: in front ("Prime Minister X") or in apposition ("X, the minister")."""
    from spinlens.nlp.places import country_of

    result: list[TitledPerson] = []
    for mention in persons:
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is None:
            continue
        titles: list[str] = []
        country: str | None = None
        i = span.start - 1
        while i >= 0 and span.start - i <= 4:
            token = doc[i]
            lower = token.lower_.rstrip(".")
            if token.is_space or token.text in ("'s", "’s"):
                i -= 1
                continue
            found = country_of(token.text) if token.text[:1].isupper() else None
            if found is not None:
                country = country or found
            elif lower in PERSON_TITLES:
                titles.append(token.lemma_.lower())
            else:
                break
            i -= 1
        root = span.root
        appositions = [c for c in root.children if c.dep_ == "appos" and c.pos_ == "NOUN"]
        if root.dep_ == "appos" and root.head.pos_ == "NOUN":
            appositions.append(root.head)
        for noun in appositions:
            titles.append(noun.lemma_.lower())
            for child in noun.children:
                if child.dep_ in ("amod", "compound", "poss", "nmod"):
                    country = country or country_of(child.text)
                if child.dep_ == "prep" and child.lower_ == "of":
                    for pobj in child.children:
                        country = country or country_of(pobj.text)
        for title in titles:
            result.append(TitledPerson(mention.text, title, country))
        if not titles and country is not None:
            # "Russia's Putin": tied to a country without a title.
            result.append(TitledPerson(mention.text, "", country))
    return result


def with_name_echoes(doc: Doc, mentions: list[NameMention]) -> list[NameMention]:
    """Add bare surnames spaCy left untagged ("Lopez met ...") when the article names that person in full.

    Any entity mention already covering the token is replaced: a surname of a
    person named in full is that person, whatever spaCy guessed ("Novak" as ORG).
    """
    parts: dict[str, set[str]] = {}
    for mention in mentions:
        if mention.type == "person" and " " in mention.text:
            for part in mention.text.split():
                if part[:1].isupper() and part.lower().rstrip(".") not in PERSON_TITLES:
                    parts.setdefault(part, set()).add(mention.text)
    if not parts:
        return mentions
    import re

    covered = {m.start: m for m in mentions}
    kept = list(mentions)
    # The first mention (in list order) covering each character: looking it up per match
    # instead of scanning every mention costs the mentions' length, not matches x mentions.
    first_cover: dict[int, NameMention] = {}
    for mention in kept:
        for index in range(mention.start, mention.end):
            first_cover.setdefault(index, mention)
    replaced: set[int] = set()
    text = doc.text
    # A regular expression finds the few candidate places; walking every
    # token through spaCy's Python objects costs milliseconds per article.
    pattern = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, parts), key=len, reverse=True)) + r")\b")
    for match in pattern.finditer(text):
        if len(parts.get(match.group(), ())) != 1:
            continue
        span = doc.char_span(match.start(), match.end())
        if span is None or len(span) != 1 or span[0].pos_ != "PROPN":
            continue
        start = match.start()
        existing = first_cover.get(start)
        if existing is not None:
            exact = existing.start == start and existing.end == match.end()
            if existing.type == "person" or not exact:
                continue
            replaced.add(existing.start)
        covered[start] = NameMention(start, match.end(), match.group(), "person", "ECHO")
    result = [m for m in kept if m.start not in replaced]
    result.extend(m for m in covered.values() if m.label == "ECHO")
    result.sort(key=lambda m: m.start)
    return result
