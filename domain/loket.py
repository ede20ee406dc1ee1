"""The counter (seeds 001–002, alur C): walk-ins, the pick-up desk, the complaint log book.

A walk-in's application enters the same flow as one from WhatsApp — numbering,
checklist, SLA, the officials' prompts — and, when the citizen gives a mobile number,
the WhatsApp notifications from then on. Without one the citizen is reached at the
counter only (channel `loket`, which no sender serves and no notification uses).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from domain import commands as c
from domain.errors import DataTidakValid, PermohonanTidakDitemukan
from domain.konteks import Konteks, ambil_permohonan, hp_sah, nik_sah
from domain.model import Aktor, Berkas, Pemohon, Riwayat
from domain.pengaduan import ajukan_pengaduan
from domain.ports import AbstractUnitOfWork
from domain.services import ajukan_permohonan, ubah_status
from domain.status import Status

LOKET = "loket"  # the channel of a citizen met only at the counter
KANAL_ADUAN = ("telepon", "langsung", "surat", "email", "kotak_saran", "media_sosial", "lapor")


@dataclass(frozen=True)
class AjukanDiLoket:
    """A walk-in's application, entered by the front office."""

    aktor: Aktor
    layanan: str
    nama: str
    nik: str | None = None
    hp: str | None = None
    atas_nama: str | None = None
    berkas: tuple[Berkas, ...] = ()


@dataclass(frozen=True)
class SerahkanHasil:
    """The pick-up desk hands the result over (the pick-up book's fields)."""

    nomor: str
    aktor: Aktor
    diambil_oleh: str
    hubungan: str | None = None
    identitas: str | None = None


@dataclass(frozen=True)
class CatatPengaduan:
    """A complaint taken by phone, in person, by letter, email, kotak saran, social media."""

    aktor: Aktor
    kanal: str
    teks: str
    nama: str | None = None
    hp: str | None = None
    anonim: bool = False
    kategori: str = "pengaduan"
    terkait: str | None = None


def warga(uow: AbstractUnitOfWork, ctx: Konteks, nama: str | None, nik: str | None,
          hp: str | None) -> Pemohon | None:
    """The citizen at the counter: found by mobile number, else recorded for this visit."""
    if not (nama and nama.strip()) and not hp:
        return None
    nomor_hp, nik_ok = hp_sah(hp), nik_sah(nik, ctx.clock.now().date())
    if nomor_hp:
        ada = uow.pemohon.by_kanal("whatsapp", nomor_hp)
        if ada is not None:
            return ada
    if not (nama and nama.strip()):
        raise DataTidakValid("nama pemohon wajib diisi")
    p = Pemohon(kantor_id=uow.kantor_id, nama=" ".join(nama.split()), hp=nomor_hp or "",
                nik=nik_ok, persetujuan_at=ctx.clock.now())  # consent given at the counter
    if nomor_hp:
        return uow.pemohon.add(p, "whatsapp", nomor_hp)
    return uow.pemohon.add(p, LOKET, f"{LOKET}:{secrets.token_hex(8)}")


def ajukan_di_loket(cmd: AjukanDiLoket, uow: AbstractUnitOfWork, ctx: Konteks) -> str:
    pemohon = warga(uow, ctx, cmd.nama, cmd.nik, cmd.hp)
    if pemohon is None:
        raise DataTidakValid("nama pemohon wajib diisi")
    nomor = ajukan_permohonan(c.AjukanPermohonan(
        pemohon_id=pemohon.id, layanan=cmd.layanan,
        atas_nama=(cmd.atas_nama or pemohon.nama), data={"kanal": LOKET},
        berkas=cmd.berkas), uow, ctx)
    p = uow.permohonan.get(nomor)
    p.riwayat[-1] = Riwayat(waktu=p.riwayat[-1].waktu, status=Status.MENUNGGU,
                            oleh=f"{cmd.aktor.label()} di loket", catatan="diajukan di loket")
    return nomor


def serahkan_hasil(cmd: SerahkanHasil, uow: AbstractUnitOfWork, ctx: Konteks) -> str:
    if not cmd.diambil_oleh.strip():
        raise DataTidakValid("nama yang mengambil wajib diisi")
    p = ambil_permohonan(uow, cmd.nomor)
    now = ctx.clock.now()
    ambil = {"diambil_oleh": " ".join(cmd.diambil_oleh.split()), "hubungan": cmd.hubungan,
             "identitas": cmd.identitas, "waktu": now.isoformat(), "oleh": cmd.aktor.label()}
    catatan = f"diambil oleh {ambil['diambil_oleh']}" + (
        f" ({cmd.hubungan})" if cmd.hubungan else "")
    p.data = {**p.data, "pengambilan": ambil}
    return ubah_status(c.UbahStatus(p.nomor, cmd.aktor, Status.DISERAHKAN.value, catatan),
                       uow, ctx)


def catat_pengaduan(cmd: CatatPengaduan, uow: AbstractUnitOfWork, ctx: Konteks) -> str:
    if cmd.kanal not in KANAL_ADUAN:
        raise DataTidakValid(f"kanal harus salah satu dari {', '.join(KANAL_ADUAN)}")
    if cmd.terkait and not (cmd.terkait.startswith("PTSP-")
                            and uow.permohonan.get(cmd.terkait) is not None):
        raise PermohonanTidakDitemukan(cmd.terkait)
    pelapor = warga(uow, ctx, cmd.nama, None, cmd.hp)
    nomor = ajukan_pengaduan(c.AjukanPengaduan(
        kategori=cmd.kategori, teks=cmd.teks, pelapor_id=pelapor.id if pelapor else None,
        anonim=cmd.anonim or pelapor is None, nomor_terkait=cmd.terkait, kanal=cmd.kanal),
        uow, ctx)
    a = uow.pengaduan.get(nomor)
    a.riwayat[-1] = Riwayat(waktu=a.riwayat[-1].waktu, status="diterima",
                            oleh=cmd.aktor.label(), catatan=f"dicatat dari kanal {cmd.kanal}")
    return nomor


LOKET_HANDLERS = {AjukanDiLoket: ajukan_di_loket, SerahkanHasil: serahkan_hasil,
                  CatatPengaduan: catat_pengaduan}
