"""Opening a store: SQLite by default (WAL mode), PostgreSQL for teams; schema kept current by Alembic."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

from spinlens.core.errors import SpinlensError

MIGRATIONS = Path(__file__).parent / "migrations"
# Name of the SQL function that casefolds text on SQLite connections (see _sqlite_casefold).
CASEFOLD_FUNCTION = "spinlens_casefold"


def default_database_url() -> str:
    from platformdirs import user_data_dir

    folder = Path(user_data_dir("spinlens", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'spinlens.db'}"


def _normalise(url: str) -> str:
    # Users type the URL their tools print; SQLAlchemy needs to be told which driver serves it.
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers go on while one writer commits; busy_timeout makes concurrent
    # writers wait for the lock instead of failing with "database is locked".
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
    # SQLite's own lower() and LIKE fold ASCII letters only; searches compare Python-casefolded text.
    dbapi_connection.create_function(CASEFOLD_FUNCTION, 1, _sqlite_casefold, deterministic=True)


def _sqlite_casefold(value: object) -> str | None:
    return value.casefold() if isinstance(value, str) else None


def open_engine(url: str | None = None) -> Engine:
    """Create an engine for ``url`` (default: a SQLite file in the user's data folder) and migrate it."""
    url = _normalise(url or default_database_url())
    try:
        parsed = make_url(url)
    except Exception as exc:
        raise SpinlensError(f"not a database URL: {url!r}") from exc
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
    elif parsed.get_backend_name() == "postgresql":
        engine = create_engine(url, pool_pre_ping=True)
    else:
        raise SpinlensError(
            f"unsupported database {parsed.get_backend_name()!r}: use sqlite:/// or postgresql://"
        )
    migrate(engine)
    return engine


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (the newest by default; tests build older stores with others)."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy.exc import OperationalError

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    sqlite = engine.dialect.name == "sqlite"
    try:
        with engine.connect() as connection:
            if sqlite:
                # SQLite migrations change a table by copying it and dropping the old copy; with foreign keys
                # on, that drop would cascade to every row referring to it. The pragma only takes effect
                # outside a transaction, so it is set before the migration's transaction begins.
                connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
                connection.commit()
            try:
                with connection.begin():
                    config.attributes["connection"] = connection
                    command.upgrade(config, revision)
                    if sqlite:
                        _check_foreign_keys(connection)
            finally:
                if sqlite:
                    connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                    connection.commit()
    except OperationalError as exc:
        raise SpinlensError(f"cannot open database {engine.url.render_as_string()}: {exc.orig}") from exc


def _check_foreign_keys(connection: Connection) -> None:
    """Refuse (and so roll back) a migration that left a row pointing at a row that is not there."""
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise SpinlensError(f"migrating the database would break {len(broken)} references between tables")
