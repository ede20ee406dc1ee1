"""Job handlers: SLA reminders and escalation, the daily and monthly recaps.

Registered once in the composition root, so `ptsp serve`, `ptsp shell`, `ptsp-admin` and
the tests schedule and run the same jobs.

Jobs are rows with a dedup key, so several instances schedule and run each one once.
A reminder re-checks the permohonan when it fires: if the deadline moved (a pause) or
the clock stopped, it does nothing — the new deadline scheduled its own reminders.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from domain import laporan
from domain.konteks import Konteks, fmt_waktu, kabari_petugas
from domain.penerima import koordinator, penerima_jabatan, penerima_pengaduan
from domain.ports import AbstractUnitOfWork
from domain.sla import tenggat_berjalan
from domain.status import LABEL

PERSEN = (50, 80, 100)


def jadwalkan_pengingat(c: Konteks, uow: AbstractUnitOfWork, p: Any) -> None:
    """Reminders to the holder at 50 %, 80 % and 100 % of the SLA, in working time."""
    tenggat = tenggat_berjalan(p)
    if tenggat is None or p.sla_mulai is None:
        return
    stamp = tenggat.astimezone(UTC).isoformat()  # the same text however it was loaded
    kal = c.profil(p.kantor_id).kalender
    total = kal.working_minutes_between(p.sla_mulai, tenggat)
    for pct in PERSEN:
        at = tenggat if pct == 100 else kal.add_working_minutes(p.sla_mulai, total * pct // 100)
        if at <= c.clock.now():
            continue
        uow.jobs.schedule("sla_pengingat", {"nomor": p.nomor, "persen": pct, "tenggat": stamp},
                          at, dedup_key=f"sla:{p.nomor}:{pct}:{stamp}")


def jadwalkan_pengingat_aduan(c: Konteks, uow: AbstractUnitOfWork, a: Any) -> None:
    """A complaint's reminders at 50 %, 80 % and 100 % of its tier's time, in working time."""
    if a.tenggat is None or a.status in ("selesai", "ditolak"):
        return
    stamp = a.tenggat.astimezone(UTC).isoformat()
    kal = c.profil(a.kantor_id).kalender
    total = kal.working_minutes_between(a.diterima, a.tenggat)
    for pct in PERSEN:
        at = a.tenggat if pct == 100 else kal.add_working_minutes(a.diterima, total * pct // 100)
        if at <= c.clock.now():
            continue
        uow.jobs.schedule("aduan_pengingat", {"nomor": a.nomor, "persen": pct, "tenggat": stamp},
                          at, dedup_key=f"aduan:{a.nomor}:{pct}:{stamp}")


def aduan_pengingat(c: Konteks, uow: AbstractUnitOfWork, payload: dict[str, Any]) -> None:
    """Remind those handling a complaint before its tier deadline (the koordinator at 100 %)."""
    a = uow.pengaduan.get(payload["nomor"])
    if a is None or a.status in ("selesai", "ditolak") or a.tenggat is None:
        return
    if a.tenggat.astimezone(UTC) != datetime.fromisoformat(payload["tenggat"]):
        return  # re-classified: the new deadline has its own reminders
    profil = c.profil(a.kantor_id)
    today = c.clock.now().astimezone(profil.kalender.tz).date()
    semua = uow.petugas.list()
    tujuan = list(penerima_pengaduan(semua, a).petugas)
    for kode in a.diteruskan_ke:
        tujuan += [p for p in penerima_jabatan(semua, uow.petugas.delegasi(today), kode,
                                               today).petugas if p not in tujuan]
    if payload["persen"] >= 100:
        tujuan += [p for p in koordinator(semua) if p not in tujuan]
    text = c.pesan("tg_pengingat_aduan", nomor=a.nomor, persen=payload["persen"],
                   tier=a.tier, tenggat=fmt_waktu(a.tenggat, profil.timezone))
    for petugas in tujuan:
        kabari_petugas(uow, petugas, text)


def sla_pengingat(c: Konteks, uow: AbstractUnitOfWork, payload: dict[str, Any]) -> None:
    """Remind the holders (the koordinator when nobody holds it); at 100 % also escalate."""
    p = uow.permohonan.get(payload["nomor"])
    if p is None:
        return
    tenggat = tenggat_berjalan(p)
    if tenggat is None or tenggat != datetime.fromisoformat(payload["tenggat"]):
        return  # stopped, paused, or the deadline moved: its own reminders are scheduled
    profil = c.profil(p.kantor_id)
    today = c.clock.now().astimezone(profil.kalender.tz).date()
    text = c.pesan("tg_pengingat_sla", nomor=p.nomor, persen=payload["persen"],
                   status=LABEL[p.status], tenggat=fmt_waktu(tenggat, profil.timezone))
    tujuan = penerima_jabatan(uow.petugas.list(), uow.petugas.delegasi(today), p.pemegang,
                              today)
    for petugas in tujuan.petugas:
        kabari_petugas(uow, petugas, text)
    if payload["persen"] >= 100:
        uow.jobs.schedule("sla_eskalasi", {"nomor": p.nomor, "tenggat": payload["tenggat"]},
                          c.clock.now(), dedup_key=f"eskalasi:{p.nomor}:{payload['tenggat']}")


def sla_eskalasi(c: Konteks, uow: AbstractUnitOfWork, payload: dict[str, Any]) -> None:
    """An overdue item goes to the koordinator's attention."""
    p = uow.permohonan.get(payload["nomor"])
    if p is None or tenggat_berjalan(p) is None:
        return
    profil = c.profil(p.kantor_id)
    text = c.pesan("tg_eskalasi", nomor=p.nomor, pemegang=profil.nama_jabatan(p.pemegang),
                   status=LABEL[p.status],
                   tenggat=fmt_waktu(tenggat_berjalan(p), profil.timezone))
    for petugas in koordinator(uow.petugas.list()):
        kabari_petugas(uow, petugas, text)


def jadwalkan_rekap(c: Konteks, uow: AbstractUnitOfWork, after: datetime) -> None:
    """The next daily recap at the configured time on a working day."""
    jam = time.fromisoformat(c.rekap_jam)
    kal = c.profil(uow.kantor_id).kalender
    day = after.astimezone(kal.tz).date()
    for _ in range(30):
        at = datetime.combine(day, jam, tzinfo=kal.tz)
        if at > after and kal.is_working_day(day):
            uow.jobs.schedule("rekap_harian", {"tanggal": day.isoformat()}, at,
                              dedup_key=f"rekap:{uow.kantor_id}:{day.isoformat()}")
            return
        day += timedelta(days=1)


def rekap_harian(c: Konteks, uow: AbstractUnitOfWork, payload: dict[str, Any]) -> None:
    text = teks_rekap_harian(c, uow, c.clock.now())
    for petugas in koordinator(uow.petugas.list()):
        kabari_petugas(uow, petugas, text)
    jadwalkan_rekap(c, uow, c.clock.now())


def jadwalkan_rekap_bulanan(c: Konteks, uow: AbstractUnitOfWork, after: datetime) -> None:
    """The complaint recap of a month, on the first working day of the next one."""
    jam = time.fromisoformat(c.rekap_jam)
    kal = c.profil(uow.kantor_id).kalender
    local = after.astimezone(kal.tz)
    day = local.date().replace(day=1)
    for _ in range(3):
        first = day
        while not kal.is_working_day(day):
            day += timedelta(days=1)
        at = datetime.combine(day, jam, tzinfo=kal.tz)
        if at > after:
            bulan = (first - timedelta(days=1)).strftime("%Y-%m")
            uow.jobs.schedule("rekap_pengaduan", {"bulan": bulan}, at,
                              dedup_key=f"rekap_aduan:{uow.kantor_id}:{bulan}")
            return
        day = (first + timedelta(days=32)).replace(day=1)


def rekap_pengaduan(c: Konteks, uow: AbstractUnitOfWork, payload: dict[str, Any]) -> None:
    """Counts of last month's complaints by topic and status, to the koordinator."""
    kal = c.profil(uow.kantor_id).kalender
    year, month = (int(x) for x in payload["bulan"].split("-"))
    mulai = datetime(year, month, 1, tzinfo=kal.tz)
    akhir = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=kal.tz)
    items = [a for a in uow.pengaduan.list() if mulai <= a.diterima < akhir]
    topik: dict[str, int] = {}
    status: dict[str, int] = {}
    for a in items:
        topik[a.topik or "belum_diklasifikasi"] = topik.get(a.topik or "belum_diklasifikasi",
                                                            0) + 1
        status[a.status] = status.get(a.status, 0) + 1
    now = c.clock.now()
    lewat = [a.nomor for a in items
             if a.tenggat and a.tenggat < now and a.status not in ("selesai", "ditolak")]
    text = c.pesan("tg_rekap_pengaduan", bulan=payload["bulan"], jumlah=len(items),
                   topik="\n".join(f"• {k}: {v}" for k, v in sorted(topik.items())) or "-",
                   status="\n".join(f"• {k}: {v}" for k, v in sorted(status.items())) or "-",
                   lewat=", ".join(lewat) or "-")
    for petugas in koordinator(uow.petugas.list()):
        kabari_petugas(uow, petugas, text)
    jadwalkan_rekap_bulanan(c, uow, now)


JOBS = {"sla_pengingat": sla_pengingat, "sla_eskalasi": sla_eskalasi,
        "rekap_harian": rekap_harian, "rekap_pengaduan": rekap_pengaduan,
        "aduan_pengingat": aduan_pengingat}


def teks_rekap_harian(c: Konteks, uow: AbstractUnitOfWork, now: datetime) -> str:
    """Today's counts by layanan and status, for the koordinator."""
    tz = c.profil(uow.kantor_id).kalender.tz
    r = laporan.rekap_harian(uow, tz, now.astimezone(tz).date(), now)
    lines = [f"• {lay}: {st} {n}" for (lay, st), n in r.per_layanan_status.items()]
    return c.pesan("tg_rekap", tanggal=r.tanggal.isoformat(), jumlah=r.jumlah,
                   daftar="\n".join(lines) or "(belum ada)",
                   lewat=", ".join(r.lewat_tenggat[:20]) or "-")
