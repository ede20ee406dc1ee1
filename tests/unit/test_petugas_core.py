"""The officials' core without a database: text routing, recipients, the table, schedules."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from bot.bootstrap import katalog_kantor, load_pesan, profil_kantor
from bot.settings import load_settings
from dialogs import petugas as dp
from domain import commands as c
from domain.errors import SyaratTidakTerpenuhi
from domain.konteks import Konteks
from domain.model import Aktor, Delegasi, Pemohon, Pengaduan, Petugas, Role
from domain.penerima import penerima_cs, penerima_jabatan, penerima_pengaduan, tujuan_disposisi
from domain.services import MessageBus
from tests.conftest import WIB
from tests.fakes import FakeUnitOfWork, FixedClock

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=WIB)
TODAY = NOW.date()


@pytest.fixture(scope="module")
def setting():
    s = load_settings()
    kat = katalog_kantor(s)[0]
    return s, kat, profil_kantor(1, s.kantor[0], kat), load_pesan(s.pesan_file)


@pytest.fixture
def bus(setting):
    s, kat, profil, pesan = setting
    clock = FixedClock(NOW)
    return MessageBus(Konteks(clock=clock, katalog=kat, kantor={1: profil}, pesan=pesan,
                              numbering_tz="Asia/Jakarta"))


def q(kunci: str, nomor: str = "PTSP-261124-0001", tujuan: str = "tolak", untuk: str = "Budi"):
    return dp.Pertanyaan(kunci=kunci, nomor=nomor, tujuan=tujuan, untuk=untuk)


# -- which question a text answers --------------------------------------------------------------

def test_with_no_open_question_a_text_is_for_nobody():
    assert dp.arahkan("halo", []) == dp.Bantuan("halo")


def test_with_one_open_question_the_text_answers_it():
    assert dp.arahkan("alasannya X", [q("aksi:A")]) == dp.Jawab("aksi:A", "alasannya X")


def test_with_several_the_official_is_asked_and_a_reply_binds_without_asking():
    both = [q("aksi:A"), q("relay:B", nomor="+6285700000001", tujuan=dp.RELAY, untuk="Siti")]
    k = dp.arahkan("teks", both)
    assert isinstance(k, dp.TanyaMana) and [x.kunci for x in k.pilihan] == ["aksi:A", "relay:B"]
    assert dp.arahkan("teks", both, dibalas="relay:B") == dp.Jawab("relay:B", "teks")
    # a reply to something no longer open does not bind
    assert isinstance(dp.arahkan("teks", both, dibalas="relay:GONE"), dp.TanyaMana)


def test_the_kept_text_goes_where_the_official_chose_and_only_while_it_is_open():
    both = [q("aksi:A"), q("relay:B", tujuan=dp.RELAY)]
    state = dp.simpan_tertunda({"pending": []}, dp.arahkan("teks", both))
    new, jawab = dp.pilih_tertunda(state, 1, both)
    assert jawab == dp.Jawab("relay:B", "teks") and "tertunda" not in new
    _, gone = dp.pilih_tertunda(state, 1, both[:1])  # the relay ended meanwhile
    assert gone is None
    _, none = dp.pilih_tertunda(new, 0, both)  # chosen once only
    assert none is None


def test_a_choice_label_names_the_number_and_the_citizen():
    label = q("aksi:A", untuk="Siti Aminah").label({"tolak": "Tolak"})
    assert label == "Tolak · PTSP-261124-0001 · Siti Aminah"


# -- who receives ---------------------------------------------------------------------------

def petugas(i, nama, role, jabatan=None, tugas=(), aktif=True):
    return Petugas(kantor_id=1, nama=nama, role=Role(role), jabatan=jabatan, tugas=tugas,
                   aktif=aktif, id=i)


STAFF = [petugas(1, "Ani", "cs", tugas=("layanan",)), petugas(2, "Rina", "cs", tugas=("surat",)),
         petugas(3, "Wati", "koordinator"), petugas(4, "Pak Kakanwil", "pejabat", "kakanwil"),
         petugas(5, "Pak Kabag", "pejabat", "kabag_tu", aktif=False),
         petugas(6, "Bu Dewi", "pejabat", "kasubag_umum")]


def test_a_jabatan_with_no_active_holder_goes_to_the_koordinator():
    r = penerima_jabatan(STAFF, [], "kabag_tu", TODAY)
    assert [p.nama for p in r.petugas] == ["Wati"] and r.kosong == "kabag_tu"


def test_a_plt_holds_the_jabatan_until_the_end_of_the_delegation():
    d = [Delegasi(jabatan="kabag_tu", petugas_id=6, sampai=TODAY)]
    assert [p.nama for p in penerima_jabatan(STAFF, d, "kabag_tu", TODAY).petugas] == ["Bu Dewi"]
    late = penerima_jabatan(STAFF, d, "kabag_tu", TODAY + timedelta(days=1))
    assert late.kosong == "kabag_tu"


def test_the_cs_of_the_desk_and_with_no_match_every_cs():
    assert [p.nama for p in penerima_cs(STAFF, "surat").petugas] == ["Rina"]
    assert [p.nama for p in penerima_cs(STAFF, "aduan_skm").petugas] == ["Ani", "Rina"]


def test_a_pungli_complaint_reaches_the_koordinator_only_and_never_the_one_it_names():
    a = Pengaduan(kantor_id=1, nomor="ADU-1", kategori="pengaduan", diterima=NOW,
                  teks="Wati minta uang", topik="pungli_gratifikasi")
    assert penerima_pengaduan(STAFF, a).petugas == ()
    a.topik, a.teks = "pelayanan_lambat", "lambat sekali"
    staff = [*STAFF, petugas(7, "Budi", "cs", tugas=("aduan_skm",))]
    assert [p.nama for p in penerima_pengaduan(staff, a).petugas] == ["Wati", "Budi"]


def test_disposisi_to_any_jabatan_below_the_named_one_first(setting):
    profil = setting[2]
    out = tujuan_disposisi(profil, "kakanwil", "kasubag_umum")
    assert out[0] == "kasubag_umum" and "kabag_tu" in out and "kasi_umrah" in out
    assert "kakanwil" not in out
    assert tujuan_disposisi(profil, "kasubag_umum", None) == []


# -- the domain's schedule rules, on a fake unit of work -----------------------------------------

def _audiensi(bus, uow) -> str:
    p = uow.pemohon.add(Pemohon(kantor_id=1, nama="Budi", hp="+6281234567890"), "whatsapp",
                        "+6281234567890")
    nomor = bus.handle(c.AjukanPermohonan(
        pemohon_id=p.id, layanan="audiensi", atas_nama="Budi",
        data={"pejabat": "kakanwil", "waktu": (NOW + timedelta(days=1)).isoformat()}), uow)
    cs = Aktor(jenis="petugas", nama="Ani", id=1, role="cs")
    pm = uow.permohonan.get(nomor)
    bus.handle(c.PeriksaKelengkapan(nomor, cs, {k: True for k in pm.checklist}), uow)
    return nomor


KAKANWIL = Aktor(jenis="petugas", nama="Pak Kakanwil", id=4, role="pejabat",
                 jabatan=frozenset({"kakanwil"}))


def test_the_kakanwil_schedules_himself_from_konfirmasi_and_a_reschedule_says_so(bus):
    uow = FakeUnitOfWork()
    nomor = _audiensi(bus, uow)
    waktu = NOW + timedelta(days=2, hours=4)
    bus.handle(c.JadwalkanAudiensi(nomor, KAKANWIL, waktu, "Ruang Kakanwil"), uow)
    p = uow.permohonan.get(nomor)
    assert p.status == "selesai" and p.pemegang == "kakanwil"
    with pytest.raises(SyaratTidakTerpenuhi):  # not before the time has come
        bus.handle(c.UbahStatus(nomor, KAKANWIL, "diserahkan", "terlaksana"), uow)
    uow.rollback()
    bus.handle(c.UbahStatus(nomor, KAKANWIL, "proses", "Pimpinan dinas luar"), uow)
    texts = uow.outbox.texts("+6281234567890")
    assert "tidak berlaku lagi" in texts[-1] and "Pimpinan dinas luar" in texts[-1]
    assert "jadwal" not in uow.permohonan.get(nomor).data


def test_an_audiensi_held_after_its_time_is_told_to_the_pemohon(bus):
    uow = FakeUnitOfWork()
    nomor = _audiensi(bus, uow)
    bus.handle(c.JadwalkanAudiensi(nomor, KAKANWIL, NOW + timedelta(hours=3), "Aula"), uow)
    bus.ctx.clock.advance(hours=4)
    bus.handle(c.UbahStatus(nomor, KAKANWIL, "diserahkan", "terlaksana"), uow)
    assert "telah *terlaksana*" in uow.outbox.texts("+6281234567890")[-1]


def test_nothing_of_a_refused_command_is_kept(bus):
    uow = FakeUnitOfWork()
    nomor = _audiensi(bus, uow)
    before = len(uow.outbox.sent)
    kasi = Aktor(jenis="petugas", nama="Pak Kasi", id=9, role="pejabat",
                 jabatan=frozenset({"kasi_umrah"}))
    with pytest.raises(Exception):  # noqa: B017 - whichever refusal, nothing changes
        bus.handle(c.JadwalkanAudiensi(nomor, kasi, NOW + timedelta(days=1), "Aula"), uow)
    uow.rollback()
    assert uow.permohonan.get(nomor).status == "konfirmasi" and len(uow.outbox.sent) == before


def test_today_is_a_working_day_for_these_tests():
    assert date(2026, 11, 24).weekday() == 1
