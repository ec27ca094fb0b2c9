"""People, organisations, places and groups an article mentions, merged by name and given a tone.

Merging rules, in order:

* spaCy's PERSON/ORG/GPE/LOC/FAC/NORP entities are cleaned (titles, articles
  and possessives stripped; lower-case words and lone capitalised adjectives
  dropped) and re-typed with a small world gazetteer (capitals tagged ORG or
  PERSON become places, demonyms tagged PERSON become groups);
* a bare surname or first name joins the one person named in full with it
  ("Putin" -> "Vladimir Putin"), whatever spaCy tagged it;
* other names merge when they are written the same (case, "the" and a plural
  "s" on demonyms aside); the entity's type is the majority of its mentions';
* a description such as "the Russian president" joins a person when the
  article says so ("Russian President Vladimir Putin", "Putin, the Russian
  president") or, for leader titles only, when exactly one person is clearly
  the one the article places in that country (their mentions share sentences
  with the country's name, capital or demonym far more than anyone else's).

Countries, their capitals, their governments ("the Kremlin") and their people
("Russian") stay separate entities: an article that blames "Moscow" and one
that blames "Russians" say different things.

Tone is VADER's compound score (the lexicon ships in the vaderSentiment
package) averaged over the sentences that mention the entity.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, ClassVar

from spinlens.analysers.base import Context
from spinlens.core.errors import InputError
from spinlens.core.model import Entity, Span
from spinlens.nlp.lexicons import LEADER_TITLES, OFFICE_TITLES, PERSON_TITLES
from spinlens.nlp.names import NameMention, cleaned_mentions, titled_people, with_name_echoes
from spinlens.nlp.places import country_of, country_of_demonym
from spinlens.nlp.units import Units, sentence_units

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

NAME = "entities"
VERSION = 1
ANALYSER_ID = f"{NAME}@{VERSION}"

# VADER's own thresholds for calling a text positive or negative.
TONE_THRESHOLD = 0.05
TYPE_ORDER = ("person", "organisation", "place", "group")

# Confidence of a mention, by how it was found.
SCORE_NER = 0.9
SCORE_ECHO = 0.75
SCORE_DESCRIPTION = 0.6

# Co-occurrence needed before "the Russian leader" is taken to be one person.
# Sentence co-occurrence is weak evidence: in an article about two leaders
# meeting, each shares sentences with the other's country. It counts only when
# one country clearly dominates a person's sentences and that person clearly
# dominates the country's.
MIN_SHARED_SENTENCES = 2
MIN_ASSOCIATION = 0.5
MIN_MARGIN = 2.0


@dataclass(slots=True)
class _Mention:
    start: int
    end: int
    text: str
    type: str
    key: str
    score: float
    how: str  # "ner" | "echo" | "description"


class EntityAnalyser:
    """Finds the people, organisations, places and groups an article mentions."""

    name: ClassVar[str] = NAME
    version: ClassVar[int] = VERSION
    requires: ClassVar[tuple[str, ...]] = ("doc",)
    assigns: ClassVar[tuple[str, ...]] = ("entities",)

    def __call__(self, ctx: Context) -> None:
        doc = ctx.doc
        if doc is None:
            raise InputError("the entity analyser needs spaCy's parse of the article (ctx.doc is None)")
        text = ctx.analysis.article.text
        if len(doc) and doc[-1].idx + len(doc[-1].text_with_ws) != len(text):
            raise InputError("spaCy's parse does not match the article text; offsets would be wrong")
        units = sentence_units(doc, ctx.paragraphs)
        mentions = _collect(doc, text, units)
        groups: dict[str, list[_Mention]] = defaultdict(list)
        for mention in mentions:
            groups[mention.key].append(mention)
        ordered = sorted(groups.values(), key=lambda ms: (-len(ms), ms[0].start))
        tones = _ToneCache(text, units)
        analysis = ctx.analysis
        for number, group in enumerate(ordered, start=1):
            entity_id = f"e{number}"
            entity_type = _majority_type(group)
            name = _display_name(group, entity_type)
            tone = tones.mean(group)
            entity = Entity(
                id=entity_id,
                name=name,
                type=entity_type,
                mentions=[Span(m.start, m.end, m.text) for m in group],
                variants=_variants(group),
                tone=round(tone, 3),
                tone_label=_tone_label(tone),
                analyser=ANALYSER_ID,
            )
            analysis.entities.append(entity)
            for index, mention in enumerate(group, start=1):
                how = "" if mention.how == "ner" else f", as {_HOW_WORDS[mention.how]}"
                analysis.add_finding(
                    "entity", entity_type, mention.start, mention.end,
                    score=mention.score,
                    reason=f"Mention {index} of {len(group)} of {name} ({entity_type}){how}.",
                    analyser=ANALYSER_ID,
                    details={"entity_id": entity_id},
                )


_HOW_WORDS = {"echo": "a short form of the full name", "description": "a description of the person"}


# ------------------------------------------------------------------ collection
def _collect(doc: Doc, text: str, units: Units) -> list[_Mention]:
    names = with_name_echoes(doc, cleaned_mentions(doc))
    full_names = _full_name_index(names)
    mentions: list[_Mention] = []
    for name in names:
        kind = name.type
        full = full_names.get(name.text.lower())
        if full is not None and kind != "place":
            # "Podolyaka" tagged NORP, "Aliyev" tagged ORG: the surname of a
            # person named in full is that person.
            kind = "person"
        key = _key(name.text if kind != "person" else (full or name.text), kind)
        how = "echo" if name.label == "ECHO" else "ner"
        mentions.append(_Mention(name.start, name.end, name.text, kind, key, SCORE_ECHO if how == "echo"
                                 else SCORE_NER, how))
    mentions = _drop_title_demonyms(doc, mentions, names)
    _merge_names_into_people(mentions)
    _retype_by_majority(mentions)
    descriptions = _descriptions(doc, text, names)
    if descriptions:
        links = _link_descriptions(doc, units, names, mentions, descriptions, full_names)
        for description in descriptions:
            person = links.get((description.country, description.leader_kind))
            if person is None:
                continue
            # The demonym inside "the Russian leader" is part of the person
            # reference now, not a separate mention of Russians.
            mentions = [m for m in mentions if not (description.start <= m.start < description.end)]
            mentions.append(_Mention(description.start, description.end, description.text, "person",
                                     _key(person, "person"), SCORE_DESCRIPTION, "description"))
    mentions.sort(key=lambda m: m.start)
    return mentions


def _drop_title_demonyms(doc: Doc, mentions: list[_Mention], names: list[NameMention]) -> list[_Mention]:
    """Drop "Russian" in "Russian President Vladimir Putin": it is part of his title, not a group mention."""
    person_starts = {n.start for n in names if n.type == "person"}
    kept: list[_Mention] = []
    for mention in mentions:
        if mention.type == "group":
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is not None and _title_then_person(doc, span.end, person_starts):
                continue
        kept.append(mention)
    return kept


def _title_then_person(doc: Doc, index: int, person_starts: set[int]) -> bool:
    titles = 0
    while index < len(doc) and doc[index].lower_.rstrip(".") in PERSON_TITLES and titles < 3:
        index += 1
        titles += 1
    return titles > 0 and index < len(doc) and doc[index].idx in person_starts


def _merge_names_into_people(mentions: list[_Mention]) -> None:
    """"Aliyev" tagged ORG here and PERSON there is one person: people win over same-spelled names."""
    people = {m.key.split(":", 1)[1] for m in mentions if m.key.startswith("person:")}
    for mention in mentions:
        if mention.key.startswith("name:") and mention.key[5:] in people and mention.type != "place":
            mention.key = "person:" + mention.key[5:]
            mention.type = "person"


def _key(text: str, kind: str) -> str:
    lowered = " ".join(text.lower().split())
    if lowered.startswith("the "):
        lowered = lowered[4:]
    if kind == "group" and lowered.endswith("s") and country_of_demonym(lowered[:-1]) is not None:
        lowered = lowered[:-1]
    if kind == "person":
        return f"person:{lowered}"
    # Places, organisations and groups spelled alike are one entity whatever
    # spaCy called each mention; the type is settled by majority later.
    return f"name:{lowered}"


def _full_name_index(names: list[NameMention]) -> dict[str, str]:
    """Lower-cased single names -> the one full person name that contains them."""
    full = {m.text for m in names if m.type == "person" and " " in m.text}
    by_part: dict[str, set[str]] = defaultdict(set)
    for name in full:
        for part in name.split():
            if part.lower().rstrip(".") not in PERSON_TITLES:
                by_part[part.lower()].add(name)
    index = {part: next(iter(found)) for part, found in by_part.items() if len(found) == 1}
    for name in full:
        index[name.lower()] = name
    return index


def _retype_by_majority(mentions: list[_Mention]) -> None:
    by_key: dict[str, list[_Mention]] = defaultdict(list)
    for mention in mentions:
        by_key[mention.key].append(mention)
    for group in by_key.values():
        kind = _majority_type(group)
        for mention in group:
            mention.type = kind


def _majority_type(group: list[_Mention]) -> str:
    counts = Counter(m.type for m in group)
    return max(TYPE_ORDER, key=lambda t: (counts[t], -TYPE_ORDER.index(t)))


def _display_name(group: list[_Mention], kind: str) -> str:
    texts = [m.text for m in group if m.how != "description"] or [m.text for m in group]
    if kind == "person":
        return max(texts, key=lambda t: (len(t.split()), texts.count(t)))
    counts = Counter(texts)
    return max(counts, key=lambda t: (counts[t], -texts.index(t)))


def _variants(group: list[_Mention]) -> list[str]:
    seen: list[str] = []
    for mention in group:
        if mention.text not in seen:
            seen.append(mention.text)
    return seen


# ---------------------------------------------------------------- descriptions
@dataclass(frozen=True, slots=True)
class _Description:
    start: int
    end: int
    text: str
    country: str
    title: str
    leader_kind: str  # the title, with leader-like titles folded into "leader"


def _descriptions(doc: Doc, text: str, names: list[NameMention]) -> list[_Description]:
    """"the Russian president", "Azerbaijan's leader", "the president of Russia" (not followed by a name)."""
    result: list[_Description] = []
    name_starts = {m.start for m in names if m.type == "person"}
    for token in doc:
        if token.pos_ != "NOUN" or not token.text.islower():
            continue
        title = _title_of(token)
        if title is None:
            continue
        nxt = doc[token.i + 1] if token.i + 1 < len(doc) else None
        if nxt is not None and (nxt.idx in name_starts or nxt.pos_ == "PROPN"):
            # "Russian President Vladimir Putin": the name itself is the mention.
            continue
        country, first = _country_modifier(token)
        if country is None or first is None:
            continue
        start_token = first
        if first.i > 0 and doc[first.i - 1].lower_ == "the":
            start_token = doc[first.i - 1]
        end_token = token
        if token.i + 2 < len(doc) and doc[token.i + 1].lower_ == "of" and country_of(doc[token.i + 2].text):
            end_token = doc[token.i + 2]
        start = start_token.idx
        end = end_token.idx + len(end_token.text)
        leader_kind = "leader" if title in LEADER_TITLES and title not in OFFICE_TITLES - {"prime minister"} \
            else title
        result.append(_Description(start, end, text[start:end], country, title, leader_kind))
    return result


def _title_of(token: Token) -> str | None:
    lemma = token.lemma_.lower()
    modifiers = [c.lower_ for c in token.children if c.dep_ in ("amod", "compound") and c.i == token.i - 1]
    if modifiers:
        two = f"{modifiers[0]} {lemma}"
        if two in LEADER_TITLES or two in OFFICE_TITLES:
            return two
    if lemma in LEADER_TITLES or lemma in OFFICE_TITLES:
        return lemma
    return None


def _country_modifier(title: Token) -> tuple[str | None, Token | None]:
    for child in title.children:
        modifies = child.dep_ in ("amod", "compound", "nmod", "poss")
        if child.i < title.i and modifies and child.text[:1].isupper():
            country = country_of(child.text)
            if country is not None:
                return country, child.left_edge if child.dep_ == "poss" else child
        if child.dep_ == "prep" and child.lower_ == "of":
            for pobj in child.children:
                if pobj.dep_ == "pobj" and country_of(pobj.text):
                    return country_of(pobj.text), title
    return None, None


def _link_descriptions(
    doc: Doc,
    units: Units,
    names: list[NameMention],
    mentions: list[_Mention],
    descriptions: list[_Description],
    full_names: dict[str, str],
) -> dict[tuple[str, str], str]:
    """Which person each (country, title) description stands for, where the article makes it clear."""
    links: dict[tuple[str, str], str] = {}
    explicit: dict[tuple[str, str], set[str]] = defaultdict(set)
    for titled in titled_people(doc, [n for n in names if n.type == "person"]):
        if titled.country is None or not titled.title:
            continue
        person = full_names.get(titled.name.lower(), titled.name)
        is_leader = titled.title in LEADER_TITLES and titled.title not in OFFICE_TITLES
        kind = "leader" if is_leader else titled.title
        explicit[(titled.country, kind)].add(person)
        if titled.title in LEADER_TITLES:
            explicit[(titled.country, titled.title)].add(person)
    affiliated: dict[str, set[str]] = defaultdict(set)
    for titled in titled_people(doc, [n for n in names if n.type == "person"]):
        if titled.country is not None and (not titled.title or titled.title in LEADER_TITLES):
            affiliated[titled.country].add(full_names.get(titled.name.lower(), titled.name))
    for key, people in explicit.items():
        if len(people) == 1:
            links[key] = next(iter(people))
    for country, people in affiliated.items():
        # "Russia's Putin", "Putin, the Russian president": the one person the
        # article itself ties to a country leads it, for descriptions.
        if len(people) == 1 and (country, "leader") not in links:
            links[(country, "leader")] = next(iter(people))
    wanted = {(d.country, d.leader_kind) for d in descriptions if d.leader_kind == "leader"} - set(links)
    if not wanted:
        return links
    inferred = _associate(units, mentions, descriptions)
    for country, kind in wanted:
        guess = inferred.get(country)
        if guess is not None and guess not in links.values():
            links[(country, kind)] = guess
    return links


def _associate(units: Units, mentions: list[_Mention], descriptions: list[_Description]) -> dict[str, str]:
    """Country -> the one person whose sentences name that country far more than anyone else's do."""
    in_description = [(d.start, d.end) for d in descriptions]
    unit_starts = [u.start_char for u in units.units]

    def unit_of(offset: int) -> int:
        from bisect import bisect_right

        return bisect_right(unit_starts, offset) - 1

    person_units: dict[str, set[int]] = defaultdict(set)
    country_units: dict[str, set[int]] = defaultdict(set)
    for mention in mentions:
        unit = unit_of(mention.start)
        if mention.type == "person":
            person_units[mention.key].add(unit)
            continue
        if any(s <= mention.start < e for s, e in in_description):
            continue
        country = country_of(mention.text)
        if country is not None:
            country_units[country].add(unit)
    scores: dict[tuple[str, str], tuple[float, int]] = {}
    for person, p_units in person_units.items():
        if len(p_units) < MIN_SHARED_SENTENCES:
            continue
        for country, c_units in country_units.items():
            shared = len(p_units & c_units)
            scores[(person, country)] = (shared / len(p_units), shared)
    result: dict[str, str] = {}
    for country in country_units:
        ranked = sorted(((scores.get((p, country), (0.0, 0)), p) for p in person_units), reverse=True)
        if not ranked:
            continue
        (best, shared), person = ranked[0]
        second = ranked[1][0][0] if len(ranked) > 1 else 0.0
        if shared < MIN_SHARED_SENTENCES or best < MIN_ASSOCIATION or best < MIN_MARGIN * second:
            continue
        # The country must also clearly be this person's own best match, so
        # one person is never the leader of two countries.
        own = sorted(((scores.get((person, c), (0.0, 0))[0], c) for c in country_units), reverse=True)
        if own[0][1] != country or (len(own) > 1 and own[0][0] < MIN_MARGIN * own[1][0]):
            continue
        result[country] = _person_name(person, mentions)
    return result


def _person_name(key: str, mentions: list[_Mention]) -> str:
    texts = [m.text for m in mentions if m.key == key]
    return max(texts, key=lambda t: (len(t.split()), texts.count(t)))


# ------------------------------------------------------------------------ tone
@lru_cache(maxsize=1)
def _vader() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


class _ToneCache:
    """VADER compound score per sentence unit, computed once per unit."""

    def __init__(self, text: str, units: Units) -> None:
        self.text = text
        self.units = units
        self.starts = [u.start_char for u in units.units]
        self.cache: dict[int, float] = {}

    def unit_of(self, offset: int) -> int:
        from bisect import bisect_right

        return max(bisect_right(self.starts, offset) - 1, 0)

    def score(self, unit_index: int) -> float:
        if unit_index not in self.cache:
            unit = self.units.units[unit_index]
            scores = _vader().polarity_scores(self.text[unit.start_char : unit.end_char])
            self.cache[unit_index] = float(scores["compound"])
        return self.cache[unit_index]

    def mean(self, group: list[_Mention]) -> float:
        if not self.units.units:
            return 0.0
        indexes = {self.unit_of(m.start) for m in group}
        return sum(self.score(i) for i in indexes) / len(indexes)


def _tone_label(tone: float) -> str:
    if tone >= TONE_THRESHOLD:
        return "positive"
    if tone <= -TONE_THRESHOLD:
        return "negative"
    return "neutral"
