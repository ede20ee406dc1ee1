"""SLA in working time for a permohonan, with concrete 2026 dates (Asia/Jakarta, config hours)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from domain.kalender import KalenderKerja
from domain.katalog import JangkaWaktu
from domain.model import Aktor, Permohonan
from domain.sla import perbarui_sla, tenggat_berjalan
from domain.status import Status

WIB = ZoneInfo("Asia/Jakarta")
CFG = yaml.safe_load((Path(__file__).parents[2] / "config.yml").read_text())["kantor"][0]
KAL = KalenderKerja.from_config(CFG)
CS = Aktor(jenis="petugas", nama="Ani", id=1, role="cs")
PEMOHON = Aktor(jenis="pemohon", nama="Budi", id=7)


def wib(*a: int) -> datetime:
    return datetime(*a, tzinfo=WIB)


def submitted(at: datetime, jangka: JangkaWaktu) -> Permohonan:
    p = Permohonan(kantor_id=1, nomor="PTSP-261124-0001", layanan="x", pengaju_id=7,
                   atas_nama="Budi", diajukan=at)
    perbarui_sla(p, jangka, KAL, at)
    return p


AUDIENSI = JangkaWaktu(menit_kerja=65, mulai="pengajuan")


@pytest.mark.parametrize(("at", "jangka", "expected"), [
    # across a weekend: Friday 16:00 + 65 min → 30 min on Friday, 35 on Monday
    (wib(2026, 11, 27, 16, 0), AUDIENSI, wib(2026, 11, 30, 8, 35)),
    # the Friday break: 11:00 + 65 min → 30 before the break, 35 after 13:30
    (wib(2026, 11, 27, 11, 0), AUDIENSI, wib(2026, 11, 27, 14, 5)),
    # a national holiday (Fri 25 Dec) and a cuti bersama (Thu 24 Dec): Wed 15:30 + 65 min
    (wib(2026, 12, 23, 15, 30), AUDIENSI, wib(2026, 12, 28, 8, 35)),
    # cuti bersama Idul Fitri 2026 (20, 23, 24 Mar) after Nyepi (19 Mar) and its cuti (18 Mar)
    (wib(2026, 3, 17, 14, 30), AUDIENSI, wib(2026, 3, 25, 8, 35)),
    # a Ramadan day closes at 15:00: Monday 23 Feb 14:30 + 65 min → Tuesday 08:35
    (wib(2026, 2, 23, 14, 30), AUDIENSI, wib(2026, 2, 24, 8, 35)),
    # submitted at night: the clock starts at the next opening
    (wib(2026, 11, 24, 21, 0), AUDIENSI, wib(2026, 11, 25, 9, 5)),
    # working days: 3 hari kerja from Thursday 10:00 skips the weekend → Tuesday 10:00
    (wib(2026, 11, 26, 10, 0), JangkaWaktu(hari_kerja=3, mulai="pengajuan"),
     wib(2026, 12, 1, 10, 0)),
])
def test_deadline_in_working_time(at, jangka, expected):
    assert tenggat_berjalan(submitted(at, jangka)) == expected


def test_clock_waits_for_a_complete_checklist_when_the_catalog_says_so():
    jangka = JangkaWaktu(jam_kerja=2, mulai="checklist_lengkap")
    p = submitted(wib(2026, 11, 24, 9, 0), jangka)
    assert p.sla_mulai is None and tenggat_berjalan(p) is None
    p.transition_to(Status.PROSES, by=CS, at=wib(2026, 11, 24, 10, 0), catatan="lengkap",
                    pemegang="bo")
    perbarui_sla(p, jangka, KAL, wib(2026, 11, 24, 10, 0))
    assert tenggat_berjalan(p) == wib(2026, 11, 24, 12, 0)


def test_a_pause_in_dikembalikan_moves_the_deadline_by_the_working_time_paused():
    p = submitted(wib(2026, 11, 26, 15, 0), AUDIENSI)  # Thu 15:00 → deadline Fri 08:05
    assert tenggat_berjalan(p) == wib(2026, 11, 27, 8, 5)
    p.transition_to(Status.DIKEMBALIKAN, by=CS, at=wib(2026, 11, 26, 15, 30), catatan="kurang KTP")
    perbarui_sla(p, AUDIENSI, KAL, wib(2026, 11, 26, 15, 30))
    assert tenggat_berjalan(p) is None  # paused
    # the pemohon answers on Monday 09:00: paused 30 min Thu + Fri 7 h + 60 min Mon = 510 min
    p.transition_to(Status.MENUNGGU, by=PEMOHON, at=wib(2026, 11, 30, 9, 0))
    perbarui_sla(p, AUDIENSI, KAL, wib(2026, 11, 30, 9, 0))
    # 35 of 65 minutes remained at the pause → Monday 09:35
    assert tenggat_berjalan(p) == wib(2026, 11, 30, 9, 35)


def test_the_clock_stops_at_selesai_ditolak_and_tidak_sesuai():
    for ke in (Status.SELESAI, Status.TIDAK_SESUAI, Status.DITOLAK):
        p = submitted(wib(2026, 11, 24, 9, 0), AUDIENSI)
        p.status, p.pemegang = Status.PROSES, "kasubag_umum"
        holder = Aktor(jenis="petugas", nama="K", id=2, role="pejabat",
                       jabatan=frozenset({"kasubag_umum"}))
        p.transition_to(ke, by=holder, at=wib(2026, 11, 24, 9, 30), catatan="ok")
        perbarui_sla(p, AUDIENSI, KAL, wib(2026, 11, 24, 9, 30))
        assert tenggat_berjalan(p) is None
