"""Shared fixtures: a real SQLite file and a real PostgreSQL database per test."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
WIB = ZoneInfo("Asia/Jakarta")

os.environ.setdefault("PTSP_CONFIG", str(ROOT / "config.yml"))


def _admin_conninfo(url: str) -> tuple[str, str]:
    from sqlalchemy.engine import make_url

    u = make_url(url)
    base = u.set(drivername="postgresql")
    return base.render_as_string(hide_password=False), u.database or "test"


def _pg_available(url: str) -> str | None:
    import psycopg

    conninfo, _ = _admin_conninfo(url)
    try:
        with psycopg.connect(conninfo, connect_timeout=3):
            return None
    except Exception as exc:  # noqa: BLE001 - any failure means "not available"
        return str(exc)


@pytest.fixture(scope="session")
def pg_server() -> str:
    url = os.environ.get("PTSP_TEST_POSTGRES_URL", DEFAULT_PG)
    err = _pg_available(url)
    if err:
        if os.environ.get("PTSP_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL required (PTSP_REQUIRE_POSTGRES=1) but unavailable: {err}")
        pytest.skip(f"PostgreSQL not available at {url}: {err}")
    return url


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    import psycopg
    from sqlalchemy.engine import make_url

    conninfo, _ = _admin_conninfo(pg_server)
    name = f"ptsp_t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(pg_server).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Both backends: a SQLite file and a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ptsp.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def clock():
    from tests.fakes import FixedClock

    # Tuesday 24 November 2026, 09:00 WIB: a working day
    return FixedClock(datetime(2026, 11, 24, 9, 0, tzinfo=WIB))


def make_container(url: str, data_dir: Path, clock, **settings_kw):
    from bot.bootstrap import bootstrap
    from bot.settings import load_settings
    from storage.migrate import upgrade

    upgrade(url)
    settings = load_settings(database_url=url, data_dir=data_dir, **settings_kw)
    return bootstrap(settings, clock=clock)


@pytest.fixture
def container(db_url: str, tmp_path: Path, clock):
    k = make_container(db_url, tmp_path / "data", clock)
    yield k
    k.db.dispose()


@pytest.fixture
def sqlite_container(tmp_path: Path, clock):
    k = make_container(f"sqlite:///{tmp_path / 'ptsp.db'}", tmp_path / "data", clock)
    yield k
    k.db.dispose()


@pytest.fixture(scope="session")
def nlu_parser(tmp_path_factory):
    """The embedded NLU, trained once per test session."""
    from bot.app import build_nlu
    from bot.settings import load_settings

    return build_nlu(load_settings(data_dir=tmp_path_factory.mktemp("nlu")))


@pytest.fixture
def app_container(db_url, tmp_path, clock, nlu_parser):
    """A fully wired container (dialogs, inbox handler, sandbox) on both backends."""
    from bot.app import wire

    k = wire(make_container(db_url, tmp_path / "data", clock), nlu=nlu_parser)
    yield k
    k.db.dispose()


@pytest.fixture
def sqlite_app(tmp_path, clock, nlu_parser):
    from bot.app import wire

    k = wire(make_container(f"sqlite:///{tmp_path / 'ptsp.db'}", tmp_path / "data", clock),
             nlu=nlu_parser)
    yield k
    k.db.dispose()
