"""`ptsp db upgrade`: Alembic migrations, driven from code (no alembic.ini to keep in sync)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from storage.db import normalize_url

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", normalize_url(url).replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "heads") -> None:
    """Apply migrations up to `revision`."""
    command.upgrade(alembic_config(url), revision)


def ensure_schema(url: str) -> None:
    """Bring the schema up to date before serving; several instances may start at once
    (a PostgreSQL advisory lock lets one migrate while the others wait).
    """
    from sqlalchemy import text

    from storage.db import make_engine

    engine = make_engine(url)
    try:
        if engine.dialect.name == "postgresql":
            with engine.connect() as conn:
                conn.execute(text("SELECT pg_advisory_lock(774411)"))
                try:
                    upgrade(url)
                finally:
                    conn.execute(text("SELECT pg_advisory_unlock(774411)"))
                    conn.commit()
        else:
            upgrade(url)
    finally:
        engine.dispose()


def revision(url: str, message: str) -> None:
    """Autogenerate a new migration (developers only)."""
    command.revision(alembic_config(url), message=message, autogenerate=True)
