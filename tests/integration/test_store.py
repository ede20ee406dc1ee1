"""The store on SQLite and PostgreSQL: numbering, unit of work, outbox, queues."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from sqlmodel import Session, select

from bot.outbox import make_outbox_handler
from bot.workers import QueueWorker
from domain import commands as c
from domain.penomoran import format_nomor
from storage import queue as q
from storage.tables import OutboxRow
from storage.uow import Database


def daftar(k, kanal_id="+6281234567890"):
    with k.uow() as uow:
        p = k.bus.handle(c.DaftarPemohon(kanal="whatsapp", kanal_id=kanal_id, nama="Budi Santoso",
                                         hp=kanal_id, nik="3171011708850003",
                                         persetujuan=True), uow)
    return p.id


def ajukan(k, pemohon_id, layanan="audiensi"):
    with k.uow() as uow:
        return k.bus.handle(c.AjukanPermohonan(pemohon_id=pemohon_id, layanan=layanan,
                                               atas_nama="Budi Santoso",
                                               data={"tujuan": "silaturahmi"}), uow)


def test_concurrent_submissions_get_distinct_consecutive_numbers(container):
    pid = daftar(container)
    with ThreadPoolExecutor(max_workers=16) as pool:
        nomor = list(pool.map(lambda _: ajukan(container, pid), range(50)))
    assert len(set(nomor)) == 50
    assert sorted(nomor) == [format_nomor("PTSP", date(2026, 11, 24), i) for i in range(1, 51)]
    with container.uow() as uow:
        assert len(uow.permohonan.list()) == 50


def test_the_ten_thousandth_number_of_a_day_has_five_digits(container):
    from storage.tables import SequenceRow

    with Session(container.db.engine) as s:
        s.add(SequenceRow(scope="PTSP-261124", value=9999))
        s.commit()
    pid = daftar(container)
    assert ajukan(container, pid) == "PTSP-261124-10000"


def test_a_rolled_back_submission_leaves_no_gap_and_no_message(container):
    pid = daftar(container)
    with container.uow() as uow:
        container.bus.handle(c.AjukanPermohonan(pemohon_id=pid, layanan="audiensi",
                                                atas_nama="X"), uow, commit=False)
        # no commit: leaving the block rolls everything back
    assert ajukan(container, pid) == "PTSP-261124-0001"
    with Session(container.db.engine) as s:
        rows = s.exec(select(OutboxRow)).all()
    assert len(rows) == 1 and "PTSP-261124-0001" in rows[0].message["text"]


def test_a_new_day_starts_a_new_sequence_in_the_numbering_timezone(container, clock):
    pid = daftar(container)
    assert ajukan(container, pid) == "PTSP-261124-0001"
    clock.advance(hours=15)  # 00:00 WIB on the 25th
    assert ajukan(container, pid) == "PTSP-261125-0001"


def test_pemohon_of_another_kantor_is_invisible(container):
    pid = daftar(container)
    other = container.db.ensure_kantor("kantor_lain", "Kantor Lain")
    with container.db.uow(other) as uow:
        assert uow.pemohon.get(pid) is None
        assert uow.permohonan.list() == []


class RecordingSender:
    def __init__(self):
        self.sent: list[tuple[str, str]] = []
        self.lock = threading.Lock()

    async def send(self, recipient, message, *, kantor_id=None):
        await asyncio.sleep(0.001)
        with self.lock:
            self.sent.append((recipient, message["text"]))
        return f"SM{len(self.sent):032d}"


async def test_a_committed_message_is_sent_once_even_with_two_workers(container):
    with container.uow() as uow:
        for i in range(40):
            uow.outbox.add("whatsapp", f"+62812000000{i:02d}", {"text": f"pesan {i}"})
        uow.commit()
    with container.uow() as uow:
        uow.outbox.add("whatsapp", "+6281299999999", {"text": "tidak pernah"})
        uow.rollback()
    sender = RecordingSender()
    second = Database(str(container.db.engine.url.render_as_string(hide_password=False)))
    workers = [QueueWorker(db, "outbox", make_outbox_handler(db, {"whatsapp": sender}),
                           concurrency=5)
               for db in (container.db, second)]
    await asyncio.gather(*(w.drain() for w in workers))
    second.dispose()
    texts = sorted(t for _, t in sender.sent)
    assert texts == sorted(f"pesan {i}" for i in range(40))
    assert "tidak pernah" not in texts
    with Session(container.db.engine) as s:
        rows = s.exec(select(OutboxRow)).all()
    assert all(r.status == "done" and r.provider_id for r in rows)


async def test_in_a_batch_the_sent_rows_complete_and_the_failed_one_waits(container):
    with container.uow() as uow:
        for phone in ("+6281200000001", "+6281200000002", "+6281200000003"):
            uow.outbox.add("whatsapp", phone, {"text": "halo"})
        uow.commit()

    class Flaky:
        async def send(self, recipient, message, *, kantor_id=None):
            if recipient.endswith("2"):
                raise ConnectionError("putus")
            return "SM" + recipient[-1] * 32

    await QueueWorker(container.db, "outbox",
                      make_outbox_handler(container.db, {"whatsapp": Flaky()}),
                      concurrency=8).drain()
    with Session(container.db.engine) as s:
        rows = s.exec(select(OutboxRow).order_by(OutboxRow.id)).all()
    assert [(r.status, r.provider_id, r.delivery_status) for r in rows] == [
        ("done", "SM" + "1" * 32, "sent"), ("pending", None, None),
        ("done", "SM" + "3" * 32, "sent")]
    assert rows[1].attempts == 1 and "putus" in rows[1].last_error


async def test_a_failed_send_is_retried_with_backoff_then_given_up(container):
    with container.uow() as uow:
        uow.outbox.add("whatsapp", "+6281211111111", {"text": "halo"})
        uow.commit()

    class Broken:
        async def send(self, recipient, message, *, kantor_id=None):
            raise ConnectionError("twilio down")

    w = QueueWorker(container.db, "outbox",
                    make_outbox_handler(container.db, {"whatsapp": Broken()}), max_attempts=2)
    await w.drain()
    with Session(container.db.engine) as s:
        row = s.exec(select(OutboxRow)).one()
    assert row.status == "pending" and row.attempts == 1 and "twilio down" in row.last_error
    with Session(container.db.engine) as s:  # make it due again
        row.next_at = row.created_at
        s.add(row)
        s.commit()
    await w.drain()
    with Session(container.db.engine) as s:
        row = s.exec(select(OutboxRow)).one()
    assert row.status == "failed" and row.attempts == 2


def test_an_expired_lease_is_claimed_again_after_a_crash(container):
    with container.uow() as uow:
        uow.outbox.add("whatsapp", "+6281211111111", {"text": "halo"})
        uow.commit()
    first = q.claim(container.db, "outbox", lease_seconds=-1)  # the worker "dies"
    assert len(first) == 1
    again = q.claim(container.db, "outbox")
    assert [r["id"] for r in again] == [first[0]["id"]] and again[0]["attempts"] == 2


def test_inbox_gives_one_message_per_sender_at_a_time_in_order(container):
    from storage.repositories import utcnow
    from storage.tables import InboxRow

    now = utcnow()
    with Session(container.db.engine) as s:
        for i, sender in enumerate(["a", "a", "b", "a", "b"]):
            s.add(InboxRow(kantor_id=container.default_kantor_id, channel="whatsapp",
                           provider_id=f"SM{i}", sender=sender, payload={"i": i}, next_at=now,
                           created_at=now))
        s.commit()
    first = q.claim(container.db, "inbox", limit=10)
    assert [(r["sender"], r["payload"]["i"]) for r in first] == [("a", 0), ("b", 2)]
    assert q.claim(container.db, "inbox", limit=10) == []  # both senders busy
    with Session(container.db.engine) as s:
        q.complete(s, "inbox", first[0]["id"])
        s.commit()
    assert [(r["sender"], r["payload"]["i"]) for r in q.claim(container.db, "inbox")] == [("a", 1)]


def test_a_duplicate_provider_id_is_refused_by_the_store(container):
    from sqlalchemy.exc import IntegrityError

    from storage.repositories import utcnow
    from storage.tables import InboxRow

    now = utcnow()
    with Session(container.db.engine) as s:
        s.add(InboxRow(kantor_id=container.default_kantor_id, channel="whatsapp",
                       provider_id="SMdup", sender="a", next_at=now, created_at=now))
        s.commit()
    with pytest.raises(IntegrityError), Session(container.db.engine) as s:
        s.add(InboxRow(kantor_id=container.default_kantor_id, channel="whatsapp",
                       provider_id="SMdup", sender="a", next_at=now, created_at=now))
        s.commit()


def test_outbox_gives_one_row_per_recipient_at_a_time_in_order(container):
    with container.uow() as uow:
        for i, to in enumerate(["a", "a", "b"]):
            uow.outbox.add("whatsapp", to, {"text": str(i)})
        uow.commit()
    first = q.claim(container.db, "outbox", limit=10)
    assert [(r["recipient"], r["message"]["text"]) for r in first] == [("a", "0"), ("b", "2")]
    q.complete(container.db, "outbox", first[0]["id"])
    assert [r["message"]["text"] for r in q.claim(container.db, "outbox")] == ["1"]


async def test_a_message_that_keeps_failing_gets_an_apology_not_silence(sqlite_app):
    import uuid

    from bot.inbox import store_incoming
    from bot.server import maaf
    from bot.types import IncomingMessage

    async def broken(row):
        raise RuntimeError("NLU down")

    msg = IncomingMessage(channel="sandbox", sender_id="+6281234567890",
                          message_id=uuid.uuid4().hex, received_at=sqlite_app.clock.now(),
                          text="halo")
    store_incoming(sqlite_app.db, sqlite_app.default_kantor_id, msg)
    w = QueueWorker(sqlite_app.db, "inbox", broken, max_attempts=1, self_completing=True,
                    on_give_up=lambda row: maaf(sqlite_app, row))
    await w.drain()
    with Session(sqlite_app.db.engine) as s:
        rows = s.exec(select(OutboxRow)).all()
    assert len(rows) == 1 and "gangguan" in rows[0].message["text"]


async def test_a_flood_control_retry_waits_as_long_as_the_provider_asked(container):
    class Flooded(RuntimeError):
        retry_after = 30

    class Sender:
        async def send(self, recipient, message, *, kantor_id=None):
            raise Flooded("429")

    with container.uow() as uow:
        uow.outbox.add("telegram", "42", {"text": "halo"})
        uow.commit()
    await QueueWorker(container.db, "outbox",
                      make_outbox_handler(container.db, {"telegram": Sender()})).drain()
    with Session(container.db.engine) as s:
        row = s.exec(select(OutboxRow)).one()
    wait = (row.next_at - row.created_at).total_seconds()
    assert row.status == "pending" and 29 < wait < 40


def test_summaries_come_in_one_query_and_see_this_transactions_changes(container):
    from sqlalchemy import event

    pid = daftar(container)
    for _ in range(5):
        ajukan(container, pid)
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(container.db.engine, "before_cursor_execute", count)
    try:
        with container.uow() as uow:
            rows = uow.permohonan.ringkas(pengaju_id=pid)
            assert len(statements) == 1
            assert [r.nomor for r in rows][0] == "PTSP-261124-0005"
            p = uow.permohonan.get("PTSP-261124-0001")
            p.menunggu_pemohon = True
            again = {r.nomor: r for r in uow.permohonan.ringkas(pengaju_id=pid)}
            assert again["PTSP-261124-0001"].menunggu_pemohon
    finally:
        event.remove(container.db.engine, "before_cursor_execute", count)


def test_after_a_crash_a_senders_later_message_waits_for_the_one_in_flight(container):
    """The claim of a worker that died expires; the sender's next message must not be
    claimed beside it (it ran first: "selesai" before the photo, "baru 0 file")."""
    from storage.repositories import utcnow
    from storage.tables import InboxRow

    now = utcnow()
    with Session(container.db.engine) as s:
        for i in range(2):
            s.add(InboxRow(kantor_id=container.default_kantor_id, channel="whatsapp",
                           provider_id=f"SMx{i}", sender="a", payload={"i": i}, next_at=now,
                           created_at=now))
        s.commit()
    (photo,) = q.claim(container.db, "inbox", lease_seconds=-1)  # its worker dies
    assert photo["payload"]["i"] == 0
    again = q.claim(container.db, "inbox", limit=10)  # after the restart
    assert [r["payload"]["i"] for r in again] == [0]  # the photo again, alone
    assert q.claim(container.db, "inbox", limit=10) == []
    with Session(container.db.engine) as s:
        q.complete(s, "inbox", again[0]["id"], attempts=again[0]["attempts"])
        s.commit()
    assert [r["payload"]["i"] for r in q.claim(container.db, "inbox")] == [1]
