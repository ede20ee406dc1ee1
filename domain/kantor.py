"""An office's profile as the services need it: calendar, jabatan hierarchy, complaint tiers."""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.kalender import KalenderKerja
from domain.katalog import Katalog


@dataclass(frozen=True)
class Jabatan:
    kode: str
    nama: str
    kategori: str
    bawahan: tuple[str, ...] = ()
    sinonim: tuple[str, ...] = ()


@dataclass(frozen=True)
class BatasTier:
    jam_kerja: int | None = None
    hari_kerja: int | None = None


@dataclass(frozen=True)
class ProfilKantor:
    id: int
    kode: str
    nama: str
    alamat: str
    telepon: str
    email: str
    peta: str
    whatsapp: str
    timezone: str
    kalender: KalenderKerja
    jabatan: dict[str, Jabatan] = field(default_factory=dict)
    tier: dict[str, BatasTier] = field(default_factory=dict)
    topik: dict[str, str] = field(default_factory=dict)
    ambang_topik_bulanan: int = 5
    koordinator_apip: str = ""
    loket: dict[str, str] = field(default_factory=dict)  # kode → nama
    # the office's catalog: the shared files with its own `layanan_override`
    katalog: Katalog | None = None

    def boleh_disposisi(self, dari: str, ke: str) -> bool:
        """May `dari` dispose to `ke`? Only to a jabatan the config lists below it."""
        j = self.jabatan.get(dari)
        return j is not None and ke in j.bawahan

    def nama_jabatan(self, kode: str | None) -> str:
        if kode is None:
            return "-"
        j = self.jabatan.get(kode)
        return j.nama if j else {"cs": "Petugas CS/Front Office", "bo": "Petugas Back Office"}.get(
            kode, kode
        )
