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
    tempat_audiensi: str = "Ruang Rapat PTSP"
    kode_naskah: str = ""  # naskah dinas kode jabatan of the office (`Kw.18`), see domain.surat
    loket: dict[str, str] = field(default_factory=dict)  # kode → nama
    # the office's catalog: the shared files with its own `layanan_override`
    katalog: Katalog | None = None

    def boleh_disposisi(self, dari: str, ke: str) -> bool:
        """May `dari` dispose to `ke`? To any jabatan below it in the hierarchy (seed 000)."""
        return ke in self.bawahan_semua(dari)

    def bawahan_semua(self, dari: str) -> list[str]:
        """Every jabatan below `dari` in the configured hierarchy, nearest first."""
        out: list[str] = []
        antre = list(self.jabatan[dari].bawahan) if dari in self.jabatan else []
        while antre:
            k = antre.pop(0)
            if k in out or k == dari:
                continue
            out.append(k)
            if k in self.jabatan:
                antre.extend(self.jabatan[k].bawahan)
        return out

    def nama_jabatan(self, kode: str | None) -> str:
        if kode is None:
            return "-"
        j = self.jabatan.get(kode)
        return j.nama if j else {"cs": "Petugas CS/Front Office", "bo": "Petugas Back Office"}.get(
            kode, kode
        )
