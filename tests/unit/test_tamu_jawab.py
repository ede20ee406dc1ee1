"""The host's answer to a guest (`domain.tamu.jawab_tamu`) on fakes of the ports.

Telegram's buttons and `ptsp-admin tamu jawab` both run this handler; the end-to-end
path is tests/e2e/test_tamu_host.py.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bot.bootstrap import katalog_kantor, load_pesan, profil_kantor
from bot.settings import load_settings
from domain.errors import DataTidakValid, SyaratTidakTerpenuhi, TidakBerwenang
from domain.events import TamuDijawab, TamuTerdaftar
from domain.konteks import Konteks
from domain.model import Aktor, Delegasi, Pemohon, Petugas, Role
from domain.services import MessageBus
from domain.tamu import TAMU_HANDLERS, DaftarTamu, JawabTamu
from tests.conftest import WIB
from tests.fakes import FakeUnitOfWork, FixedClock

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=WIB)  # a Tuesday
BUDI = "+6281234567890"


@pytest.fixture(scope="module")
def setting():
    s = load_settings()
    kat = katalog_kantor(s)[0]
    return kat, profil_kantor(1, s.kantor[0], kat), load_pesan(s.pesan_file)


@pytest.fixture
def bus(setting):
    kat, profil, pesan = setting
    bus = MessageBus(Konteks(clock=FixedClock(NOW), katalog=kat, kantor={1: profil},
                             pesan=pesan, numbering_tz="Asia/Jakarta"))
    bus.command_handlers.update(TAMU_HANDLERS)
    return bus


@pytest.fixture
def uow():
    u = FakeUnitOfWork()
    for p in (Petugas(kantor_id=1, nama="Pak Kabag", role=Role.PEJABAT, jabatan="kabag_tu"),
              Petugas(kantor_id=1, nama="Pak Kasi", role=Role.PEJABAT, jabatan="kasi_umrah"),
              Petugas(kantor_id=1, nama="Ani", role=Role.CS),
              Petugas(kantor_id=1, nama="Wati", role=Role.KOORDINATOR)):
        u.petugas.add(p)
    u.pemohon.add(Pemohon(kantor_id=1, nama="Budi Santoso", hp=BUDI), "whatsapp", BUDI)
    return u


def aktor(uow, nama: str) -> Aktor:
    p = next(x for x in uow.petugas.list() if x.nama == nama)
    return p.aktor(uow.petugas.delegasi(NOW.date()), hari_ini=NOW.date())


def tamu(bus, uow, hp: str | None = BUDI) -> str:
    t = bus.handle(DaftarTamu(aktor=aktor(uow, "Ani"), nama="Budi Santoso", tujuan="kabag_tu",
                              keperluan="Koordinasi MTQ", hp=hp), uow)
    return t.nomor


def to_budi(uow) -> list[dict]:
    return [m for ch, r, m in uow.outbox.sent if (ch, r) == ("whatsapp", BUDI)]


def test_registering_raises_the_hosts_event_and_accepting_tells_the_guest(bus, uow):
    seen = []
    bus.event_handlers[TamuTerdaftar] = [lambda ev, u, c: seen.append(ev)]
    bus.event_handlers[TamuDijawab] = [lambda ev, u, c: seen.append(ev)]
    nomor = tamu(bus, uow)
    assert seen == [TamuTerdaftar(nomor=nomor, kantor_id=1)]
    t = bus.handle(JawabTamu(aktor=aktor(uow, "Pak Kabag"), nomor=nomor, jawaban="terima"), uow)
    assert t.status == "diterima"
    assert seen[1] == TamuDijawab(nomor=nomor, kantor_id=1, jawaban="diterima",
                                  oleh=aktor(uow, "Pak Kabag").label())
    [m] = to_budi(uow)
    assert nomor in m["text"] and m["kabar"]["jenis"] == "tamu_dijawab"
    assert m["kabar"]["variabel"][0] == nomor and m["kabar"]["variabel"][1] == "diterima"
    with pytest.raises(SyaratTidakTerpenuhi, match="sudah diterima"):
        bus.handle(JawabTamu(aktor=aktor(uow, "Pak Kabag"), nomor=nomor, jawaban="terima"), uow)


@pytest.mark.parametrize("nama", ["Pak Kasi", "Ani"])
def test_only_the_host_the_koordinator_or_admin_may_answer(bus, uow, nama):
    nomor = tamu(bus, uow)
    with pytest.raises(TidakBerwenang):
        bus.handle(JawabTamu(aktor=aktor(uow, nama), nomor=nomor, jawaban="terima"), uow)
    assert not to_budi(uow)
    assert bus.handle(JawabTamu(aktor=aktor(uow, "Wati"), nomor=nomor, jawaban="terima"),
                      uow).status == "diterima"


def test_a_plt_of_the_jabatan_answers_as_its_holder(bus, uow):
    kasi = next(p for p in uow.petugas.list() if p.nama == "Pak Kasi")
    uow.petugas.add_delegasi(Delegasi(jabatan="kabag_tu", petugas_id=kasi.id,
                                      sampai=NOW.date()))
    nomor = tamu(bus, uow)
    assert bus.handle(JawabTamu(aktor=aktor(uow, "Pak Kasi"), nomor=nomor, jawaban="terima"),
                      uow).status == "diterima"


@pytest.mark.parametrize(("waktu", "why"), [
    (None, "wajib"),
    (NOW - timedelta(hours=1), "sudah lewat"),
    (datetime(2026, 11, 28, 10, 0, tzinfo=WIB), "kantor tutup"),  # a Saturday
    (datetime(2026, 11, 25, 10, 0), "zona waktu"),
])
def test_a_new_time_must_be_given_future_and_in_office_hours(bus, uow, waktu, why):
    nomor = tamu(bus, uow)
    with pytest.raises(DataTidakValid, match=why):
        bus.handle(JawabTamu(aktor=aktor(uow, "Pak Kabag"), nomor=nomor,
                             jawaban="jadwal_ulang", waktu=waktu), uow)
    assert uow.tamu.get(nomor).status == "terdaftar" and not to_budi(uow)


def test_rescheduling_moves_the_visit_to_its_new_day(bus, uow):
    nomor = tamu(bus, uow)
    baru = datetime(2026, 11, 26, 13, 30, tzinfo=WIB)
    t = bus.handle(JawabTamu(aktor=aktor(uow, "Pak Kabag"), nomor=nomor,
                             jawaban="jadwal_ulang", waktu=baru, alasan="Rapat pagi"), uow)
    assert (t.status, t.waktu, t.tanggal.isoformat()) == ("dijadwalkan_ulang", baru,
                                                          "2026-11-26")
    assert t.riwayat[-1].catatan == "Rapat pagi"
    assert "Kamis, 26 November 2026 pukul 13.30" in to_budi(uow)[0]["text"]
    assert [x.nomor for x in uow.tamu.list(baru.date())] == [nomor]


def test_a_refusal_needs_a_reason_and_ends_the_visit(bus, uow):
    nomor = tamu(bus, uow)
    with pytest.raises(DataTidakValid, match="alasan"):
        bus.handle(JawabTamu(aktor=aktor(uow, "Pak Kabag"), nomor=nomor, jawaban="tolak"), uow)
    bus.handle(JawabTamu(aktor=aktor(uow, "Pak Kabag"), nomor=nomor, jawaban="tolak",
                         alasan="Dinas luar kota"), uow)
    assert "Dinas luar kota" in to_budi(uow)[0]["text"]
    with pytest.raises(SyaratTidakTerpenuhi, match="ditolak"):
        bus.handle(JawabTamu(aktor=aktor(uow, "Pak Kabag"), nomor=nomor, jawaban="terima"), uow)


def test_a_guest_without_a_number_is_answered_without_a_message(bus, uow):
    nomor = tamu(bus, uow, hp=None)
    bus.handle(JawabTamu(aktor=aktor(uow, "Pak Kabag"), nomor=nomor, jawaban="terima"), uow)
    assert not [m for ch, _, m in uow.outbox.sent if ch == "whatsapp"]


def test_a_desk_guest_with_a_number_is_told_on_that_number(bus, uow):
    other = "+6285700000001"
    nomor = tamu(bus, uow, hp="085700000001")
    bus.handle(JawabTamu(aktor=aktor(uow, "Pak Kabag"), nomor=nomor, jawaban="terima"), uow)
    assert [r for ch, r, _ in uow.outbox.sent if ch == "whatsapp"] == [other]


def test_an_unknown_answer_is_refused(bus, uow):
    nomor = tamu(bus, uow)
    with pytest.raises(DataTidakValid, match="tidak dikenal"):
        bus.handle(JawabTamu(aktor=aktor(uow, "Pak Kabag"), nomor=nomor, jawaban="mungkin"),
                   uow)
