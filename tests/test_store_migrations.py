"""Alembic migrations of the store upgrade existing databases without losing rows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, event
from test_store import VERSIONS, make_analysis

from spinlens.store import db
from spinlens.store.repository import LibraryQuery, Store

TABLES = ("articles", "analyses", "findings", "labels")


@pytest.fixture
def old_sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    """A SQLite store at revision 0001 (plain integer ids), opened as spinlens opens one."""
    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    event.listen(engine, "connect", db._sqlite_pragmas)
    db.migrate(engine, "0001")
    yield engine
    engine.dispose()


def row_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {t: connection.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar_one() for t in TABLES}


def table_sql(engine: Engine, table: str) -> str:
    with engine.connect() as connection:
        sql: str = connection.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
        ).scalar_one()
        return sql


def test_old_sqlite_store_keeps_its_rows_and_stops_reusing_ids_after_the_upgrade(
    old_sqlite_engine: Engine,
) -> None:
    store = Store(old_sqlite_engine)
    saved = [
        store.save(make_analysis(f"Story {i}\nBody {i}.", narrative="CC: Hoax"), VERSIONS) for i in range(3)
    ]
    before = {s.article_id: store.get_article(s.article_id) for s in saved}
    counts = row_counts(old_sqlite_engine)
    assert counts == {"articles": 3, "analyses": 3, "findings": 3, "labels": 6}
    assert "AUTOINCREMENT" not in table_sql(old_sqlite_engine, "articles")

    db.migrate(old_sqlite_engine)

    assert row_counts(old_sqlite_engine) == counts
    for article_id, stored in before.items():
        again = store.get_article(article_id)
        assert stored is not None and again is not None
        assert (again.analysis_id, again.analysis.to_dict()) == (
            stored.analysis_id,
            stored.analysis.to_dict(),
        )
    assert store.library(LibraryQuery(technique="Loaded_Language", narrative="CC: Hoax")).total == 3
    for table in ("articles", "analyses"):
        assert "AUTOINCREMENT" in table_sql(old_sqlite_engine, table)
    # Constraints and indexes came along: the same text is still stored once, deletes still cascade.
    assert store.save(make_analysis("Story 0\nBody 0."), VERSIONS).cached
    assert "ON DELETE CASCADE" in table_sql(old_sqlite_engine, "analyses")

    highest = saved[-1]
    assert store.delete_article(highest.article_id)
    newer = store.save(make_analysis("Story 3\nBody 3."), VERSIONS)
    assert newer.article_id > highest.article_id
    assert newer.analysis_id > highest.analysis_id


def test_sqlite_upgrade_can_be_undone_without_losing_rows(old_sqlite_engine: Engine) -> None:
    from alembic import command
    from alembic.config import Config

    store = Store(old_sqlite_engine)
    for i in range(2):
        store.save(make_analysis(f"Story {i}\nBody {i}."), VERSIONS)
    db.migrate(old_sqlite_engine)
    counts = row_counts(old_sqlite_engine)

    config = Config()
    config.set_main_option("script_location", str(db.MIGRATIONS))
    with old_sqlite_engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()
        with connection.begin():
            config.attributes["connection"] = connection
            command.downgrade(config, "0001")

    assert row_counts(old_sqlite_engine) == counts
    assert "AUTOINCREMENT" not in table_sql(old_sqlite_engine, "articles")
