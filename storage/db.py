"""Engines: SQLite in WAL mode by default, PostgreSQL through psycopg 3."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import create_engine


def normalize_url(url: str) -> str:
    """`postgresql://…` and `postgres://…` use psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def is_postgres(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


_WRITE_LOCKS: dict[str, threading.Lock] = {}
_WRITE_LOCKS_GUARD = threading.Lock()


def _write_lock(database: str) -> threading.Lock:
    """One lock per SQLite file in this process."""
    key = str(Path(database).resolve()) if database and database != ":memory:" else database
    with _WRITE_LOCKS_GUARD:
        return _WRITE_LOCKS.setdefault(key, threading.Lock())


class _SerializedConnection(sqlite3.Connection):
    """A SQLite connection whose transactions queue on a lock of this process.

    SQLite lets one writer in at a time; without this, threads waiting for it sleep in
    SQLite's busy handler (1, 2, 5 … 100 ms steps) long after the lock is free. The
    lock is taken before BEGIN IMMEDIATE and given back once COMMIT or ROLLBACK has run,
    so the next thread starts at once. Other processes still meet SQLite's busy timeout.
    """

    write_lock: threading.Lock
    _holds = False

    def take_write_lock(self, timeout: float) -> None:
        if not self._holds:
            # on timeout go on regardless: SQLite's own busy timeout still applies
            self._holds = self.write_lock.acquire(timeout=timeout)

    def _give_back(self) -> None:
        if self._holds:
            self._holds = False
            self.write_lock.release()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self._give_back()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self._give_back()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._give_back()


def make_engine(url: str, **kw: Any) -> Engine:
    """Create the engine; for a SQLite file, create its folder and turn on WAL."""
    url = normalize_url(url)
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        if u.database and u.database != ":memory:":
            Path(u.database).parent.mkdir(parents=True, exist_ok=True)
        lock = _write_lock(u.database or ":memory:")
        factory = type("SerializedConnection", (_SerializedConnection,), {"write_lock": lock})
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30, "factory": factory},
            **kw,
        )

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _rec: Any) -> None:
            # Let SQLAlchemy's BEGIN decide transactions; writers take the lock up front.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            # BEGIN IMMEDIATE: one writer at a time, no lock upgrades that deadlock.
            conn.connection.dbapi_connection.take_write_lock(timeout=30)
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    kw.setdefault("pool_size", 10)
    kw.setdefault("max_overflow", 20)
    return create_engine(url, pool_pre_ping=True, **kw)


#: What an unreachable or unusable database raises at start-up (an unknown driver is a
#: missing module).
GALAT_DB: tuple[type[BaseException], ...] = (SQLAlchemyError, ModuleNotFoundError)


def pesan_galat_db(exc: BaseException, url: str) -> str:
    """One line for an unreachable or unusable database: where, and the driver's reason."""
    from sqlalchemy.exc import ArgumentError

    try:
        where = make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return f"PTSP_DATABASE_URL bukan URL basis data yang sah: {url!r}"
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    first = reason[0] if reason else type(exc).__name__
    if isinstance(exc, ModuleNotFoundError | ArgumentError) or "dialect" in str(exc):
        return (f"basis data {where} tidak didukung (gunakan sqlite:///… atau "
                f"postgresql+psycopg://…): {first}")
    return f"basis data {where} tidak dapat dihubungi: {first}"
