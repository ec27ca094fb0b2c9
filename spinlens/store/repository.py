"""Keeping analyses: save, find again (cache), list with filters, delete, aggregate."""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import ColumnElement, Engine, Select, String, delete, false, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from spinlens.core.errors import InputError
from spinlens.core.model import Analysis
from spinlens.store.db import CASEFOLD_FUNCTION
from spinlens.store.schema import AnalysisRow, ArticleRow, FindingRow, LabelRow

MAX_PER_PAGE = 100
MAX_TITLE_CHARS = 200

# C0 and C1 controls and DEL. A title is one line shown in lists: a NUL cannot even be stored on
# PostgreSQL, and ESC or a line break would reach terminals and pages as they are.
_TITLE_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def models_key(versions: dict[str, str]) -> str:
    """One key for 'the same analysers with the same models': a cache hit needs both text and key equal."""
    return hashlib.sha256(json.dumps(versions, sort_keys=True).encode()).hexdigest()


def outlet_of(url: str | None) -> str | None:
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or None


@dataclass(frozen=True)
class StoredAnalysis:
    article_id: int
    analysis_id: int
    created_at: datetime
    cached: bool
    analysis: Analysis


@dataclass
class LibraryQuery:
    q: str | None = None
    outlet: str | None = None
    genre: str | None = None
    technique: str | None = None
    narrative: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    page: int = 1
    per_page: int = 20


@dataclass
class LibraryItem:
    article_id: int
    analysis_id: int
    title: str
    url: str | None
    outlet: str | None
    published: str | None
    created_at: datetime
    genre: str | None
    named_share: float | None
    techniques: int
    verdict: str


@dataclass
class LibraryPage:
    items: list[LibraryItem]
    total: int
    page: int
    per_page: int
    pages: int = field(init=False)

    def __post_init__(self) -> None:
        self.pages = max(1, -(-self.total // self.per_page))


def clean_title(title: str | None) -> str | None:
    """A title on one line without control characters (each run becomes a space), or None if nothing is left.

    The web app cleans titles this way before analysing, and the store again before keeping one, so
    SQLite and PostgreSQL store and show the same title.
    """
    if title is None:
        return None
    return " ".join(_TITLE_CONTROLS.sub(" ", title).split()) or None


def _title_of(analysis: Analysis) -> str:
    return (clean_title(analysis.article.heading()) or "")[:MAX_TITLE_CHARS]


def _text_filters(query: LibraryQuery) -> dict[str, str]:
    """The text filters of ``query`` that are set, by name."""
    named = {
        "q": query.q,
        "outlet": query.outlet,
        "genre": query.genre,
        "technique": query.technique,
        "narrative": query.narrative,
    }
    return {name: value for name, value in named.items() if value}


class Store:
    """All reads and writes of stored analyses go through here."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._session = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, url: str | None = None) -> Store:
        from spinlens.store.db import open_engine

        return cls(open_engine(url))

    def close(self) -> None:
        self.engine.dispose()

    # -- writing -------------------------------------------------------------------------------------

    def find_cached(self, text: str, versions: dict[str, str]) -> StoredAnalysis | None:
        with self._session() as session:
            row = session.scalars(
                select(AnalysisRow)
                .join(ArticleRow)
                .where(
                    ArticleRow.content_hash == content_hash(text),
                    AnalysisRow.models_key == models_key(versions),
                )
            ).first()
            if row is None:
                return None
            return StoredAnalysis(
                row.article_id, row.id, row.created_at, True, Analysis.from_dict(row.result)
            )

    def save(self, analysis: Analysis, versions: dict[str, str]) -> StoredAnalysis:
        """Store an analysis; the same text analysed by the same models is stored once."""
        if "\x00" in analysis.article.text:
            # Reading an article refuses NUL already; PostgreSQL could not store it, so neither may SQLite.
            raise InputError("the article text contains NUL characters, which cannot be stored")
        for attempt in range(3):
            try:
                return self._save_once(analysis, versions)
            except IntegrityError:
                # Another request stored the same text or analysis between our read and our write.
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _save_once(self, analysis: Analysis, versions: dict[str, str]) -> StoredAnalysis:
        article = analysis.article
        digest = content_hash(article.text)
        key = models_key(versions)
        now = datetime.now(UTC)
        with self._session.begin() as session:
            article_row = session.scalars(select(ArticleRow).where(ArticleRow.content_hash == digest)).first()
            if article_row is None:
                article_row = ArticleRow(
                    content_hash=digest,
                    url=article.url,
                    outlet=outlet_of(article.url),
                    title=_title_of(analysis),
                    published=article.published,
                    language=article.language,
                    text=article.text,
                    words=len(article.text.split()),
                    created_at=now,
                )
                session.add(article_row)
                session.flush()
            existing = session.scalars(
                select(AnalysisRow).where(
                    AnalysisRow.article_id == article_row.id, AnalysisRow.models_key == key
                )
            ).first()
            if existing is not None:
                return StoredAnalysis(
                    article_row.id,
                    existing.id,
                    existing.created_at,
                    True,
                    Analysis.from_dict(existing.result),
                )
            genre = analysis.labels_of("genre")
            sourcing = analysis.summaries.get("sourcing") or {}
            row = AnalysisRow(
                article_id=article_row.id,
                models_key=key,
                model_versions=dict(versions),
                genre=genre[0].label if genre else None,
                verdict=analysis.verdict,
                named_share=sourcing.get("named_share") if sourcing.get("total") else None,
                result=analysis.to_dict(),
                created_at=now,
            )
            row.findings = [
                FindingRow(
                    kind=f.kind, label=f.label, start=f.start, end=f.end, score=f.score, reason=f.reason
                )
                for f in analysis.findings
                if f.kind != "entity"
            ]
            row.labels = [
                LabelRow(kind=lab.kind, label=lab.label, score=lab.score) for lab in analysis.labels
            ]
            session.add(row)
            session.flush()
            return StoredAnalysis(article_row.id, row.id, now, False, analysis)

    def delete_article(self, article_id: int) -> bool:
        with self._session.begin() as session:
            # Children first: SQLite only cascades when foreign keys are on, and this must not depend on it.
            analysis_ids = select(AnalysisRow.id).where(AnalysisRow.article_id == article_id)
            session.execute(delete(FindingRow).where(FindingRow.analysis_id.in_(analysis_ids)))
            session.execute(delete(LabelRow).where(LabelRow.analysis_id.in_(analysis_ids)))
            session.execute(delete(AnalysisRow).where(AnalysisRow.article_id == article_id))
            result = session.execute(delete(ArticleRow).where(ArticleRow.id == article_id))
            return bool(result.rowcount)  # type: ignore[attr-defined]

    # -- reading -------------------------------------------------------------------------------------

    def has_article(self, article_id: int) -> bool:
        with self._session() as session:
            return session.scalar(select(ArticleRow.id).where(ArticleRow.id == article_id)) is not None

    def get_article(self, article_id: int) -> StoredAnalysis | None:
        """The newest analysis of an article."""
        with self._session() as session:
            row = session.scalars(
                select(AnalysisRow)
                .where(AnalysisRow.article_id == article_id)
                .order_by(AnalysisRow.created_at.desc(), AnalysisRow.id.desc())
            ).first()
            if row is None:
                return None
            return StoredAnalysis(
                row.article_id, row.id, row.created_at, True, Analysis.from_dict(row.result)
            )

    def _library_select(self, query: LibraryQuery, session: Session) -> Select[ArticleRow, AnalysisRow]:
        newest = (
            select(AnalysisRow.article_id, func.max(AnalysisRow.id).label("analysis_id"))
            .group_by(AnalysisRow.article_id)
            .subquery()
        )
        stmt = (
            select(ArticleRow, AnalysisRow)
            .join(newest, newest.c.article_id == ArticleRow.id)
            .join(AnalysisRow, AnalysisRow.id == newest.c.analysis_id)
        )
        if any("\x00" in value for value in _text_filters(query).values()):
            # Nothing stored contains NUL (texts with it are refused, titles are cleaned), and PostgreSQL
            # would refuse the parameter with an error instead of finding nothing.
            return stmt.where(false())
        if query.q:
            sqlite = self.engine.dialect.name == "sqlite"
            for term in search_terms(query.q):
                stmt = stmt.where(
                    or_(
                        _contains_any_case(ArticleRow.title, term, sqlite),
                        _contains_any_case(ArticleRow.text, term, sqlite),
                    )
                )
        if query.outlet:
            stmt = stmt.where(ArticleRow.outlet == query.outlet)
        if query.genre:
            stmt = stmt.where(AnalysisRow.genre == query.genre)
        if query.technique:
            stmt = stmt.where(
                select(FindingRow.id)
                .where(
                    FindingRow.analysis_id == AnalysisRow.id,
                    FindingRow.kind == "technique",
                    FindingRow.label == query.technique,
                )
                .exists()
            )
        if query.narrative:
            stmt = stmt.where(
                select(LabelRow.id)
                .where(
                    LabelRow.analysis_id == AnalysisRow.id,
                    LabelRow.kind.in_(("narrative", "subnarrative")),
                    LabelRow.label == query.narrative,
                )
                .exists()
            )
        if query.date_from:
            stmt = stmt.where(_article_day() >= query.date_from.isoformat())
        if query.date_to:
            stmt = stmt.where(_article_day() <= query.date_to.isoformat())
        return stmt

    def library(self, query: LibraryQuery) -> LibraryPage:
        per_page = max(1, min(query.per_page, MAX_PER_PAGE))
        page = max(1, query.page)
        with self._session() as session:
            stmt = self._library_select(query, session)
            total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
            rows = session.execute(
                stmt.order_by(ArticleRow.created_at.desc(), ArticleRow.id.desc())
                .limit(per_page)
                .offset((page - 1) * per_page)
            ).all()
            counts = self._technique_counts(session, [a.id for _, a in rows])
            items = [
                LibraryItem(
                    article_id=art.id,
                    analysis_id=an.id,
                    title=art.title or "(untitled)",
                    url=art.url,
                    outlet=art.outlet,
                    published=art.published,
                    created_at=art.created_at,
                    genre=an.genre,
                    named_share=an.named_share,
                    techniques=counts.get(an.id, 0),
                    verdict=an.verdict,
                )
                for art, an in rows
            ]
        return LibraryPage(items, total, page, per_page)

    @staticmethod
    def _technique_counts(session: Session, analysis_ids: list[int]) -> dict[int, int]:
        if not analysis_ids:
            return {}
        rows = session.execute(
            select(FindingRow.analysis_id, func.count())
            .where(FindingRow.analysis_id.in_(analysis_ids), FindingRow.kind == "technique")
            .group_by(FindingRow.analysis_id)
        ).all()
        return {analysis_id: count for analysis_id, count in rows}

    def facets(self) -> dict[str, list[str]]:
        """Values the library's filters can take."""
        with self._session() as session:
            outlets = session.scalars(
                select(ArticleRow.outlet)
                .where(ArticleRow.outlet.is_not(None))
                .distinct()
                .order_by(ArticleRow.outlet)
            ).all()
            genres = session.scalars(
                select(AnalysisRow.genre)
                .where(AnalysisRow.genre.is_not(None))
                .distinct()
                .order_by(AnalysisRow.genre)
            ).all()
            techniques = session.scalars(
                select(FindingRow.label)
                .where(FindingRow.kind == "technique")
                .distinct()
                .order_by(FindingRow.label)
            ).all()
            narratives = session.scalars(
                select(LabelRow.label).where(LabelRow.kind == "narrative").distinct().order_by(LabelRow.label)
            ).all()
        return {
            "outlets": [o for o in outlets if o],
            "genres": [g for g in genres if g],
            "techniques": list(techniques),
            "narratives": list(narratives),
        }

    def stats(self) -> dict[str, Any]:
        """The overview's aggregates over the newest analysis of every article."""
        with self._session() as session:
            newest = (
                select(func.max(AnalysisRow.id).label("analysis_id"))
                .group_by(AnalysisRow.article_id)
                .subquery()
            )
            rows = session.execute(
                select(
                    AnalysisRow.id,
                    ArticleRow.outlet,
                    ArticleRow.words,
                    AnalysisRow.named_share,
                    _article_day(),
                )
                .join(ArticleRow)
                .where(AnalysisRow.id.in_(select(newest.c.analysis_id)))
            ).all()
            ids = [r[0] for r in rows]
            technique_counts = self._technique_counts(session, ids)
            narrative_rows = (
                session.execute(
                    select(LabelRow.analysis_id, LabelRow.label).where(
                        LabelRow.kind == "narrative", LabelRow.analysis_id.in_(ids)
                    )
                ).all()
                if ids
                else []
            )
        by_outlet: dict[str, dict[str, float]] = defaultdict(
            lambda: {"articles": 0, "words": 0, "techniques": 0, "named_share_sum": 0.0, "with_sources": 0}
        )
        month_of: dict[int, str] = {}
        for analysis_id, outlet, words, named_share, day in rows:
            bucket = by_outlet[outlet or "(no outlet)"]
            bucket["articles"] += 1
            bucket["words"] += words or 0
            bucket["techniques"] += technique_counts.get(analysis_id, 0)
            if named_share is not None:
                bucket["named_share_sum"] += named_share
                bucket["with_sources"] += 1
            month_of[analysis_id] = (day or "")[:7]
        outlets = [
            {
                "outlet": name,
                "articles": int(b["articles"]),
                "techniques_per_1000_words": round(1000 * b["techniques"] / b["words"], 2)
                if b["words"]
                else 0.0,
                "named_source_share": round(b["named_share_sum"] / b["with_sources"], 3)
                if b["with_sources"]
                else None,
            }
            for name, b in sorted(by_outlet.items())
        ]
        over_time: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for analysis_id, label in narrative_rows:
            over_time[month_of.get(analysis_id, "")][label] += 1
        return {
            "articles": len(rows),
            "outlets": outlets,
            "narratives_by_month": [
                {"month": month, "counts": dict(counts)} for month, counts in sorted(over_time.items())
            ],
        }


def _article_day() -> Any:
    """The article's date for filters and charts: its published date, else when it was stored."""
    return func.coalesce(
        func.substr(ArticleRow.published, 1, 10),
        func.substr(func.cast(ArticleRow.created_at, String()), 1, 10),
    )


_QUOTED_OR_WORD = re.compile(r'"([^"]*)"|(\S+)')


def search_terms(q: str) -> list[str]:
    """What a search box query asks for: every word, and every "quoted phrase" as written, must occur.

    A quotation mark left unpaired is ignored, so no query is an error.
    """
    terms: list[str] = []
    for match in _QUOTED_OR_WORD.finditer(q):
        phrase, word = match.groups()
        term = " ".join(phrase.split()) if phrase is not None else word.strip('"')
        if term and term not in terms:
            terms.append(term)
    return terms


def _contains_any_case(column: Any, term: str, sqlite: bool) -> ColumnElement[bool]:
    """``column`` contains ``term``, ignoring case for every Unicode letter on SQLite and PostgreSQL alike.

    SQLite's LIKE folds ASCII letters only ("MÜLLER" would not find "Müller"), so there both sides are
    compared casefolded, by a Python function registered on each connection (spinlens.store.db).
    PostgreSQL's ILIKE already folds every letter and stays as it was.
    """
    if sqlite:
        return getattr(func, CASEFOLD_FUNCTION)(column).like(
            f"%{_escape_like(term.casefold())}%", escape="\\"
        )
    return column.ilike(f"%{_escape_like(term)}%", escape="\\")


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
