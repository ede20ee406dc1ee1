"""Complaints (seed 002): received, classified into a tier and topic, forwarded, answered.

A complaint about illegal levies or gratuities bypasses the desk (`tentang_pungli`); the
n-th complaint on one topic in a calendar month raises `AmbangTopikTercapai`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from domain import commands as c
from domain import events as e
from domain.errors import (
    DataTidakValid,
    PengaduanTidakDitemukan,
    SyaratTidakTerpenuhi,
    TidakBerwenang,
)
from domain.kantor import ProfilKantor
from domain.konteks import Konteks, fmt_waktu, kabari_pemohon, nomor_berikut
from domain.model import KATEGORI_PENGADUAN, TIER_PENGADUAN, Pengaduan, Riwayat, Role
from domain.pengingat import jadwalkan_pengingat_aduan
from domain.penomoran import PREFIX_PENGADUAN
from domain.ports import AbstractUnitOfWork


def ajukan_pengaduan(cmd: c.AjukanPengaduan, uow: AbstractUnitOfWork, ctx: Konteks) -> str:
    if cmd.kategori not in KATEGORI_PENGADUAN:
        raise DataTidakValid(f"kategori harus salah satu dari {', '.join(KATEGORI_PENGADUAN)}")
    if not cmd.teks.strip():
        raise DataTidakValid("isi pengaduan wajib diisi")
    now = ctx.clock.now()
    profil = ctx.profil(uow.kantor_id)
    nomor = nomor_berikut(uow, PREFIX_PENGADUAN, ctx, now)
    ringan = profil.tier.get("ringan")
    tenggat = _batas_tier(profil, "ringan", now) if ringan else None
    p = Pengaduan(
        kantor_id=uow.kantor_id, nomor=nomor, kategori=cmd.kategori, teks=cmd.teks.strip(),
        diterima=now, pelapor_id=cmd.pelapor_id, anonim=cmd.anonim,
        nomor_terkait=cmd.nomor_terkait, berkas=list(cmd.berkas), tenggat=tenggat,
        kanal=cmd.kanal,
    )
    if PUNGLI_TOPIK in profil.topik and tentang_pungli(p.teks):
        p.topik = PUNGLI_TOPIK  # provisional, so it reaches only the koordinator and APIP
    p.riwayat.append(Riwayat(waktu=now, status="diterima", oleh="Pelapor"))
    p.events.append(e.PengaduanDiterima(nomor=nomor, kantor_id=uow.kantor_id))
    uow.pengaduan.add(p)
    jadwalkan_pengingat_aduan(ctx, uow, p)
    return nomor


PUNGLI_TOPIK = "pungli_gratifikasi"
_PUNGLI = ("pungli", "pungutan liar", "gratifikasi", "suap", "uang pelicin", "uang rokok",
           "uang terima kasih", "minta uang", "meminta uang", "uang tambahan", "biaya tambahan",
           "amplop", "uang damai", "calo")


def tentang_pungli(teks: str) -> bool:
    """Does a complaint speak of illegal levies or gratuities? It must bypass the desk."""
    t = " ".join(teks.lower().split())
    return any(k in t for k in _PUNGLI)


def _batas_tier(profil: ProfilKantor, tier: str, mulai: datetime) -> datetime | None:
    batas = profil.tier.get(tier)
    if batas is None:
        return None
    if batas.jam_kerja:
        return profil.kalender.add_working_minutes(mulai, batas.jam_kerja * 60)
    return profil.kalender.add_working_days(mulai, batas.hari_kerja or 0)


def klasifikasi_pengaduan(
    cmd: c.KlasifikasiPengaduan, uow: AbstractUnitOfWork, ctx: Konteks
) -> str:
    p = uow.pengaduan.get(cmd.nomor, for_update=True)
    if p is None:
        raise PengaduanTidakDitemukan(cmd.nomor)
    profil = ctx.profil(p.kantor_id)
    if cmd.aktor.role not in (Role.CS, Role.KOORDINATOR, Role.ADMIN):
        raise TidakBerwenang(
            "hanya pengelola pengaduan atau koordinator yang dapat mengklasifikasi")
    if cmd.tier not in TIER_PENGADUAN[1:]:
        raise DataTidakValid(f"tier harus salah satu dari {', '.join(TIER_PENGADUAN[1:])}")
    if cmd.topik not in profil.topik:
        raise DataTidakValid(f"topik harus salah satu dari {', '.join(profil.topik)}")
    topik_lama = p.topik
    p.tier, p.topik = cmd.tier, cmd.topik
    p.tenggat = _batas_tier(profil, cmd.tier, p.diterima)
    if p.status == "diterima":
        p.status = "diverifikasi"
    now = ctx.clock.now()
    p.riwayat.append(Riwayat(waktu=now, status=p.status, oleh=cmd.aktor.label(),
                             catatan=f"tier {cmd.tier}, topik {cmd.topik}"))
    if topik_lama != cmd.topik:
        _cek_ambang_topik(p, uow, profil)
    kabari_pemohon(uow, p.pelapor_id, ctx.pesan(
        "pengaduan_diklasifikasi", nomor=p.nomor,
        tenggat=fmt_waktu(p.tenggat, profil.timezone)), "pengaduan_ditanggapi", nomor=p.nomor,
        tanggapan=f"diklasifikasi, batas waktu {fmt_waktu(p.tenggat, profil.timezone)}")
    jadwalkan_pengingat_aduan(ctx, uow, p)  # the new deadline's reminders
    return p.status


def _cek_ambang_topik(p: Pengaduan, uow: AbstractUnitOfWork, profil: ProfilKantor) -> None:
    """Seed 002: the n-th complaint on one topic in a month calls for a root-cause action.

    The moment it is classified (n = `ambang_topik_bulanan`, default 5), the penanggung
    jawab is alerted.
    """
    lokal = p.diterima.astimezone(profil.kalender.tz)
    mulai = lokal.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    akhir = (mulai + timedelta(days=32)).replace(day=1)
    jumlah = uow.pengaduan.count_topik(p.topik or "", mulai, akhir)
    if jumlah == profil.ambang_topik_bulanan:
        p.events.append(e.AmbangTopikTercapai(kantor_id=p.kantor_id, topik=p.topik or "",
                                              jumlah=jumlah, bulan=f"{mulai:%Y-%m}"))


def teruskan_pengaduan(cmd: c.TeruskanPengaduan, uow: AbstractUnitOfWork, ctx: Konteks) -> str:
    p = uow.pengaduan.get(cmd.nomor, for_update=True)
    if p is None:
        raise PengaduanTidakDitemukan(cmd.nomor)
    if cmd.aktor.role not in (Role.CS, Role.KOORDINATOR, Role.ADMIN):
        raise TidakBerwenang("hanya pengelola pengaduan atau koordinator yang meneruskan")
    if p.status in ("selesai", "ditolak"):
        raise SyaratTidakTerpenuhi(f"pengaduan {p.nomor} sudah ditutup")
    profil = ctx.profil(p.kantor_id)
    if cmd.ke_jabatan not in profil.jabatan:
        raise DataTidakValid(f"jabatan '{cmd.ke_jabatan}' tidak ada di konfigurasi kantor")
    now = ctx.clock.now()
    p.status = "diteruskan"
    if cmd.ke_jabatan not in p.diteruskan_ke:
        p.diteruskan_ke = (*p.diteruskan_ke, cmd.ke_jabatan)
    catatan = f"diteruskan kepada {profil.nama_jabatan(cmd.ke_jabatan)}"
    p.riwayat.append(Riwayat(waktu=now, status=p.status, oleh=cmd.aktor.label(),
                             catatan=catatan + (f": {cmd.catatan}" if cmd.catatan else "")))
    p.events.append(e.PengaduanDiteruskan(nomor=p.nomor, kantor_id=p.kantor_id,
                                          ke=cmd.ke_jabatan, catatan=cmd.catatan))
    kabari_pemohon(uow, p.pelapor_id, ctx.pesan("pengaduan_diteruskan", nomor=p.nomor),
                   "pengaduan_ditanggapi", nomor=p.nomor,
                   tanggapan="diteruskan kepada pejabat yang berwenang")
    return p.status


def tanggapi_pengaduan(cmd: c.TanggapiPengaduan, uow: AbstractUnitOfWork, ctx: Konteks) -> str:
    p = uow.pengaduan.get(cmd.nomor, for_update=True)
    if p is None:
        raise PengaduanTidakDitemukan(cmd.nomor)
    if cmd.aktor.role not in (Role.CS, Role.KOORDINATOR, Role.ADMIN, Role.PEJABAT):
        raise TidakBerwenang("hanya pengelola pengaduan, pejabat atau koordinator yang menanggapi")
    if p.status in ("selesai", "ditolak"):
        raise SyaratTidakTerpenuhi(f"pengaduan {p.nomor} sudah ditutup")
    if not cmd.teks.strip():
        raise DataTidakValid("tanggapan wajib diisi")
    now = ctx.clock.now()
    p.status = "selesai" if cmd.selesai else "ditindaklanjuti"
    p.riwayat.append(Riwayat(waktu=now, status=p.status, oleh=cmd.aktor.label(),
                             catatan=cmd.teks.strip()))
    kabari_pemohon(uow, p.pelapor_id, ctx.pesan(
        "pengaduan_selesai" if cmd.selesai else "pengaduan_ditanggapi",
        nomor=p.nomor, teks=cmd.teks.strip()), "pengaduan_ditanggapi", nomor=p.nomor,
        tanggapan=cmd.teks.strip())
    return p.status


def on_pengaduan_diterima(ev: e.PengaduanDiterima, uow: AbstractUnitOfWork, ctx: Konteks) -> None:
    p = uow.pengaduan.get(ev.nomor)
    if p is None:
        return
    profil = ctx.profil(p.kantor_id)
    kabari_pemohon(uow, p.pelapor_id, ctx.pesan(
        "pengaduan_diterima", nomor=p.nomor, tenggat=fmt_waktu(p.tenggat, profil.timezone)),
        "pengaduan_ditanggapi", nomor=p.nomor, tanggapan="pengaduan diterima")


PENGADUAN_HANDLERS: dict[type, Callable[..., Any]] = {
    c.AjukanPengaduan: ajukan_pengaduan,
    c.KlasifikasiPengaduan: klasifikasi_pengaduan,
    c.TeruskanPengaduan: teruskan_pengaduan,
    c.TanggapiPengaduan: tanggapi_pengaduan,
}
