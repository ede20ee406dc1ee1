"""A walk-in entered at the counter goes through the same officials' prompts on Telegram.

Before, `ptsp-admin permohonan ajukan` numbered and stored the application but no
official was prompted (the counter's process had none of the officials' event handlers),
so a walk-in waited in nobody's Telegram.
"""

from __future__ import annotations

import json

from sqlmodel import Session, select
from typer.testing import CliRunner

from admin_cli.main import app as admin
from storage.tables import OutboxRow
from tests.officials.harness import Office
from tests.officials.test_officials import CS, staff

runner = CliRunner()


def counter(monkeypatch, k, clock, tmp_path):
    """`ptsp-admin` on the office's own database, on the test clock."""
    from bot.bootstrap import SystemClock

    monkeypatch.setenv("PTSP_DATABASE_URL", k.settings.database_url)
    monkeypatch.setenv("PTSP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("PTSP_PETUGAS", raising=False)
    monkeypatch.setattr(SystemClock, "now", lambda self: clock.now())

    def run(*args: str) -> dict:
        result = runner.invoke(admin, [*args, "--json"])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)
    return run


def cs_id(k) -> int:
    with k.uow() as uow:
        return next(p.id for p in uow.petugas.list() if p.telegram_user_id == CS)


async def test_a_walk_in_is_prompted_to_the_cs_and_the_hp_hears_the_outcome(
        sqlite_app, clock, tmp_path, monkeypatch):
    office = Office(sqlite_app)
    await staff(office)
    ptsp_admin = counter(monkeypatch, sqlite_app, clock, tmp_path)
    p = ptsp_admin("permohonan", "ajukan", "--layanan", "legalisir", "--nama", "Siti Aminah",
                   "--hp", "0812-3456-7890", "--oleh", str(cs_id(sqlite_app)))
    await office.pump()
    prompt = office.last_text(CS)
    assert p["nomor"] in prompt and "Siti Aminah" in prompt
    await office.tg_send(CS, button=office.button(CS, "Lengkap"))
    assert p["nomor"] in office.last_text(CS) and "Siti Aminah" in office.last_text(CS)
    with Session(sqlite_app.db.engine) as s:
        wa = [r.message["text"] for r in s.exec(select(OutboxRow).where(
            OutboxRow.channel == "whatsapp", OutboxRow.recipient == "+6281234567890"))]
    assert len(wa) == 3 and all(p["nomor"] in t for t in wa)
    assert "Bukti Pengajuan" in wa[0] and "diproses" in wa[1] and "Tanda terima" in wa[2]
    with sqlite_app.uow() as uow:
        assert uow.permohonan.get(p["nomor"]).status != "menunggu"


async def test_a_complaint_logged_by_phone_is_prompted_like_a_whatsapp_one(
        sqlite_app, clock, tmp_path, monkeypatch):
    office = Office(sqlite_app)
    await staff(office)
    ptsp_admin = counter(monkeypatch, sqlite_app, clock, tmp_path)
    a = ptsp_admin("pengaduan", "catat", "--kanal", "telepon", "--nama", "Budi",
                   "--isi", "Petugas loket tidak ada di tempat pukul 10 pagi",
                   "--oleh", str(cs_id(sqlite_app)))
    await office.pump()
    assert a["nomor"] in office.last_text(CS) and "tidak ada di tempat" in office.last_text(CS)
    assert office.button(CS, "Klasifikasi")
