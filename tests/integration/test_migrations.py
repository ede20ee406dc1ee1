"""The Alembic migrations build exactly the SQLModel schema, on both backends."""

from __future__ import annotations

import pytest
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


def test_0004_keeps_conversations_and_gives_each_office_its_own(db_url):
    from alembic import command
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    from storage.migrate import alembic_config

    upgrade(db_url, "0003")
    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO kantor (id, kode, nama) VALUES (1, 'a', 'A'), "
                          "(2, 'b', 'B')"))
        conn.execute(text("INSERT INTO percakapan (kantor_id, channel, sender, state, "
                          "updated_at) VALUES (1, 'whatsapp', '+6281', '{\"flow\": \"daftar\"}', "
                          "'2026-11-24 02:00:00+00:00')"))
    upgrade(db_url)
    insert = text("INSERT INTO percakapan (kantor_id, channel, sender, state, updated_at) "
                  "VALUES (:k, 'whatsapp', '+6281', '{}', '2026-11-24 02:00:00+00:00')")
    with engine.begin() as conn:
        conn.execute(insert, {"k": 2})  # the same citizen writes to the second office
        rows = conn.execute(text("SELECT kantor_id, state FROM percakapan ORDER BY id")).all()
    assert [r[0] for r in rows] == [1, 2] and "daftar" in str(rows[0][1])
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(insert, {"k": 1})  # still one conversation per office and sender
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM percakapan WHERE kantor_id = 2"))
    engine.dispose()
    command.downgrade(alembic_config(db_url), "0003")
    upgrade(db_url)


def test_the_fast_schema_check_knows_alembics_heads_and_still_upgrades_an_old_database(db_url):
    from alembic.script import ScriptDirectory
    from sqlalchemy import text

    from storage.migrate import alembic_config, ensure_schema, heads

    assert heads() == set(ScriptDirectory.from_config(alembic_config(db_url)).get_heads())
    upgrade(db_url, "0010")
    ensure_schema(db_url)  # behind: migrated
    engine = make_engine(db_url)
    with engine.connect() as conn:
        assert {r[0] for r in conn.execute(text("SELECT version_num FROM alembic_version"))} \
            == heads()
    engine.dispose()


def test_an_up_to_date_database_is_checked_without_starting_alembic(tmp_path):
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'x.db'}"
    upgrade(url)
    code = ("import sys; from storage.migrate import ensure_schema; "
            f"ensure_schema({url!r}); print('alembic' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_several_instances_running_db_upgrade_at_once_take_turns(pg_url):
    """`ptsp db upgrade` in two containers started together: one migrates, the other
    waits for the advisory lock and then finds nothing to do (before, one failed on the
    tables the other was creating)."""
    from concurrent.futures import ThreadPoolExecutor

    from sqlalchemy import create_engine, text

    from storage.migrate import heads, upgrade_locked

    with ThreadPoolExecutor(3) as pool:
        for f in [pool.submit(upgrade_locked, pg_url) for _ in range(3)]:
            f.result()  # none raised
    engine = create_engine(pg_url)
    with engine.connect() as conn:
        assert {r[0] for r in conn.execute(text("SELECT version_num FROM alembic_version"))} \
            == heads()
    engine.dispose()
