"""Logs of a failing run carry no NIK, mobile number or name (UU 27/2022).

A real database error — its statement's values include a pemohon's name, NIK, phone
and address — is logged the way the workers log a failed attempt; the JSON line keeps
the error and the statement but not the values.
"""

from __future__ import annotations

import json
import logging

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, insert
from sqlalchemy.exc import IntegrityError

from bot.logs import setup_logging

NAMA, NIK, HP, ALAMAT = "Siti Aminah", "3171014506900002", "+6285700000001", "Jl. Kenanga 7"


@pytest.fixture
def root_logger():
    """The root logger's handlers and level come back after the test (no stale stream)."""
    root = logging.getLogger()
    saved, level = root.handlers[:], root.level
    yield
    root.handlers[:] = saved
    root.setLevel(level)


def test_a_database_error_is_logged_without_the_personal_data(root_logger, capsys):
    setup_logging("INFO")
    meta = MetaData()
    t = Table("pemohon", meta, Column("id", Integer, primary_key=True),
              Column("nama", String), Column("nik", String, unique=True), Column("hp", String),
              Column("alamat", String))
    engine = create_engine("sqlite://")
    meta.create_all(engine)
    row = {"nama": NAMA, "nik": NIK, "hp": HP, "alamat": ALAMAT}
    with engine.begin() as conn:
        conn.execute(insert(t).values(**row))
    with pytest.raises(IntegrityError), engine.begin() as conn:
        try:
            conn.execute(insert(t).values(**row))
        except IntegrityError:
            logging.getLogger("bot.workers").warning(
                "inbox #7 attempt 1 failed: nik %s hp %s", NIK, HP, exc_info=True)
            raise
    lines = [json.loads(x) for x in capsys.readouterr().err.splitlines() if x.startswith("{")]
    [line] = [x for x in lines if "inbox #7" in x.get("event", "")]
    text = json.dumps(line, ensure_ascii=False)
    assert "UNIQUE constraint failed" in text and "INSERT INTO pemohon" in text
    for secret in (NAMA, NIK, HP, HP.removeprefix("+"), ALAMAT):
        assert secret not in text, secret
    assert "<NIK>" in text and "<HP …001>" in text
