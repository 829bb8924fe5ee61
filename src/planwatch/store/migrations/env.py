"""Alembic environment: always run programmatically from Store.init with a live connection."""

from __future__ import annotations

from alembic import context

from planwatch.store.schema import metadata

config = context.config


def run_online() -> None:
    connection = config.attributes["connection"]
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():  # pragma: no cover - the store never runs offline
    raise RuntimeError("planwatch migrations run online only (Store.init)")
run_online()
