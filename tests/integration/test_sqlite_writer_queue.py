"""SQLite writers queue on a lock of the process, given back however a transaction ends."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from storage.db import _write_lock, make_engine


@pytest.fixture
def engine(tmp_path):
    e = make_engine(f"sqlite:///{tmp_path / 'w.db'}")
    with e.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
    yield e
    e.dispose()


def test_the_lock_is_held_for_the_transaction_and_given_back_on_commit(engine, tmp_path):
    lock = _write_lock(str(tmp_path / "w.db"))
    with Session(engine) as s:
        s.execute(text("INSERT INTO t VALUES (1)"))
        assert lock.locked()
        s.commit()
        assert not lock.locked()


def test_the_lock_is_given_back_on_rollback_and_on_an_error(engine, tmp_path):
    lock = _write_lock(str(tmp_path / "w.db"))
    with Session(engine) as s:
        s.execute(text("INSERT INTO t VALUES (1)"))
    assert not lock.locked()  # closed without commit: rolled back
    with pytest.raises(OperationalError), Session(engine) as s:
        s.execute(text("INSERT INTO nope VALUES (1)"))
    assert not lock.locked()
    with Session(engine) as s:
        assert s.execute(text("SELECT count(*) FROM t")).scalar() == 0


def test_many_threads_writing_at_once_all_land(engine):
    def write(i: int) -> None:
        for j in range(20):
            with Session(engine) as s:
                s.execute(text("INSERT INTO t VALUES (:x)"), {"x": i * 100 + j})
                s.commit()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with Session(engine) as s:
        assert s.execute(text("SELECT count(DISTINCT x) FROM t")).scalar() == 160
