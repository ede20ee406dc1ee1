"""The permohonan life cycle: every status pair × every actor against CONTRACT.md's table."""

from __future__ import annotations

from datetime import datetime
from itertools import product
from zoneinfo import ZoneInfo

import pytest

from domain.errors import InvalidTransition, SyaratTidakTerpenuhi, TidakBerwenang
from domain.model import Aktor, Delegasi, Permohonan, Petugas, Role
from domain.status import Status

AT = datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
ARSIP_DARI = ("selesai", "diserahkan", "tidak_sesuai", "ditolak", "dibatalkan")

# CONTRACT.md's table, written out independently of domain/status.py.
# In `konfirmasi` the item is held by the confirming jabatan, so the "konfirmator"
# actor is its holder there; elsewhere "pemegang" holds it.
ALLOWED: dict[tuple[str, str], set[str]] = {
    ("menunggu", "konfirmasi"): {"cs"},
    ("menunggu", "proses"): {"cs"},
    ("menunggu", "dikembalikan"): {"cs"},
    ("dikembalikan", "menunggu"): {"pemohon"},
    ("konfirmasi", "proses"): {"konfirmator"},
    ("konfirmasi", "ditolak"): {"konfirmator"},
    ("proses", "ditolak"): {"pemegang"},
    ("proses", "selesai"): {"pemegang"},
    ("proses", "tidak_sesuai"): {"bo", "pemegang"},
    ("selesai", "proses"): {"pemegang"},
    ("selesai", "diserahkan"): {"cs", "pemegang"},
    ("tidak_sesuai", "diserahkan"): {"cs", "pemegang"},
    **{(s, "diarsipkan"): {"arsiparis", "sistem"} for s in ARSIP_DARI},
    ("menunggu", "dibatalkan"): {"pemohon"},
    ("konfirmasi", "dibatalkan"): {"pemohon"},
    ("dikembalikan", "dibatalkan"): {"pemohon", "sistem"},
}

ACTORS = {
    "pemohon": Aktor(jenis="pemohon", nama="Budi", id=7),
    "pemohon_lain": Aktor(jenis="pemohon", nama="Sari", id=8),
    "cs": Aktor(jenis="petugas", nama="Ani", id=1, role="cs"),
    "bo": Aktor(jenis="petugas", nama="Rudi", id=2, role="bo"),
    "arsiparis": Aktor(jenis="petugas", nama="Tono", id=3, role="arsiparis"),
    "koordinator": Aktor(jenis="petugas", nama="Wati", id=4, role="koordinator"),
    "konfirmator": Aktor(jenis="petugas", nama="Kakanwil", id=5, role="pejabat",
                         jabatan=frozenset({"kakanwil"})),
    "pemegang": Aktor(jenis="petugas", nama="Kasubag", id=6, role="pejabat",
                      jabatan=frozenset({"kasubag_umum"})),
    "pejabat_lain": Aktor(jenis="petugas", nama="Kasi", id=9, role="pejabat",
                          jabatan=frozenset({"kasi_umrah"})),
    "sistem": Aktor.sistem(),
    "admin": Aktor(jenis="petugas", nama="Admin", id=10, role="admin"),
}


def make(status: str) -> Permohonan:
    pemegang = {"menunggu": "cs", "dikembalikan": "cs", "konfirmasi": "kakanwil"}.get(
        status, "kasubag_umum")
    return Permohonan(kantor_id=1, nomor="PTSP-261124-0001", layanan="audiensi", pengaju_id=7,
                      atas_nama="Budi", diajukan=AT, status=Status(status), pemegang=pemegang,
                      konfirmator="kakanwil")


@pytest.mark.parametrize(("dari", "ke", "actor"),
                         list(product([s.value for s in Status], [s.value for s in Status],
                                      ACTORS)))
def test_every_move_is_allowed_only_by_the_actor_the_table_names(dari, ke, actor):
    p = make(dari)
    expected = actor == "admin" and (dari, ke) in ALLOWED and "sistem" != actor
    expected = expected or actor in ALLOWED.get((dari, ke), set())
    if (dari, ke) not in ALLOWED:
        with pytest.raises(InvalidTransition):
            p.transition_to(Status(ke), by=ACTORS[actor], at=AT, catatan="alasan")
        assert p.status == dari and p.riwayat == []
    elif expected:
        p.transition_to(Status(ke), by=ACTORS[actor], at=AT, catatan="alasan")
        assert p.status == ke
        assert p.riwayat[-1].dari == dari and p.riwayat[-1].waktu == AT
        assert p.riwayat[-1].catatan == "alasan"
        assert p.events[-1].ke == ke
    else:
        with pytest.raises(TidakBerwenang):
            p.transition_to(Status(ke), by=ACTORS[actor], at=AT, catatan="alasan")
        assert p.status == dari and p.riwayat == []


def test_the_table_has_exactly_the_contract_moves():
    from domain.status import MOVES

    assert {(a.value, b.value) for a, b in MOVES} == set(ALLOWED)


@pytest.mark.parametrize(("dari", "ke", "actor"), [
    ("menunggu", "dikembalikan", "cs"), ("konfirmasi", "ditolak", "konfirmator"),
    ("proses", "ditolak", "pemegang"), ("proses", "tidak_sesuai", "bo"),
    ("selesai", "proses", "pemegang"),
])
def test_moves_that_need_a_reason_refuse_an_empty_one(dari, ke, actor):
    p = make(dari)
    for catatan in (None, "", "   "):
        with pytest.raises(SyaratTidakTerpenuhi):
            p.transition_to(Status(ke), by=ACTORS[actor], at=AT, catatan=catatan)
    assert p.status == dari


def test_a_plt_acts_for_the_absent_jabatan_and_the_timeline_says_a_n():
    plt = Petugas(kantor_id=1, nama="Pak Plt", role=Role.PEJABAT, jabatan="kabag_tu", id=11)
    aktor = plt.aktor([Delegasi(jabatan="kakanwil", petugas_id=11,
                                sampai=AT.date())], hari_ini=AT.date())
    p = make("konfirmasi")
    p.transition_to(Status.PROSES, by=aktor, at=AT, catatan="disposisi", pemegang="kabag_tu")
    assert "a.n. kakanwil" in p.riwayat[-1].oleh
    q = make("konfirmasi")
    q.transition_to(Status.DITOLAK, by=aktor, at=AT, catatan="bukan wewenang")
    assert "a.n. kakanwil" in q.riwayat[-1].oleh


def test_an_expired_delegation_gives_no_power():
    plt = Petugas(kantor_id=1, nama="Pak Plt", role=Role.PEJABAT, jabatan="kabag_tu", id=11)
    kemarin = AT.date().replace(day=23)
    aktor = plt.aktor([Delegasi(jabatan="kakanwil", petugas_id=11, sampai=kemarin)],
                      hari_ini=AT.date())
    with pytest.raises(TidakBerwenang):
        make("konfirmasi").transition_to(Status.PROSES, by=aktor, at=AT, catatan="x")
