"""Who receives an item: jabatan holders (Plt/Plh included), CS desks, complaint recipients.

Pure rules over the office's petugas and delegations; the Telegram edge only decides how a
chosen petugas is reached. An item whose jabatan has nobody active goes to the koordinator
(`Penerima.kosong` says so, so the koordinator is warned rather than nobody told).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from domain.kantor import ProfilKantor
from domain.model import Delegasi, Pengaduan, Petugas, Role


@dataclass(frozen=True)
class Penerima:
    """The petugas an item goes to; `kosong` is the jabatan that had no active holder."""

    petugas: tuple[Petugas, ...]
    kosong: str | None = None


def aktif(petugas: Iterable[Petugas]) -> list[Petugas]:
    return [p for p in petugas if p.aktif]


def koordinator(petugas: Iterable[Petugas]) -> list[Petugas]:
    return [p for p in aktif(petugas) if p.role == Role.KOORDINATOR]


def pemegang_jabatan(petugas: Iterable[Petugas], delegasi: Iterable[Delegasi], kode: str | None,
                     hari_ini: date) -> list[Petugas]:
    """Who holds a jabatan (or the `bo`/`cs` role) today: its own holders, then Plt/Plh."""
    if not kode:
        return []
    semua = aktif(petugas)
    out = [p for p in semua if p.jabatan == kode or (kode in ("bo", "cs") and p.role == kode)]
    wakil = {d.petugas_id for d in delegasi if d.jabatan == kode and d.sampai >= hari_ini}
    out += [p for p in semua if p.id in wakil and p not in out]
    return out


def penerima_jabatan(petugas: list[Petugas], delegasi: list[Delegasi], kode: str | None,
                     hari_ini: date) -> Penerima:
    """The holders of a jabatan; with none active, the koordinator (and the jabatan named)."""
    holders = pemegang_jabatan(petugas, delegasi, kode, hari_ini)
    if holders or not kode:
        return Penerima(tuple(holders))
    return Penerima(tuple(koordinator(petugas)), kosong=kode)


def cs_meja(petugas: Iterable[Petugas], meja: str) -> list[Petugas]:
    """The CS whose tugas include the desk; with no match, every CS."""
    cs = [p for p in aktif(petugas) if p.role == Role.CS]
    return [p for p in cs if meja in p.tugas] or cs


def penerima_cs(petugas: list[Petugas], meja: str) -> Penerima:
    cs = cs_meja(petugas, meja)
    if cs:
        return Penerima(tuple(cs))
    return Penerima(tuple(koordinator(petugas)), kosong="cs")


def disebut(p: Petugas, teks: str) -> bool:
    """Does a complaint name this petugas? It never goes to the one it is about."""
    return len(p.nama.strip()) >= 3 and p.nama.lower() in teks.lower()


def penerima_pengaduan(petugas: list[Petugas], a: Pengaduan) -> Penerima:
    """Pungli/gratifikasi: the koordinator only; otherwise also the pengelola pengaduan."""
    koor = koordinator(petugas)
    if a.topik == "pungli_gratifikasi":
        out = koor
    else:
        pengelola = [p for p in aktif(petugas) if p.role == Role.CS and "aduan_skm" in p.tugas]
        out = koor + [p for p in pengelola if p not in koor]
    return Penerima(tuple(p for p in out if not disebut(p, a.teks)))


def tujuan_disposisi(profil: ProfilKantor, dari: str | None, dituju: str | None,
                     boleh: Iterable[str] = ()) -> list[str]:
    """The jabatan `dari` may dispose to (seed 000: any below), the one the pemohon named first.

    `boleh` is the catalog's `disposisi_ke` for the layanan (empty: any jabatan).
    """
    if not dari:
        return []
    batas = set(boleh)
    out = [k for k in profil.bawahan_semua(dari) if not batas or k in batas]
    if dituju in out:
        out.remove(dituju)
        out.insert(0, dituju)
    return out


def jabatan_kosong(profil: ProfilKantor, petugas: list[Petugas], delegasi: list[Delegasi],
                   hari_ini: date) -> list[str]:
    """The office's jabatan that nobody active holds today (their items go to the koordinator)."""
    return [k for k in profil.jabatan
            if not pemegang_jabatan(petugas, delegasi, k, hari_ini)]
