"""Who is said to say what: direct quotations and reported speech, by kind of source.

The analyser reads spaCy's dependency parse:

* a reporting verb (``say``, ``claim``, ``point out``, ``believe`` ...) with a
  subject and a clausal, object or quoted complement is reported speech;
* ``according to X`` and ``..., citing X`` attribute the clause they modify;
* ``it was reported/said that ...``, ``X is said to ...`` and ``reportedly``
  are hearsay without an agent;
* a quotation of three words or more is a direct quote when a reporting verb
  sits next to it (``"...," said X``, ``X said: "..."``), governs it, or
  introduces it from the previous line; shorter ones are scare quotes.

Each claim's source is classed as a named person, a named organisation, the
media, an anonymous source or unattributed. Pronoun speakers ("he pointed
out") are resolved to a person named just before, when that is unambiguous.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from itertools import islice
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from spinlens.analysers.base import Context
from spinlens.core.errors import InputError
from spinlens.nlp.lexicons import (
    ACCORDING_TO,
    ANONYMOUS_NOUNS,
    AUTHOR_PRONOUNS,
    COGNITION_VERBS,
    DOCUMENT_NOUNS,
    EVIDENCE_VERBS,
    HEARSAY_ADVERBS,
    HEARSAY_NOUNS,
    HEARSAY_PASSIVE_VERBS,
    INSTITUTION_NOUNS,
    LEADER_TITLES,
    MEDIA_NOUNS,
    MEDIA_PERSON_NOUNS,
    NON_SOURCE_PRONOUNS,
    OBJECT_CONTENT_VERBS,
    OFFICE_TITLES,
    PERSON_PRONOUNS,
    PERSON_TITLES,
    PLURAL_PRONOUNS,
    PREPOSITION_CONTENT,
    SPEECH_NOUNS,
    SPEECH_VERBS,
    SPOKES_NOUNS,
    VAGUE_PRONOUNS,
    WEAK_SPEECH_VERBS,
)
from spinlens.nlp.names import NameMention, cleaned_mentions, titled_people, with_name_echoes
from spinlens.nlp.places import GROUP_DEMONYMS, country_of
from spinlens.nlp.quotes import Quotation, find_quotations
from spinlens.nlp.units import Unit, Units, sentence_units

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

NAME = "sourcing"
# Stored analyses are reused while every analyser's version is unchanged: raise it whenever the
# findings for a text change (2: relays through "citing", "X reported" and adverbs; documents as sources;
# 3: a second reporting verb the parser hangs on the reported clause; 4: or beside it, on the first verb).
VERSION = 4
ANALYSER_ID = f"{NAME}@{VERSION}"

# A quotation shorter than this is a scare quote ("the "master" of the Caucasus").
MIN_QUOTE_WORDS = 3
# Children of an object-taking reporting verb that belong to what was said.
_OBJECT_CONTENT_DEPS = ("dobj", "prep", "advcl", "oprd", "attr", "conj", "punct")
# Dependencies under which spaCy puts the speaker of '"...," said the minister'.
_INVERTED_SUBJECT_DEPS = ("dobj", "attr", "nsubj", "npadvmod", "appos", "oprd", "dative")
# Without a reporting verb next to it, a quotation needs more words to count.
MIN_LOOSE_QUOTE_WORDS = 4
# The only words an attribution may hold besides another one's speaker, verb and claim, for the
# outer one to be read as relaying the inner one. Adverbs of time and frequency also may ("critics
# have long argued"); others may judge the inner statement ("falsely claimed", "never said").
_WORDS = re.compile(r"\w+")
_RELAY_LINKS = frozenset({"that", "have", "has", "had", "also", "the"})
_RELAY_ADVERBS = frozenset(
    {
        "long",
        "repeatedly",
        "often",
        "frequently",
        "previously",
        "already",
        "recently",
        "publicly",
        "privately",
        "consistently",
        "now",
        "again",
        "earlier",
        "first",
        "later",
        "openly",
        "still",
        "always",
        "once",
        "widely",
        "increasingly",
        "initially",
    }
)
# What one claims by taking it, not by saying it: "claimed 57 lives", "claimed the title".
_TAKEN_NOT_SAID = frozenset(
    {
        "life",
        "lives",
        "victim",
        "casualty",
        "title",
        "seat",
        "victory",
        "win",
        "prize",
        "throne",
        "crown",
        "trophy",
    }
)
# "A lawsuit filed by X": verbs whose agent wrote or sent the document, so its claims are theirs.
_AUTHORING_VERBS = frozenset(
    {"file", "write", "sign", "issue", "publish", "release", "author", "compile", "prepare", "submit", "send"}
)
# How many sentence units back a pronoun may look for the person it stands for.
RESOLUTION_WINDOW = 3
# A "sentence" of more tokens than this is run-on text without sentence punctuation
# (the longest in ~680 real articles has 148): the clause around a parenthetical
# attribution in it is not read, as reading it for every verb costs the square of
# the length.
MAX_PARENTHETICAL_UNIT = 300

NAMED = ("named_person", "named_organisation")
CLASS_WORDS = {
    "named_person": "a named person",
    "named_organisation": "a named organisation",
    "media": "the media",
    "anonymous": "an anonymous source",
    "unattributed": "no one in particular",
}
CLASS_CONSEQUENCE = {
    "named_person": "the claim can be checked against that person",
    "named_organisation": "the claim can be checked against that organisation",
    "media": "no one outlet can be checked",
    "anonymous": "the claim cannot be checked against a named person",
    "unattributed": "nobody is accountable for the claim",
}


@dataclass(slots=True)
class Speaker:
    """Who a claim is attributed to: ``klass`` is a source class, ``start``/``end`` token indices."""

    klass: str
    start: int | None = None
    end: int | None = None
    head: int | None = None
    confidence: float = 0.85
    # Set when the speaker is a pronoun or bare title still to be resolved.
    pending: str | None = None
    canonical: str | None = None
    resolved_from: dict[str, Any] | None = None


@dataclass(slots=True)
class Attribution:
    mode: str  # "direct_quote" | "reported_speech"
    cue_start: int  # character offsets
    cue_end: int
    content_start: int | None
    content_end: int | None
    speaker: Speaker
    score: float
    unit: int
    verb: int | None = None  # token index of the reporting verb
    via: str = "parse"
    extra: dict[str, Any] = field(default_factory=dict)
    consumed: bool = False  # a quotation carries this attribution instead
    clausal: bool = False  # the content is a clause, not just an object introducing a quotation


class SourcingAnalyser:
    """Finds quotations and reported speech and classes who each is attributed to."""

    name: ClassVar[str] = NAME
    version: ClassVar[int] = VERSION
    requires: ClassVar[tuple[str, ...]] = ("doc", "paragraphs")
    assigns: ClassVar[tuple[str, ...]] = ("sourcing",)

    def __call__(self, ctx: Context) -> None:
        if ctx.doc is None:
            raise InputError("the sourcing analyser needs spaCy's parse of the article (ctx.doc is None)")
        text = ctx.analysis.article.text
        doc = ctx.doc
        # Doc.text rebuilds the string on every call; comparing lengths is
        # enough to catch a parse of some other text.
        if len(doc) and doc[-1].idx + len(doc[-1].text_with_ws) != len(text):
            raise InputError("spaCy's parse does not match the article text; offsets would be wrong")
        attributions = _Finder(ctx).run()
        for attribution in attributions:
            _add_finding(ctx, text, attribution)
        ctx.analysis.summaries["sourcing"] = summarise(attributions, text)


@dataclass(frozen=True, slots=True)
class _Columns:
    """The token attributes the scans below read, as plain integers read from spaCy once per document."""

    head: list[int]  # index of each token's head
    pos: list[int]
    dep: list[int]
    punct: list[int]  # 1 for punctuation
    orth: list[int]
    sentence_starts: list[int]  # first token of each tree: each of spaCy's sentences, in order
    verb: int  # the ids of the values compared with
    aux: int
    subjects: tuple[int, int]
    colon: int


def _columns(doc: Doc) -> _Columns:
    from spacy.attrs import DEP, HEAD, IS_PUNCT, ORTH, POS, SENT_START

    placed = doc.to_array([HEAD, SENT_START]).astype("int64")
    heads = placed[:, 0] + np.arange(len(doc))
    opens = placed[:, 1] == 1
    if len(doc):
        opens[0] = True
    sentence = np.cumsum(opens)
    starts = np.flatnonzero(opens).tolist()
    if bool((sentence[heads] != sentence).any()):
        # An arc across spaCy's own sentence boundaries: walk the document as one tree.
        starts = [0]
    head = heads.tolist()
    table = doc.to_array([POS, DEP, IS_PUNCT, ORTH])
    pos, dep, punct, orth = (table[:, k].tolist() for k in range(4))
    strings = doc.vocab.strings
    return _Columns(
        head,
        pos,
        dep,
        punct,
        orth,
        starts,
        strings["VERB"],
        strings["AUX"],
        (strings["nsubj"], strings["nsubjpass"]),
        strings[":"],
    )


@dataclass(frozen=True, slots=True)
class _Tree:
    """One sentence's dependency tree walked depth first, so that each token's subtree is one run of the walk.

    ``Token.subtree`` costs the size of the subtree on every call: asked for each
    reporting verb of one long sentence ("he said he said ..."), it costs the
    square of the sentence's length. Walked once, a subtree's first and last token
    and whether it holds a given token are lookups. Lists are indexed by token
    index minus ``start``.
    """

    start: int
    end: int
    position: list[int]  # where each token comes in the walk
    size: list[int]  # how many tokens its subtree has: the length of its run
    first: list[int]  # lowest token index in its subtree
    last: list[int]  # highest token index in its subtree
    has_subject: list[bool]  # a verb with a subject of its own (nsubj, nsubjpass)


def _tree(doc: Doc, columns: _Columns, start: int, end: int) -> _Tree:
    n = end - start
    heads = [h - start for h in columns.head[start:end]]
    # A token no arc leads to has itself for edges; only heads need asking (Token objects are slow).
    left = list(range(n))
    right = list(range(n))
    for head in set(heads):
        token = doc[start + head]
        left[head], right[head] = token.left_edge.i - start, token.right_edge.i - start
    kids: list[list[int]] = [[] for _ in range(n)]
    parent = [-1] * n
    for child, head in enumerate(heads):
        # Token.children looks for children only between the head's edges; keeping to
        # the same rule keeps each run exactly what Token.subtree yields.
        if head != child and left[head] <= child <= right[head]:
            kids[head].append(child)
            parent[child] = head
    position = [0] * n
    order: list[int] = []
    for root in range(n):
        if parent[root] >= 0:
            continue
        stack = [root]
        while stack:
            node = stack.pop()
            position[node] = len(order)
            order.append(node)
            stack.extend(kids[node])
    size = [1] * n
    first = list(range(start, end))
    last = list(range(start, end))
    for node in reversed(order):
        head = parent[node]
        if head >= 0:
            size[head] += size[node]
            first[head] = min(first[head], first[node])
            last[head] = max(last[head], last[node])
    verbs = (columns.verb, columns.aux)
    dep = columns.dep
    has_subject = [
        columns.pos[start + i] in verbs and any(dep[start + k] in columns.subjects for k in kids[i])
        for i in range(n)
    ]
    return _Tree(start, end, position, size, first, last, has_subject)


@dataclass(frozen=True, slots=True)
class _UnitScan:
    """For each token of one unit, where scans forward from it to the unit's end stop.

    Lists are indexed by token index minus ``start``, one entry past the unit's
    end; "none" is the unit's end.
    """

    start: int
    low: list[int]  # lowest walk position among the tokens from here to the unit's end
    high: list[int]  # highest walk position among them
    next_clause: list[int]  # next verb with a subject of its own
    next_stop: list[int]  # next colon or reporting verb
    next_word: list[int]  # next token that is not punctuation


def _unit_scan(doc: Doc, columns: _Columns, tree: _Tree, unit: Unit) -> _UnitScan:
    length = unit.end - unit.start
    low = [tree.end - tree.start] * (length + 1)
    high = [-1] * (length + 1)
    next_clause = [unit.end] * (length + 1)
    next_stop = [unit.end] * (length + 1)
    next_word = [unit.end] * (length + 1)
    reporting = SPEECH_VERBS | COGNITION_VERBS
    for k in range(length - 1, -1, -1):
        i = unit.start + k
        position = tree.position[i - tree.start]
        low[k] = min(low[k + 1], position)
        high[k] = max(high[k + 1], position)
        next_clause[k] = i if tree.has_subject[i - tree.start] else next_clause[k + 1]
        stop = columns.orth[i] == columns.colon or (
            columns.pos[i] == columns.verb and doc[i].lemma_.lower() in reporting
        )
        next_stop[k] = i if stop else next_stop[k + 1]
        next_word[k] = next_word[k + 1] if columns.punct[i] else i
    return _UnitScan(unit.start, low, high, next_clause, next_stop, next_word)


@dataclass(frozen=True, slots=True)
class _UnitHeads:
    """Where the words of one unit hang: for the orphaned subjects of :meth:`_Finder._orphan_subject`."""

    leading_off: list[int]  # words whose head is outside the unit, in order
    subjects: dict[int, list[int]]  # each head's subjects (nsubj, nsubjpass) in the unit


def _unit_heads(columns: _Columns, units: Units, unit_index: int) -> _UnitHeads:
    unit = units.units[unit_index]
    leading_off: list[int] = []
    subjects: dict[int, list[int]] = {}
    for i in range(unit.start, unit.end):
        if units.token_unit[i] != unit_index:
            continue  # whitespace
        head = columns.head[i]
        if units.token_unit[head] != unit_index:
            leading_off.append(i)
        if columns.dep[i] in columns.subjects:
            subjects.setdefault(head, []).append(i)
    return _UnitHeads(leading_off, subjects)


class _Finder:
    """One article's worth of attribution finding; holds the per-document indexes."""

    def __init__(self, ctx: Context) -> None:
        assert ctx.doc is not None
        self.doc: Doc = ctx.doc
        self.text = ctx.analysis.article.text
        self.paragraphs = ctx.paragraphs
        self.units: Units = sentence_units(self.doc, self.paragraphs)
        self.quotes = find_quotations(self.text, self.paragraphs)
        self.source_quotes = [q for q in self.quotes if q.words >= MIN_QUOTE_WORDS]
        self.mentions: list[NameMention] = with_name_echoes(self.doc, cleaned_mentions(self.doc))
        self.person_mentions = [m for m in self.mentions if m.type == "person"]
        self.person_words = {w.lower() for m in self.person_mentions for w in m.text.split()}
        self.person_tokens: set[int] = set()
        for mention in self.person_mentions:
            span = self.doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is not None:
                self.person_tokens.update(range(span.start, span.end))
        self.full_names = _full_names(self.person_mentions)
        self.titled: dict[str, set[str]] = {}
        for titled in titled_people(self.doc, self.person_mentions):
            self.titled.setdefault(titled.title, set()).add(self._full_name(titled.name))
        # Which characters lie inside quotation marks, for per-token lookups.
        self._quoted = bytearray(len(self.text))
        for q in self.quotes:
            last = q.close if q.close is not None else q.end - 1
            self._quoted[q.open : last + 1] = b"\x01" * (last + 1 - q.open)
        # Quotations by opening mark, with the furthest character any opened so far reaches:
        # whether one lies inside another is then a lookup, not a pass over all of them.
        ordered = sorted(self.quotes, key=lambda q: q.open)
        self._quote_opens = [q.open for q in ordered]
        self._quote_reach: list[int] = []
        for q in ordered:
            last = q.close if q.close is not None else q.end - 1
            self._quote_reach.append(max(last, self._quote_reach[-1] if self._quote_reach else last))
        self._trees: dict[int, _Tree] = {}
        self._scans: dict[int, _UnitScan] = {}
        self._heads: dict[int, _UnitHeads] = {}

    @cached_property
    def _columns(self) -> _Columns:
        return _columns(self.doc)

    def _tree_of(self, token: int) -> _Tree:
        """The walked tree of the sentence holding ``token``, walked on first use."""
        starts = self._columns.sentence_starts
        k = bisect_right(starts, token) - 1
        start, end = starts[k], (starts[k + 1] if k + 1 < len(starts) else len(self.doc))
        tree = self._trees.get(start)
        if tree is None:
            tree = self._trees[start] = _tree(self.doc, self._columns, start, end)
        return tree

    def _scan(self, unit_index: int) -> _UnitScan:
        scan = self._scans.get(unit_index)
        if scan is None:
            unit = self.units.units[unit_index]
            scan = _unit_scan(self.doc, self._columns, self._tree_of(unit.start), unit)
            self._scans[unit_index] = scan
        return scan

    def _unit_heads(self, unit_index: int) -> _UnitHeads:
        heads = self._heads.get(unit_index)
        if heads is None:
            heads = self._heads[unit_index] = _unit_heads(self._columns, self.units, unit_index)
        return heads

    def _subtree_run(self, root: int, unit_index: int) -> tuple[int, int] | None:
        """First and last token of ``root``'s subtree inside the unit, None when none is."""
        unit = self.units.units[unit_index]
        tree = self._tree_of(root)
        run = tree.first[root - tree.start], tree.last[root - tree.start]
        if _within(run, unit):
            return run
        # A subtree reaching out of the unit (a sentence spaCy ran over a paragraph
        # break) is rare: read it token by token.
        ids = [t.i for t in self.doc[root].subtree if unit.start <= t.i < unit.end]
        return (min(ids), max(ids)) if ids else None

    def _subtree_last(self, root: int) -> int:
        tree = self._tree_of(root)
        return tree.last[root - tree.start]

    def _interval(self, root: int) -> tuple[int, int] | None:
        """``root``'s subtree as its first and last token, when it has no gaps between them."""
        tree = self._tree_of(root)
        k = root - tree.start
        first, last = tree.first[k], tree.last[k]
        return (first, last) if tree.size[k] == last - first + 1 else None

    def _subtree_runs(self, roots: list[Token], unit_index: int) -> list[tuple[int, int]]:
        return [run for root in roots if (run := self._subtree_run(root.i, unit_index)) is not None]

    # ----------------------------------------------------------------- driver
    def run(self) -> list[Attribution]:
        by_verb: dict[int, Attribution] = {}
        others: list[Attribution] = []
        for token in self.doc:
            if self.units.token_unit[token.i] < 0 or self._in_quote(token.idx):
                continue
            lower = token.lower_
            if lower == ACCORDING_TO[0] and any(c.lower_ == ACCORDING_TO[1] for c in token.children):
                found = self._according_to(token)
                if found is not None:
                    others.append(found)
            elif lower in HEARSAY_ADVERBS and token.pos_ == "ADV":
                found = self._hearsay_adverb(token)
                if found is not None:
                    others.append(found)
            elif token.pos_ == "VERB" and token.dep_ != "amod":
                verb_found = self._verb(token)
                if verb_found is not None:
                    by_verb[token.i] = verb_found
        self._relay_citations(by_verb)
        everything = sorted([*by_verb.values(), *others], key=lambda a: a.cue_start)
        self._resolve(everything)
        quoted = self._quotations(by_verb, everything)
        self._resolve(quoted)
        result = [a for a in everything if not a.consumed and a.content_start is not None]
        result.extend(a for a in quoted if a.content_start is not None)
        result = self._relay_nested(result)
        result.sort(key=lambda a: (a.content_start or 0, a.cue_start))
        for attribution in result:
            if attribution.speaker.start is not None and not attribution.speaker.canonical:
                attribution.speaker.canonical = self._canonical(attribution.speaker)
        return result

    def _relay_citations(self, by_verb: dict[int, Attribution]) -> None:
        """ "X reported, citing officials": the claim's source is the officials, relayed by X.

        The parser hangs "citing" on the reporting verb, on the claim's own verb ("X reported
        that Y, citing officials"), or reads the claim as part of what is cited ("X said, citing
        officials, that Y"); whichever, the "citing" phrase is no part of the claim."""
        for index in list(by_verb):
            verb = self.doc[index]
            if verb.lemma_.lower() not in ("cite", "quote") or verb.tag_ != "VBG" or verb.dep_ != "advcl":
                continue
            cited = next((c for c in verb.children if c.dep_ == "dobj"), None)
            del by_verb[index]
            head = next((by_verb[a.i] for a in verb.ancestors if a.i in by_verb), None)
            if cited is None or head is None or cited.lemma_.lower() in SPEECH_NOUNS:
                continue
            # Hung on another verb, "citing" may be what someone in the claim did ("a man shot an
            # officer, citing grievances"): only a noun that names a source makes it a relay then.
            direct = verb.head.i == head.verb
            source = self._classify(cited, strong=direct, according=direct)
            if source is None or not self._claim_beside_citing(head, verb, cited, direct=direct):
                continue
            relay = head.speaker
            if relay.start is not None and relay.end is not None:
                head.extra["relayed_by"] = _span_dict(self.doc, relay.start, relay.end)
            head.speaker = source
            head.score = min(head.score, source.confidence)
            head.extra["relay_cue"] = {"start": verb.idx, "end": verb.idx + len(verb.text), "text": verb.text}

    def _claim_beside_citing(self, head: Attribution, citing: Token, cited: Token, *, direct: bool) -> bool:
        """Cut the "citing X" phrase out of ``head``'s claim, or take the claim the parser hung
        on "citing"; False when ``citing`` is not about ``head``'s claim. ``direct``: "citing"
        hangs on ``head``'s own verb."""
        unit_index = head.unit
        phrase = (min(citing.i, cited.left_edge.i), cited.right_edge.i)
        if head.content_start is None or head.content_end is None:
            # "X said, citing officials, that Y": Y parsed as what the officials are cited for.
            said = [c for c in citing.children if c.dep_ == "ccomp" and c.i > phrase[1]]
            extent = self._runs_extent(self._subtree_runs(said, unit_index), unit_index)
            if extent is None:
                return False
            head.content_start, head.content_end = extent
            head.clausal = True
            return True
        if not head.content_start <= citing.idx < head.content_end:
            return direct
        claim = self.doc.char_span(head.content_start, head.content_end, alignment_mode="expand")
        if claim is None:
            return False
        worded = [
            run
            for run in ((claim.start, phrase[0] - 1), (phrase[1] + 1, claim.end - 1))
            if self._has_words(*run)
        ]
        if len(worded) == 1:
            extent = self._trimmed_extent(*worded[0], unit_index)
            if extent is not None:
                head.content_start, head.content_end = extent
        return True

    def _relay_nested(self, attributions: list[Attribution]) -> list[Attribution]:
        """ "Experts warn that the bridge will fail, said Reyes": one claim, the experts', relayed by
        Reyes (as "citing" is read), not two. Only where the inner attribution is all the outer one says.

        Two shapes are read the other way round: an attribution after its claim that comes last in
        the sentence ("according to X", "X reported") passes on the whole sentence ("The boy said Y,
        according to News4SA": the boy's claim, relayed by News4SA), and hearsay without a speaker
        ("He is expected to survive, police said") is the outer speaker's own claim. A commitment
        ("Erdogan said Moscow had agreed to free them") is an event the outer one reports, no relay."""
        dropped: set[int] = set()
        # The inner attribution starts where the outer one's content does, but for "that" and the
        # like: looked up by where each attribution starts, so long runs of them stay cheap.
        placed = sorted(
            ((self._pieces(a)[0][0], k) for k, a in enumerate(attributions) if a.content_start is not None),
        )
        starts = [start for start, _ in placed]
        for outer in attributions:
            if id(outer) in dropped or outer.content_start is None or outer.content_end is None:
                continue
            lead = self._first_word(outer.content_start, outer.content_end)
            low, high = bisect_left(starts, outer.content_start), bisect_right(starts, lead)
            for _, k in placed[low:high]:
                inner = attributions[k]
                if inner is outer or id(inner) in dropped or self._is_commitment(inner):
                    continue
                if not self._says_only(outer, inner):
                    continue
                if inner.speaker.start is None:
                    dropped.add(id(inner))
                elif inner.cue_start >= (inner.content_end or 0) and outer.cue_start < inner.cue_start:
                    # The attribution said last, after the claim, relays the other one.
                    self._mark_relay(outer, inner.speaker)
                    outer.content_end = inner.content_end
                    dropped.add(id(inner))
                else:
                    self._mark_relay(inner, outer.speaker)
                    dropped.add(id(outer))
                break
        return [a for a in attributions if id(a) not in dropped]

    def _is_commitment(self, attribution: Attribution) -> bool:
        """ "agreed to exchange prisoners": what is said is an infinitive, something to be done."""
        if attribution.content_start is None or attribution.content_end is None:
            return False
        first = _WORDS.search(self.text, attribution.content_start, attribution.content_end)
        return first is not None and first.group().lower() == "to" and attribution.mode == "reported_speech"

    def _first_word(self, start: int, end: int) -> int:
        """Where the first word of ``text[start:end]`` that is not a relay link starts (``end`` if none)."""
        for word in _WORDS.finditer(self.text, start, end):
            if word.group().lower() not in _RELAY_LINKS:
                return word.start()
        return end

    def _pieces(self, attribution: Attribution) -> list[tuple[int, int]]:
        """Character spans of an attribution's claim, verb and speaker phrase (if any), in text order."""
        pieces = [(attribution.cue_start, attribution.cue_end)]
        if attribution.content_start is not None and attribution.content_end is not None:
            pieces.append((attribution.content_start, attribution.content_end))
        speaker = attribution.speaker
        if speaker.start is not None and speaker.end is not None:
            doc = self.doc
            span = doc[speaker.start : speaker.end]
            start, end = span.start_char, span.end_char
            if speaker.head is not None and speaker.start <= speaker.head < speaker.end:
                # The whole phrase ("the stepmother and other witnesses"), unless the parse
                # makes it reach into the claim or the verb.
                head = doc[speaker.head]
                left, right = head.left_edge, head.right_edge
                whole = (min(start, left.idx), max(end, right.idx + len(right.text)))
                if not any(whole[0] < e and s < whole[1] for s, e in pieces):
                    start, end = whole
            pieces.append((start, end))
        return sorted(pieces)

    def _mark_relay(self, attribution: Attribution, relay: Speaker) -> None:
        own = attribution.speaker
        if (relay.start, relay.end) == (own.start, own.end):
            return  # one speaker found twice over its own claim relays nothing
        if relay.start is not None and relay.end is not None:
            attribution.extra.setdefault("relayed_by", _span_dict(self.doc, relay.start, relay.end))

    def _says_only(self, outer: Attribution, inner: Attribution) -> bool:
        """Whether ``outer``'s content is ``inner``'s whole attribution: its speaker, verb and claim,
        joined by nothing but "that", an auxiliary or an adverb ("Experts have long warned that ...")."""
        if outer.content_start is None or outer.content_end is None:
            return False
        if inner.content_start is None or inner.content_end is None:
            return False
        pieces = self._pieces(inner)
        if pieces[0][0] < outer.content_start or max(end for _, end in pieces) > outer.content_end:
            return False
        gaps, position = [], outer.content_start
        for start, end in pieces:
            gaps.append((position, start))
            position = max(position, end)
        gaps.append((position, outer.content_end))
        for start, end in gaps:
            for word in _WORDS.finditer(self.text, start, max(start, end)):
                if word.group().lower() not in _RELAY_LINKS and not self._is_plain_adverb(*word.span()):
                    return False
        return True

    def _is_plain_adverb(self, start: int, end: int) -> bool:
        span = self.doc.char_span(start, end, alignment_mode="expand")
        return span is not None and all(
            t.pos_ == "ADV" and t.dep_ == "advmod" and t.lower_ in _RELAY_ADVERBS for t in span
        )

    # ----------------------------------------------------------------- helpers
    def _in_quote(self, index: int) -> bool:
        return bool(self._quoted[index])

    def _quote_at(self, index: int) -> Quotation | None:
        for q in self.source_quotes:
            if q.covers(index):
                return q
        return None

    def _unit_index(self, token: Token) -> int:
        return self.units.token_unit[token.i]

    def _same_unit(self, a: Token, b: Token) -> bool:
        return self.units.token_unit[a.i] == self.units.token_unit[b.i] >= 0

    def _extent(self, tokens: list[Token], unit_index: int) -> tuple[int, int] | None:
        """Character span of the given tokens restricted to one unit, punctuation trimmed."""
        unit = self.units.units[unit_index]
        ids = sorted(t.i for t in tokens if unit.start <= t.i < unit.end)
        runs: list[tuple[int, int]] = []
        for i in ids:
            if runs and i == runs[-1][1] + 1:
                runs[-1] = (runs[-1][0], i)
            else:
                runs.append((i, i))
        return self._runs_extent(runs, unit_index)

    def _runs_extent(self, runs: list[tuple[int, int]], unit_index: int) -> tuple[int, int] | None:
        """:meth:`_extent` of tokens given as runs ``(first, last)`` already inside the unit.

        A run of punctuation alone (the full stop after "..., according to the mayor.") is left
        out: the extent would reach over the cue before it."""
        worded = [r for r in runs if self._has_words(*r)]
        if not worded:
            return None
        return self._trimmed_extent(min(r[0] for r in worded), max(r[1] for r in worded), unit_index)

    def _has_words(self, first: int, last: int) -> bool:
        """Whether tokens ``first`` to ``last`` hold anything but punctuation and space."""
        return any(not (t.is_punct or t.is_space) for t in self.doc[first : last + 1])

    def _trimmed_extent(self, first: int, last: int, unit_index: int) -> tuple[int, int] | None:
        unit = self.units.units[unit_index]
        doc = self.doc
        # Trim leading "that"/punctuation and trailing punctuation or a dangling "and".
        while first <= last and (
            (doc[first].is_punct and doc[first].text not in '"“(')
            or doc[first].is_space
            or (doc[first].lower_ == "that" and doc[first].dep_ == "mark")
        ):
            first += 1
        while last >= first and (
            doc[last].is_space
            or (doc[last].is_punct and doc[last].text not in '"”)%')
            or (doc[last].dep_ == "cc" and last > first)
        ):
            if doc[last].dep_ == "cc":
                # With the words that make it one conjunction: "as well as".
                conjunction = last
                while last - 1 > first and doc[last - 1].head.i == conjunction:
                    last -= 1
            last -= 1
        if first > last:
            return None
        start, end = doc[first].idx, doc[last].idx + len(doc[last].text)
        return self._balance_quotes(start, end, unit.end_char)

    def _balance_quotes(self, start: int, end: int, limit: int) -> tuple[int, int]:
        """Extend or trim a span so it never opens a quotation without closing it."""
        for q in self.quotes:
            if q.close is None:
                continue
            if start <= q.open < end <= q.close and q.close < limit + 1:
                end = q.close + 1
            elif q.open < start <= q.close < end:
                start = q.open
        # A stray opening mark left at the very end is noise.
        while (
            end > start
            and self.text[end - 1] in '"“'
            and not any(q.close is not None and q.close == end - 1 for q in self.quotes)
        ):
            end -= 1
        while end > start and self.text[end - 1] in " ,;:":
            end -= 1
        return start, end

    # ------------------------------------------------------------ reporting verbs
    def _verb(self, verb: Token) -> Attribution | None:
        lemma = verb.lemma_.lower()
        if lemma == "point" and not any(c.dep_ == "prt" and c.lower_ == "out" for c in verb.children):
            return None
        if lemma == "claim" and any(
            c.dep_ == "dobj" and c.lemma_.lower() in _TAKEN_NOT_SAID for c in verb.children
        ):
            return None  # "the plague has claimed 57 lives"
        is_speech = lemma in SPEECH_VERBS
        is_cognition = lemma in COGNITION_VERBS and not is_speech
        if lemma in EVIDENCE_VERBS and not is_speech:
            # "Studies show that ...", "scientists found that ...": only when
            # the subject is a study, a report or an (unnamed) researcher;
            # "Russia proved that ..." is the author's claim about Russia.
            subject = self._subject(verb)
            if (
                subject is None
                or subject.pos_ != "NOUN"
                or subject.lemma_.lower()
                not in (DOCUMENT_NOUNS | HEARSAY_NOUNS | ANONYMOUS_NOUNS | MEDIA_NOUNS)
            ):
                return None
            is_cognition = True
        if not (is_speech or is_cognition or lemma in HEARSAY_PASSIVE_VERBS):
            return None
        children = list(verb.children)
        deps = {c.dep_ for c in children}
        passive = "auxpass" in deps or "nsubjpass" in deps
        unit_index = self._unit_index(verb)
        if passive:
            return self._passive(verb, lemma, children, unit_index)
        if not (is_speech or is_cognition):
            return None
        subject = self._subject(verb) or self._orphan_subject(verb) or self._inverted_subject(verb)
        if subject is None:
            return None
        speaker = self._classify(subject, strong=is_speech and lemma not in WEAK_SPEECH_VERBS)
        if speaker is None:
            return None
        content = self._verb_content(verb, lemma, children, unit_index, cognition=is_cognition)
        if content is None:
            content = self._parenthetical_content(verb, subject.left_edge.i, unit_index)
        if is_cognition and (content is None or not content[2]):
            # "Leaders think in dimensions of power": belief verbs attribute
            # only a clause ("X believes that ...").
            return None
        weak = is_cognition or lemma in WEAK_SPEECH_VERBS
        score = speaker.confidence * (0.85 if weak else 1.0)
        return Attribution(
            mode="reported_speech",
            cue_start=verb.idx,
            cue_end=self._cue_end(verb),
            content_start=content[0] if content else None,
            content_end=content[1] if content else None,
            speaker=speaker,
            score=score,
            unit=unit_index,
            verb=verb.i,
            clausal=bool(content and content[2]),
        )

    def _cue_end(self, verb: Token) -> int:
        end = verb.idx + len(verb.text)
        for child in verb.children:
            if child.dep_ == "prt" and child.i == verb.i + 1:
                end = child.idx + len(child.text)
        return end

    def _subject(self, verb: Token, *, passive_ok: bool = False) -> Token | None:
        deps = ("nsubj", "csubj", "nsubjpass") if passive_ok else ("nsubj", "csubj")
        # A heading glued to the sentence by the parser can lend it a second
        # subject; only the verb's own line counts.
        subjects = [c for c in verb.children if c.dep_ in deps and self._same_unit(c, verb)]
        if subjects:
            # "The talks stalled, the newspaper reported": the parser may give
            # the verb two subjects; the speaker is the one next to it.
            before = [c for c in subjects if c.i < verb.i]
            child = before[-1] if before else subjects[0]
            if child.lower_ in ("who", "that", "which") and verb.dep_ == "relcl":
                return verb.head
            return child
        if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX") and self._same_unit(verb, verb.head):
            # "X said A and added B": the second verb shares the first's subject, also when
            # the parser hung it on A's verb instead of "said".
            return self._subject(self._misplaced_conjunct_host(verb) or verb.head)
        if verb.dep_ == "ccomp" and (host := self._misplaced_conjunct_host(verb)) is not None:
            return self._subject(host)
        if verb.tag_ == "VBG" and verb.dep_ in ("advcl", "pcomp", "xcomp"):
            # "X resigned, saying that ...", "X was quoted as saying ...",
            # "X said ..., adding that ...": the participle's subject is the
            # nearest reporting verb's (or else the nearest verb's) above it.
            node, fallback = verb.head, None
            for _ in range(4):
                if not self._same_unit(verb, node):
                    break
                if node.pos_ in ("VERB", "AUX"):
                    found = self._subject(node, passive_ok=True)
                    if found is not None and node.lemma_.lower() in SPEECH_VERBS:
                        return found
                    fallback = fallback or found
                if node.head == node:
                    break
                node = node.head
            return fallback
        if verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.pos_ in ("NOUN", "PROPN"):
            head = verb.head
            if head.lemma_.lower() in SPEECH_NOUNS | DOCUMENT_NOUNS and head.head.pos_ == "VERB":
                # "X issued a statement saying ...": the statement's author speaks.
                return self._subject(head.head) or head
            return head
        return None

    def _continues_reporter(self, verb: Token, reporter: Token) -> bool:
        host = self._misplaced_conjunct_host(verb)
        return host is not None and host.i == reporter.i

    def _misplaced_conjunct_host(self, verb: Token) -> Token | None:
        """The reporting verb that a second reporting verb really joins, when the parser hung it on
        the first one's reported clause.

        In "X said the talks were useful and added that nothing was signed" the small parser makes
        "added" a conjunct of "were"; a subjectless reporting verb with a reported clause of its own,
        joined to a clause that is itself reported, continues the reporter, not the clause. It may
        also hang "added" on "said" beside the first clause, as a second thing said ("X said the
        bill was dead and warned that ..."); then too "added" is the reporter's, not what is said.
        """
        if verb.lemma_.lower() not in SPEECH_VERBS:
            return None
        if verb.dep_ == "conj":
            clause = verb.head
            reporter = clause.head
        elif verb.dep_ == "ccomp":
            reporter = verb.head
            joint = verb.left_edge.i - 1
            before = [c for c in reporter.children if c.dep_ == "ccomp" and c.i < verb.i]
            if not before or joint < 0 or self.doc[joint].dep_ != "cc":
                return None
            clause = before[-1]
        else:
            return None
        if (
            clause.dep_ != "ccomp"
            or clause.lemma_.lower() in SPEECH_VERBS
            or reporter.lemma_.lower() not in SPEECH_VERBS
            # "A and said B, he told reporters": "said" is A's subject's, as the parser has it.
            or reporter.i > clause.i
            # "said ... and added", "says ... and adds": the two reporting verbs share a form.
            or verb.tag_ != reporter.tag_
            # "announced that an inquiry had been opened and concluded that ...": a verb after a
            # perfect or passive clause may share its auxiliaries, and then its subject (the inquiry).
            or any(c.dep_ == "auxpass" or (c.dep_ == "aux" and c.lemma_ == "have") for c in clause.children)
            or not self._same_unit(verb, reporter)
            or any(c.dep_ in ("nsubj", "nsubjpass", "csubj") for c in verb.children)
            or not any(c.dep_ == "ccomp" for c in verb.children)
            # "informed me that the campaign called the police and told them that ...": telling
            # someone in particular is as likely the clause subject's act as the reporter's.
            or any(c.dep_ in ("dobj", "dative", "iobj") for c in verb.children)
        ):
            return None
        return reporter

    def _orphan_subject(self, verb: Token) -> Token | None:
        """The noun phrase opening the verb's line when the parser hung it on a heading above."""
        unit = self.units.of(verb.i)
        if unit is None or unit.start >= verb.i:
            return None
        heads = self._unit_heads(self.units.token_unit[verb.i])
        if any(i < verb.i for i in heads.subjects.get(verb.i, ())):
            return None
        # Only a phrase whose parse leads off this line (to a heading) is
        # orphaned; "My decision to reveal" hangs from a verb on the line.
        if bisect_left(heads.leading_off, verb.i) == 1:
            root = self.doc[heads.leading_off[0]]
            if root.pos_ in ("NOUN", "PROPN", "PRON"):
                return root
        return None

    def _inverted_subject(self, verb: Token) -> Token | None:
        """'"...," said the minister': the speaker follows the verb and is mis-parsed as an object."""
        # Scanned back, not sliced: copying the text before every verb costs the square of its length.
        end = verb.idx
        while end > 0 and self.text[end - 1] in " ,\t":
            end -= 1
        if end == 0 or self.text[end - 1] not in '"”':
            return None
        for child in verb.children:
            if child.i > verb.i and child.dep_ in _INVERTED_SUBJECT_DEPS:
                return child
        return None

    def _verb_content(
        self, verb: Token, lemma: str, children: list[Token], unit_index: int, *, cognition: bool
    ) -> tuple[int, int, bool] | None:
        """Character span of what the verb reports, and whether it is a clause (not just an object)."""
        # What is said is made of whole subtrees and runs of the unit; only their
        # ends matter, so each is kept as its first and last token.
        picked: list[Token] = []  # roots of the subtrees said
        unit = self.units.units[unit_index]
        clausal = [
            c
            for c in children
            if c.dep_ in ("ccomp", "xcomp")
            and unit.start <= c.i < unit.end
            and not any(m.dep_ == "mark" and m.lower_ in ("than", "as") for m in c.children)
            and not self._is_trailing_attribution(c, unit)
        ]
        # "X said A and added that B": B is what "added" reports, not part of A, whether the parser
        # hangs "added" on A's verb or beside it on "said".
        joined = [c for c in clausal if self._continues_reporter(c, verb)]
        clausal = [c for c in clausal if c not in joined]
        picked.extend(clausal)
        stray = [c.left_edge.i for c in joined] + [
            c.left_edge.i
            for clause in clausal
            for c in clause.children
            if c.i > clause.i and self._continues_reporter(c, verb)
        ]
        if not cognition:
            # An object counts as content only when it is a thing said, not a
            # person ("reported him to the police") and not missing.
            has_object = any(c.dep_ == "dobj" and c.i > verb.i and c.pos_ != "PRON" for c in children)
            if lemma in OBJECT_CONTENT_VERBS and has_object:
                for c in children:
                    if c.i <= verb.i or c.dep_ not in _OBJECT_CONTENT_DEPS:
                        continue
                    if c.dep_ == "conj" and self._is_separate_clause(c):
                        continue
                    if c.dep_ == "advcl" and c.lemma_.lower() in SPEECH_VERBS:
                        continue
                    if (c.dep_ == "punct" and c.text != ":") or (c.dep_ == "prep" and c.lower_ != "as"):
                        continue
                    picked.append(c)
            preps = PREPOSITION_CONTENT.get(lemma)
            if preps:
                for c in children:
                    if c.dep_ == "prep" and c.lower_ in preps and c.i > verb.i:
                        picked.append(c)
        runs = self._subtree_runs(picked, unit_index)
        # The last token said, in the unit or not.
        last = max((self._subtree_last(c.i) for c in picked), default=-1)
        if stray:
            # Up to the "and" (or comma) before the second reporting verb and its modifiers.
            cut = min(stray)
            # The clause left beside a joined verb may be one that is not content ("said as expected
            # and warned that ..."), so there may be no clause to stop at.
            floor = min((c.left_edge.i for c in clausal), default=cut)
            while cut > floor and (self.doc[cut - 1].dep_ == "cc" or self.doc[cut - 1].is_punct):
                cut -= 1
            runs = [(first, min(end, cut - 1)) for first, end in runs if first < cut]
            last = min(last, cut - 1)
        colon = self._colon_after(verb, unit_index)
        # Something other than punctuation follows the colon.
        after_colon = (
            colon is not None and self._scan(unit_index).next_word[colon + 1 - unit.start] < unit.end
        )
        if after_colon and not clausal:
            assert colon is not None
            runs.append((colon + 1, unit.end - 1))
            last = max(last, unit.end - 1)
        if last < 0:
            return None
        if clausal and last > verb.i and self._clause_runs_on(verb, last, unit_index):
            runs.append((last + 1, unit.end - 1))
        extent = self._runs_extent(runs, unit_index)
        if extent is None:
            return None
        return extent[0], extent[1], bool(clausal) or after_colon

    def _is_trailing_attribution(self, clause: Token, unit: Unit) -> bool:
        """ "A said X, the Post reported": the parser may hang "the Post reported" on "said" as a
        second complement; it attributes the whole sentence and is no part of what A said."""
        if clause.lemma_.lower() not in SPEECH_VERBS or not any(c.dep_ == "nsubj" for c in clause.children):
            return False
        first = clause.left_edge.i
        doc = self.doc
        after_comma = doc[first].text == "," or (first > unit.start and doc[first - 1].text == ",")
        return after_comma and not self._has_words(clause.right_edge.i + 1, unit.end - 1)

    def _parenthetical_content(
        self, verb: Token, speaker_start: int, unit_index: int
    ) -> tuple[int, int, bool] | None:
        """ "As X wrote, CLAUSE", "CLAUSE, X said." and "A, X said, B": the clause around the attribution."""
        unit = self.units.units[unit_index]
        if unit.end - unit.start > MAX_PARENTHETICAL_UNIT:
            return None
        doc = self.doc
        left = [t for t in doc[unit.start : speaker_start] if not t.is_space]
        after = verb.i + 1
        while after < unit.end and (doc[after].dep_ in ("prt", "advmod", "npadvmod") or doc[after].is_space):
            after += 1
        # Skip "in a statement", "on Monday", "to reporters" hanging from the verb.
        while (
            after < unit.end
            and doc[after].dep_ in ("prep", "dative", "dobj")
            and doc[after].head == verb
            and doc[after].right_edge.i - after < 5
        ):
            after = doc[after].right_edge.i + 1
        relays = {
            t.i
            for c in verb.children
            if c.dep_ == "advcl" and c.lemma_.lower() in SPEECH_VERBS
            for t in c.subtree
        }
        right = [t for t in doc[after : unit.end] if not t.is_space and t.i not in relays]
        subject = doc[speaker_start]
        in_as_clause = bool(left) and (left[-1].lower_ == "as" or left[0].lower_ == "as")
        generic = subject.lower_ in ("they", "you", "one", "we", "people") or subject.lemma_ == "saying"
        if in_as_clause and generic:
            # "as they say", "as the saying goes": an idiom, not a source.
            return None
        if left and left[0].lower_ == "as" and len(left) <= 3 and right and right[0].text == ",":
            tokens = right[1:]
        elif (left and left[-1].text == ",") or (
            len(left) >= 2 and left[-1].lower_ == "as" and left[-2].text == ","
        ):
            cut = len(left) - 1 if left[-1].text == "," else len(left) - 2
            tokens = left[:cut]
            if right and right[0].text == "," and len(right) > 2:
                tokens = [*tokens, *right[1:]]
            elif right and not all(t.is_punct for t in right):
                return None
        else:
            return None
        # The attributed part must be a clause of its own (or a quotation),
        # not "According to sources," before a verb.
        finite = any(t.pos_ in ("VERB", "AUX") and t.lower_ != ACCORDING_TO[0] for t in tokens)
        if not finite and not any(t.text in '"“”' for t in tokens):
            return None
        extent = self._extent(tokens, unit_index)
        return (extent[0], extent[1], True) if extent else None

    def _clause_runs_on(self, verb: Token, last: int, unit_index: int) -> bool:
        """Whether the tokens after the verb's parsed complement (ending at ``last``) still belong to it.

        The small parser often hangs a trailing "..., but of X" off the main
        verb rather than the complement; a tail that starts no clause of its
        own is still part of what was said.
        """
        unit = self.units.units[unit_index]
        if last + 1 >= unit.end:
            return False
        scan = self._scan(unit_index)
        k = last + 1 - unit.start
        # The whole tail lies in the verb's subtree when its walk positions all fall in the verb's run.
        tree = self._tree_of(verb.i)
        run_start = tree.position[verb.i - tree.start]
        inside = run_start <= scan.low[k] and scan.high[k] < run_start + tree.size[verb.i - tree.start]
        return inside and scan.next_clause[k] >= unit.end

    def _is_separate_clause(self, verb: Token) -> bool:
        return any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children) or (
            verb.lemma_.lower() in SPEECH_VERBS
        )

    def _colon_after(self, verb: Token, unit_index: int) -> int | None:
        """Index of a colon that closes the verb's clause ("X said:"), if any."""
        unit = self.units.units[unit_index]
        if verb.i + 1 >= unit.end:
            return None
        # The first colon or reporting verb after the verb ends the search.
        i = self._scan(unit_index).next_stop[verb.i + 1 - unit.start]
        if i >= unit.end:
            return None
        token = self.doc[i]
        # Only a colon hanging from this verb or its object counts.
        if token.text == ":" and (token.head == verb or token.head.head == verb):
            return i
        return None

    def _passive(self, verb: Token, lemma: str, children: list[Token], unit_index: int) -> Attribution | None:
        agent = next((c for c in children if c.dep_ == "agent"), None)
        if agent is not None:
            pobj = next((c for c in agent.children if c.dep_ == "pobj"), None)
            if pobj is None or lemma not in SPEECH_VERBS | COGNITION_VERBS:
                return None
            speaker = self._classify(pobj, strong=True)
            content = self._verb_content(verb, lemma, children, unit_index, cognition=False)
            if speaker is None or content is None:
                return None
            return Attribution(
                "reported_speech",
                verb.idx,
                self._cue_end(verb),
                content[0],
                content[1],
                speaker,
                speaker.confidence,
                unit_index,
                verb=verb.i,
                clausal=content[2],
            )
        if lemma not in HEARSAY_PASSIVE_VERBS:
            return None
        subjects = [c for c in children if c.dep_ == "nsubjpass" and self._same_unit(c, verb)]
        subject = subjects[-1] if subjects else None
        clausal = [c for c in children if c.dep_ == "ccomp" and self._same_unit(c, verb)]
        infinitive = [c for c in children if c.dep_ == "xcomp" and self._same_unit(c, verb)]
        if subject is not None and subject.lower_ == "it" and clausal:
            # "It was reported that ...": no agent at all.
            clause = self._runs_extent(self._subtree_runs(clausal, unit_index), unit_index)
            if clause is None:
                return None
            return _hearsay(subject.idx, self._cue_end(verb), clause, 0.9, unit_index, verb=verb.i)
        if subject is not None and subject.lower_ != "it" and infinitive and lemma != "tell":
            # "X is said to have ...": hearsay about X, with nobody saying it.
            runs = self._subtree_runs([subject, *infinitive], unit_index)
            unit = self.units.units[unit_index]
            if unit.start <= verb.i < unit.end:
                runs.append((verb.i, verb.i))
            clause = self._runs_extent(runs, unit_index)
            if clause is None:
                return None
            cue_start = next((c.idx for c in children if c.dep_ == "auxpass"), verb.idx)
            return _hearsay(cue_start, self._cue_end(verb), clause, 0.8, unit_index, verb=verb.i)
        return None

    # ----------------------------------------------------- according to / adverbs
    def _according_to(self, according: Token) -> Attribution | None:
        to = next(c for c in according.children if c.lower_ == ACCORDING_TO[1])
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
        if pobj is None:
            return None
        speaker = self._classify(pobj, strong=True, according=True)
        if speaker is None:
            return None
        unit_index = self._unit_index(according)
        unit = self.units.units[unit_index]
        head = according.head
        # "The deal, according to X, is worth ...": the phrase may hang from a
        # noun; the attributed claim is the whole clause around it.
        while head.pos_ not in ("VERB", "AUX") and head.head != head and self._same_unit(head, head.head):
            head = head.head
        around = self._interval(head.i) if head != according else None
        cut = self._interval(according.i)
        if cut is not None and (head == according or (around is not None and _within(around, unit))):
            # Both subtrees are ranges of tokens: the clause is one less the other.
            runs = _minus(around, cut) if around is not None else []
            content = self._runs_extent(runs or _minus((unit.start, unit.end - 1), cut), unit_index)
        else:
            phrase = {t.i for t in according.subtree}
            clause = [t for t in head.subtree if t.i not in phrase] if head != according else []
            if not clause:
                clause = [t for t in self.doc[unit.start : unit.end] if t.i not in phrase]
            content = self._extent(clause, unit_index)
        if content is None:
            return None
        cue_end = to.idx + len(to.text)
        return Attribution(
            "reported_speech",
            according.idx,
            cue_end,
            content[0],
            content[1],
            speaker,
            speaker.confidence,
            unit_index,
            via="according_to",
        )

    def _hearsay_adverb(self, adverb: Token) -> Attribution | None:
        head = adverb.head
        unit_index = self._unit_index(adverb)
        around = self._interval(head.i)
        if around is not None and _within(around, self.units.units[unit_index]):
            content = self._runs_extent(_minus(around, (adverb.i, adverb.i)), unit_index)
        else:
            content = self._extent([t for t in head.subtree if t.i != adverb.i], unit_index)
        if content is None:
            return None
        return _hearsay(adverb.idx, adverb.idx + len(adverb.text), content, 0.8, unit_index, via="adverb")

    # ------------------------------------------------------------ classification
    def _classify(self, head: Token, *, strong: bool, according: bool = False) -> Speaker | None:
        """Class the noun phrase headed by ``head`` as a source, or None when it is not one."""
        lemma = head.lemma_.lower()
        lower = head.lower_
        if head.pos_ == "PRON" or lower in PERSON_PRONOUNS | PLURAL_PRONOUNS | AUTHOR_PRONOUNS:
            return self._pronoun(head)
        start, end = self._speaker_span(head)
        name = self._named(head)
        if name is not None:
            klass, confidence = name
            return Speaker(klass, start, end, head.i, confidence)
        if head.pos_ in ("DET", "NUM", "ADJ") or lower in VAGUE_PRONOUNS:
            if lower in VAGUE_PRONOUNS or lemma in ANONYMOUS_NOUNS:
                return Speaker("anonymous", start, end, head.i, 0.8)
            return None
        if head.pos_ not in ("NOUN", "PROPN"):
            return None
        modifiers = [c for c in head.children if c.dep_ in ("compound", "amod", "nmod")]
        if lemma in MEDIA_NOUNS or lemma in MEDIA_PERSON_NOUNS:
            if head.tag_ == "NN" and any(self._is_outlet_name(m) for m in modifiers):
                # "the Kommersant newspaper": one outlet, by name.
                return Speaker("named_organisation", start, end, head.i, 0.85)
            return Speaker("media", start, end, head.i, 0.85)
        if lemma in HEARSAY_NOUNS or lemma in DOCUMENT_NOUNS:
            if any(m.lemma_.lower() in MEDIA_NOUNS for m in modifiers):
                return Speaker("media", start, end, head.i, 0.85)
            agent = self._agent_of(head)
            if agent is not None:
                # "a report by X" names who wrote it; "a summary of the proposal" names only its topic.
                topical = agent.dep_ == "pobj" and agent.head.lower_ in ("of", "for", "at")
                inner = self._classify(agent, strong=not topical)
                if inner is not None and inner.klass != "unattributed":
                    return Speaker(
                        inner.klass, start, end, head.i, inner.confidence * 0.9, pending=inner.pending
                    )
            return Speaker("unattributed", start, end, head.i, 0.85)
        if lemma in SPOKES_NOUNS or lemma in INSTITUTION_NOUNS:
            body = self._agent_of(head)
            if body is not None and self._named(body) is not None:
                return Speaker("named_organisation", start, end, head.i, 0.8)
            if lemma in INSTITUTION_NOUNS:
                # "the government", "police": an identifiable body, though unnamed.
                return Speaker("named_organisation", start, end, head.i, 0.7)
        if lemma in ANONYMOUS_NOUNS or lemma in PERSON_TITLES:
            if self._is_definite_title(head):
                return Speaker("anonymous", start, end, head.i, 0.6, pending="title")
            return Speaker("anonymous", start, end, head.i, 0.85)
        if head.pos_ == "PROPN":
            return Speaker("named_organisation", start, end, head.i, 0.6)
        if strong or according:
            # Someone unnamed said something: "a farmer said that ...".
            return Speaker("anonymous", start, end, head.i, 0.5)
        return None

    def _pronoun(self, head: Token) -> Speaker | None:
        lower = head.lower_
        span = (head.i, head.i + 1)
        if lower in PERSON_PRONOUNS:
            return Speaker("anonymous", *span, head.i, 0.85, pending="person")
        if lower in PLURAL_PRONOUNS:
            return Speaker("anonymous", *span, head.i, 0.8, pending="plural")
        if lower in VAGUE_PRONOUNS:
            return Speaker("anonymous", *span, head.i, 0.8)
        if lower == "it":
            return Speaker("unattributed", *span, head.i, 0.6, pending="it")
        if lower in AUTHOR_PRONOUNS or lower in NON_SOURCE_PRONOUNS:
            # The author's own view, or a demonstrative: not a source.
            return None
        return None

    def _named(self, head: Token) -> tuple[str, float] | None:
        """Class of a named speaker (person or organisation), or None when the phrase names nobody."""
        candidates = [
            head,
            *(c for c in head.children if c.dep_ in ("appos", "compound", "npadvmod") and c.pos_ == "PROPN"),
        ]
        # "The Northport Chronicle": when the head itself is a named body, a modifier that elsewhere
        # names a person ("Wake up, Northport!" tagged PERSON) does not make the speaker a person.
        head_is_body = head.ent_type_ in ("ORG", "FAC", "GPE") and head.i not in self.person_tokens
        for token in candidates:
            if head_is_body and token is not head:
                continue
            if token.i in self.person_tokens or (token.pos_ == "PROPN" and token.lower_ in self.person_words):
                return "named_person", 0.9
        named_entity = head.ent_type_ in ("ORG", "GPE", "NORP", "FAC") and head.text[:1].isupper()
        generic = head.lower_ in ANONYMOUS_NOUNS | PERSON_TITLES and head.ent_type_ not in ("ORG", "GPE")
        if (head.pos_ == "PROPN" or named_entity) and not generic:
            # A capitalised "Officer" or "Source" is still nobody in particular.
            lemma = head.lemma_.lower()
            if lemma in MEDIA_NOUNS and head.tag_ in ("NNS", "NNPS"):
                return "media", 0.85
            if head.ent_type_ == "NORP" and head.tag_ in ("NNS", "NNPS"):
                # "Russians say": a whole people, not a body that can be asked.
                return "anonymous", 0.7
            if head.ent_type_ in ("ORG", "GPE", "NORP", "FAC") or head.pos_ == "PROPN":
                return "named_organisation", 0.85
        if head.pos_ == "NOUN" and head.lemma_.lower() in PERSON_TITLES | MEDIA_PERSON_NOUNS:
            for child in head.children:
                if child.dep_ in ("appos", "compound") and child.pos_ == "PROPN":
                    return "named_person", 0.85
        return None

    def _is_outlet_name(self, modifier: Token) -> bool:
        """A capitalised name in front of a media noun, other than a nationality or place."""
        text = modifier.text
        unit = self.units.of(modifier.i)
        if not text[:1].isupper() or (unit is not None and modifier.i == unit.start):
            return False
        if text.lower() in MEDIA_NOUNS or country_of(text) is not None or text in GROUP_DEMONYMS:
            return False
        return modifier.pos_ == "PROPN" or modifier.ent_type_ in ("ORG", "PERSON", "PRODUCT", "WORK_OF_ART")

    def _agent_of(self, head: Token) -> Token | None:
        """Who stands behind a document or spokesperson: "X's statement", "a report by X", "a X spokesman"."""
        for child in head.children:
            if child.dep_ == "poss" and child.pos_ in ("PROPN", "NOUN"):
                return child
            if child.dep_ == "compound" and child.pos_ == "PROPN":
                return child
            if child.dep_ == "prep" and child.lower_ in ("by", "from", "of", "for", "at"):
                pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    return pobj
            if child.dep_ == "acl" and child.lemma_.lower() in _AUTHORING_VERBS:
                # "a lawsuit filed by X", "a letter signed by X"; not "emails seen by X".
                by = next((c for c in child.children if c.dep_ == "agent" or c.lower_ == "by"), None)
                pobj = next((c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None
                if pobj is not None:
                    return pobj
        return None

    def _is_definite_title(self, head: Token) -> bool:
        lemma = head.lemma_.lower()
        if lemma not in LEADER_TITLES and lemma not in OFFICE_TITLES and lemma not in PERSON_TITLES:
            return False
        return head.tag_ == "NN" and any(c.dep_ == "det" and c.lower_ == "the" for c in head.children)

    def _speaker_span(self, head: Token) -> tuple[int, int]:
        """Tokens of the speaker's noun phrase: modifiers before the head, qualifiers after it to a comma."""
        unit = self.units.of(head.i)
        lo = head.left_edge.i
        hi = head.i
        for child in head.children:
            if child.i < head.i:
                continue
            if child.dep_ in ("prep", "amod", "acl", "relcl", "compound", "nummod", "appos", "advmod"):
                # Stop at the first comma: what follows it is a parenthesis
                # ("Oleg Kasyan, a blogger labelled ...").
                if any(self.doc[k].text == "," for k in range(head.i + 1, child.i + 1)):
                    break
                reporting = SPEECH_VERBS | COGNITION_VERBS
                if child.dep_ in ("relcl", "acl") and any(
                    t.pos_ == "VERB" and t.lemma_.lower() in reporting for t in child.subtree
                ):
                    # "two women who claim that ...": the claim is not the speaker.
                    continue
                hi = max(hi, child.right_edge.i)
        if unit is not None:
            lo = max(lo, unit.start)
            hi = min(hi, unit.end - 1)
        while lo < head.i and (self.doc[lo].is_punct or self.doc[lo].lower_ in ("the", "a", "an")):
            lo += 1
        while hi > head.i and self.doc[hi].is_punct:
            hi -= 1
        return lo, hi + 1

    # -------------------------------------------------------------- quotations
    def _quotations(self, by_verb: dict[int, Attribution], ordered: list[Attribution]) -> list[Attribution]:
        result: list[Attribution] = []
        previous: Attribution | None = None
        previous_quote: Quotation | None = None
        for quote in self.source_quotes:
            if not self._outside_other_quotes(quote):
                continue
            found = self._attach(quote, by_verb, ordered, previous, previous_quote)
            if found is not None:
                result.append(found)
                previous, previous_quote = found, quote
        return result

    def _outside_other_quotes(self, quote: Quotation) -> bool:
        """No quotation opened before this one is still open where it opens."""
        before = bisect_left(self._quote_opens, quote.open)
        return before == 0 or self._quote_reach[before - 1] < quote.open

    def _tokens_in(self, start: int, end: int) -> list[Token]:
        span = self.doc.char_span(start, end, alignment_mode="expand")
        return list(span) if span is not None else []

    def _attach(
        self,
        quote: Quotation,
        by_verb: dict[int, Attribution],
        ordered: list[Attribution],
        previous: Attribution | None,
        previous_quote: Quotation | None,
    ) -> Attribution | None:
        inside = [t for t in self._tokens_in(quote.start, quote.end) if not t.is_space]
        if not inside:
            return None
        inside_ids = {t.i for t in inside}
        unit_index = self._unit_index(inside[0])

        verb = (
            self._verb_after(quote, by_verb)
            or self._verb_before(quote, by_verb)
            or self._verb_governing(inside, inside_ids, by_verb)
        )
        if verb is not None:
            source = by_verb[verb]
            if source.content_start is None or not source.clausal or self._mostly_inside(source, quote):
                source.consumed = True
            extra = dict(source.extra)
            original = self._quoted_from(self.doc[verb])
            if original is not None:
                extra["quoted_from"] = original
            return Attribution(
                "direct_quote",
                source.cue_start,
                source.cue_end,
                quote.start,
                quote.end,
                _copy_speaker(source.speaker),
                source.score,
                unit_index,
                verb=verb,
                via="quote",
                extra=extra,
            )
        if quote.words >= MIN_LOOSE_QUOTE_WORDS:
            found = self._speech_noun(quote, inside, inside_ids, unit_index)
            if found is not None:
                return found
        if previous is not None and previous_quote is not None and self._continues(previous_quote, quote):
            return self._inherit(previous, quote, unit_index, "continuation", 0.9)
        if quote.is_block:
            line = self._preceding_line_speaker(quote, ordered)
            if line is not None:
                return self._inherit(line, quote, unit_index, "preceding_line", 0.75)
            if quote.words >= 5:
                return Attribution(
                    "direct_quote",
                    quote.open,
                    quote.open + 1,
                    quote.start,
                    quote.end,
                    Speaker("unattributed", confidence=0.45),
                    0.45,
                    unit_index,
                    via="block",
                )
        return None

    def _mostly_inside(self, source: Attribution, quote: Quotation) -> bool:
        assert source.content_start is not None and source.content_end is not None
        length = source.content_end - source.content_start
        overlap = min(source.content_end, quote.outer_end) - max(source.content_start, quote.open)
        return length > 0 and overlap / length >= 0.6

    def _verb_after(self, quote: Quotation, by_verb: dict[int, Attribution]) -> int | None:
        """'"...," said X' or '"...," X said': a reporting verb right after the closing mark."""
        if quote.close is None:
            return None
        para = self.paragraphs[quote.paragraph]
        span = self.doc.char_span(quote.close + 1, para.end, alignment_mode="expand")
        # The first ten words, not the whole rest of the paragraph.
        tokens = list(islice((t for t in span if not t.is_space), 10)) if span is not None else []
        tokens = [t for t in tokens if t.idx > quote.close]
        while tokens and tokens[0].is_punct and tokens[0].text in ",;—–-":
            tokens = tokens[1:]
        if not tokens:
            return None
        first = tokens[0]
        if first.is_punct:
            return None
        for token in tokens:
            if token.i in by_verb:
                speaker = by_verb[token.i].speaker
                if token == first:
                    return token.i
                if speaker.start is not None and speaker.start <= first.i < (speaker.end or 0) + 1:
                    return token.i
                return None
            if token.is_punct and token.text not in "-'’":
                return None
        return None

    def _verb_before(self, quote: Quotation, by_verb: dict[int, Attribution]) -> int | None:
        """'X said: "..."', 'X said, "..."', 'X said that "..."', or a colon line before a block quote."""
        end = quote.open
        while end > 0 and self.text[end - 1].isspace():
            end -= 1
        if end == 0:
            return None
        last_char_index = end - 1
        tokens = self._tokens_in(max(0, last_char_index - 200), last_char_index + 1)
        tokens = [t for t in tokens if not t.is_space and t.idx <= last_char_index]
        if not tokens:
            return None
        last = tokens[-1]
        if last.text == ":":
            unit_index = self._unit_index(last)
            unit = self.units.units[unit_index]
            candidates = [i for i in by_verb if unit.start <= i < last.i]
            return max(candidates) if candidates else None
        if last.is_punct and last.text == ",":
            tokens = tokens[:-1]
        if tokens and tokens[-1].lower_ == "that":
            tokens = tokens[:-1]
        if tokens and tokens[-1].i in by_verb and self._same_paragraph(tokens[-1].idx, quote.open):
            return tokens[-1].i
        return None

    def _same_paragraph(self, a: int, b: int) -> bool:
        for para in self.paragraphs:
            if para.start <= a < para.end + 1:
                return para.start <= b < para.end + 1
        return False

    def _verb_governing(
        self, inside: list[Token], inside_ids: set[int], by_verb: dict[int, Attribution]
    ) -> int | None:
        """The quotation is the verb's own complement: its root hangs directly from the verb."""
        for token in inside:
            head = token.head
            if (
                head.i not in inside_ids
                and head != token
                and head.i in by_verb
                and token.dep_ in ("ccomp", "parataxis", "dobj", "xcomp")
                and self._same_paragraph(head.idx, token.idx)
            ):
                return head.i
        return None

    def _quoted_from(self, verb: Token) -> dict[str, Any] | None:
        """ "X cited a quote from Y": Y is the original speaker X relays."""
        for child in verb.children:
            if child.dep_ == "dobj" and child.lemma_.lower() in SPEECH_NOUNS:
                for prep in child.children:
                    if prep.dep_ == "prep" and prep.lower_ in ("from", "by", "of"):
                        pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                        if pobj is not None and self._named(pobj) is not None:
                            lo, hi = self._speaker_span(pobj)
                            return _span_dict(self.doc, lo, hi)
        return None

    def _speech_noun(
        self, quote: Quotation, inside: list[Token], inside_ids: set[int], unit_index: int
    ) -> Attribution | None:
        """'media flooded with headlines like "..."': the quotation hangs from a noun of speech."""
        root = next((t for t in inside if t.head.i not in inside_ids or t.head == t), None)
        if root is None:
            return None
        node = root.head
        for _ in range(3):
            if node.pos_ == "NOUN" and node.lemma_.lower() in SPEECH_NOUNS:
                author = self._agent_of(node)
                governing = node.head
                while author is None and governing.pos_ == "ADP":
                    governing = governing.head
                if author is None and governing.pos_ == "VERB":
                    author = next((c for c in governing.children if c.dep_ == "nsubj"), None)
                if author is None:
                    return None
                speaker = self._classify(author, strong=False)
                if speaker is None:
                    return None
                cue_end = node.idx + len(node.text)
                return Attribution(
                    "direct_quote",
                    node.idx,
                    cue_end,
                    quote.start,
                    quote.end,
                    speaker,
                    speaker.confidence * 0.75,
                    unit_index,
                    via="speech_noun",
                )
            if node.head == node:
                break
            node = node.head
        return None

    def _continues(self, previous: Quotation, quote: Quotation) -> bool:
        """A second quotation carrying on the same speaker's words."""
        if previous.paragraph == quote.paragraph:
            between = self.text[previous.outer_end : quote.open]
            return bool(between.strip()) and between.rstrip()[-1:] in ".,;:" and len(between) < 80
        if quote.is_block and quote.paragraph == previous.paragraph + 1:
            return previous.is_block or previous.close is None
        return False

    def _preceding_line_speaker(self, quote: Quotation, ordered: list[Attribution]) -> Attribution | None:
        """A block quotation after a line ending in a colon belongs to that line's last speaker."""
        if quote.paragraph == 0:
            return None
        para = self.paragraphs[quote.paragraph - 1]
        if not para.text.rstrip().endswith(":"):
            return None
        emitted = [a for a in ordered if para.start <= a.cue_start < para.end and a.content_start is not None]
        candidates = [
            a
            for a in emitted
            if a.speaker.klass != "unattributed"
            and a.speaker.start is not None
            and not any(
                b is not a
                and b.content_start is not None
                and b.content_end is not None
                and b.content_start <= a.cue_start < b.content_end
                for b in emitted
            )
        ]
        return candidates[-1] if candidates else None

    def _inherit(
        self, source: Attribution, quote: Quotation, unit_index: int, via: str, factor: float
    ) -> Attribution:
        speaker = _copy_speaker(source.speaker)
        speaker.resolved_from = {
            "start": source.cue_start,
            "end": source.cue_end,
            "text": self.text[source.cue_start : source.cue_end],
            "via": via,
        }
        return Attribution(
            "direct_quote",
            source.cue_start,
            source.cue_end,
            quote.start,
            quote.end,
            speaker,
            source.score * factor,
            unit_index,
            verb=source.verb,
            via=via,
            extra=dict(source.extra),
        )

    # -------------------------------------------------------------- pronouns
    def _resolve(self, attributions: list[Attribution]) -> None:
        """Give pronoun and bare-title speakers the person (or body) they stand for, when unambiguous."""
        history = _History()
        for attribution in sorted(attributions, key=lambda a: a.cue_start):
            speaker = attribution.speaker
            if speaker.pending is not None and speaker.head is not None:
                self._resolve_one(attribution, history)
            if speaker.klass != "unattributed" and speaker.start is not None:
                history.add(attribution)

    def _resolve_one(self, attribution: Attribution, history: _History) -> None:
        speaker = attribution.speaker
        assert speaker.head is not None
        pronoun = self.doc[speaker.head]
        kind = speaker.pending
        speaker.pending = None
        target: Attribution | None = None
        if kind == "title":
            # "the president said": only a person the article itself calls
            # that ("President X", "X, the president") can be meant.
            names = self.titled.get(pronoun.lemma_.lower(), set())
            if len(names) == 1:
                speaker.klass = "named_person"
                speaker.canonical = next(iter(names))
                speaker.confidence = 0.7
                speaker.resolved_from = _span_dict(self.doc, pronoun.i, pronoun.i + 1) | {"via": "title"}
                attribution.score = min(attribution.score, speaker.confidence)
                return
        elif kind == "person":
            target = history.last(attribution.unit, RESOLUTION_WINDOW, ("named_person",))
            if target is None:
                person = self._single_person_before(pronoun, attribution.unit)
                if person is not None:
                    speaker.klass = "named_person"
                    speaker.confidence *= 0.8
                    speaker.resolved_from = {
                        **_span_dict(self.doc, pronoun.i, pronoun.i + 1),
                        "via": "pronoun",
                    }
                    speaker.canonical = person
                    speaker.confidence = min(speaker.confidence, 0.7)
                    attribution.score = speaker.confidence
                    return
        elif kind == "plural":
            target = history.last(attribution.unit, 2, ("anonymous", "media", "named_organisation"))
        elif kind == "it":
            target = history.last(attribution.unit, 2, ("named_organisation", "media"))
        if target is None and kind == "person":
            # "he said" always stands for someone the article named; failing a
            # safe antecedent, take the last person named before, with low
            # confidence, rather than counting a named person as anonymous.
            earlier = [m for m in self.person_mentions if m.end <= pronoun.idx and not self._quoted[m.start]]
            if earlier:
                speaker.klass = "named_person"
                speaker.canonical = self._full_name(earlier[-1].text)
                speaker.confidence = 0.45
                speaker.resolved_from = {**_span_dict(self.doc, pronoun.i, pronoun.i + 1), "via": "pronoun"}
                attribution.score = min(attribution.score, speaker.confidence)
                return
        if target is None and kind == "it":
            # An "it" that stands for no body mentioned just before is usually
            # a thing ("it confirms my testimony"), not a source.
            attribution.content_start = None
            return
        if target is None:
            speaker.confidence = min(speaker.confidence, 0.5)
            attribution.score = min(attribution.score, speaker.confidence)
            return
        speaker.klass = target.speaker.klass
        speaker.canonical = target.speaker.canonical or self._canonical(target.speaker)
        speaker.resolved_from = _span_dict(self.doc, pronoun.i, pronoun.i + 1) | {"via": "pronoun"}
        speaker.confidence = target.speaker.confidence * 0.85
        speaker.start, speaker.end = target.speaker.start, target.speaker.end
        attribution.score = min(attribution.score, speaker.confidence)

    def _single_person_before(self, pronoun: Token, unit_index: int) -> str | None:
        """The one person named in the few sentences before ``pronoun``, if exactly one is."""
        first_unit = self.units.units[max(0, unit_index - RESOLUTION_WINDOW + 1)]
        lo, hi = first_unit.start_char, pronoun.idx
        names = {
            self._full_name(m.text)
            for m in self.person_mentions
            if lo <= m.start < hi and not self._quoted[m.start]
        }
        return names.pop() if len(names) == 1 else None

    def _full_name(self, name: str) -> str:
        return self.full_names.get(name.lower(), name)

    def _canonical(self, speaker: Speaker) -> str:
        if speaker.canonical:
            return speaker.canonical
        if speaker.start is None or speaker.end is None:
            return ""
        span = self.doc[speaker.start : speaker.end]
        if speaker.klass == "named_person":
            for mention in self.person_mentions:
                if span.start_char <= mention.start and mention.end <= span.end_char:
                    return self._full_name(mention.text)
            for token in reversed(span):
                if token.pos_ == "PROPN" and token.lower_ in self.full_names:
                    return self.full_names[token.lower_]
        return span.text


class _History:
    """The speakers met so far, by unit and class, for pronouns to look back on.

    Each pronoun wants the last speaker of some classes within a few units before
    it; keeping the last of each class per unit makes that a few lookups instead
    of a pass over every speaker before (the square of their number).
    """

    def __init__(self) -> None:
        self._count = 0
        self._last: dict[tuple[int, str], tuple[int, Attribution]] = {}

    def add(self, attribution: Attribution) -> None:
        self._count += 1
        self._last[(attribution.unit, attribution.speaker.klass)] = (self._count, attribution)

    def last(self, unit: int, back: int, klasses: tuple[str, ...]) -> Attribution | None:
        """The speaker added last of those of ``klasses`` in units ``unit - back`` to ``unit``."""
        found = [
            self._last[key]
            for earlier in range(unit - back, unit + 1)
            for klass in klasses
            if (key := (earlier, klass)) in self._last
        ]
        return max(found, key=lambda entry: entry[0])[1] if found else None


def _hearsay(
    cue_start: int,
    cue_end: int,
    content: tuple[int, int],
    confidence: float,
    unit_index: int,
    *,
    verb: int | None = None,
    via: str = "parse",
) -> Attribution:
    """Reported speech with nobody saying it ("it was reported that", "X is said to", "reportedly")."""
    return Attribution(
        "reported_speech",
        cue_start,
        cue_end,
        content[0],
        content[1],
        Speaker("unattributed", confidence=confidence),
        confidence,
        unit_index,
        verb=verb,
        via=via,
    )


def _within(run: tuple[int, int], unit: Unit) -> bool:
    return unit.start <= run[0] and run[1] < unit.end


def _minus(run: tuple[int, int], cut: tuple[int, int]) -> list[tuple[int, int]]:
    """The parts of the token range ``run`` outside the range ``cut``."""
    first, last = run
    parts = []
    if first < cut[0]:
        parts.append((first, min(last, cut[0] - 1)))
    if last > cut[1]:
        parts.append((max(first, cut[1] + 1), last))
    return parts


def _full_names(persons: list[NameMention]) -> dict[str, str]:
    """Map each single name ("Putin") to the one full name containing it ("Vladimir Putin"), when unique.

    Spellings that differ only in case are one name, written as the article first writes it: the result must
    not depend on the order in which a set happens to hold them.
    """
    spelling: dict[str, str] = {}
    for mention in persons:
        if " " in mention.text:
            spelling.setdefault(mention.text.lower(), mention.text)
    by_part: dict[str, set[str]] = {}
    for lowered in spelling:
        for part in lowered.split():
            by_part.setdefault(part, set()).add(lowered)
    result = {part: spelling[next(iter(names))] for part, names in by_part.items() if len(names) == 1}
    result.update(spelling)
    return result


def _copy_speaker(speaker: Speaker) -> Speaker:
    resolved = dict(speaker.resolved_from) if speaker.resolved_from else None
    return Speaker(
        speaker.klass,
        speaker.start,
        speaker.end,
        speaker.head,
        speaker.confidence,
        speaker.pending,
        speaker.canonical,
        resolved,
    )


def _span_dict(doc: Doc, start: int, end: int) -> dict[str, Any]:
    span = doc[start:end]
    return {"start": span.start_char, "end": span.end_char, "text": span.text}


def _speaker_text(doc: Doc, speaker: Speaker) -> str:
    if speaker.start is None or speaker.end is None:
        return ""
    return doc[speaker.start : speaker.end].text


def _add_finding(ctx: Context, text: str, attribution: Attribution) -> None:
    assert ctx.doc is not None
    assert attribution.content_start is not None and attribution.content_end is not None
    doc = ctx.doc
    speaker = attribution.speaker
    speaker_span = (
        _span_dict(doc, speaker.start, speaker.end)
        if speaker.start is not None and speaker.end is not None
        else None
    )
    cue_text = text[attribution.cue_start : attribution.cue_end]
    cue = {"start": attribution.cue_start, "end": attribution.cue_end, "text": cue_text}
    details: dict[str, Any] = {"mode": attribution.mode, "speaker": speaker_span, "cue": cue}
    if speaker.resolved_from is not None:
        details["speaker_resolved_from"] = speaker.resolved_from
    if speaker.canonical:
        details["speaker_name"] = speaker.canonical
    details.update(attribution.extra)
    score = round(max(0.05, min(1.0, attribution.score)), 3)
    ctx.analysis.add_finding(
        "sourcing",
        speaker.klass,
        attribution.content_start,
        attribution.content_end,
        score=score,
        reason=_reason(attribution, speaker_span, cue_text),
        analyser=ANALYSER_ID,
        details=details,
    )


def _reason(attribution: Attribution, speaker_span: dict[str, Any] | None, cue: str) -> str:
    klass = attribution.speaker.klass
    what = "Direct quote" if attribution.mode == "direct_quote" else "Reported speech"
    who = CLASS_WORDS[klass]
    if attribution.speaker.canonical:
        who = f"{who} ({attribution.speaker.canonical})"
    elif speaker_span is not None:
        who = f"{who} ({speaker_span['text']!r})"
    phrase = f" via {cue!r}" if cue and attribution.via != "block" else ""
    resolved = attribution.speaker.resolved_from
    note = ""
    if resolved is not None and resolved.get("via") == "pronoun":
        note = f", resolved from {resolved['text']!r}"
    elif resolved is not None:
        note = ", carried over from the line introducing it"
    relay = attribution.extra.get("relayed_by")
    if relay is not None:
        note += f", as relayed by {relay['text']!r}"
    original = attribution.extra.get("quoted_from")
    if original is not None:
        return f"{what} of {original['text']}, cited by {who}{phrase}{note}; {CLASS_CONSEQUENCE[klass]}."
    return f"{what} attributed to {who}{phrase}{note}; {CLASS_CONSEQUENCE[klass]}."


def summarise(attributions: list[Attribution], text: str) -> dict[str, Any]:
    """The article-level sourcing summary in the agreed shape."""
    by_class = Counter(a.speaker.klass for a in attributions)
    total = sum(by_class.values())
    named = by_class["named_person"] + by_class["named_organisation"]
    speakers: Counter[tuple[str, str]] = Counter()
    display: dict[str, str] = {}
    for a in attributions:
        label = a.speaker.canonical or ""
        if label:
            key = label.lower()
            display.setdefault(key, label)
            speakers[(display[key], a.speaker.klass)] += 1
    return {
        "total": total,
        "named": named,
        "named_share": (named / total) if total else 0.0,
        "media": by_class["media"],
        "anonymous": by_class["anonymous"],
        "unattributed": by_class["unattributed"],
        "by_class": dict(by_class),
        "speakers": [
            {"text": label, "class": klass, "count": count}
            for (label, klass), count in sorted(speakers.items(), key=lambda kv: (-kv[1], kv[0][0]))
        ],
    }
