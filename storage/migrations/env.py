"""Alembic environment: the SQLModel metadata, the URL from the caller or PTSP_DATABASE_URL."""

from __future__ import annotations

import os

from alembic import context
from sqlmodel import SQLModel

import storage.tables  # noqa: F401 - registers the tables on the metadata
from storage.db import make_engine, normalize_url

config = context.config
target_metadata = SQLModel.metadata


def _url() -> str:
    return normalize_url(
        config.get_main_option("sqlalchemy.url")
        or os.environ.get("PTSP_DATABASE_URL", "sqlite:///./var/ptsp.db")
    )


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True,
                      render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = config.attributes.get("connection")
    if connectable is not None:
        context.configure(connection=connectable, target_metadata=target_metadata,
                          render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(_url())
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
