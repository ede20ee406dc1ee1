"""Tata persuratan at the counter: surat masuk with a yearly agenda, surat keluar numbers.

Seeds 001–002 ("Alur Tata Persuratan"): the FO registers every incoming letter (sender,
its number and date, perihal, sifat, later its scan) and prints a lembar disposisi; the
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
from dataclasses import dataclass
from datetime import date, datetime

from domain.errors import DataTidakValid, DomainError, SyaratTidakTerpenuhi, TidakBerwenang
from domain.kantor import ProfilKantor
from domain.konteks import Konteks
from domain.ports import AbstractUnitOfWork
from domain.wewenang import Aksi, ItemKantor, Pelaku, boleh

SIFAT_MASUK = ("biasa", "segera", "sangat_segera", "rahasia")
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
    id: int | None = None

    @property
    def nomor_agenda(self) -> str:
        """`0001/2026`: the agenda number as the buku agenda writes it."""
        return format_agenda(self.agenda, self.tahun)


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
    def masuk(self, agenda: int, tahun: int) -> SuratMasuk | None:
        """The surat masuk with this agenda number of that year."""

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


def catat_surat_masuk(cmd: CatatSuratMasuk, uow: AbstractUnitOfWork, ctx: Konteks) -> SuratMasuk:
    """Register an incoming letter with the next agenda number of this year."""
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
    tahun = hari_ini.year
    agenda = uow.sequences.next(scope("SURAT-MASUK", kid, tahun))
    return _repo(uow).add_masuk(SuratMasuk(
        kantor_id=kid, tahun=tahun, agenda=agenda, dari=dari, nomor=nomor,
        tanggal=cmd.tanggal, perihal=perihal, sifat=sifat, diterima=now,
        oleh=cmd.pelaku.aktor.label(), scan=cmd.scan))


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


SURAT_HANDLERS = {CatatSuratMasuk: catat_surat_masuk, NomorSuratKeluar: nomor_surat_keluar}
