"""Buku tamu (seed 004): a guest registers, checks in at the desk and checks out.

A guest gets a `TMU-YYMMDD-NNNN` number from the same gapless, deployment-wide daily
sequence as permohonan and pengaduan (`domain.penomoran`). The host — the holders of the
jabatan the guest came to meet, Plt/Plh included, or the koordinator when nobody holds it —
is asked on Telegram when the guest registers (`TamuTerdaftar`: Terima / Jadwalkan ulang /
Tolak, answered with `JawabTamu`; the guest hears the answer on WhatsApp) and is told
when they arrive.

Life cycle (CONTRACT.md, "The counter"): `terdaftar` → (`diterima` | `dijadwalkan_ulang` |
`ditolak`, the host's answer) → `hadir` (checked in) → `selesai` (checked out); `batal`
when withdrawn. Pure domain: no I/O, nothing imported from outside `domain/`.
"""

from __future__ import annotations

import abc
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from domain.errors import DataTidakValid, DomainError, SyaratTidakTerpenuhi, TidakBerwenang
from domain.events import TamuDijawab, TamuTerdaftar
from domain.identitas import normalize_nomor
from domain.konteks import (
    Konteks,
    fmt_waktu,
    hp_sah,
    kabar,
    kabari_pemohon,
    kabari_petugas,
    nik_sah,
    nomor_berikut,
)
from domain.model import Aktor, Riwayat, Role
from domain.penerima import penerima_jabatan
from domain.penomoran import PREFIX_TAMU
from domain.ports import AbstractUnitOfWork
from domain.wewenang import Aksi, Pelaku, boleh

__all__ = [
    "PREFIX_TAMU",
    "STATUS_TAMU",
    "TAMU_HANDLERS",
    "CheckinTamu",
    "CheckoutTamu",
    "DaftarTamu",
    "JawabTamu",
    "Tamu",
    "TamuRepository",
    "TamuTidakDitemukan",
    "cari_nomor_tamu",
    "checkin_tamu",
    "checkout_tamu",
    "daftar_tamu",
    "jawab_tamu",
    "teks_tuan_rumah",
]

#: Tamu `status` codes, CONTRACT.md "The counter".
STATUS_TAMU: tuple[str, ...] = (
    "terdaftar", "diterima", "dijadwalkan_ulang", "ditolak", "hadir", "selesai", "batal")

#: Statuses from which a guest may check in, and the host may (still) answer.
BISA_CHECKIN = frozenset({"terdaftar", "diterima", "dijadwalkan_ulang"})

#: The host's answers (`JawabTamu.jawaban`) and the status each gives the guest.
JAWABAN = {"terima": "diterima", "jadwal_ulang": "dijadwalkan_ulang", "tolak": "ditolak"}

#: The roles that work the guest desk (seed 004; `domain.wewenang`'s `_loket()` for TAMU).
ROLE_MEJA = frozenset({Role.CS, Role.KOORDINATOR, Role.ADMIN})

_TMU_RE = re.compile(r"(?<![A-Za-z0-9])TMU\s*[-_./:#]?\s*\d{6}\s*[-_./]?\s*\d{1,5}(?!\d)",
                     re.IGNORECASE)


class TamuTidakDitemukan(DomainError):
    """No guest with that number in this office."""

    def __init__(self, nomor: str):
        super().__init__(f"tamu {nomor} tidak ditemukan")
        self.nomor = nomor


@dataclass
class Tamu:
    """One visit in the guest book.

    Attributes:
        kantor_id: the office visited.
        nomor: `TMU-YYMMDD-NNNN`, dated by the day of registration.
        nama: the guest's name.
        tujuan: the jabatan code of the host (the office's config).
        keperluan: the purpose of the visit.
        waktu: the planned visit time (timezone-aware).
        tanggal: the visit's day in the office's timezone (the lists are by this day).
        nik: the 16-digit NIK, when given (validated).
        hp: a mobile number in E.164, when given.
        instansi: the guest's organisation, when given.
        status: one of `STATUS_TAMU`.
        masuk: when the guest checked in.
        keluar: when the guest checked out.
        oleh: who registered the guest (an actor's label).
        didaftarkan: when the guest was registered.
        riwayat: every status change, with who made it.
    """

    kantor_id: int
    nomor: str
    nama: str
    tujuan: str
    keperluan: str
    waktu: datetime
    tanggal: date
    nik: str | None = None
    hp: str | None = None
    instansi: str | None = None
    status: str = "terdaftar"
    masuk: datetime | None = None
    keluar: datetime | None = None
    oleh: str | None = None
    didaftarkan: datetime | None = None
    riwayat: list[Riwayat] = field(default_factory=list)
    id: int | None = None


class TamuRepository(abc.ABC):
    """The guest book of one office (`uow.tamu`)."""

    @abc.abstractmethod
    def add(self, t: Tamu) -> Tamu:
        """Store a new guest; sets `t.id`."""

    @abc.abstractmethod
    def get(self, nomor: str, *, for_update: bool = False) -> Tamu | None:
        """One guest by number; `for_update` locks it until the transaction ends."""

    @abc.abstractmethod
    def list(self, tanggal: date | None = None) -> list[Tamu]:
        """The guests of one local day (all when None), by planned time then number."""

    @abc.abstractmethod
    def save(self, t: Tamu) -> None:
        """Write back a changed guest."""


# -- commands ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DaftarTamu:
    """Register a guest (at the desk; later also on WhatsApp)."""

    aktor: Aktor
    nama: str
    tujuan: str
    keperluan: str
    nik: str | None = None
    hp: str | None = None
    instansi: str | None = None
    waktu: datetime | None = None  # planned visit; None: now


@dataclass(frozen=True)
class CheckinTamu:
    """The guest arrives: `nomor` is the number as typed or the scanned QR/pass text."""

    aktor: Aktor
    nomor: str


@dataclass(frozen=True)
class CheckoutTamu:
    """The guest leaves."""

    aktor: Aktor
    nomor: str


@dataclass(frozen=True)
class JawabTamu:
    """The host's answer: receive the guest, give another time, or decline (with a reason).

    `jawaban` is one of `JAWABAN`; `waktu` the new time for `jadwal_ulang`; `alasan` is
    required for `tolak` and told to the guest (optional for `jadwal_ulang`).
    """

    aktor: Aktor
    nomor: str
    jawaban: str
    waktu: datetime | None = None
    alasan: str | None = None


# -- handlers ----------------------------------------------------------------------------


def _repo(uow: AbstractUnitOfWork) -> TamuRepository:
    return uow.tamu  # type: ignore[attr-defined]


def _hari_ini(ctx: Konteks, kantor_id: int) -> date:
    return ctx.clock.now().astimezone(ctx.profil(kantor_id).kalender.tz).date()


def _meja(aktor: Aktor, *, pemohon_boleh: bool = False) -> None:
    """Only the guest desk (CS, koordinator, admin) or the system; a guest may register."""
    if aktor.jenis == "sistem" or (pemohon_boleh and aktor.jenis == "pemohon"):
        return
    if aktor.jenis != "petugas" or aktor.role not in ROLE_MEJA:
        raise TidakBerwenang(
            f"{aktor.nama} tidak berwenang mengurus buku tamu (hanya petugas loket/CS, "
            "koordinator atau admin)")


def _wajib(nilai: str | None, nama: str) -> str:
    teks = " ".join((nilai or "").split())
    if not teks:
        raise DataTidakValid(f"{nama} wajib diisi")
    return teks


def cari_nomor_tamu(teks: str) -> str | None:
    """The `TMU-YYMMDD-NNNN` number in a typed number or a scanned pass, or None.

    The number may sit anywhere in the text (`TMU-261124-0001|Budi|…`, a signed
    `TMU-261124-0001.<tanda>`), typed loosely (`tmu 261124 1`).
    """
    for m in _TMU_RE.finditer(teks or ""):
        nomor = normalize_nomor(m.group(0))
        if nomor is not None:
            return nomor
    return None


def _ambil(uow: AbstractUnitOfWork, teks: str) -> Tamu:
    nomor = cari_nomor_tamu(teks)
    if nomor is None:
        raise DataTidakValid(
            f"nomor tamu (TMU-YYMMDD-NNNN) tidak ditemukan dalam '{teks.strip()}'")
    t = _repo(uow).get(nomor, for_update=True)
    if t is None:
        raise TamuTidakDitemukan(nomor)
    return t


def _kabari_tuan_rumah(uow: AbstractUnitOfWork, ctx: Konteks, t: Tamu, text: str) -> int:
    """Tell the holders of the guest's `tujuan` (or the koordinator); how many were reached."""
    today = _hari_ini(ctx, t.kantor_id)
    penerima = penerima_jabatan(uow.petugas.list(), uow.petugas.delegasi(today), t.tujuan, today)
    if penerima.kosong:
        text += "\n" + ctx.pesan("tamu_jabatan_kosong",
                                 jabatan=ctx.profil(t.kantor_id).nama_jabatan(penerima.kosong))
    return sum(kabari_petugas(uow, p, text) for p in penerima.petugas)


def daftar_tamu(cmd: DaftarTamu, uow: AbstractUnitOfWork, ctx: Konteks) -> Tamu:
    """Register a guest: a `TMU-…` number, and the host is told on Telegram.

    Raises:
        TidakBerwenang: the actor does not work the guest desk.
        DataTidakValid: a missing name or purpose, an unknown jabatan, a bad NIK or HP,
            a planned time without timezone or on a past day.
    """
    _meja(cmd.aktor, pemohon_boleh=True)
    profil = ctx.profil(uow.kantor_id)
    nama = _wajib(cmd.nama, "nama tamu")
    keperluan = _wajib(cmd.keperluan, "keperluan")
    tujuan = (cmd.tujuan or "").strip()
    if tujuan not in profil.jabatan:
        raise DataTidakValid(f"jabatan tujuan '{tujuan}' tidak ada di konfigurasi kantor; "
                             f"pilih dari {', '.join(profil.jabatan)}")
    now = ctx.clock.now()
    today = _hari_ini(ctx, uow.kantor_id)
    nik, hp = nik_sah(cmd.nik, today), hp_sah(cmd.hp)
    waktu = cmd.waktu or now
    if waktu.tzinfo is None:
        raise DataTidakValid("waktu kunjungan harus dengan zona waktu")
    tanggal = waktu.astimezone(profil.kalender.tz).date()
    if tanggal < today:
        raise DataTidakValid(f"waktu kunjungan {tanggal.isoformat()} sudah lewat")
    instansi = " ".join((cmd.instansi or "").split()) or None
    t = Tamu(
        kantor_id=uow.kantor_id, nomor=nomor_berikut(uow, PREFIX_TAMU, ctx, now), nama=nama,
        tujuan=tujuan, keperluan=keperluan, waktu=waktu, tanggal=tanggal, nik=nik, hp=hp,
        instansi=instansi, oleh=cmd.aktor.label(), didaftarkan=now,
        riwayat=[Riwayat(waktu=now, status="terdaftar", oleh=cmd.aktor.label())],
    )
    _repo(uow).add(t)
    uow.terbitkan(TamuTerdaftar(nomor=t.nomor, kantor_id=t.kantor_id))  # the host's prompt
    if cmd.aktor.jenis == "pemohon":  # registered on WhatsApp: the number to show reception
        kabari_pemohon(uow, cmd.aktor.id, ctx.pesan(
            "tamu_terdaftar", nomor=t.nomor, jabatan=profil.nama_jabatan(t.tujuan),
            waktu=fmt_waktu(t.waktu, profil.timezone), alamat=profil.alamat),
            "jadwal_audiensi", nomor=t.nomor, waktu=fmt_waktu(t.waktu, profil.timezone),
            tempat=profil.alamat)
    return t


def teks_tuan_rumah(ctx: Konteks, t: Tamu) -> str:
    """What the host is shown about a guest: who, from where, when, why, the answers so far."""
    profil = ctx.profil(t.kantor_id)
    teks = ctx.pesan("tamu_kabar_tuan_rumah", nomor=t.nomor, nama=t.nama,
                     instansi=f" ({t.instansi})" if t.instansi else "",
                     jabatan=profil.nama_jabatan(t.tujuan),
                     waktu=fmt_waktu(t.waktu, profil.timezone), keperluan=t.keperluan)
    return teks.rstrip()


def _kabari_tamu(uow: AbstractUnitOfWork, ctx: Konteks, t: Tamu, text: str,
                 jawaban: str, waktu: str) -> bool:
    """Tell the guest on WhatsApp: the pemohon with that number (their "STOP" respected),
    else the number given at the desk. False when the guest gave no number."""
    if not t.hp:
        return False
    pemohon = uow.pemohon.by_kanal("whatsapp", t.hp)
    nilai = {"nomor": t.nomor, "jawaban": jawaban, "waktu": waktu}
    if pemohon is not None and pemohon.id is not None:
        kabari_pemohon(uow, pemohon.id, text, "tamu_dijawab", **nilai)
    else:
        uow.outbox.add("whatsapp", t.hp, {"text": text, "kabar": kabar("tamu_dijawab", **nilai)})
    return True


def jawab_tamu(cmd: JawabTamu, uow: AbstractUnitOfWork, ctx: Konteks) -> Tamu:
    """The host answers a guest (seed 004); the guest hears it on WhatsApp.

    Raises:
        TidakBerwenang: not the host (the holder of the jabatan, Plt/Plh included), the
            koordinator or the admin.
        DataTidakValid: an unknown answer; a new time missing, past, or when the office is
            closed; a refusal without a reason.
        TamuTidakDitemukan: no such guest in this office.
        SyaratTidakTerpenuhi: the guest already arrived, left, was declined or cancelled,
            or was already received.
    """
    t = _ambil(uow, cmd.nomor)
    if cmd.aktor.jenis != "sistem" and (cmd.aktor.jenis != "petugas" or not boleh(
            Aksi.TAMU_JAWAB, Pelaku(cmd.aktor, uow.kantor_id), t)):
        raise TidakBerwenang(f"{cmd.aktor.nama} bukan tuan rumah tamu {t.nomor} (hanya "
                             "pejabat yang dituju, koordinator atau admin)")
    status = JAWABAN.get(cmd.jawaban)
    if status is None:
        raise DataTidakValid(f"jawaban '{cmd.jawaban}' tidak dikenal; pilih "
                             + ", ".join(JAWABAN))
    if t.status not in BISA_CHECKIN:
        raise SyaratTidakTerpenuhi(f"tamu {t.nomor} berstatus {t.status}; tidak dapat dijawab")
    if t.status == status == "diterima":
        raise SyaratTidakTerpenuhi(f"tamu {t.nomor} sudah diterima")
    profil = ctx.profil(t.kantor_id)
    kal, now = profil.kalender, ctx.clock.now()
    alasan = " ".join((cmd.alasan or "").split())[:500] or None
    if status == "dijadwalkan_ulang":
        w = cmd.waktu
        if w is None or w.tzinfo is None:
            raise DataTidakValid("waktu kunjungan baru wajib diisi, dengan zona waktu")
        if w <= now:
            raise DataTidakValid(f"waktu {fmt_waktu(w, profil.timezone)} sudah lewat")
        if not kal.is_open(w):
            raise DataTidakValid(f"kantor tutup pada {fmt_waktu(w, profil.timezone)}; "
                                 f"mis. {fmt_waktu(kal.next_open(w), profil.timezone)}")
        t.waktu, t.tanggal = w, w.astimezone(kal.tz).date()
    if status == "ditolak" and (alasan is None or len(alasan) < 3):
        raise DataTidakValid("alasan penolakan wajib diisi; tamu akan membacanya")
    t.status = status
    t.riwayat.append(Riwayat(waktu=now, status=status, oleh=cmd.aktor.label(), catatan=alasan))
    _repo(uow).save(t)
    waktu = fmt_waktu(t.waktu, profil.timezone)
    jabatan = profil.nama_jabatan(t.tujuan)
    text = ctx.pesan(f"tamu_{status}", nomor=t.nomor, jabatan=jabatan, waktu=waktu,
                     alamat=profil.alamat, alasan=alasan or "-")
    label = {"diterima": "diterima", "dijadwalkan_ulang": "dijadwalkan ulang",
             "ditolak": "tidak dapat diterima"}[status]
    _kabari_tamu(uow, ctx, t, text, label, waktu)
    uow.terbitkan(TamuDijawab(nomor=t.nomor, kantor_id=t.kantor_id, jawaban=status,
                              oleh=cmd.aktor.label()))
    return t


def checkin_tamu(cmd: CheckinTamu, uow: AbstractUnitOfWork, ctx: Konteks) -> Tamu:
    """The guest arrives (by number or the pass's QR text); the host is told.

    Raises:
        TidakBerwenang: the actor does not work the guest desk.
        DataTidakValid: no `TMU-…` number in the text.
        TamuTidakDitemukan: no such guest in this office.
        SyaratTidakTerpenuhi: already checked in, finished, refused or cancelled.
    """
    _meja(cmd.aktor)
    t = _ambil(uow, cmd.nomor)
    profil = ctx.profil(t.kantor_id)
    if t.status == "hadir":
        raise SyaratTidakTerpenuhi(f"tamu {t.nomor} sudah check-in pada "
                                   f"{fmt_waktu(t.masuk, profil.timezone)}")
    if t.status == "selesai":
        raise SyaratTidakTerpenuhi(f"kunjungan {t.nomor} sudah selesai (check-out "
                                   f"{fmt_waktu(t.keluar, profil.timezone)})")
    if t.status not in BISA_CHECKIN:
        raise SyaratTidakTerpenuhi(f"kunjungan {t.nomor} berstatus {t.status}; "
                                   "tidak dapat check-in")
    now = ctx.clock.now()
    t.status, t.masuk = "hadir", now
    t.riwayat.append(Riwayat(waktu=now, status="hadir", oleh=cmd.aktor.label()))
    _repo(uow).save(t)
    _kabari_tuan_rumah(uow, ctx, t, ctx.pesan(
        "tamu_hadir", nomor=t.nomor, nama=t.nama, jabatan=profil.nama_jabatan(t.tujuan),
        waktu=fmt_waktu(now, profil.timezone)))
    return t


def checkout_tamu(cmd: CheckoutTamu, uow: AbstractUnitOfWork, ctx: Konteks) -> Tamu:
    """The guest leaves; only a guest checked in can check out.

    Raises:
        TidakBerwenang: the actor does not work the guest desk.
        DataTidakValid: no `TMU-…` number in the text.
        TamuTidakDitemukan: no such guest in this office.
        SyaratTidakTerpenuhi: not checked in yet, or already checked out.
    """
    _meja(cmd.aktor)
    t = _ambil(uow, cmd.nomor)
    profil = ctx.profil(t.kantor_id)
    if t.status == "selesai":
        raise SyaratTidakTerpenuhi(f"tamu {t.nomor} sudah check-out pada "
                                   f"{fmt_waktu(t.keluar, profil.timezone)}")
    if t.status != "hadir":
        raise SyaratTidakTerpenuhi(f"tamu {t.nomor} belum check-in (status {t.status}); "
                                   "check-out hanya setelah check-in")
    now = ctx.clock.now()
    t.status, t.keluar = "selesai", now
    t.riwayat.append(Riwayat(waktu=now, status="selesai", oleh=cmd.aktor.label()))
    _repo(uow).save(t)
    return t


TAMU_HANDLERS: dict[type, Callable[..., Any]] = {
    DaftarTamu: daftar_tamu,
    CheckinTamu: checkin_tamu,
    CheckoutTamu: checkout_tamu,
    JawabTamu: jawab_tamu,
}
