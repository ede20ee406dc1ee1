"""Throw-away PostgreSQL databases for the benchmarks (created on a server, dropped after)."""

from __future__ import annotations

import uuid


def _admin(base: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(base).set(drivername="postgresql").render_as_string(hide_password=False)


def fresh_pg(base: str, prefix: str = "ptsp_bench") -> tuple[str, str]:
    """A new empty database on the server of `base`: (its SQLAlchemy URL, its name)."""
    import psycopg
    from sqlalchemy.engine import make_url

    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_admin(base), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return make_url(base).set(database=name).render_as_string(hide_password=False), name


def drop_pg(base: str, name: str) -> None:
    import psycopg

    with psycopg.connect(_admin(base), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
