"""Who may do what: one table of actions × role, jabatan, delegation, assignment and office.

Every edge — Telegram, the sandbox's official view, `ptsp-admin` — asks `boleh` (or
`alasan`) before it acts; the matrix test walks `BOLEH` itself. A status move is allowed
by CONTRACT.md's transition table (`domain.status.MOVES`) for the roles the actor plays
for that permohonan (`Permohonan.peran`); everything else is written here, once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from domain.model import Aktor, Pengaduan, Permohonan, Petugas, Role
from domain.status import MOVES, Peran, Status


class Aksi(StrEnum):
    # a permohonan
    LIHAT = "lihat"  # /status, /cari, its files
    BALAS = "balas"  # /balas: a message to its pemohon
    LENGKAP = "lengkap"
    KURANG = "kurang"
    DISPOSISI = "disposisi"
    INFO = "info"
    TOLAK = "tolak"
    JADWAL = "jadwal"
    SELESAI = "selesai"
    TIDAK_SESUAI = "tidak_sesuai"
    DISERAHKAN = "diserahkan"
    TERLAKSANA = "terlaksana"
    JADWAL_ULANG = "jadwal_ulang"
    # a pengaduan
    ADUAN_LIHAT = "aduan_lihat"
    ADUAN_PELAPOR = "aduan_pelapor"  # who an anonymous reporter is
    ADUAN_BALAS = "aduan_balas"
    KLASIFIKASI = "klasifikasi"
    TERUSKAN = "teruskan"
    JAWAB = "jawab"
    TUTUP = "tutup"
    # the office
    REKAP = "rekap"
    # the counter (ptsp-admin at the desk)
    AJUKAN_LOKET = "ajukan_loket"  # a walk-in's application
    CATAT_ADUAN = "catat_aduan"  # the complaint log book
    TAMU = "tamu"  # buku tamu: register, check in, check out
    TAMU_JAWAB = "tamu_jawab"  # the host receives, reschedules or declines a guest
    ANTRIAN = "antrian"  # take and call queue numbers
    SURAT = "surat"  # surat masuk (agenda, lembar disposisi) and surat keluar numbers
    SURAT_DISPOSISI = "surat_disposisi"  # dispose a surat masuk on, or mark it followed up
    DATA_PRIBADI = "data_pribadi"  # carry out a pemohon's deletion request (UU 27/2022)


@dataclass(frozen=True)
class Pelaku:
    """A petugas acting now: their actor (jabatan held today, Plt/Plh included) and desk."""

    aktor: Aktor
    kantor_id: int
    tugas: tuple[str, ...] = ()

    @classmethod
    def dari(cls, petugas: Petugas, delegasi: list[Any], hari_ini: Any) -> Pelaku:
        return cls(petugas.aktor(delegasi, hari_ini=hari_ini), petugas.kantor_id,
                   tuple(petugas.tugas))

    @property
    def role(self) -> str | None:
        return self.aktor.role


@dataclass(frozen=True)
class ItemPermohonan:
    """A permohonan with the facts the rules need beyond itself."""

    p: Permohonan
    meja: str = "layanan"  # the CS desk of its layanan
    audiensi: bool = False
    sekarang: datetime | None = None  # for "terlaksana only after the scheduled time"


@dataclass(frozen=True)
class ItemKantor:
    """The office itself (recaps, the counter's log books); `meja` for a walk-in's layanan."""

    kantor_id: int
    meja: str = "layanan"


# Buttons → the status each one moves to (None: not a status move).
KE: dict[Aksi, Callable[[Permohonan], Status | None]] = {
    Aksi.LENGKAP: lambda p: Status.KONFIRMASI if p.konfirmator else Status.PROSES,
    Aksi.KURANG: lambda p: Status.DIKEMBALIKAN,
    Aksi.TOLAK: lambda p: Status.DITOLAK,
    Aksi.JADWAL: lambda p: Status.SELESAI,
    Aksi.SELESAI: lambda p: Status.SELESAI,
    Aksi.TIDAK_SESUAI: lambda p: Status.TIDAK_SESUAI,
    Aksi.DISERAHKAN: lambda p: Status.DISERAHKAN,
    Aksi.TERLAKSANA: lambda p: Status.DISERAHKAN,
    Aksi.JADWAL_ULANG: lambda p: Status.PROSES,
}


# What an arsiparis sees: what can be archived, and the archive.
FINAL = frozenset({f for (f, t) in MOVES if t == Status.DIARSIPKAN} | {Status.DIARSIPKAN})


def _kantor(pl: Pelaku, kantor_id: int) -> bool:
    return pl.kantor_id == kantor_id


def _admin(pl: Pelaku) -> bool:
    return pl.role == Role.ADMIN


def _cs_meja(pl: Pelaku, meja: str) -> bool:
    """A CS of this desk (a CS with no desk listed serves every desk)."""
    return pl.role == Role.CS and (not pl.tugas or meja in pl.tugas)


def terlibat(pl: Pelaku, p: Permohonan) -> bool:
    """A pejabat's part in it: holds or confirms it now, or disposed it / received it."""
    jab = pl.aktor.jabatan
    if p.pemegang and (p.pemegang in jab or (p.pemegang == pl.role and pl.role != Role.CS)):
        return True  # (an item at the CS desk is held by the CS of its desk, see _cs_meja)
    if p.konfirmator and p.konfirmator in jab and p.status == Status.KONFIRMASI:
        return True
    return any(d.dari_jabatan in jab or d.ke_jabatan in jab for d in p.disposisi)


def _lihat(pl: Pelaku, it: ItemPermohonan) -> bool:
    p = it.p
    if not _kantor(pl, p.kantor_id):
        return False
    if _admin(pl) or pl.role == Role.KOORDINATOR:
        return True
    if _cs_meja(pl, it.meja):
        return True
    if pl.role == Role.ARSIPARIS:
        return p.status in FINAL
    return terlibat(pl, p)


def _balas(pl: Pelaku, it: ItemPermohonan) -> bool:
    """A message to the pemohon: the CS of its desk, or the one holding or confirming it."""
    p = it.p
    if not _kantor(pl, p.kantor_id):
        return False
    if _admin(pl) or pl.role == Role.KOORDINATOR:
        return True
    if pl.role == Role.CS:  # the front office of its desk answers its pemohon throughout
        return _cs_meja(pl, it.meja) and p.status != Status.DIARSIPKAN
    return Peran.PEMEGANG in p.peran(pl.aktor) or (
        p.status == Status.KONFIRMASI and Peran.KONFIRMATOR in p.peran(pl.aktor))


def _pindah(aksi: Aksi) -> Callable[[Pelaku, ItemPermohonan], bool]:
    def rule(pl: Pelaku, it: ItemPermohonan) -> bool:
        p = it.p
        if not _kantor(pl, p.kantor_id):
            return False
        if pl.role == Role.CS and not _cs_meja(pl, it.meja):
            return False  # another desk's item
        if aksi in (Aksi.JADWAL, Aksi.TERLAKSANA, Aksi.JADWAL_ULANG) and not it.audiensi:
            return False
        if aksi in (Aksi.SELESAI, Aksi.DISERAHKAN) and it.audiensi:
            return False  # an audiensi is finished by its time and place, and is held
        if aksi == Aksi.JADWAL_ULANG and p.status != Status.SELESAI:
            return False  # only a schedule already given can be moved
        if aksi == Aksi.TERLAKSANA and not _jadwal_lewat(it):
            return False
        if aksi == Aksi.JADWAL and p.status == Status.KONFIRMASI:
            # seed 000: the confirming official (the Kakanwil) receives the pemohon himself
            return Peran.KONFIRMATOR in p.peran(pl.aktor)
        ke = KE[aksi](p)
        allowed = MOVES.get((p.status, ke)) if ke else None
        return bool(allowed and allowed & p.peran(pl.aktor))
    return rule


def _jadwal_lewat(it: ItemPermohonan) -> bool:
    waktu = (it.p.data.get("jadwal") or {}).get("waktu")
    if not waktu or it.sekarang is None:
        return False
    return datetime.fromisoformat(waktu) <= it.sekarang


def _disposisi(pl: Pelaku, it: ItemPermohonan) -> bool:
    p = it.p
    if not _kantor(pl, p.kantor_id):
        return False
    peran = p.peran(pl.aktor)
    return (p.status == Status.KONFIRMASI and Peran.KONFIRMATOR in peran) or (
        p.status == Status.PROSES and Peran.PEMEGANG in peran and p.pemegang != "bo")


def _info(pl: Pelaku, it: ItemPermohonan) -> bool:
    p = it.p
    return _kantor(pl, p.kantor_id) and p.status in (Status.KONFIRMASI, Status.PROSES) and bool(
        {Peran.PEMEGANG, Peran.KONFIRMATOR} & p.peran(pl.aktor))


# -- complaints ---------------------------------------------------------------------------


def _disebut(pl: Pelaku, a: Pengaduan) -> bool:
    nama = pl.aktor.nama.strip().lower()
    return len(nama) >= 3 and nama in a.teks.lower()


def _pengelola(pl: Pelaku, a: Pengaduan) -> bool:
    """The complaint desk: koordinator, admin, or a CS with `aduan_skm` (not for pungli)."""
    if not _kantor(pl, a.kantor_id) or _disebut(pl, a):
        return False
    if _admin(pl) or pl.role == Role.KOORDINATOR:
        return True
    return pl.role == Role.CS and "aduan_skm" in pl.tugas and a.topik != "pungli_gratifikasi"


def _penerima_terusan(pl: Pelaku, a: Pengaduan) -> bool:
    return _kantor(pl, a.kantor_id) and not _disebut(pl, a) and bool(
        set(a.diteruskan_ke) & pl.aktor.jabatan)


def _terbuka(a: Pengaduan) -> bool:
    return a.status not in ("selesai", "ditolak")


def _aduan_lihat(pl: Pelaku, a: Pengaduan) -> bool:
    return _pengelola(pl, a) or _penerima_terusan(pl, a)


def _aduan_pelapor(pl: Pelaku, a: Pengaduan) -> bool:
    """An anonymous reporter is known to the koordinator only."""
    if a.anonim:
        return _kantor(pl, a.kantor_id) and pl.role == Role.KOORDINATOR and not _disebut(pl, a)
    return _aduan_lihat(pl, a)


def _loket(*desks: str, arsiparis: bool = False) -> Callable[[Pelaku, Any], bool]:
    """Counter work of the office: its koordinator and admin, a CS of one of `desks`."""
    def rule(pl: Pelaku, it: Any) -> bool:
        if not _kantor(pl, it.kantor_id):
            return False
        if _admin(pl) or pl.role == Role.KOORDINATOR or (arsiparis and pl.role == Role.ARSIPARIS):
            return True
        return pl.role == Role.CS and (not desks or any(_cs_meja(pl, d) for d in desks))
    return rule


def _tuan_rumah(pl: Pelaku, t: Any) -> bool:
    """A guest is answered by whom they came to meet (its holder, Plt/Plh included), or by
    the koordinator or admin (who also answer for a jabatan nobody holds)."""
    if not _kantor(pl, t.kantor_id):
        return False
    return _admin(pl) or pl.role == Role.KOORDINATOR or t.tujuan in pl.aktor.jabatan


def _pemegang_surat(pl: Pelaku, s: Any) -> bool:
    """A surat masuk is disposed by the holder of its jabatan now (Plt/Plh), or the admin."""
    return _kantor(pl, s.kantor_id) and (_admin(pl) or (
        s.pemegang is not None and s.pemegang in pl.aktor.jabatan))


BOLEH: dict[Aksi, Callable[[Pelaku, Any], bool]] = {
    Aksi.LIHAT: _lihat,
    Aksi.BALAS: _balas,
    **{a: _pindah(a) for a in KE},
    Aksi.DISPOSISI: _disposisi,
    Aksi.INFO: _info,
    Aksi.ADUAN_LIHAT: _aduan_lihat,
    Aksi.ADUAN_PELAPOR: _aduan_pelapor,
    Aksi.ADUAN_BALAS: lambda pl, a: _aduan_lihat(pl, a) and _terbuka(a),
    Aksi.KLASIFIKASI: lambda pl, a: _pengelola(pl, a) and _terbuka(a),
    Aksi.TERUSKAN: lambda pl, a: _pengelola(pl, a) and _terbuka(a),
    Aksi.JAWAB: lambda pl, a: _aduan_lihat(pl, a) and _terbuka(a),
    Aksi.TUTUP: lambda pl, a: _aduan_lihat(pl, a) and _terbuka(a),
    Aksi.REKAP: lambda pl, it: _kantor(pl, it.kantor_id) and pl.role in (
        Role.KOORDINATOR, Role.ADMIN),
    Aksi.AJUKAN_LOKET: lambda pl, it: _loket(it.meja)(pl, it),
    Aksi.CATAT_ADUAN: _loket("aduan_skm"),
    Aksi.TAMU: _loket(),
    Aksi.TAMU_JAWAB: _tuan_rumah,
    Aksi.ANTRIAN: _loket(),
    Aksi.SURAT: _loket("surat", arsiparis=True),
    Aksi.SURAT_DISPOSISI: _pemegang_surat,
    Aksi.DATA_PRIBADI: lambda pl, it: _kantor(pl, it.kantor_id) and pl.role in (
        Role.KOORDINATOR, Role.ADMIN),
}


def boleh(aksi: Aksi, pelaku: Pelaku, item: Any) -> bool:
    return BOLEH[aksi](pelaku, item)


def status_menolak(aksi: Aksi, p: Permohonan) -> bool:
    """The item's status (not the person) rules the action out: it was handled meanwhile."""
    if aksi == Aksi.JADWAL:
        return p.status not in (Status.KONFIRMASI, Status.PROSES)
    if aksi == Aksi.JADWAL_ULANG:
        return p.status != Status.SELESAI
    if aksi in KE:
        return MOVES.get((p.status, KE[aksi](p))) is None
    if aksi == Aksi.DISPOSISI:
        return p.status not in (Status.KONFIRMASI, Status.PROSES)
    if aksi == Aksi.INFO:
        return p.status not in (Status.KONFIRMASI, Status.PROSES)
    return False
