"""Reading and writing SemEval-2023 Task 3 data (genre, frames, persuasion techniques).

The folder layout is the one distributed by the task organisers::

    articles/article<ID>.txt        title, blank line, body; one paragraph per line
    labels-subtask-1.txt            ID TAB genre
    labels-subtask-2.txt            ID TAB frame,frame,...
    labels-subtask-3.txt            ID TAB line TAB technique,technique,...
    labels-subtask-3-spans.txt      ID TAB technique TAB start TAB end

Every label file is optional (a test set has none), and a label file may cover
only part of the articles: an article that is absent from a file is *not
annotated* for that subtask, which is different from "annotated, no label".
The same functions read gold files and the prediction files written by
:mod:`spinlens.report.semeval`, so predictions round-trip through the reader.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from spinlens.core.errors import DataError
from spinlens.core.settings import FRAMES, GENRES, TECHNIQUES

GENRE_FILE = "labels-subtask-1.txt"
FRAMES_FILE = "labels-subtask-2.txt"
LINES_FILE = "labels-subtask-3.txt"
SPANS_FILE = "labels-subtask-3-spans.txt"
ARTICLES_DIR = "articles"

_ARTICLE_NAME = re.compile(r"^article(?P<id>[^/\\]+)\.txt$")


@dataclass(frozen=True, slots=True, order=True)
class TechniqueSpan:
    """A technique annotated on ``text[start:end]`` of one article."""

    start: int
    end: int
    technique: str


@dataclass(slots=True)
class Semeval2023Article:
    """One article with whatever annotations exist for it (``None`` = not annotated)."""

    id: str
    text: str
    genre: str | None = None
    frames: frozenset[str] | None = None
    line_labels: dict[int, frozenset[str]] | None = None
    spans: list[TechniqueSpan] | None = None

    @property
    def has_techniques(self) -> bool:
        return self.line_labels is not None


@dataclass(slots=True)
class Semeval2023Dataset:
    path: Path
    articles: list[Semeval2023Article] = field(default_factory=list)

    def by_id(self) -> dict[str, Semeval2023Article]:
        return {a.id: a for a in self.articles}

    @property
    def with_genre(self) -> list[Semeval2023Article]:
        return [a for a in self.articles if a.genre is not None]

    @property
    def with_frames(self) -> list[Semeval2023Article]:
        return [a for a in self.articles if a.frames is not None]

    @property
    def with_techniques(self) -> list[Semeval2023Article]:
        return [a for a in self.articles if a.line_labels is not None]


def _rows(path: Path, min_fields: int, max_fields: int) -> Iterable[tuple[int, list[str]]]:
    try:
        content = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not valid UTF-8 ({exc.reason})") from exc
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror})") from exc
    for number, raw in enumerate(content.split("\n"), start=1):
        row = raw.rstrip("\r")
        if not row.strip():
            continue
        fields = row.split("\t")
        if not min_fields <= len(fields) <= max_fields:
            raise DataError(
                f"{path}:{number}: expected {min_fields}-{max_fields} tab-separated fields, got {len(fields)}"
            )
        if not fields[0].strip():
            raise DataError(f"{path}:{number}: empty article id")
        yield number, [f.strip() for f in fields]


def _check_label(label: str, allowed: Iterable[str], path: Path, number: int, what: str) -> str:
    if label not in allowed:
        raise DataError(f"{path}:{number}: unknown {what} {label!r}")
    return label


def _split_list(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def read_genre_labels(path: Path) -> dict[str, str]:
    labels: dict[str, str] = {}
    for number, (article_id, genre) in _rows(path, 2, 2):
        labels[article_id] = _check_label(genre, GENRES, path, number, "genre")
    return labels


def read_frame_labels(path: Path) -> dict[str, frozenset[str]]:
    labels: dict[str, frozenset[str]] = {}
    for number, fields in _rows(path, 1, 2):
        values = _split_list(fields[1]) if len(fields) == 2 else []
        labels[fields[0]] = frozenset(_check_label(v, FRAMES, path, number, "frame") for v in values)
    return labels


def read_line_labels(path: Path) -> dict[str, dict[int, frozenset[str]]]:
    labels: dict[str, dict[int, frozenset[str]]] = {}
    for number, fields in _rows(path, 2, 3):
        try:
            line = int(fields[1])
        except ValueError as exc:
            raise DataError(f"{path}:{number}: line number {fields[1]!r} is not an integer") from exc
        if line < 1:
            raise DataError(f"{path}:{number}: line numbers start at 1, got {line}")
        values = _split_list(fields[2]) if len(fields) == 3 else []
        techniques = frozenset(_check_label(v, TECHNIQUES, path, number, "technique") for v in values)
        labels.setdefault(fields[0], {})[line] = techniques
    return labels


def read_span_labels(path: Path) -> dict[str, list[TechniqueSpan]]:
    labels: dict[str, list[TechniqueSpan]] = {}
    for number, (article_id, technique, start_text, end_text) in _rows(path, 4, 4):
        _check_label(technique, TECHNIQUES, path, number, "technique")
        try:
            start, end = int(start_text), int(end_text)
        except ValueError as exc:
            raise DataError(
                f"{path}:{number}: offsets {start_text!r}, {end_text!r} are not integers"
            ) from exc
        if not 0 <= start < end:
            raise DataError(f"{path}:{number}: span [{start}, {end}) is empty or negative")
        labels.setdefault(article_id, []).append(TechniqueSpan(start, end, technique))
    return {article_id: sorted(spans) for article_id, spans in labels.items()}


def read_article_texts(articles_dir: Path) -> dict[str, str]:
    """Return ``{id: text}`` for every ``article<ID>.txt`` (text exactly as stored, UTF-8)."""
    if not articles_dir.is_dir():
        raise DataError(f"{articles_dir}: no such folder of articles")
    texts: dict[str, str] = {}
    for path in sorted(articles_dir.iterdir()):
        match = _ARTICLE_NAME.match(path.name)
        if match is None or not path.is_file():
            continue
        try:
            # newline="" keeps "\r\n" as two characters, like the offsets of the gold spans.
            with path.open(encoding="utf-8", newline="") as handle:
                texts[match["id"]] = handle.read()
        except UnicodeDecodeError as exc:
            raise DataError(f"{path}: not valid UTF-8 ({exc.reason})") from exc
    if not texts:
        raise DataError(f"{articles_dir}: no article<ID>.txt files found")
    return texts


def load_dataset(data_dir: Path) -> Semeval2023Dataset:
    """Read a SemEval-2023 Task 3 language folder (e.g. ``.../semeval2023-task3/en``)."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise DataError(f"{data_dir}: no such data folder")
    texts = read_article_texts(data_dir / ARTICLES_DIR)
    genres = read_genre_labels(data_dir / GENRE_FILE) if (data_dir / GENRE_FILE).exists() else {}
    frames = read_frame_labels(data_dir / FRAMES_FILE) if (data_dir / FRAMES_FILE).exists() else {}
    lines = read_line_labels(data_dir / LINES_FILE) if (data_dir / LINES_FILE).exists() else {}
    spans = read_span_labels(data_dir / SPANS_FILE) if (data_dir / SPANS_FILE).exists() else {}

    for name, table in (
        (GENRE_FILE, genres),
        (FRAMES_FILE, frames),
        (LINES_FILE, lines),
        (SPANS_FILE, spans),
    ):
        unknown = sorted(set(table) - set(texts))
        if unknown:
            raise DataError(
                f"{data_dir / name}: {len(unknown)} article id(s) have no file in {ARTICLES_DIR}/, "
                f"e.g. {unknown[0]}"
            )
    for article_id, checked_spans in spans.items():
        length = len(texts[article_id])
        for span in checked_spans:
            if span.end > length:
                raise DataError(
                    f"{data_dir / SPANS_FILE}: span [{span.start}, {span.end}) of article {article_id} "
                    f"ends beyond its {length} characters"
                )

    articles = []
    for article_id, text in texts.items():
        line_labels = lines.get(article_id)
        article_spans: list[TechniqueSpan] | None = spans.get(article_id)
        # An article with spans but no line rows is still annotated for techniques.
        if line_labels is None and article_spans is not None:
            line_labels = {}
        if line_labels is not None and article_spans is None:
            article_spans = []
        articles.append(
            Semeval2023Article(
                id=article_id,
                text=text,
                genre=genres.get(article_id),
                frames=frames.get(article_id),
                line_labels=line_labels,
                spans=article_spans,
            )
        )
    if not (genres or frames or lines or spans):
        raise DataError(
            f"{data_dir}: no label files ({GENRE_FILE}, {FRAMES_FILE}, {LINES_FILE}, {SPANS_FILE}) found"
        )
    return Semeval2023Dataset(path=data_dir, articles=articles)


@dataclass(slots=True)
class Semeval2023Labels:
    """The content of the four label files, as predicted or as annotated."""

    genres: dict[str, str] = field(default_factory=dict)
    frames: dict[str, frozenset[str]] = field(default_factory=dict)
    lines: dict[str, dict[int, frozenset[str]]] = field(default_factory=dict)
    spans: dict[str, list[TechniqueSpan]] = field(default_factory=dict)

    @classmethod
    def from_articles(cls, articles: Iterable[Semeval2023Article]) -> Semeval2023Labels:
        labels = cls()
        for a in articles:
            if a.genre is not None:
                labels.genres[a.id] = a.genre
            if a.frames is not None:
                labels.frames[a.id] = a.frames
            if a.line_labels is not None:
                labels.lines[a.id] = dict(a.line_labels)
                labels.spans[a.id] = list(a.spans or [])
        return labels


def read_label_files(directory: Path) -> Semeval2023Labels:
    """Read whichever of the four label files exist in ``directory``."""
    directory = Path(directory)
    if not directory.is_dir():
        raise DataError(f"{directory}: no such folder of label files")
    labels = Semeval2023Labels()
    if (directory / GENRE_FILE).exists():
        labels.genres = read_genre_labels(directory / GENRE_FILE)
    if (directory / FRAMES_FILE).exists():
        labels.frames = read_frame_labels(directory / FRAMES_FILE)
    if (directory / LINES_FILE).exists():
        labels.lines = read_line_labels(directory / LINES_FILE)
    if (directory / SPANS_FILE).exists():
        labels.spans = read_span_labels(directory / SPANS_FILE)
    return labels


def write_label_files(labels: Semeval2023Labels, directory: Path) -> dict[str, int]:
    """Write the four label files; return the number of rows of each."""
    directory.mkdir(parents=True, exist_ok=True)
    contents = {
        GENRE_FILE: format_genre_labels(labels.genres),
        FRAMES_FILE: format_frame_labels(labels.frames),
        LINES_FILE: format_line_labels(labels.lines),
        SPANS_FILE: format_span_labels(labels.spans),
    }
    counts = {}
    for name, content in contents.items():
        (directory / name).write_text(content, encoding="utf-8", newline="\n")
        counts[name] = content.count("\n")
    return counts


def format_genre_labels(labels: Mapping[str, str]) -> str:
    return "".join(f"{article_id}\t{genre}\n" for article_id, genre in labels.items())


def format_frame_labels(labels: Mapping[str, Iterable[str]]) -> str:
    return "".join(
        f"{article_id}\t{','.join(_ordered(frames, FRAMES))}\n" for article_id, frames in labels.items()
    )


def format_line_labels(labels: Mapping[str, Mapping[int, Iterable[str]]]) -> str:
    rows = []
    for article_id, lines in labels.items():
        for line in sorted(lines):
            rows.append(f"{article_id}\t{line}\t{','.join(_ordered(lines[line], TECHNIQUES))}\n")
    return "".join(rows)


def format_span_labels(labels: Mapping[str, Iterable[TechniqueSpan]]) -> str:
    return "".join(
        f"{article_id}\t{span.technique}\t{span.start}\t{span.end}\n"
        for article_id, spans in labels.items()
        for span in sorted(spans)
    )


def _ordered(values: Iterable[str], order: tuple[str, ...]) -> list[str]:
    rank = {label: i for i, label in enumerate(order)}
    return sorted(set(values), key=lambda v: (rank.get(v, len(rank)), v))
