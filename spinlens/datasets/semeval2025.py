"""Reading SemEval-2025 Task 10 (English): narratives and entity roles.

Layout of a data folder (see ``shared/data/README.md``)::

    raw-documents/<ID>.txt
    subtask-1-annotations.txt   FILE, entity, start, end (inclusive), main role, fine role...
    subtask-2-annotations.txt   FILE, narrative;narrative, subnarrative;subnarrative
    ../labels/subtask2_narratives.json, subtask2_subnarratives.json (optional taxonomies)

Offsets are turned into Python's half-open ``[start, end)`` here, once, so nothing
downstream has to remember that the files count ``end`` inclusively. A handful of
rows in the released data point one character off their entity; they are
re-anchored on the nearest occurrence of the entity text and counted in
``Semeval2025Data.repaired_offsets`` rather than silently trusted.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from spinlens.core.errors import DataError

OTHER = "Other"

# Domains as the document ids spell them, and the prefix their labels carry.
DOMAIN_PREFIX: dict[str, str] = {"UA": "URW", "CC": "CC"}
DOMAINS: tuple[str, ...] = tuple(DOMAIN_PREFIX)

MAIN_ROLES: tuple[str, ...] = ("Protagonist", "Antagonist", "Innocent")

# The task's fixed role taxonomy: every fine role belongs to exactly one main role.
FINE_ROLES_BY_MAIN: dict[str, tuple[str, ...]] = {
    "Protagonist": ("Guardian", "Martyr", "Peacemaker", "Rebel", "Underdog", "Virtuous"),
    "Antagonist": (
        "Instigator",
        "Conspirator",
        "Tyrant",
        "Foreign Adversary",
        "Traitor",
        "Spy",
        "Saboteur",
        "Corrupt",
        "Incompetent",
        "Terrorist",
        "Deceiver",
        "Bigot",
    ),
    "Innocent": ("Forgotten", "Exploited", "Victim", "Scapegoat"),
}
FINE_ROLES: tuple[str, ...] = tuple(r for roles in FINE_ROLES_BY_MAIN.values() for r in roles)
MAIN_OF_FINE: dict[str, str] = {r: main for main, roles in FINE_ROLES_BY_MAIN.items() for r in roles}

# How far a misplaced annotation may be moved to land on its entity text.
_OFFSET_REPAIR_WINDOW = 3


@dataclass(frozen=True, slots=True)
class RoleMention:
    """One annotated entity mention; ``end`` is exclusive (``text[start:end] == entity``)."""

    entity: str
    start: int
    end: int
    main: str
    fine: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Semeval2025Document:
    """One article with whatever annotations the folder has for it."""

    id: str
    text: str
    domain: str
    narratives: tuple[str, ...] = ()
    subnarratives: tuple[str, ...] = ()
    mentions: tuple[RoleMention, ...] = ()

    @property
    def file(self) -> str:
        return f"{self.id}.txt"

    @property
    def has_narratives(self) -> bool:
        return bool(self.narratives)


@dataclass(frozen=True, slots=True)
class Taxonomy:
    """Narrative labels per domain and sub-narratives per narrative, as exact strings."""

    narratives: dict[str, tuple[str, ...]]
    subnarratives: dict[str, tuple[str, ...]]

    def domain_of(self, label: str) -> str | None:
        """The domain whose prefix ``label`` carries (``None`` for ``Other``)."""
        for domain, prefix in DOMAIN_PREFIX.items():
            if label.startswith(prefix + ":"):
                return domain
        return None

    def parent_of(self, subnarrative: str) -> str | None:
        for narrative, subs in self.subnarratives.items():
            if subnarrative in subs:
                return narrative
        return None

    @property
    def all_narratives(self) -> tuple[str, ...]:
        return tuple(n for d in DOMAINS for n in self.narratives.get(d, ()))

    @property
    def all_subnarratives(self) -> tuple[str, ...]:
        return tuple(s for n in self.all_narratives for s in self.subnarratives.get(n, ()))


@dataclass(slots=True)
class Semeval2025Data:
    documents: list[Semeval2025Document]
    taxonomy: Taxonomy
    repaired_offsets: int = 0
    notes: list[str] = field(default_factory=list)

    def by_id(self) -> dict[str, Semeval2025Document]:
        return {d.id: d for d in self.documents}

    @property
    def narrative_documents(self) -> list[Semeval2025Document]:
        return [d for d in self.documents if d.has_narratives]

    @property
    def role_documents(self) -> list[Semeval2025Document]:
        return [d for d in self.documents if d.mentions]


def domain_from_id(doc_id: str) -> str | None:
    """``EN_UA_300009`` -> ``UA``; ``None`` when the id does not follow the task's naming."""
    parts = doc_id.split("_")
    if len(parts) >= 3 and parts[1] in DOMAIN_PREFIX:
        return parts[1]
    return None


def document_id(file_name: str) -> str:
    return file_name[:-4] if file_name.endswith(".txt") else file_name


def read_text(path: Path) -> str:
    """Read an article exactly as the offsets count it: UTF-8, newlines untouched."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return handle.read()
    except UnicodeDecodeError as exc:
        raise DataError(f"{path} is not UTF-8 text: {exc.reason}") from exc
    except OSError as exc:
        raise DataError(f"cannot read {path}: {exc.strerror}") from exc


def parse_mention_row(
    row: str, where: str, *, with_roles: bool
) -> tuple[str, str, int, int, str | None, tuple[str, ...]]:
    """Split one subtask-1 row into (file, entity, start, end exclusive, main, fine).

    ``where`` names the file and line for the error message.
    """
    cells = row.rstrip("\r\n").split("\t")
    needed = 6 if with_roles else 4
    if len(cells) < needed:
        what = "file, entity, start, end, main role, fine role" if with_roles else "file, entity, start, end"
        raise DataError(f"{where}: expected {needed} tab-separated columns ({what}), found {len(cells)}")
    file_name, entity, start_text, end_text = cells[:4]
    if not file_name or not entity:
        raise DataError(f"{where}: empty file name or entity text")
    try:
        start, end_inclusive = int(start_text), int(end_text)
    except ValueError as exc:
        raise DataError(
            f"{where}: start and end must be integers, got {start_text!r} and {end_text!r}"
        ) from exc
    if start < 0 or end_inclusive < start:
        raise DataError(f"{where}: bad offsets {start}..{end_inclusive} (end is inclusive, so end >= start)")
    main: str | None = None
    fine: tuple[str, ...] = ()
    if with_roles:
        main = cells[4]
        fine = tuple(c for c in cells[5:] if c)
        if main not in MAIN_ROLES:
            raise DataError(f"{where}: unknown main role {main!r}; expected one of {', '.join(MAIN_ROLES)}")
        for role in fine:
            if MAIN_OF_FINE.get(role) != main:
                raise DataError(f"{where}: fine role {role!r} does not belong to main role {main!r}")
        if not fine:
            raise DataError(f"{where}: no fine role given")
    return file_name, entity, start, end_inclusive + 1, main, fine


def anchor_mention(text: str, entity: str, start: int, end: int) -> tuple[int, int] | None:
    """Return offsets at which ``entity`` really sits: as given, or moved by a few characters."""
    if text[start:end] == entity:
        return start, end
    for shift in range(1, _OFFSET_REPAIR_WINDOW + 1):
        for candidate in (start - shift, start + shift):
            if candidate >= 0 and text[candidate : candidate + len(entity)] == entity:
                return candidate, candidate + len(entity)
    return None


def load_taxonomy(labels_dir: Path | None, seen: Iterable[tuple[str, str]] = ()) -> Taxonomy:
    """Build the taxonomy from the official JSON files, completed with labels the data uses.

    ``seen`` yields (narrative, subnarrative) pairs from the annotations: the released
    data has a few sub-narratives the JSON files lack, and predictions must use the
    data's exact strings.
    """
    narratives: dict[str, list[str]] = {d: [] for d in DOMAINS}
    subnarratives: dict[str, list[str]] = {}

    def add(narrative: str, sub: str | None) -> None:
        domain = next((d for d, p in DOMAIN_PREFIX.items() if narrative.startswith(p + ":")), None)
        if domain is None:
            return
        if narrative not in narratives[domain]:
            narratives[domain].append(narrative)
        subs = subnarratives.setdefault(narrative, [])
        if sub is not None and sub not in subs:
            subs.append(sub)

    if labels_dir is not None:
        sub_file = labels_dir / "subtask2_subnarratives.json"
        if sub_file.is_file():
            try:
                tree = json.loads(sub_file.read_text(encoding="utf-8"))
            except json.JSONDecodeError as exc:
                raise DataError(f"{sub_file} is not valid JSON: {exc.msg} (line {exc.lineno})") from exc
            if not isinstance(tree, dict):
                raise DataError(f"{sub_file} must map each narrative to its sub-narratives")
            for narrative, subs in tree.items():
                add(str(narrative), None)
                for sub in subs:
                    add(str(narrative), str(sub))
    for narrative, sub in seen:
        add(narrative, sub if sub != OTHER else None)
    # Most narratives also admit an unspecific "<narrative>: Other"; the taxonomy says which
    # (not all do), so none is invented here.
    return Taxonomy(
        narratives={d: tuple(sorted(ns)) for d, ns in narratives.items()},
        subnarratives={n: tuple(sorted(s)) for n, s in subnarratives.items()},
    )


def _split_labels(cell: str) -> list[str]:
    return [label.strip() for label in cell.split(";") if label.strip()]


def _unique(items: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def load_semeval2025(data_dir: Path) -> Semeval2025Data:
    """Load a SemEval-2025 Task 10 language folder (e.g. ``.../semeval2025-task10/EN``).

    Subtask-2 annotations are required; subtask-1 annotations are read when present.
    """
    data_dir = Path(data_dir)
    docs_dir = data_dir / "raw-documents"
    narratives_file = data_dir / "subtask-2-annotations.txt"
    roles_file = data_dir / "subtask-1-annotations.txt"
    if not docs_dir.is_dir():
        raise DataError(
            f"{data_dir} has no raw-documents/ folder; is it a SemEval-2025 Task 10 language folder?"
        )
    if not narratives_file.is_file():
        raise DataError(f"{data_dir} has no subtask-2-annotations.txt")

    texts: dict[str, str] = {}
    for path in sorted(docs_dir.glob("*.txt")):
        texts[document_id(path.name)] = read_text(path)
    if not texts:
        raise DataError(f"{docs_dir} holds no .txt documents")

    labels: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    pairs: list[tuple[str, str]] = []
    for number, row in enumerate(narratives_file.read_text(encoding="utf-8").splitlines(), start=1):
        if not row.strip():
            continue
        cells = row.split("\t")
        where = f"{narratives_file.name} line {number}"
        if len(cells) < 3:
            raise DataError(f"{where}: expected 3 tab-separated columns (file, narratives, sub-narratives)")
        doc_id = document_id(cells[0])
        if doc_id not in texts:
            raise DataError(f"{where}: no document raw-documents/{cells[0]}")
        narratives, subs = _split_labels(cells[1]), _split_labels(cells[2])
        if not narratives or not subs:
            raise DataError(f"{where}: empty narrative or sub-narrative list (the data writes 'Other')")
        if len(narratives) == len(subs):
            pairs.extend(zip(narratives, subs, strict=True))
        labels[doc_id] = (_unique(narratives), _unique(subs))

    mentions: dict[str, list[RoleMention]] = {}
    repaired = 0
    notes: list[str] = []
    if roles_file.is_file():
        for number, row in enumerate(roles_file.read_text(encoding="utf-8").splitlines(), start=1):
            if not row.strip():
                continue
            where = f"{roles_file.name} line {number}"
            file_name, entity, start, end, main, fine = parse_mention_row(row, where, with_roles=True)
            doc_id = document_id(file_name)
            text = texts.get(doc_id)
            if text is None:
                raise DataError(f"{where}: no document raw-documents/{file_name}")
            anchored = anchor_mention(text, entity, start, end)
            if anchored is None:
                notes.append(f"{where}: {entity!r} is not at {start}..{end - 1}; row skipped")
                continue
            if anchored != (start, end):
                repaired += 1
            assert main is not None
            mentions.setdefault(doc_id, []).append(RoleMention(entity, anchored[0], anchored[1], main, fine))

    labels_dir = data_dir.parent / "labels"
    taxonomy = load_taxonomy(labels_dir if labels_dir.is_dir() else None, pairs)

    documents: list[Semeval2025Document] = []
    for doc_id, text in texts.items():
        doc_narratives, doc_subs = labels.get(doc_id, ((), ()))
        domain = _domain_of(doc_id, doc_narratives, taxonomy)
        documents.append(
            Semeval2025Document(
                id=doc_id,
                text=text,
                domain=domain,
                narratives=doc_narratives,
                subnarratives=doc_subs,
                mentions=tuple(sorted(mentions.get(doc_id, []), key=lambda m: (m.start, m.end))),
            )
        )
    return Semeval2025Data(documents, taxonomy, repaired, notes)


def _domain_of(doc_id: str, narratives: Sequence[str], taxonomy: Taxonomy) -> str:
    """The labels' domain wins over the id: a few 'UA' articles are annotated with climate narratives."""
    for narrative in narratives:
        domain = taxonomy.domain_of(narrative)
        if domain is not None:
            return domain
    return domain_from_id(doc_id) or DOMAINS[0]
