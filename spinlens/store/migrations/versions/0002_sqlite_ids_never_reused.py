"""never reuse article and analysis ids on SQLite

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# The ids people see in links and cite (/articles/ID, the API's article_id and analysis_id). Without
# AUTOINCREMENT SQLite hands the highest id out again once its row is deleted, and an old link would
# then show another article. Findings and labels are only reached through their analysis.
TABLES = ("articles", "analyses")


def upgrade() -> None:
    # PostgreSQL's sequences never hand out an id twice already.
    if op.get_bind().dialect.name != "sqlite":
        return
    # SQLite cannot add AUTOINCREMENT to a table: batch mode copies it into a new one, rows, indexes and
    # constraints included. Copying rows with their ids records the highest in sqlite_sequence, so new
    # ids start above it. spinlens.store.db.migrate turns foreign keys off meanwhile, so dropping the
    # old copy does not cascade to the rows that refer to it.
    for table in TABLES:
        with op.batch_alter_table(table, recreate="always", table_kwargs={"sqlite_autoincrement": True}):
            pass


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in reversed(TABLES):
        with op.batch_alter_table(table, recreate="always", table_kwargs={"sqlite_autoincrement": False}):
            pass
