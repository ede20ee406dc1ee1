"""Commands: what someone asks the system to do."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from domain.model import Aktor, Berkas


@dataclass(frozen=True)
class DaftarPemohon:
    kanal: str
    kanal_id: str
    nama: str
    hp: str
    nik: str | None = None
    jenis: str = "perorangan"
    instansi: str | None = None
    alamat: str | None = None
    persetujuan: bool = False


@dataclass(frozen=True)
class AjukanPermohonan:
    pemohon_id: int
    layanan: str
    atas_nama: str
    data: dict[str, Any] = field(default_factory=dict)
    berkas: tuple[Berkas, ...] = ()


@dataclass(frozen=True)
class PeriksaKelengkapan:
    """The CS checks the checklist: complete → forward, else return with a note."""

    nomor: str
    aktor: Aktor
    checklist: dict[str, bool]
    catatan: str | None = None


@dataclass(frozen=True)
class Disposisikan:
    nomor: str
    aktor: Aktor
    ke_jabatan: str
    instruksi: str
    catatan: str | None = None


@dataclass(frozen=True)
class UbahStatus:
    nomor: str
    aktor: Aktor
    ke: str
    catatan: str | None = None
    hasil: Berkas | None = None  # the result document's information copy (→ selesai)


@dataclass(frozen=True)
class LengkapiBerkas:
    """The pemohon sends the missing items: dikembalikan → menunggu."""

    nomor: str
    aktor: Aktor
    berkas: tuple[Berkas, ...] = ()


@dataclass(frozen=True)
class AjukanPengaduan:
    kategori: str
    teks: str
    pelapor_id: int | None
    anonim: bool = False
    nomor_terkait: str | None = None
    berkas: tuple[Berkas, ...] = ()
    kanal: str = "whatsapp"  # or how the counter received it (domain.loket.KANAL_ADUAN)


@dataclass(frozen=True)
class KlasifikasiPengaduan:
    nomor: str
    aktor: Aktor
    tier: str
    topik: str


@dataclass(frozen=True)
class TambahPetugas:
    nama: str
    role: str
    jabatan: str | None = None
    tugas: tuple[str, ...] = ()


@dataclass(frozen=True)
class CatatSurvei:
    """An SKM questionnaire; from a chat, `kanal`/`kanal_id` name the respondent, whose
    latest finished permohonan gives the survey its nomor and layanan."""

    nilai: tuple[int, ...]
    layanan: str | None = None
    nomor: str | None = None
    sumber: str = "whatsapp"
    kanal: str | None = None
    kanal_id: str | None = None


@dataclass(frozen=True)
class AturNotifikasi:
    """"STOP" (`aktif=False`) or "MULAI" from a chat: notifications the office starts."""

    kanal: str
    kanal_id: str
    aktif: bool


@dataclass(frozen=True)
class BatalOtomatis:
    """The system cancels a permohonan left `dikembalikan` too long."""

    nomor: str
    sejak: int


@dataclass(frozen=True)
class JadwalkanAudiensi:
    """The holder sets the audiensi's time and place: proses → selesai."""

    nomor: str
    aktor: Aktor
    waktu: Any  # aware datetime
    tempat: str


@dataclass(frozen=True)
class TanggapiPengaduan:
    """An answer (or, with `selesai`, the resolution) relayed to the pelapor."""

    nomor: str
    aktor: Aktor
    teks: str
    selesai: bool = False


@dataclass(frozen=True)
class ArsipOtomatis:
    """The system archives an item left in a final status for the configured days."""

    nomor: str
    sejak: int


@dataclass(frozen=True)
class MintaInfo:
    """The holder asks the pemohon a question; the SLA pauses until they answer."""

    nomor: str
    aktor: Aktor
    pertanyaan: str


@dataclass(frozen=True)
class JawabInfo:
    """The pemohon answers the holder's question (text and/or files)."""

    nomor: str
    aktor: Aktor
    jawaban: str
    berkas: tuple[Berkas, ...] = ()


@dataclass(frozen=True)
class TanggapiJadwal:
    """The pemohon confirms the audiensi time, or asks for another one."""

    nomor: str
    aktor: Aktor
    hadir: bool
    catatan: str | None = None


@dataclass(frozen=True)
class TeruskanPengaduan:
    """Forward a complaint to the official (jabatan) who must act on it."""

    nomor: str
    aktor: Aktor
    ke_jabatan: str
    catatan: str | None = None


@dataclass(frozen=True)
class BatalkanPermohonan:
    """The pemohon withdraws their own permohonan (menunggu, dikembalikan, konfirmasi)."""

    nomor: str
    aktor: Aktor
