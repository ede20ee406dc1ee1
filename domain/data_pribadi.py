"""A pemohon's rights over their personal data (UU 27/2022 tentang Pelindungan Data Pribadi):
see what is held, correct it, and ask for deletion, which the koordinator carries out.

Deletion keeps what the archive rules require — the permohonan, their files and timeline,
the complaints — and anonymises the person: name, NIK, phone, address and instansi go,
the chat number is unlinked (a later message starts as a stranger), the conversation
state is dropped and messages not yet sent to them are withdrawn. Pure domain: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import DataTidakValid, SyaratTidakTerpenuhi, TidakBerwenang
from domain.konteks import Konteks, fmt_waktu, kabari_petugas, nik_sah
from domain.model import Pemohon
from domain.penerima import koordinator
from domain.ports import AbstractUnitOfWork
from domain.wewenang import Aksi, ItemKantor, Pelaku, boleh

#: what a pemohon may correct by chat, and its label
KOLOM_UBAH = {"nama": "Nama lengkap", "nik": "NIK", "alamat": "Alamat",
              "instansi": "Nama instansi/lembaga"}
NAMA_DIHAPUS = "(data dihapus)"


@dataclass(frozen=True)
class DataSaya:
    """A query: the sender's own data, shown back to them."""

    kanal: str
    kanal_id: str


@dataclass(frozen=True)
class UbahDataPemohon:
    kanal: str
    kanal_id: str
    kolom: str
    nilai: str


@dataclass(frozen=True)
class MintaHapusData:
    kanal: str
    kanal_id: str


@dataclass(frozen=True)
class HapusDataPemohon:
    """The koordinator carries out a deletion (or erases on request at the desk)."""

    pemohon_id: int
    pelaku: Pelaku


def samarkan_nik(nik: str | None) -> str:
    """`3171011708850003` → `317101******0003`: enough to recognise, not to reuse."""
    if not nik:
        return "-"
    return nik[:6] + "*" * (len(nik) - 10) + nik[-4:] if len(nik) > 10 else "*" * len(nik)


def nilai_sah(kolom: str, nilai: str, hari: object) -> str:
    """The corrected value, cleaned, or DataTidakValid saying what is wrong."""
    teks = " ".join(nilai.split())
    if kolom not in KOLOM_UBAH:
        raise DataTidakValid(f"kolom '{kolom}' tidak dapat diubah")
    if not teks:
        raise DataTidakValid(f"{KOLOM_UBAH[kolom].lower()} tidak boleh kosong")
    if kolom == "nik":
        return nik_sah(teks, hari)  # type: ignore[arg-type,return-value]
    if kolom == "nama" and (len(teks) < 3 or not any(ch.isalpha() for ch in teks)):
        raise DataTidakValid("nama lengkap minimal 3 huruf")
    if kolom == "alamat" and len(teks) < 10:
        raise DataTidakValid("alamat terlalu pendek; tulis jalan, kelurahan dan kota")
    return teks[:200]


def _milik(uow: AbstractUnitOfWork, kanal: str, kanal_id: str) -> Pemohon:
    p = uow.pemohon.by_kanal(kanal, kanal_id)
    if p is None or p.id is None:
        raise SyaratTidakTerpenuhi("nomor ini belum terdaftar")
    return p


def data_saya(cmd: DataSaya, uow: AbstractUnitOfWork, ctx: Konteks) -> None:
    """Everything held about the sender, on their own channel (a reply to their message)."""
    p = uow.pemohon.by_kanal(cmd.kanal, cmd.kanal_id)
    if p is None or p.id is None:
        uow.outbox.add(cmd.kanal, cmd.kanal_id, {"text": ctx.pesan("data_belum_terdaftar")})
        return
    tz = ctx.profil(uow.kantor_id).timezone
    permohonan = uow.permohonan.ringkas(pengaju_id=p.id, limit=1000)
    pengaduan = uow.pengaduan.list(pelapor_id=p.id)
    uow.outbox.add(cmd.kanal, cmd.kanal_id, {"text": ctx.pesan(
        "data_saya", nama=p.nama, nik=samarkan_nik(p.nik), hp=p.hp or "-",
        alamat=p.alamat or "-", jenis="Instansi/lembaga" if p.jenis == "instansi"
        else "Perorangan", instansi=p.instansi or "-",
        persetujuan=fmt_waktu(p.persetujuan_at, tz), permohonan=len(permohonan),
        pengaduan=len(pengaduan),
        notifikasi="dihentikan (STOP)" if p.notifikasi_berhenti else "aktif",
        hapus=ctx.pesan("data_hapus_menunggu") if p.hapus_diminta else "")})


def ubah_data(cmd: UbahDataPemohon, uow: AbstractUnitOfWork, ctx: Konteks) -> str:
    p = _milik(uow, cmd.kanal, cmd.kanal_id)
    tz = ctx.profil(uow.kantor_id).kalender.tz
    nilai = nilai_sah(cmd.kolom, cmd.nilai, ctx.clock.now().astimezone(tz).date())
    if cmd.kolom == "instansi" and p.jenis != "instansi":
        raise DataTidakValid("nama instansi hanya untuk pemohon atas nama instansi/lembaga")
    setattr(p, cmd.kolom, nilai)
    uow.pemohon.add(p, cmd.kanal, cmd.kanal_id)  # the same row, corrected
    return nilai


def minta_hapus(cmd: MintaHapusData, uow: AbstractUnitOfWork, ctx: Konteks) -> None:
    """Records the request and tells the koordinator, who carries it out."""
    p = _milik(uow, cmd.kanal, cmd.kanal_id)
    now = ctx.clock.now()
    if p.hapus_diminta is None:
        uow.pemohon.minta_hapus(p.id, now)  # type: ignore[arg-type]
    tz = ctx.profil(uow.kantor_id).timezone
    for k in koordinator(uow.petugas.list()):
        kabari_petugas(uow, k, ctx.pesan("tg_hapus_data_diminta", id=p.id, nama=p.nama,
                                         waktu=fmt_waktu(now, tz)))


def hapus_data(cmd: HapusDataPemohon, uow: AbstractUnitOfWork, ctx: Konteks) -> Pemohon:
    if not boleh(Aksi.DATA_PRIBADI, cmd.pelaku, ItemKantor(uow.kantor_id)):
        raise TidakBerwenang(f"{cmd.pelaku.aktor.nama} tidak berwenang menghapus data "
                             "pemohon (koordinator atau admin kantor ini)")
    p = uow.pemohon.get(cmd.pemohon_id)
    if p is None:
        raise SyaratTidakTerpenuhi(f"pemohon {cmd.pemohon_id} tidak ada di kantor ini")
    if p.dihapus is not None:
        raise SyaratTidakTerpenuhi(f"data pemohon {cmd.pemohon_id} sudah dihapus")
    kanal = uow.pemohon.kanal_of(p.id)  # type: ignore[arg-type]
    uow.pemohon.anonimkan(p.id, ctx.clock.now(), NAMA_DIHAPUS)  # type: ignore[arg-type]
    if kanal is not None and p.hapus_diminta is not None:  # the last word to the number
        uow.outbox.add(kanal[0], kanal[1], {"text": ctx.pesan("data_dihapus")})
    return uow.pemohon.get(cmd.pemohon_id)  # type: ignore[return-value]


DATA_PRIBADI_HANDLERS = {UbahDataPemohon: ubah_data, MintaHapusData: minta_hapus,
                         HapusDataPemohon: hapus_data}
DATA_PRIBADI_QUERIES = {DataSaya: data_saya}
