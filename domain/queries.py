"""Questions a pemohon asks about their own records, answered into the outbox.

Someone else's number is answered exactly like a number that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.konteks import Konteks, fmt_waktu
from domain.pesan import Pesan
from domain.ports import AbstractUnitOfWork
from domain.sla import tenggat_berjalan
from domain.status import LABEL, Status


@dataclass(frozen=True)
class CekStatus:
    kanal: str
    kanal_id: str
    nomor: str


@dataclass(frozen=True)
class PermohonanSaya:
    kanal: str
    kanal_id: str
    batas: int = 5


STATUS_ADUAN = {
    "diterima": "Diterima, menunggu verifikasi",
    "diverifikasi": "Sudah diverifikasi",
    "diteruskan": "Diteruskan kepada pejabat terkait",
    "ditindaklanjuti": "Sedang ditindaklanjuti",
    "selesai": "Selesai",
    "ditolak": "Ditolak",
}


def _ringkas(p, ctx: Konteks, pesan: Pesan) -> str:  # noqa: ANN001 - Permohonan
    profil = ctx.profil(p.kantor_id)
    tenggat = tenggat_berjalan(p)
    try:
        nama_layanan = ctx.katalog_of(p.kantor_id).resolve(p.layanan).nama
    except Exception:  # noqa: BLE001 - a layanan removed from the catalog keeps its code
        nama_layanan = p.layanan
    if p.menunggu_pemohon:
        keterangan = pesan("status_keterangan_menunggu_anda")
    elif tenggat is not None:
        keterangan = pesan("status_keterangan_tenggat",
                           tenggat=fmt_waktu(tenggat, profil.timezone))
    else:
        keterangan = ""
    return pesan(
        "status_ringkas", nomor=p.nomor, layanan=nama_layanan, atas_nama=p.atas_nama,
        status=LABEL[Status(p.status)], pemegang=profil.nama_jabatan(p.pemegang),
        diajukan=fmt_waktu(p.diajukan, profil.timezone), keterangan=keterangan,
    )


def cek_status(cmd: CekStatus, uow: AbstractUnitOfWork, ctx: Konteks) -> bool:
    """Answer the status of one number the sender owns; False when not found."""
    pemohon = uow.pemohon.by_kanal(cmd.kanal, cmd.kanal_id)
    text = None
    if pemohon is not None and cmd.nomor.startswith("ADU-"):
        a = uow.pengaduan.get(cmd.nomor)
        if a is not None and a.pelapor_id == pemohon.id:
            tz = ctx.profil(a.kantor_id).timezone
            text = ctx.pesan("status_pengaduan", nomor=a.nomor,
                             status=STATUS_ADUAN.get(a.status, a.status),
                             tenggat=fmt_waktu(a.tenggat, tz))
    elif pemohon is not None:
        p = uow.permohonan.get(cmd.nomor)
        if p is not None and p.pengaju_id == pemohon.id:
            text = _ringkas(p, ctx, ctx.pesan)
    found = text is not None
    uow.outbox.add(cmd.kanal, cmd.kanal_id,
                   {"text": text or ctx.pesan("status_tidak_ditemukan", nomor=cmd.nomor)})
    return found


def permohonan_saya(cmd: PermohonanSaya, uow: AbstractUnitOfWork, ctx: Konteks) -> int:
    """List the sender's own applications (and those they filed for others), newest first."""
    pemohon = uow.pemohon.by_kanal(cmd.kanal, cmd.kanal_id)
    items = uow.permohonan.list(pengaju_id=pemohon.id, limit=cmd.batas) if pemohon else []
    if not items:
        uow.outbox.add(cmd.kanal, cmd.kanal_id, {"text": ctx.pesan("permohonan_saya_kosong")})
        return 0
    body = "\n\n".join(_ringkas(p, ctx, ctx.pesan) for p in items)
    uow.outbox.add(cmd.kanal, cmd.kanal_id,
                   {"text": ctx.pesan("permohonan_saya", jumlah=len(items), daftar=body)})
    return len(items)


QUERY_HANDLERS = {CekStatus: cek_status, PermohonanSaya: permohonan_saya}
