"""`uow.laporan.kinerja` measures working time in SQL, on SQLite and PostgreSQL, exactly
as the calendar does in Python: random steps across nights, weekends, Friday's break,
holidays and long waits, each official's count, median and on-time steps compared with
`JamKerja.menit` and a plain median."""

from __future__ import annotations

import random
import statistics
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.settings import load_settings
from domain import commands as c
from domain.kalender import KalenderKerja
from domain.model import Permohonan, Riwayat, Status

WIB = ZoneInfo("Asia/Jakarta")
OLEH = ("Ani Lestari (cs)", "Pak Budi (bo)", "Dr. H. Salim (pejabat)")


@pytest.fixture
def kal() -> KalenderKerja:
    return KalenderKerja.from_config(load_settings().kantor[0].model_dump())


def _isi(container, rnd: random.Random, mulai: datetime, n: int) -> list[Permohonan]:
    """n permohonan, each with a submission and two to five officials' steps at random
    seconds (some waiting weeks); a deadline on most."""
    out = []
    with container.uow() as uow:
        pid = container.bus.handle(c.DaftarPemohon(
            kanal="whatsapp", kanal_id="+6281234567890", nama="Siti Aminah",
            hp="+6281234567890", nik="3171011708850003", persetujuan=True), uow).id
    with container.uow() as uow:
        for i in range(n):
            t = mulai + timedelta(seconds=rnd.randrange(0, 150 * 86400))
            p = Permohonan(kantor_id=1, nomor=f"T-{i:05d}", layanan="legalisir", pengaju_id=pid,
                           atas_nama="X", diajukan=t)
            p.riwayat.append(Riwayat(waktu=t, status=Status.MENUNGGU, oleh="Pemohon"))
            for _ in range(rnd.randint(2, 5)):
                t += timedelta(seconds=rnd.choice((rnd.randrange(60, 4 * 3600),
                                                   rnd.randrange(3600, 40 * 86400))))
                p.riwayat.append(Riwayat(waktu=t, status=Status.PROSES, oleh=rnd.choice(OLEH)))
            if rnd.random() < 0.1:
                p.riwayat.append(Riwayat(waktu=t + timedelta(days=30), status=Status.DISERAHKAN,
                                         oleh="Sistem"))
            if rnd.random() < 0.8:
                p.sla_tenggat = p.diajukan + timedelta(days=rnd.randint(1, 20))
            uow.permohonan.add(p)
            out.append(p)
        uow.commit()
    return out


def _harapan(items: list[Permohonan], mulai: datetime, akhir: datetime, ukur) -> dict:
    per: dict[str, dict] = {}
    for p in items:
        for sebelum, r in zip(p.riwayat, p.riwayat[1:], strict=False):
            if not (mulai <= r.waktu < akhir) or r.oleh in ("Pemohon", "Sistem"):
                continue
            d = per.setdefault(r.oleh, {"nomor": set(), "menit": [], "tepat": 0, "dinilai": 0,
                                        "sejak_min": sebelum.waktu})
            d["nomor"].add(p.nomor)
            d["menit"].append(ukur(sebelum.waktu, r.waktu))
            d["sejak_min"] = min(d["sejak_min"], sebelum.waktu)
            if p.sla_tenggat is not None:
                d["dinilai"] += 1
                d["tepat"] += r.waktu <= p.sla_tenggat
    return per


@pytest.mark.parametrize("db_url", ["sqlite", "postgres"], indirect=True)
def test_sql_working_minutes_and_medians_equal_the_calendars(container, kal):
    rnd = random.Random(2026)
    items = _isi(container, rnd, datetime(2026, 5, 1, tzinfo=WIB), 300)
    mulai, akhir = datetime(2026, 7, 1, tzinfo=WIB), datetime(2026, 9, 1, tzinfo=WIB)
    jam = kal.jam_kerja(datetime(2026, 4, 1, tzinfo=WIB), akhir)
    with container.uow() as uow:
        got = {c.oleh: c for c in uow.laporan.kinerja(mulai, akhir, jam)}
    want = _harapan(items, mulai, akhir, jam.menit)
    assert set(got) == set(want) == set(OLEH)
    for oleh, d in want.items():
        c = got[oleh]
        assert (c.ditangani, c.langkah, c.tepat, c.dinilai) == (
            len(d["nomor"]), len(d["menit"]), d["tepat"], d["dinilai"]), oleh
        assert c.median_menit == statistics.median(d["menit"]), oleh
        assert c.sejak_min == d["sejak_min"].astimezone(UTC)


def test_the_layout_starts_at_local_midnight_with_fridays_break(kal):
    """(Its minutes equal working_minutes_between: tests/unit/test_kalender.py.)"""
    awal, akhir = datetime(2026, 12, 1, tzinfo=WIB), datetime(2027, 1, 15, tzinfo=WIB)
    jam = kal.jam_kerja(awal, akhir)
    assert jam.awal == awal and jam.rentang_per_hari == 2
    assert jam.menit(akhir, awal) == 0


@pytest.mark.parametrize("db_url", ["sqlite", "postgres"], indirect=True)
def test_an_item_finished_reopened_and_finished_again_counts_once_in_its_first_period(
        container):
    with container.uow() as uow:
        pid = container.bus.handle(c.DaftarPemohon(
            kanal="whatsapp", kanal_id="+6281234567890", nama="Siti Aminah",
            hp="+6281234567890", nik="3171011708850003", persetujuan=True), uow).id
    juli = datetime(2026, 7, 14, 9, tzinfo=WIB)
    langkah = [(juli, Status.MENUNGGU, None, "Pemohon"),
               (juli + timedelta(hours=1), Status.PROSES, Status.MENUNGGU, OLEH[0]),
               (juli + timedelta(hours=3), Status.SELESAI, Status.PROSES, OLEH[1]),
               (juli + timedelta(days=30), Status.PROSES, Status.SELESAI, OLEH[2]),
               (juli + timedelta(days=31), Status.SELESAI, Status.PROSES, OLEH[1])]
    with container.uow() as uow:
        p = Permohonan(kantor_id=1, nomor="T-1", layanan="legalisir", pengaju_id=pid,
                       atas_nama="X", diajukan=juli, status=Status.SELESAI)
        p.riwayat = [Riwayat(waktu=t, status=s, oleh=o, dari=d) for t, s, d, o in langkah]
        uow.permohonan.add(p)
        uow.commit()
    with container.uow() as uow:
        bulan = {m: uow.laporan.penyelesaian(datetime(2026, m, 1, tzinfo=WIB),
                                             datetime(2026, m + 1, 1, tzinfo=WIB))
                 for m in (7, 8)}
    assert [(x.oleh, x.jumlah) for x in bulan[7]] == [(OLEH[1], 1)]
    assert bulan[8] == []
