"""Alembic environment: migrations run on the connection spinlens hands over."""

from __future__ import annotations

from alembic import context

from spinlens.store.schema import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through spinlens.store.db.migrate()")
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
