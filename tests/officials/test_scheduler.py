"""SLA reminders and escalation in working time; each sent once with two instances."""

from __future__ import annotations

import asyncio
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from bot.jobs import make_job_handler
from bot.workers import QueueWorker
from storage.tables import JobRow
from storage.uow import Database
from tests.officials.harness import Office
from tests.officials.test_officials import CS, KOOR, audiensi, staff

WIB = ZoneInfo("Asia/Jakarta")


def jobs(k, kind):
    with Session(k.db.engine) as s:
        return sorted(s.exec(select(JobRow).where(JobRow.kind == kind)).all(),
                      key=lambda j: j.next_at)


def make_due(k):
    with Session(k.db.engine) as s:
        for j in s.exec(select(JobRow).where(JobRow.status == "pending")).all():
            j.next_at = datetime(2000, 1, 1, tzinfo=WIB)
            s.add(j)
        s.commit()


async def test_reminders_across_a_weekend_and_a_holiday_sent_once_by_two_instances(
        app_container, clock):
    # Wednesday 23 Dec 2026 15:30: 30 min left that day; 24 Dec cuti bersama, 25 Christmas,
    # then the weekend: the 65-minute audiensi SLA ends Monday 28 Dec 08:35.
    clock.current = datetime(2026, 12, 23, 15, 30, tzinfo=WIB)
    office = Office(app_container)
    await staff(office)
    chat = office.chat()
    clock.current = datetime(2026, 12, 23, 15, 30, tzinfo=WIB)
    await audiensi(chat, waktu="senin jam 10")
    times = [j.next_at.astimezone(WIB) for j in jobs(app_container, "sla_pengingat")]
    # Wednesday closes at 16:00: 30 minutes there, the rest on Monday
    assert times == [datetime(2026, 12, 28, 8, 2, tzinfo=WIB),    # 50 % = 32 min
                     datetime(2026, 12, 28, 8, 22, tzinfo=WIB),   # 80 % = 52 min
                     datetime(2026, 12, 28, 8, 35, tzinfo=WIB)]   # 100 %
    clock.current = datetime(2026, 12, 28, 8, 36, tzinfo=WIB)
    make_due(app_container)
    second = Database(app_container.db.engine.url.render_as_string(hide_password=False))
    handler = make_job_handler(app_container)
    workers = [QueueWorker(db, "job", handler, self_completing=True)
               for db in (app_container.db, second)]
    await asyncio.gather(*(w.drain() for w in workers))
    make_due(app_container)  # the escalation job scheduled by the 100 % reminder
    await asyncio.gather(*(w.drain() for w in workers))
    second.dispose()
    await office.outbox.drain()
    reminders = [m["text"] for m in office.to(CS) if "waktu layanan" in m.get("text", "")]
    assert sorted(r.split("mencapai ")[1][:3] for r in reminders) == ["100", "50%", "80%"]
    assert len([m for m in office.to(KOOR) if "melewati tenggat" in m.get("text", "")]) == 1


async def test_a_reminder_is_dropped_once_the_item_moves_on(sqlite_app, clock):
    office = Office(sqlite_app)
    await staff(office)
    chat = office.chat()
    await audiensi(chat)
    await office.tg_send(CS, button=office.button(CS, "Tidak lengkap"))
    await office.tg_send(CS, button=office.button(CS, "Surat permohonan"))
    await office.tg_send(CS, button=office.button(CS, "Lanjut"))
    await office.tg_send(CS, "Surat belum ditandatangani")
    await office.tg_send(CS, button=office.button(CS, "Kirim"))
    make_due(sqlite_app)
    await QueueWorker(sqlite_app.db, "job", make_job_handler(sqlite_app),
                      self_completing=True).drain()
    await office.outbox.drain()
    assert not [m for m in office.to(CS) if "waktu layanan" in m.get("text", "")]


def test_the_daily_recap_is_scheduled_once_on_the_next_working_day(sqlite_app, clock):
    from bot.scheduler import mulai

    clock.current = datetime(2026, 11, 27, 17, 0, tzinfo=WIB)  # Friday after 16:00
    mulai(sqlite_app)
    mulai(sqlite_app)  # a second instance starting
    rows = jobs(sqlite_app, "rekap_harian")
    assert [r.next_at.astimezone(WIB) for r in rows] == [datetime(2026, 11, 30, 16, 0,
                                                                  tzinfo=WIB)]


async def test_the_monthly_complaint_recap_goes_to_the_koordinator(sqlite_app, clock):
    from bot.scheduler import mulai

    office = Office(sqlite_app)
    await staff(office)
    clock.current = datetime(2026, 11, 30, 17, 0, tzinfo=WIB)
    mulai(sqlite_app)
    rows = jobs(sqlite_app, "rekap_pengaduan")
    # 1 Dec 2026 is a Tuesday, a working day
    assert [(r.next_at.astimezone(WIB), r.payload["bulan"]) for r in rows] == [
        (datetime(2026, 12, 1, 16, 0, tzinfo=WIB), "2026-11")]
    clock.current = datetime(2026, 12, 1, 16, 0, tzinfo=WIB)
    make_due(sqlite_app)
    await QueueWorker(sqlite_app.db, "job", make_job_handler(sqlite_app),
                      self_completing=True).drain()
    await office.outbox.drain()
    # the daily recap is due at the same moment; the two jobs run concurrently
    recaps = [m["text"] for m in office.to(KOOR) if "Rekap pengaduan" in m.get("text", "")]
    assert len(recaps) == 1
    assert "Rekap pengaduan bulan 2026-11: 0 pengaduan" in recaps[0]
    assert [r.payload["bulan"] for r in jobs(sqlite_app, "rekap_pengaduan")] == [
        "2026-11", "2026-12"]


async def test_a_complaint_is_reminded_before_its_tier_deadline(
        sqlite_app, clock):
    from tests.dialogs.test_flows import register

    office = Office(sqlite_app)
    await staff(office)
    chat = office.chat()
    await register(chat)
    for text in ("saya mau mengadu", "1", "Antrian legalisir lama sekali tanpa kejelasan",
                 "lewati", "lewati", "tidak", "ya"):
        await chat.send(text)
    await office.pump()
    rows = jobs(sqlite_app, "aduan_pengingat")
    # a new complaint is answered within the ringan limit (3 working hours): 50 %, 80 %, 100 %
    assert [r.payload["persen"] for r in rows] == [50, 80, 100]
    assert rows[-1].next_at.astimezone(WIB) == datetime(2026, 11, 24, 12, 0, tzinfo=WIB)
    clock.current = datetime(2026, 11, 24, 12, 0, tzinfo=WIB)
    make_due(sqlite_app)
    await QueueWorker(sqlite_app.db, "job", make_job_handler(sqlite_app),
                      self_completing=True).drain()
    await office.outbox.drain()
    texts = [m["text"] for m in office.to(CS) if "ADU-261124-0001" in m.get("text", "")]
    assert sum("sudah mencapai" in t for t in texts) == 3
    assert any("sudah mencapai 100%" in m.get("text", "") for m in office.to(KOOR))
