"""The Alembic migrations build exactly the SQLModel schema, on both backends."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

import storage.tables  # noqa: F401
from storage.db import make_engine
from storage.migrate import upgrade


def test_migrations_match_the_models_and_every_table_has_kantor_id(db_url):
    upgrade(db_url)
    upgrade(db_url)  # idempotent
    engine = make_engine(db_url)
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), SQLModel.metadata) == []
        insp = inspect(conn)
        for table in SQLModel.metadata.tables:
            if table == "sequence":
                continue  # deployment-wide counters; kantor_id is optional there
            cols = {c["name"] for c in insp.get_columns(table)}
            assert "kantor_id" in cols, table
    engine.dispose()


def test_sqlite_runs_in_wal_mode(tmp_path):
    url = f"sqlite:///{tmp_path / 'x.db'}"
    upgrade(url)
    engine = make_engine(url)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    engine.dispose()
