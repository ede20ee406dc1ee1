"""JSON views of domain objects for `ptsp-admin … --json` (CONTRACT.md field names)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from domain.model import Pengaduan, Permohonan
from domain.ports import AbstractUnitOfWork
from domain.sla import tenggat_berjalan


def iso(dt: datetime | None, tz: str) -> str | None:
    return dt.astimezone(ZoneInfo(tz)).isoformat() if dt else None


def permohonan_json(p: Permohonan, uow: AbstractUnitOfWork, tz: str, *, detail: bool = False
                    ) -> dict[str, Any]:
    pemohon = uow.pemohon.get(p.pengaju_id)
    out: dict[str, Any] = {
        "nomor": p.nomor,
        "layanan": p.layanan,
        "status": str(p.status),
        "pemohon": {"nama": pemohon.nama if pemohon else None,
                    "hp": pemohon.hp if pemohon else None},
        "atas_nama": p.atas_nama,
        "diajukan": iso(p.diajukan, tz),
        "lampiran": len(p.berkas),
        "pemegang": p.pemegang,
        "tenggat": iso(tenggat_berjalan(p), tz),
        "menunggu_pemohon": p.menunggu_pemohon,
    }
    if detail:
        out["data"] = p.data
        out["checklist"] = p.checklist
        out["timeline"] = [
            {"waktu": iso(r.waktu, tz), "status": str(r.status), "oleh": r.oleh,
             "catatan": r.catatan}
            for r in p.riwayat
        ]
        out["berkas"] = [
            {"nama": b.nama, "mime": b.mime, "bytes": b.bytes, "sha256": b.sha256}
            for b in p.berkas
        ]
        out["disposisi"] = [
            {"dari": d.dari_jabatan, "ke": d.ke_jabatan, "instruksi": d.instruksi,
             "catatan": d.catatan, "waktu": iso(d.waktu, tz), "oleh": d.oleh}
            for d in p.disposisi
        ]
    return out


def pengaduan_json(p: Pengaduan, tz: str, *, tampilkan_pelapor: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "nomor": p.nomor,
        "kategori": p.kategori,
        "tier": p.tier,
        "topik": p.topik,
        "status": p.status,
        "diterima": iso(p.diterima, tz),
        "tenggat": iso(p.tenggat, tz),
        "anonim": p.anonim,
        "nomor_terkait": p.nomor_terkait,
        "teks": p.teks,
    }
    if tampilkan_pelapor or not p.anonim:
        out["pelapor_id"] = p.pelapor_id
    return out


def pengaduan_show_json(a: Pengaduan, tz: str, pelapor: Any = None) -> dict[str, Any]:
    """The complaint log book's columns (seed 002 §11); `pelapor` only when it may be shown."""
    tindak = a.riwayat[1:]
    ditutup = next((r for r in reversed(a.riwayat) if r.status in ("selesai", "ditolak")), None)
    return {
        "nomor": a.nomor,
        "diterima": iso(a.diterima, tz),
        "kanal": a.kanal,
        "pelapor": {"nama": pelapor.nama, "hp": pelapor.hp or None} if pelapor else None,
        "kategori": a.kategori,
        "tier": a.tier,
        "topik": a.topik,
        "uraian": a.teks,
        "status": a.status,
        "tenggat": iso(a.tenggat, tz),
        "terkait": a.nomor_terkait,
        "tindak_lanjut": [{"waktu": iso(r.waktu, tz), "oleh": r.oleh, "catatan": r.catatan}
                          for r in tindak],
        "penyelesaian": ditutup.catatan if ditutup else None,
        "ditutup": iso(ditutup.waktu, tz) if ditutup else None,
    }
