"""Tables of the analysis store (SQLAlchemy 2). Alembic migrations mirror this file."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class ArticleRow(Base):
    """One article text; the content hash de-duplicates re-submissions of the same text."""

    __tablename__ = "articles"
    # Ids appear in links and citations: SQLite must never hand a deleted article's id out again.
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    url: Mapped[str | None] = mapped_column(Text)
    outlet: Mapped[str | None] = mapped_column(String(255), index=True)
    title: Mapped[str | None] = mapped_column(Text)
    published: Mapped[str | None] = mapped_column(String(32), index=True)
    language: Mapped[str | None] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    words: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)

    analyses: Mapped[list[AnalysisRow]] = relationship(
        back_populates="article", cascade="all, delete-orphan", passive_deletes=True
    )


class AnalysisRow(Base):
    """One run of the pipeline over an article, keyed by the versions of every analyser and model."""

    __tablename__ = "analyses"
    __table_args__ = (
        UniqueConstraint("article_id", "models_key", name="uq_analysis_article_models"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    models_key: Mapped[str] = mapped_column(String(64))
    model_versions: Mapped[dict[str, str]] = mapped_column(JSON)
    genre: Mapped[str | None] = mapped_column(String(32), index=True)
    verdict: Mapped[str] = mapped_column(Text, default="")
    named_share: Mapped[float | None] = mapped_column(Float)
    result: Mapped[dict[str, object]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)

    article: Mapped[ArticleRow] = relationship(back_populates="analyses")
    findings: Mapped[list[FindingRow]] = relationship(
        back_populates="analysis", cascade="all, delete-orphan", passive_deletes=True
    )
    labels: Mapped[list[LabelRow]] = relationship(
        back_populates="analysis", cascade="all, delete-orphan", passive_deletes=True
    )


class FindingRow(Base):
    __tablename__ = "findings"
    __table_args__ = (Index("ix_findings_kind_label", "kind", "label"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    analysis_id: Mapped[int] = mapped_column(ForeignKey("analyses.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    label: Mapped[str] = mapped_column(String(64))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(Text)

    analysis: Mapped[AnalysisRow] = relationship(back_populates="findings")


class LabelRow(Base):
    """Article-level labels (genre, frames, narratives), kept as rows so the library can filter on them."""

    __tablename__ = "labels"
    __table_args__ = (Index("ix_labels_kind_label", "kind", "label"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    analysis_id: Mapped[int] = mapped_column(ForeignKey("analyses.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    label: Mapped[str] = mapped_column(String(255))
    score: Mapped[float] = mapped_column(Float)

    analysis: Mapped[AnalysisRow] = relationship(back_populates="labels")
