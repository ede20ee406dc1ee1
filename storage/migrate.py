"""`ptsp db upgrade`: Alembic migrations, driven from code (no alembic.ini to keep in sync)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from storage.db import normalize_url

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", normalize_url(url).replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "heads") -> None:
    """Apply migrations up to `revision`."""
    from alembic import command

    command.upgrade(alembic_config(url), revision)


_REV = re.compile(r"^(down_)?revision\s*=\s*(.+)$", re.M)


def heads() -> set[str]:
    """The newest revisions, read from the migration files without starting Alembic."""
    revs, downs = set(), set()
    for f in (MIGRATIONS / "versions").glob("*.py"):
        for down, value in _REV.findall(f.read_text(encoding="utf-8")):
            (downs if down else revs).update(re.findall(r"['\"]([^'\"]+)['\"]", value))
    return revs - downs


def _terkini(engine: object) -> bool:
    """Whether the database already stands at the heads (then nothing is imported)."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    try:
        with engine.connect() as conn:  # type: ignore[attr-defined]
            ada = {r[0] for r in conn.execute(text("SELECT version_num FROM alembic_version"))}
    except DBAPIError:  # no alembic_version table yet
        return False
    return bool(ada) and ada == heads()


def upgrade_locked(url: str, revision: str = "heads") -> None:
    """`upgrade`, safe when several instances run it at once: on PostgreSQL an advisory
    lock lets one migrate while the others wait (and then find nothing left to do)."""
    from sqlalchemy import text

    from storage.db import make_engine

    engine = make_engine(url)
    try:
        if engine.dialect.name != "postgresql":
            upgrade(url, revision)
            return
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(774411)"))
            try:
                upgrade(url, revision)
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(774411)"))
                conn.commit()
    finally:
        engine.dispose()


def ensure_schema(url: str) -> None:
    """Bring the schema up to date before serving; several instances may start at once."""
    from storage.db import make_engine

    engine = make_engine(url)
    try:
        if _terkini(engine):
            return  # the usual case: no lock, no Alembic
    finally:
        engine.dispose()
    upgrade_locked(url)


def revision(url: str, message: str) -> None:
    """Autogenerate a new migration (developers only)."""
    from alembic import command

    command.revision(alembic_config(url), message=message, autogenerate=True)
