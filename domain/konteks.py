"""What every handler gets besides the unit of work, and the helpers they share."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from domain.errors import DataTidakValid, PermohonanTidakDitemukan
from domain.identitas import NikTidakValid, normalize_hp, validate_nik
from domain.kantor import ProfilKantor
from domain.model import Permohonan
from domain.penomoran import format_nomor, hari_penomoran, scope
from domain.pesan import Pesan
from domain.ports import AbstractUnitOfWork, Clock
from domain.sla import perbarui_sla


@dataclass
class Konteks:
    """Everything the handlers need besides the unit of work."""

    clock: Clock
    katalog: Any  # domain.katalog.Katalog
    kantor: Mapping[int, ProfilKantor]
    pesan: Pesan
    numbering_tz: str
    batal_otomatis_hari_kerja: int = 14
    arsip_otomatis_hari: int = 30
    rekap_jam: str = "16:00"  # the daily recap's time (jadwal.rekap_harian)
    antrian_tunggu_hadir_menit: int = 3  # a called number may be skipped after this
    antrian_peringatan_sisa: int = 3  # the holder is told when this many are left

    def profil(self, kantor_id: int) -> ProfilKantor:
        return self.kantor[kantor_id]

    def katalog_of(self, kantor_id: int) -> Any:
        """The office's own catalog (its `layanan_override` applied)."""
        return self.kantor[kantor_id].katalog or self.katalog


# -- helpers the handlers share ----------------------------------------------------------


def ambil_permohonan(uow: AbstractUnitOfWork, nomor: str) -> Permohonan:
    p = uow.permohonan.get(nomor, for_update=True)
    if p is None:
        raise PermohonanTidakDitemukan(nomor)
    return p


def hitung_sla(p: Permohonan, ctx: Konteks, now: datetime) -> None:
    layanan = ctx.katalog_of(p.kantor_id).resolve(p.layanan)
    perbarui_sla(p, layanan.jangka_waktu, ctx.profil(p.kantor_id).kalender, now)


def nomor_berikut(uow: AbstractUnitOfWork, prefix: str, ctx: Konteks, now: datetime) -> str:
    day = hari_penomoran(now, ctx.numbering_tz)
    return format_nomor(prefix, day, uow.sequences.next(scope(prefix, day)))


def nik_sah(nik: str | None, hari: date) -> str | None:
    """The 16 digits of a NIK typed at the desk (None when none was given), else refused."""
    if not (nik and nik.strip()):
        return None
    try:
        return validate_nik(nik, hari).nik
    except NikTidakValid as exc:
        raise DataTidakValid(str(exc)) from None


def hp_sah(hp: str | None) -> str | None:
    """A mobile number in E.164 (None when none was given), else refused."""
    if not (hp and hp.strip()):
        return None
    nomor = normalize_hp(hp)
    if nomor is None:
        raise DataTidakValid(f"nomor HP '{hp}' bukan nomor seluler Indonesia yang valid; "
                             "contoh 081234567890")
    return nomor


def kanal_kabar(uow: AbstractUnitOfWork, pemohon_id: int | None) -> tuple[str, str] | None:
    """Where a message the office starts goes to this pemohon: their channel, unless they
    sent "STOP" (a reply to their own message, `uow.menjawab`, still goes).
    """
    kanal = uow.pemohon.kanal_of(pemohon_id) if pemohon_id is not None else None
    if kanal is None or kanal == uow.menjawab:
        return kanal
    p = uow.pemohon.get(pemohon_id)  # type: ignore[arg-type]
    return None if p is not None and p.notifikasi_berhenti is not None else kanal


#: The kinds of notification the office starts, each with its own approved WhatsApp
#: template (`whatsapp.templates` in config.yml) and the values of its numbered variables
#: {{1}}, {{2}}, … in this order. Outside the 24-hour window the template goes instead of
#: the text; with none configured the text waits for the citizen's next message.
JENIS_KABAR: dict[str, tuple[str, ...]] = {
    "bukti_pengajuan": ("nomor", "layanan"),
    "status_berubah": ("nomor", "status", "catatan"),
    "hasil_siap": ("nomor", "catatan"),
    "berkas_dikembalikan": ("nomor", "kekurangan"),
    "jadwal_audiensi": ("nomor", "waktu", "tempat"),
    "minta_info": ("nomor", "pertanyaan"),
    "pengaduan_ditanggapi": ("nomor", "tanggapan"),
    "antrian_dipanggil": ("nomor", "loket"),
    "tamu_dijawab": ("nomor", "jawaban", "waktu"),
    "undangan_skm": ("nomor",),
}


def kabar(jenis: str, **nilai: object) -> dict[str, object]:
    """The `kabar` part of an outbox message: its kind and its template variables."""
    nama = JENIS_KABAR[jenis]
    if set(nilai) != set(nama):
        raise ValueError(f"kabar {jenis} butuh {', '.join(nama)}")
    return {"jenis": jenis, "variabel": [" ".join(str(nilai[k]).split()) or "-" for k in nama]}


def kabari_pemohon(uow: AbstractUnitOfWork, pemohon_id: int | None, text: str,
                   jenis: str = "status_berubah", **nilai: object) -> None:
    """Tell a pemohon something the office started (not a reply to their message): on
    their channel unless they sent "STOP"; `jenis` and `nilai` fill its template."""
    kanal = kanal_kabar(uow, pemohon_id)
    if kanal is None:
        return
    if jenis == "status_berubah" and not nilai:
        nilai = {"nomor": "-", "status": "-", "catatan": text}
    uow.outbox.add(kanal[0], kanal[1], {"text": text, "kabar": kabar(jenis, **nilai)})


def kabari_petugas(uow: AbstractUnitOfWork, petugas: Any, message: dict[str, Any] | str) -> bool:
    """Tell one petugas something, on the channel they are reached on; False if none yet."""
    if isinstance(message, str):
        message = {"text": message}
    if not petugas.aktif or not petugas.telegram_user_id:
        return False
    uow.outbox.add("telegram", str(petugas.telegram_user_id), message)
    return True


BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
         "September", "Oktober", "November", "Desember")


def fmt_tanggal(d: date) -> str:
    """`2 Desember 2026`: a date as the office writes it."""
    return f"{d.day} {BULAN[d.month - 1]} {d.year}"


def fmt_waktu(dt: datetime | None, tz: str) -> str:
    """`Rabu, 25 November 2026 pukul 10.00 WIB` — how the office writes a time."""
    if dt is None:
        return "-"
    from zoneinfo import ZoneInfo

    local = dt.astimezone(ZoneInfo(tz))
    hari = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")[local.weekday()]
    zona = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA"}.get(tz, "WIT")
    return f"{hari}, {fmt_tanggal(local.date())} pukul {local:%H.%M} {zona}"
