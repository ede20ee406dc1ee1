"""Domain events: facts that happened, turned into notifications by the service layer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class PermohonanDiajukan:
    nomor: str
    kantor_id: int


@dataclass(frozen=True)
class StatusBerubah:
    nomor: str
    kantor_id: int
    dari: str
    ke: str
    oleh: str
    catatan: str | None
    waktu: datetime


@dataclass(frozen=True)
class PengaduanDiterima:
    nomor: str
    kantor_id: int


@dataclass(frozen=True)
class Didisposisikan:
    nomor: str
    kantor_id: int
    dari: str
    ke: str
    oleh: str = ""


@dataclass(frozen=True)
class InfoDijawab:
    nomor: str
    kantor_id: int
    jawaban: str


@dataclass(frozen=True)
class JadwalDitanggapi:
    nomor: str
    kantor_id: int
    hadir: bool
    catatan: str | None


@dataclass(frozen=True)
class PengaduanDiteruskan:
    nomor: str
    kantor_id: int
    ke: str
    catatan: str | None


@dataclass(frozen=True)
class AmbangTopikTercapai:
    """The n-th complaint on one topic in one calendar month: a root-cause action is due."""

    kantor_id: int
    topik: str
    jumlah: int
    bulan: str  # YYYY-MM


@dataclass(frozen=True)
class TamuTerdaftar:
    """A guest registered (desk or WhatsApp): the host is asked to receive them."""

    nomor: str
    kantor_id: int


@dataclass(frozen=True)
class TamuDijawab:
    """The host answered a guest: `jawaban` is the guest's new status."""

    nomor: str
    kantor_id: int
    jawaban: str  # diterima | dijadwalkan_ulang | ditolak
    oleh: str


@dataclass(frozen=True)
class SuratDidisposisi:
    """A surat masuk reached a jabatan (at registration or by disposisi): its holders act."""

    kunci: str  # SM-YYYY-NNNN
    kantor_id: int
    ke: str
    oleh: str


@dataclass(frozen=True)
class SuratSelesai:
    kunci: str
    kantor_id: int
    oleh: str
