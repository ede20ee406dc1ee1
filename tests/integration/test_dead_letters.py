"""An outage of hours loses nothing: replies wait, then become dead letters to resend.

Before, the outbox gave up after 8 attempts (~2 minutes). Now a failing reply is retried
(backoff capped at 10 minutes) until it is `outbox_menyerah_jam` old; then it is listed
by `ptsp-admin outbox list`, the koordinator is told, and `outbox retry` sends it again.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, select
from typer.testing import CliRunner

from admin_cli.main import app as admin
from bot.outbox import LocalSender
from bot.server import build_workers
from domain import commands as c
from storage.tables import OutboxRow


class Down:
    """A WhatsApp sender during an outage (then after it)."""

    def __init__(self):
        self.up, self.sent = False, []

    async def send(self, recipient, message, *, kantor_id=None):
        if not self.up:
            raise ConnectionError("api.twilio.com: connection refused")
        self.sent.append((recipient, message["text"]))
        return f"SM{len(self.sent):032d}"


def row(container, rid: int) -> OutboxRow:
    with Session(container.db.engine) as s:
        return s.get(OutboxRow, rid)


def age(container, rid: int, hours: float) -> None:
    """Make the row as old as if it had been failing for `hours`, and due now."""
    with Session(container.db.engine) as s:
        s.execute(update(OutboxRow).where(OutboxRow.id == rid).values(
            created_at=datetime.now(UTC) - timedelta(hours=hours), next_at=datetime.now(UTC)))
        s.commit()


async def test_a_long_outage_is_waited_out_then_the_dead_letter_is_resent(
        container, tmp_path, monkeypatch):
    with container.uow() as uow:
        koor = container.bus.handle(c.TambahPetugas(nama="Wati", role="koordinator"), uow)
    with container.uow() as uow:
        p = uow.petugas.get(koor.id)
        uow.petugas.tautkan(p, 700200)
        uow.outbox.add("whatsapp", "+6281234567890", {"text": "Permohonan Anda selesai"})
        uow.commit()
    with Session(container.db.engine) as s:
        rid = s.exec(select(OutboxRow.id).where(OutboxRow.channel == "whatsapp")).one()
    wa = Down()
    outbox = next(w for w in build_workers(container, {"whatsapp": wa, "telegram": LocalSender()})
                  if w.queue == "outbox")
    for _ in range(12):  # more failures than the old limit of 8: still waiting, not lost
        age(container, rid, hours=1)
        await outbox.drain()
    r = row(container, rid)
    assert r.status == "pending" and r.attempts == 12 and "refused" in r.last_error
    assert r.next_at.replace(tzinfo=UTC) - datetime.now(UTC) <= timedelta(minutes=10, seconds=5)

    age(container, rid, hours=25)  # a day of failures: given up, the koordinator told
    await outbox.drain()
    assert row(container, rid).status == "failed"
    with Session(container.db.engine) as s:
        told = s.exec(select(OutboxRow).where(OutboxRow.channel == "telegram")).all()
    assert [t.recipient for t in told] == ["700200"]
    assert f"outbox retry {rid}" in told[0].message["text"]

    monkeypatch.setenv("PTSP_DATABASE_URL", str(container.db.engine.url.render_as_string(
        hide_password=False)))
    monkeypatch.setenv("PTSP_DATA_DIR", str(tmp_path / "var"))
    runner = CliRunner()
    listed = runner.invoke(admin, ["outbox", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    [dead] = json.loads(listed.stdout)
    assert (dead["id"], dead["penerima"], dead["teks"]) == (
        rid, "+6281234567890", "Permohonan Anda selesai")
    assert runner.invoke(admin, ["outbox", "retry"]).exit_code == 2
    assert runner.invoke(admin, ["outbox", "retry", "999999"]).exit_code == 1
    again = runner.invoke(admin, ["outbox", "retry", str(rid), "--json"])
    assert json.loads(again.stdout) == {"dikirim_ulang": [rid]}
    wa.up = True  # the outage is over
    await outbox.drain()
    assert row(container, rid).status == "done"
    assert wa.sent == [("+6281234567890", "Permohonan Anda selesai")]
    assert json.loads(runner.invoke(admin, ["outbox", "list", "--json"]).stdout) == []


async def test_handled_queue_rows_are_deleted_after_the_retention_days(container):
    from bot.scheduler import JOBS
    from storage.tables import InboxRow, JobRow

    old = container.clock.now() - timedelta(days=31)
    with container.uow() as uow:
        uow.outbox.add("whatsapp", "+6281234567890", {"text": "lama"})
        uow.outbox.add("whatsapp", "+6281234567890", {"text": "baru"})
        uow.outbox.add("whatsapp", "+6281234567890", {"text": "gagal"})
        uow.commit()
    with Session(container.db.engine) as s:
        lama, baru, gagal = s.exec(select(OutboxRow).order_by(OutboxRow.id)).all()
        lama.status, lama.done_at = "done", old
        baru.status, baru.done_at = "done", container.clock.now()
        gagal.status, gagal.created_at = "failed", old  # a dead letter stays
        s.add(InboxRow(kantor_id=container.default_kantor_id, channel="whatsapp",
                       provider_id="SMold", sender="+6281234567890", status="done",
                       done_at=old, next_at=old, created_at=old))
        s.add_all([lama, baru, gagal])
        s.commit()
    with container.uow() as uow:
        JOBS["retensi"](container, uow, {})
        uow.commit()
    with Session(container.db.engine) as s:
        texts = sorted(r.message["text"] for r in s.exec(select(OutboxRow)))
        assert texts == ["baru", "gagal"]
        assert s.exec(select(InboxRow)).all() == []
        # the next run is scheduled for 02:00
        [nxt] = [j for j in s.exec(select(JobRow)) if j.kind == "retensi"]
        assert nxt.status == "pending"


def test_media_nothing_refers_to_are_deleted_after_thirty_days(container, tmp_path):
    """A photo sent but never attached, an old receipt: gone after 30 days. An attachment
    of a permohonan, a surat masuk scan, and anything newer stay."""
    import os

    from bot.scheduler import JOBS
    from domain import commands as c
    from domain.model import Berkas

    files = container.extras["files"]
    lepas = files.put(b"foto yang tidak jadi dikirim", "jpg")
    baru = files.put(b"foto kemarin", "jpg")
    lampiran = files.put(b"%PDF-1.4 surat permohonan %%EOF", "pdf")
    with container.uow() as uow:
        p = container.bus.handle(c.DaftarPemohon(
            kanal="whatsapp", kanal_id="+6281234567890", nama="Budi Santoso",
            hp="+6281234567890", nik="3171011708850003", persetujuan=True), uow)
    with container.uow() as uow:
        container.bus.handle(c.AjukanPermohonan(
            pemohon_id=p.id, layanan="legalisir", atas_nama="Budi Santoso",
            berkas=(Berkas(nama="surat.pdf", mime="application/pdf", bytes=30,
                           sha256=lampiran),)), uow)
    lama = (container.clock.now() - timedelta(days=40)).timestamp()
    for sha, ext in ((lepas, "jpg"), (lampiran, "pdf")):
        os.utime(files.path(sha, ext), (lama, lama))
    with container.uow() as uow:
        JOBS["retensi"](container, uow, {})
        uow.commit()
    assert not files.exists(lepas, "jpg")
    assert files.exists(lampiran, "pdf") and files.exists(baru, "jpg")
