"""Tata persuratan at the counter: surat masuk with a yearly agenda, surat keluar numbers.

Seeds 001–002 ("Alur Tata Persuratan"): the FO registers every incoming letter (sender,
its number and date, perihal, sifat, later its scan) and prints a lembar disposisi; the
head of office (or the jabatan named at registration) disposes it on Telegram down the
hierarchy — each step with its instruksi and note, printed on the lembar — until the one
who holds it marks it followed up. A surat permohonan arriving with a permohonan is
registered by itself (`catat_surat_permohonan`); its disposisi is the permohonan's. The
BO persuratan gives outgoing letters their number. Both numbers are per kantor and per
calendar year, without gaps (`uow.sequences`, inside the letter's own transaction).

A surat keluar number follows KMA 9/2016 (`../shared/reference/standards-id.md` §5):
``{derajat}-{nomor urut dalam tahun takwim}/{kode jabatan}/{kode klasifikasi arsip}/{bulan
2 digit}/{tahun}``, e.g. ``B-123/Kw.18.1/KP.01.2/12/2026``:

- derajat: ``B`` = biasa, ``R`` = rahasia, ``SR`` = sangat rahasia (the verified codes);
  `segera` and `sangat_segera` say how fast, not how secret, so they are ``B``;
- kode jabatan: the office's code from config (`kantor.kode_naskah`, e.g. ``Kw.18`` for a
  Kanwil, ``Kk.18.05`` for a Kankemenag) for the head of office; a bagian/bidang adds its
  unit number (``Kw.NN[.x]``), which is its position in the head's `bawahan` list (the
  order of the Kanwil's SK); a jabatan below a bagian/bidang writes with its unit's code.
"""

from __future__ import annotations

import abc
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from domain.errors import DataTidakValid, DomainError, SyaratTidakTerpenuhi, TidakBerwenang
from domain.events import SuratDidisposisi, SuratSelesai
from domain.kantor import ProfilKantor
from domain.konteks import Konteks, fmt_waktu
from domain.model import INSTRUKSI, Disposisi
from domain.ports import AbstractUnitOfWork
from domain.wewenang import Aksi, ItemKantor, Pelaku, boleh

SIFAT_MASUK = ("biasa", "segera", "sangat_segera", "rahasia")
#: a surat masuk: registered (with the head of office or the jabatan named), disposed on,
#: followed up; `permohonan` when it came with a permohonan (that item's flow disposes it)
STATUS_MASUK = ("diterima", "didisposisi", "selesai", "permohonan")
_KUNCI = re.compile(r"^SM-(\d{4})-(\d{1,9})$")
#: sifat of a surat keluar → its derajat letter in the number
DERAJAT = {"biasa": "B", "segera": "B", "sangat_segera": "B", "rahasia": "R",
           "sangat_rahasia": "SR"}
SIFAT_KELUAR = tuple(DERAJAT)
LABEL_SIFAT = {"biasa": "Biasa", "segera": "Segera", "sangat_segera": "Sangat Segera",
               "rahasia": "Rahasia", "sangat_rahasia": "Sangat Rahasia"}

_KKA = re.compile(r"^[A-Z0-9]+(?:\.[A-Z0-9]+)*$")
_AGENDA = re.compile(r"^\s*0*(\d{1,9})\s*(?:/\s*(\d{4}))?\s*$")
MAKS_TEKS = 300  # dari, nomor
MAKS_PERIHAL = 1000


class SuratTidakDitemukan(DomainError):
    """No surat masuk with that agenda number in this office."""


@dataclass(frozen=True)
class Scan:
    """The scanned letter in the file store: its SHA-256 and the file's name."""

    sha256: str
    nama: str


@dataclass
class SuratMasuk:
    kantor_id: int
    tahun: int
    agenda: int  # per kantor and year, from 1
    dari: str
    nomor: str  # the sender's own number
    tanggal: date  # the date on the letter
    perihal: str
    diterima: datetime
    oleh: str
    sifat: str = "biasa"
    scan: Scan | None = None
    pemegang: str | None = None  # the jabatan that holds it now (None: not disposed here)
    status: str = "diterima"  # STATUS_MASUK
    disposisi: list[Disposisi] = field(default_factory=list)
    permohonan: str | None = None  # the PTSP-… it came with (registered by itself)
    id: int | None = None

    @property
    def nomor_agenda(self) -> str:
        """`0001/2026`: the agenda number as the buku agenda writes it."""
        return format_agenda(self.agenda, self.tahun)

    @property
    def kunci(self) -> str:
        """`SM-2026-0001`: the letter's key where one string names it (Telegram prompts)."""
        return f"SM-{self.tahun}-{self.agenda:04d}"


@dataclass
class SuratKeluar:
    kantor_id: int
    tahun: int
    urut: int  # per kantor and year, from 1
    nomor: str  # `B-123/Kw.18.1/KP.01.2/12/2026`
    tanggal: date
    perihal: str
    jabatan: str
    klasifikasi: str
    oleh: str
    sifat: str = "biasa"
    id: int | None = None


class SuratRepository(abc.ABC):
    """Port: one office's surat masuk and surat keluar; the unit of work's `uow.surat`."""

    @abc.abstractmethod
    def add_masuk(self, s: SuratMasuk) -> SuratMasuk: ...

    @abc.abstractmethod
    def masuk(self, agenda: int, tahun: int, *, for_update: bool = False
              ) -> SuratMasuk | None:
        """The surat masuk with this agenda number of that year (locked with `for_update`)."""

    @abc.abstractmethod
    def save_masuk(self, s: SuratMasuk) -> None:
        """Write back its holder, status and disposisi chain."""

    @abc.abstractmethod
    def list_masuk(self, tahun: int | None = None) -> list[SuratMasuk]:
        """Surat masuk in agenda order (of one year)."""

    @abc.abstractmethod
    def add_keluar(self, s: SuratKeluar) -> SuratKeluar: ...

    @abc.abstractmethod
    def list_keluar(self, tahun: int | None = None) -> list[SuratKeluar]:
        """Surat keluar in number order (of one year)."""


@dataclass(frozen=True)
class CatatSuratMasuk:
    pelaku: Pelaku
    dari: str
    nomor: str
    tanggal: date
    perihal: str
    sifat: str = "biasa"
    scan: Scan | None = None
    kepada: str | None = None  # the jabatan it goes to first; None: the head of office


@dataclass(frozen=True)
class DisposisiSurat:
    """The holder sends the letter on to a jabatan below, with an instruksi and a note."""

    pelaku: Pelaku
    surat: str  # its key (`SM-2026-0001`) or agenda number (`0001/2026`)
    ke: str
    instruksi: str
    catatan: str | None = None


@dataclass(frozen=True)
class SelesaikanSurat:
    """The holder has followed the letter up (what was done: `catatan`)."""

    pelaku: Pelaku
    surat: str
    catatan: str


@dataclass(frozen=True)
class NomorSuratKeluar:
    pelaku: Pelaku
    jabatan: str
    klasifikasi: str
    perihal: str
    sifat: str = "biasa"


def scope(jenis: str, kantor_id: int, tahun: int) -> str:
    """The sequence key: one per kind (`SURAT-MASUK`/`SURAT-KELUAR`), kantor and year."""
    return f"{jenis}-{kantor_id}-{tahun}"


def format_agenda(agenda: int, tahun: int) -> str:
    """`0001/2026`; four digits, widening past 9999."""
    return f"{agenda:04d}/{tahun}"


def parse_agenda(teks: str, tahun_ini: int) -> tuple[int, int]:
    """`0001/2026`, `1/2026` or `1` (this year) → (agenda, tahun)."""
    m = _AGENDA.match(teks or "")
    if not m or int(m.group(1)) < 1:
        raise DataTidakValid(f"nomor agenda '{teks}' tidak sah; tulis seperti 0001/{tahun_ini}")
    return int(m.group(1)), int(m.group(2) or tahun_ini)


def kode_jabatan(profil: ProfilKantor, jabatan: str) -> str:
    """The kode jabatan of a surat keluar signed under `jabatan` (see the module docstring).

    Raises:
        DataTidakValid: the jabatan is not one of the office's.
        SyaratTidakTerpenuhi: the office has no `kode_naskah` in config.
    """
    if jabatan not in profil.jabatan:
        raise DataTidakValid(f"jabatan '{jabatan}' tidak ada di kantor ini; pilih: "
                             + ", ".join(profil.jabatan))
    kode = profil.kode_naskah.strip()
    if not kode:
        raise SyaratTidakTerpenuhi(
            "kode naskah dinas kantor belum diatur (kantor.kode_naskah di config.yml, "
            "sesuai SK kode jabatan dari Kanwil)")
    atasan: dict[str, str] = {}
    for j in profil.jabatan.values():
        for b in j.bawahan:
            if b != j.kode:
                atasan.setdefault(b, j.kode)
    jalur = [jabatan]
    while jalur[-1] in atasan and atasan[jalur[-1]] not in jalur:
        jalur.append(atasan[jalur[-1]])
    if len(jalur) == 1:
        return kode  # the head of office
    kepala, unit = jalur[-1], jalur[-2]
    return f"{kode}.{profil.jabatan[kepala].bawahan.index(unit) + 1}"


def format_nomor_keluar(sifat: str, urut: int, kode_jab: str, klasifikasi: str,
                        tanggal: date) -> str:
    """`B-123/Kw.18.1/KP.01.2/12/2026` (KMA 9/2016, surat dinas)."""
    if urut < 1:
        raise ValueError("urut must be positive")
    return f"{DERAJAT[sifat]}-{urut}/{kode_jab}/{klasifikasi}/{tanggal:%m}/{tanggal:%Y}"


# -- handlers ----------------------------------------------------------------------------


def _repo(uow: AbstractUnitOfWork) -> SuratRepository:
    return uow.surat  # type: ignore[attr-defined,no-any-return]


def _boleh(pl: Pelaku, kantor_id: int) -> None:
    if not boleh(Aksi.SURAT, pl, ItemKantor(kantor_id)):
        raise TidakBerwenang(f"{pl.aktor.nama} tidak berwenang mengelola persuratan kantor ini")


def _teks(nilai: str, nama: str, maks: int) -> str:
    nilai = " ".join((nilai or "").split())
    if not nilai:
        raise DataTidakValid(f"{nama} wajib diisi")
    if len(nilai) > maks:
        raise DataTidakValid(f"{nama} terlalu panjang (paling banyak {maks} karakter)")
    return nilai


def _sifat(sifat: str, pilihan: tuple[str, ...]) -> str:
    s = (sifat or "").strip().lower().replace(" ", "_").replace("-", "_")
    if s not in pilihan:
        raise DataTidakValid(f"sifat '{sifat}' tidak dikenal; pilih: {', '.join(pilihan)}")
    return s


def klasifikasi_sah(kode: str) -> str:
    """A kode klasifikasi arsip (`KP.01.2`), upper-cased; letters, digits and dots only."""
    k = (kode or "").strip().upper()
    if not _KKA.match(k) or len(k) > 24:
        raise DataTidakValid(f"kode klasifikasi '{kode}' tidak sah; tulis seperti KP.01.2 "
                             "(huruf, angka dan titik)")
    return k


def langkah(s: SuratMasuk, profil: ProfilKantor) -> list[str]:
    """Every disposisi step of a letter so far, one line each (Telegram and the lembar)."""
    out = []
    for d in s.disposisi:
        waktu = fmt_waktu(d.waktu, profil.timezone)
        catatan = f" — “{d.catatan}”" if d.catatan else ""
        if d.instruksi == "selesai":
            out.append(f"Selesai ditindaklanjuti oleh {d.oleh}{catatan} ({waktu})")
        else:
            out.append(f"Disposisi {profil.nama_jabatan(d.dari_jabatan)} → "
                       f"{profil.nama_jabatan(d.ke_jabatan)}: "
                       f"{INSTRUKSI.get(d.instruksi, d.instruksi)}{catatan} — {d.oleh} "
                       f"({waktu})")
    return out


def pimpinan(profil: ProfilKantor) -> str | None:
    """The head of office: the jabatan nobody has below them (the first, if several)."""
    bawahan = {b for j in profil.jabatan.values() for b in j.bawahan}
    return next((k for k in profil.jabatan if k not in bawahan), None)


def cari_surat(uow: AbstractUnitOfWork, teks: str, tahun_ini: int, *,
               for_update: bool = False) -> SuratMasuk:
    """The surat masuk named by its key (`SM-2026-0001`) or agenda (`0001/2026`, `1`)."""
    m = _KUNCI.match((teks or "").strip())
    agenda, tahun = (int(m.group(2)), int(m.group(1))) if m else parse_agenda(teks, tahun_ini)
    s = _repo(uow).masuk(agenda, tahun, for_update=for_update)
    if s is None:
        raise SuratTidakDitemukan(
            f"surat masuk dengan agenda {format_agenda(agenda, tahun)} tidak ditemukan")
    return s


def _pemegang(pelaku: Pelaku, s: SuratMasuk) -> None:
    """Only its holder acts on a letter, and only while it is still open."""
    if s.status == "permohonan":
        raise SyaratTidakTerpenuhi(f"surat agenda {s.nomor_agenda} diproses sebagai "
                                   f"permohonan {s.permohonan}")
    if not boleh(Aksi.SURAT_DISPOSISI, pelaku, s):
        raise TidakBerwenang(f"{pelaku.aktor.nama} tidak memegang surat agenda "
                             f"{s.nomor_agenda}")
    if s.status == "selesai":
        raise SyaratTidakTerpenuhi(f"surat agenda {s.nomor_agenda} sudah selesai "
                                   "ditindaklanjuti")


def disposisi_surat(cmd: DisposisiSurat, uow: AbstractUnitOfWork, ctx: Konteks) -> SuratMasuk:
    """Dispose a letter to a jabatan below its holder (seed 000: any level below)."""
    profil = ctx.profil(uow.kantor_id)
    now = ctx.clock.now()
    s = cari_surat(uow, cmd.surat, now.astimezone(profil.kalender.tz).year, for_update=True)
    _pemegang(cmd.pelaku, s)
    tujuan = profil.bawahan_semua(s.pemegang or "")
    if cmd.ke not in tujuan:
        raise DataTidakValid(f"{profil.nama_jabatan(cmd.ke)} bukan bawahan "
                             f"{profil.nama_jabatan(s.pemegang)}")
    if cmd.instruksi not in INSTRUKSI:
        raise DataTidakValid(f"instruksi '{cmd.instruksi}' tidak dikenal; pilih "
                             + ", ".join(INSTRUKSI))
    catatan = " ".join((cmd.catatan or "").split())[:1000] or None
    s.disposisi.append(Disposisi(dari_jabatan=s.pemegang or "", ke_jabatan=cmd.ke,
                                 instruksi=cmd.instruksi, waktu=now,
                                 oleh=cmd.pelaku.aktor.label(), catatan=catatan))
    s.pemegang, s.status = cmd.ke, "didisposisi"
    _repo(uow).save_masuk(s)
    uow.terbitkan(SuratDidisposisi(kunci=s.kunci, kantor_id=s.kantor_id, ke=cmd.ke,
                                   oleh=cmd.pelaku.aktor.label()))
    return s


def selesaikan_surat(cmd: SelesaikanSurat, uow: AbstractUnitOfWork, ctx: Konteks
                     ) -> SuratMasuk:
    """The holder records what was done with the letter; it leaves everyone's prompts."""
    profil = ctx.profil(uow.kantor_id)
    now = ctx.clock.now()
    s = cari_surat(uow, cmd.surat, now.astimezone(profil.kalender.tz).year, for_update=True)
    _pemegang(cmd.pelaku, s)
    catatan = " ".join((cmd.catatan or "").split())[:1000]
    if len(catatan) < 3:
        raise DataTidakValid("tuliskan tindak lanjut surat ini")
    s.disposisi.append(Disposisi(dari_jabatan=s.pemegang or "", ke_jabatan="",
                                 instruksi="selesai", waktu=now,
                                 oleh=cmd.pelaku.aktor.label(), catatan=catatan))
    s.status = "selesai"
    _repo(uow).save_masuk(s)
    uow.terbitkan(SuratSelesai(kunci=s.kunci, kantor_id=s.kantor_id,
                               oleh=cmd.pelaku.aktor.label()))
    return s


def catat_surat_permohonan(ev: Any, uow: AbstractUnitOfWork, ctx: Konteks) -> None:
    """A permohonan submitted with its surat permohonan: the letter enters the agenda book
    by itself (seeds 001–002), dated the day it came, its scan the file sent."""
    p = uow.permohonan.get(ev.nomor)
    if p is None or not p.berkas:
        return
    lay = ctx.katalog_of(p.kantor_id).resolve(p.layanan)
    kode = [r.kode for r in lay.persyaratan]
    if "surat_permohonan" not in kode:
        return
    # the file labelled as the letter; else, where the letter is the first document the
    # dialog asks for, the first file sent unlabelled
    surat = next((b for b in p.berkas if b.persyaratan == "surat_permohonan"), None)
    if surat is None and kode[0] == "surat_permohonan":
        surat = next((b for b in p.berkas if b.persyaratan is None), None)
    if surat is None:
        return
    profil = ctx.profil(p.kantor_id)
    pemohon = uow.pemohon.get(p.pengaju_id)
    dari = (pemohon.instansi or pemohon.nama) if pemohon else p.atas_nama
    tanggal = p.diajukan.astimezone(profil.kalender.tz).date()
    agenda = uow.sequences.next(scope("SURAT-MASUK", p.kantor_id, tanggal.year))
    _repo(uow).add_masuk(SuratMasuk(
        kantor_id=p.kantor_id, tahun=tanggal.year, agenda=agenda, dari=dari[:MAKS_TEKS],
        nomor=p.nomor, tanggal=tanggal, perihal=f"Permohonan {lay.nama} ({p.atas_nama})"[
            :MAKS_PERIHAL], diterima=p.diajukan, oleh="Sistem (permohonan daring)",
        scan=Scan(surat.sha256, surat.nama), status="permohonan", permohonan=p.nomor))


def catat_surat_masuk(cmd: CatatSuratMasuk, uow: AbstractUnitOfWork, ctx: Konteks) -> SuratMasuk:
    """Register an incoming letter with the next agenda number of this year; it goes to the
    head of office (or `kepada`) to be disposed on Telegram."""
    kid = uow.kantor_id
    _boleh(cmd.pelaku, kid)
    profil = ctx.profil(kid)
    now = ctx.clock.now()
    hari_ini = now.astimezone(profil.kalender.tz).date()
    sifat = _sifat(cmd.sifat, SIFAT_MASUK)
    dari = _teks(cmd.dari, "pengirim (dari)", MAKS_TEKS)
    nomor = _teks(cmd.nomor, "nomor surat", MAKS_TEKS)
    perihal = _teks(cmd.perihal, "perihal", MAKS_PERIHAL)
    if cmd.tanggal > hari_ini:
        raise DataTidakValid(f"tanggal surat {cmd.tanggal.isoformat()} belum tiba "
                             f"(hari ini {hari_ini.isoformat()})")
    kepada = cmd.kepada or pimpinan(profil)
    if kepada is not None and kepada not in profil.jabatan:
        raise DataTidakValid(f"jabatan '{kepada}' tidak ada di konfigurasi kantor; pilih dari "
                             + ", ".join(profil.jabatan))
    tahun = hari_ini.year
    agenda = uow.sequences.next(scope("SURAT-MASUK", kid, tahun))
    s = _repo(uow).add_masuk(SuratMasuk(
        kantor_id=kid, tahun=tahun, agenda=agenda, dari=dari, nomor=nomor,
        tanggal=cmd.tanggal, perihal=perihal, sifat=sifat, diterima=now,
        oleh=cmd.pelaku.aktor.label(), scan=cmd.scan, pemegang=kepada))
    if kepada is not None:
        uow.terbitkan(SuratDidisposisi(kunci=s.kunci, kantor_id=kid, ke=kepada,
                                       oleh=cmd.pelaku.aktor.label()))
    return s


def nomor_surat_keluar(cmd: NomorSuratKeluar, uow: AbstractUnitOfWork, ctx: Konteks
                       ) -> SuratKeluar:
    """Issue the next surat keluar number of this year in the naskah dinas format."""
    kid = uow.kantor_id
    _boleh(cmd.pelaku, kid)
    profil = ctx.profil(kid)
    sifat = _sifat(cmd.sifat, SIFAT_KELUAR)
    kode_jab = kode_jabatan(profil, cmd.jabatan)
    kka = klasifikasi_sah(cmd.klasifikasi)
    perihal = _teks(cmd.perihal, "perihal", MAKS_PERIHAL)
    tanggal = ctx.clock.now().astimezone(profil.kalender.tz).date()
    urut = uow.sequences.next(scope("SURAT-KELUAR", kid, tanggal.year))
    return _repo(uow).add_keluar(SuratKeluar(
        kantor_id=kid, tahun=tanggal.year, urut=urut,
        nomor=format_nomor_keluar(sifat, urut, kode_jab, kka, tanggal), tanggal=tanggal,
        perihal=perihal, jabatan=cmd.jabatan, klasifikasi=kka, sifat=sifat,
        oleh=cmd.pelaku.aktor.label()))


SURAT_HANDLERS = {CatatSuratMasuk: catat_surat_masuk, NomorSuratKeluar: nomor_surat_keluar,
                  DisposisiSurat: disposisi_surat, SelesaikanSurat: selesaikan_surat}
