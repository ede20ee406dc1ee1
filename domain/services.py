"""The service layer: command handlers and event handlers, written against the domain's ports.

`MessageBus.handle(cmd, uow)` runs one command inside the caller's unit of work, then
turns the events it raised into outbox rows in the same transaction, then commits.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from domain import commands as c
from domain import events as e
from domain.errors import (
    DataTidakValid,
    PemohonTidakDitemukan,
    PermohonanTidakDitemukan,
    SyaratTidakTerpenuhi,
    TidakBerwenang,
)
from domain.identitas import NikTidakValid, normalize_hp, validate_nik
from domain.konteks import (
    Konteks,
    ambil_permohonan,
    fmt_waktu,
    hitung_sla,
    kabari_pemohon,
    nomor_berikut,
)
from domain.model import (
    INSTRUKSI,
    TUGAS,
    Aktor,
    Disposisi,
    Pemohon,
    Permohonan,
    Petugas,
    Riwayat,
    Role,
    SurveiSKM,
)
from domain.pengaduan import PENGADUAN_HANDLERS, on_pengaduan_diterima
from domain.penomoran import PREFIX_PERMOHONAN
from domain.ports import AbstractUnitOfWork
from domain.sla import tenggat_berjalan
from domain.status import LABEL, TRANSITIONS, Status
from domain.surat import catat_surat_permohonan

KODE_TAUTAN_BERLAKU = timedelta(hours=72)


# -- command handlers ------------------------------------------------------------------


def daftar_pemohon(cmd: c.DaftarPemohon, uow: AbstractUnitOfWork, ctx: Konteks) -> Pemohon:
    if not cmd.persetujuan:
        raise SyaratTidakTerpenuhi("persetujuan penggunaan data pribadi diperlukan (UU 27/2022)")
    hp = normalize_hp(cmd.hp)
    if hp is None:
        raise DataTidakValid("nomor HP bukan nomor seluler Indonesia yang valid")
    nik = None
    if cmd.nik:
        try:
            nik = validate_nik(cmd.nik, ctx.clock.now().date()).nik
        except NikTidakValid as exc:
            raise DataTidakValid(str(exc)) from exc
    if not cmd.nama.strip():
        raise DataTidakValid("nama wajib diisi")
    now = ctx.clock.now()
    existing = uow.pemohon.by_kanal(cmd.kanal, cmd.kanal_id)
    pemohon = Pemohon(
        kantor_id=uow.kantor_id, nama=cmd.nama.strip(), hp=hp, nik=nik, jenis=cmd.jenis,  # type: ignore[arg-type]
        instansi=cmd.instansi, alamat=cmd.alamat, persetujuan_at=now,
        id=existing.id if existing else None,
    )
    return uow.pemohon.add(pemohon, cmd.kanal, cmd.kanal_id)


def ajukan_permohonan(cmd: c.AjukanPermohonan, uow: AbstractUnitOfWork, ctx: Konteks) -> str:
    layanan = ctx.katalog_of(uow.kantor_id).resolve(cmd.layanan)
    if uow.pemohon.get(cmd.pemohon_id) is None:
        raise PemohonTidakDitemukan(str(cmd.pemohon_id))
    if not cmd.atas_nama.strip():
        raise DataTidakValid("atas nama wajib diisi")
    now = ctx.clock.now()
    nomor = nomor_berikut(uow, PREFIX_PERMOHONAN, ctx, now)
    p = Permohonan(
        kantor_id=uow.kantor_id, nomor=nomor, layanan=layanan.kode, pengaju_id=cmd.pemohon_id,
        atas_nama=cmd.atas_nama.strip(), diajukan=now, data=dict(cmd.data),
        berkas=list(cmd.berkas), konfirmator=layanan.routing.konfirmasi, pemegang=Role.CS.value,
        checklist={r.kode: False for r in layanan.persyaratan},
    )
    p.riwayat.append(Riwayat(waktu=now, status=Status.MENUNGGU, oleh="Pemohon",
                             catatan="diajukan"))
    p.events.append(e.PermohonanDiajukan(nomor=nomor, kantor_id=uow.kantor_id))
    hitung_sla(p, ctx, now)
    uow.permohonan.add(p)
    return nomor


def periksa_kelengkapan(cmd: c.PeriksaKelengkapan, uow: AbstractUnitOfWork, ctx: Konteks) -> str:
    p = ambil_permohonan(uow, cmd.nomor)
    unknown = set(cmd.checklist) - set(p.checklist)
    if unknown:
        raise DataTidakValid(f"butir persyaratan tidak dikenal: {', '.join(sorted(unknown))}")
    checklist = {**p.checklist, **cmd.checklist}
    now = ctx.clock.now()
    if all(checklist.values()):
        if p.konfirmator:
            ke, pemegang = Status.KONFIRMASI, p.konfirmator
        else:
            ke, pemegang = Status.PROSES, Role.BO.value
        p.transition_to(ke, by=cmd.aktor, at=now, catatan=cmd.catatan or "berkas lengkap",
                        pemegang=pemegang)
    else:
        p.transition_to(Status.DIKEMBALIKAN, by=cmd.aktor, at=now, catatan=cmd.catatan)
        _jadwalkan_batal_otomatis(p, uow, ctx, now)
    p.checklist = checklist
    hitung_sla(p, ctx, now)
    return p.status


def _jadwalkan_batal_otomatis(
    p: Permohonan, uow: AbstractUnitOfWork, ctx: Konteks, now: datetime
) -> None:
    kal = ctx.profil(p.kantor_id).kalender
    run_at = kal.add_working_days(now, ctx.batal_otomatis_hari_kerja)
    uow.jobs.schedule(
        "batal_otomatis", {"nomor": p.nomor, "sejak": len(p.riwayat)}, run_at,
        dedup_key=f"batal_otomatis:{p.nomor}:{len(p.riwayat)}",
    )


def batal_otomatis(cmd: c.BatalOtomatis, uow: AbstractUnitOfWork, ctx: Konteks) -> bool:
    """Cancel a permohonan still `dikembalikan` with nothing new since the job was set."""
    p = uow.permohonan.get(cmd.nomor, for_update=True)
    if p is None or p.status != Status.DIKEMBALIKAN or len(p.riwayat) != cmd.sejak:
        return False
    now = ctx.clock.now()
    p.transition_to(Status.DIBATALKAN, by=Aktor.sistem(), at=now,
                    catatan=ctx.pesan("batal_otomatis"))
    hitung_sla(p, ctx, now)
    return True


def disposisikan(cmd: c.Disposisikan, uow: AbstractUnitOfWork, ctx: Konteks) -> str:
    p = ambil_permohonan(uow, cmd.nomor)
    profil = ctx.profil(p.kantor_id)
    if cmd.instruksi not in INSTRUKSI:
        raise DataTidakValid(f"instruksi harus salah satu dari {', '.join(INSTRUKSI)}")
    dari = p.pemegang if p.status in (Status.KONFIRMASI, Status.PROSES) else None
    if dari is None or dari not in cmd.aktor.jabatan and cmd.aktor.role != Role.ADMIN:
        raise TidakBerwenang(f"{cmd.aktor.label()} bukan pemegang {p.nomor}")
    if not profil.boleh_disposisi(dari, cmd.ke_jabatan):
        raise TidakBerwenang(
            f"{profil.nama_jabatan(dari)} tidak dapat mendisposisikan ke {cmd.ke_jabatan}"
        )
    layanan = ctx.katalog_of(p.kantor_id).resolve(p.layanan)
    tujuan = list(layanan.routing.disposisi_ke or ())
    if tujuan and cmd.ke_jabatan not in tujuan:
        raise TidakBerwenang(f"{cmd.ke_jabatan} tidak termasuk penerima disposisi layanan ini")
    now = ctx.clock.now()
    catatan = f"disposisi ke {profil.nama_jabatan(cmd.ke_jabatan)}: {INSTRUKSI[cmd.instruksi]}"
    if cmd.catatan:
        catatan += f" — {cmd.catatan}"
    if p.status == Status.KONFIRMASI:
        p.transition_to(Status.PROSES, by=cmd.aktor, at=now, catatan=catatan,
                        pemegang=cmd.ke_jabatan)
    else:  # a further disposisi in `proses` is a record, not a status change
        p.pemegang = cmd.ke_jabatan
        p.riwayat.append(Riwayat(waktu=now, status=p.status, oleh=cmd.aktor.label(),
                                 catatan=catatan, dari=p.status))
    p.disposisi.append(
        Disposisi(dari_jabatan=dari, ke_jabatan=cmd.ke_jabatan, instruksi=cmd.instruksi,
                  waktu=now, oleh=cmd.aktor.label(), catatan=cmd.catatan)
    )
    p.events.append(e.Didisposisikan(nomor=p.nomor, kantor_id=p.kantor_id, dari=dari,
                                     ke=cmd.ke_jabatan, oleh=cmd.aktor.label()))
    hitung_sla(p, ctx, now)
    return p.status


def ubah_status(cmd: c.UbahStatus, uow: AbstractUnitOfWork, ctx: Konteks) -> str:
    p = ambil_permohonan(uow, cmd.nomor)
    try:
        ke = Status(cmd.ke)
    except ValueError:
        raise DataTidakValid(f"status tidak dikenal: {cmd.ke}") from None
    now = ctx.clock.now()
    if cmd.hasil is not None and ke != Status.SELESAI:
        raise DataTidakValid("dokumen hasil hanya dapat dilampirkan saat selesai")
    jadwal = p.data.get("jadwal")
    if _is_audiensi(p, ctx) and p.status == Status.SELESAI and ke == Status.DISERAHKAN:
        # "terlaksana" only once the scheduled time has come
        if not jadwal or datetime.fromisoformat(jadwal["waktu"]) > now:
            raise SyaratTidakTerpenuhi(
                f"audiensi {p.nomor} belum dapat dinyatakan terlaksana sebelum waktunya")
    p.transition_to(ke, by=cmd.aktor, at=now, catatan=cmd.catatan)
    if jadwal and ke == Status.PROSES:  # rescheduled or cancelled: the old time is off
        data = {k: v for k, v in p.data.items() if k != "jadwal"}
        p.data = {**data, "jadwal_batal": jadwal}
    if cmd.hasil is not None:
        p.berkas.append(cmd.hasil)
        p.data = {**p.data, "hasil": {"sha256": cmd.hasil.sha256, "nama": cmd.hasil.nama}}
    if ke == Status.DIBATALKAN:
        p.menunggu_pemohon = False
    hitung_sla(p, ctx, now)
    return p.status


def arsip_otomatis(cmd: c.ArsipOtomatis, uow: AbstractUnitOfWork, ctx: Konteks) -> bool:
    """Archive a permohonan whose final status has not changed since the job was set."""
    p = uow.permohonan.get(cmd.nomor, for_update=True)
    if p is None or len(p.riwayat) != cmd.sejak or Status.DIARSIPKAN not in TRANSITIONS[p.status]:
        return False
    p.transition_to(Status.DIARSIPKAN, by=Aktor.sistem(), at=ctx.clock.now(),
                    catatan="diarsipkan otomatis")
    return True


def on_status_final(ev: e.StatusBerubah, uow: AbstractUnitOfWork, ctx: Konteks) -> None:
    """A final status schedules the automatic archiving."""
    if Status.DIARSIPKAN not in TRANSITIONS[Status(ev.ke)]:
        return
    p = uow.permohonan.get(ev.nomor)
    if p is None:
        return
    uow.jobs.schedule("arsip_otomatis", {"nomor": p.nomor, "sejak": len(p.riwayat)},
                      ev.waktu + timedelta(days=ctx.arsip_otomatis_hari),
                      dedup_key=f"arsip:{p.nomor}:{len(p.riwayat)}")


def minta_info(cmd: c.MintaInfo, uow: AbstractUnitOfWork, ctx: Konteks) -> str:
    p = ambil_permohonan(uow, cmd.nomor)
    if p.status not in (Status.KONFIRMASI, Status.PROSES):
        raise SyaratTidakTerpenuhi(
            f"{p.nomor} berstatus {LABEL[p.status]}; tidak dapat meminta info")
    if p.pemegang not in cmd.aktor.jabatan and p.pemegang != cmd.aktor.role \
            and cmd.aktor.role != Role.ADMIN:
        raise TidakBerwenang(f"{cmd.aktor.label()} bukan pemegang {p.nomor}")
    if not cmd.pertanyaan.strip():
        raise DataTidakValid("pertanyaan wajib diisi")
    now = ctx.clock.now()
    p.menunggu_pemohon = True
    p.riwayat.append(Riwayat(waktu=now, status=p.status, oleh=cmd.aktor.label(),
                             catatan=f"minta info: {cmd.pertanyaan.strip()}", dari=p.status))
    hitung_sla(p, ctx, now)
    kabari_pemohon(uow, p.pengaju_id, ctx.pesan("info_diminta", nomor=p.nomor,
                                                 pertanyaan=cmd.pertanyaan.strip()),
                   "minta_info", nomor=p.nomor, pertanyaan=cmd.pertanyaan.strip())
    return p.status


def jawab_info(cmd: c.JawabInfo, uow: AbstractUnitOfWork, ctx: Konteks) -> str:
    p = ambil_permohonan(uow, cmd.nomor)
    if cmd.aktor.jenis != "pemohon" or cmd.aktor.id != p.pengaju_id:
        raise PermohonanTidakDitemukan(cmd.nomor)
    if not p.menunggu_pemohon:
        raise SyaratTidakTerpenuhi(f"tidak ada pertanyaan petugas yang menunggu untuk {p.nomor}")
    now = ctx.clock.now()
    p.menunggu_pemohon = False
    p.berkas.extend(cmd.berkas)
    teks = cmd.jawaban.strip() or f"({len(cmd.berkas)} file)"
    p.riwayat.append(Riwayat(waktu=now, status=p.status, oleh="Pemohon",
                             catatan=f"jawaban: {teks}", dari=p.status))
    hitung_sla(p, ctx, now)
    p.events.append(e.InfoDijawab(nomor=p.nomor, kantor_id=p.kantor_id, jawaban=teks))
    kabari_pemohon(uow, p.pengaju_id, ctx.pesan("info_terkirim", nomor=p.nomor),
                   nomor=p.nomor, status=LABEL[p.status], catatan="informasi diterima petugas")
    return p.status


def tanggapi_jadwal(cmd: c.TanggapiJadwal, uow: AbstractUnitOfWork, ctx: Konteks) -> str:
    p = ambil_permohonan(uow, cmd.nomor)
    if cmd.aktor.jenis != "pemohon" or cmd.aktor.id != p.pengaju_id:
        raise PermohonanTidakDitemukan(cmd.nomor)
    jadwal = p.data.get("jadwal")
    if p.status != Status.SELESAI or not jadwal:
        raise SyaratTidakTerpenuhi(f"{p.nomor} tidak memiliki jadwal audiensi yang berlaku")
    now = ctx.clock.now()
    p.data = {**p.data, "jadwal": {**jadwal, "tanggapan": "hadir" if cmd.hadir else "minta_ubah",
                                   "catatan": cmd.catatan}}
    p.riwayat.append(Riwayat(
        waktu=now, status=p.status, oleh="Pemohon", dari=p.status,
        catatan="konfirmasi hadir" if cmd.hadir else f"minta jadwal lain: {cmd.catatan or '-'}"))
    p.events.append(e.JadwalDitanggapi(nomor=p.nomor, kantor_id=p.kantor_id, hadir=cmd.hadir,
                                       catatan=cmd.catatan))
    kabari_pemohon(uow, p.pengaju_id, ctx.pesan(
        "jadwal_dikonfirmasi" if cmd.hadir else "jadwal_minta_ubah", nomor=p.nomor),
        nomor=p.nomor, status=LABEL[p.status],
        catatan="kehadiran dikonfirmasi" if cmd.hadir else "permintaan ubah jadwal diterima")
    return p.status


def jadwalkan_audiensi(cmd: c.JadwalkanAudiensi, uow: AbstractUnitOfWork, ctx: Konteks) -> str:
    p = ambil_permohonan(uow, cmd.nomor)
    if not ctx.katalog_of(p.kantor_id).resolve(p.layanan).pilih_pejabat:
        raise DataTidakValid(f"{p.nomor} bukan permohonan audiensi")
    now = ctx.clock.now()
    if cmd.waktu.tzinfo is None or cmd.waktu <= now:
        raise DataTidakValid("waktu audiensi harus di masa depan")
    if not cmd.tempat.strip():
        raise DataTidakValid("tempat audiensi wajib diisi")
    tz = ctx.profil(p.kantor_id).timezone
    if p.status == Status.KONFIRMASI:
        # seed 000: the confirming official receives the pemohon himself
        p.transition_to(Status.PROSES, by=cmd.aktor, at=now, pemegang=p.konfirmator,
                        catatan=f"diterima langsung oleh "
                                f"{ctx.profil(p.kantor_id).nama_jabatan(p.konfirmator)}")
    p.transition_to(Status.SELESAI, by=cmd.aktor, at=now,
                    catatan=f"audiensi {fmt_waktu(cmd.waktu, tz)} di {cmd.tempat.strip()}")
    p.data = {**p.data, "jadwal": {"waktu": cmd.waktu.isoformat(), "tempat": cmd.tempat.strip()}}
    hitung_sla(p, ctx, now)
    return p.status


def batalkan_permohonan(cmd: c.BatalkanPermohonan, uow: AbstractUnitOfWork, ctx: Konteks
                        ) -> str:
    p = uow.permohonan.get(cmd.nomor, for_update=True)
    if p is None or cmd.aktor.jenis != "pemohon" or p.pengaju_id != cmd.aktor.id:
        raise PermohonanTidakDitemukan(cmd.nomor)  # another's number reads like a missing one
    if Status.DIBATALKAN not in TRANSITIONS[p.status]:
        raise SyaratTidakTerpenuhi(
            f"permohonan {p.nomor} berstatus {LABEL[p.status]} dan tidak dapat dibatalkan lagi")
    now = ctx.clock.now()
    p.transition_to(Status.DIBATALKAN, by=cmd.aktor, at=now, catatan="dibatalkan oleh pemohon")
    p.menunggu_pemohon = False
    hitung_sla(p, ctx, now)
    return p.status


def lengkapi_berkas(cmd: c.LengkapiBerkas, uow: AbstractUnitOfWork, ctx: Konteks) -> str:
    p = ambil_permohonan(uow, cmd.nomor)
    now = ctx.clock.now()
    p.berkas.extend(cmd.berkas)
    p.transition_to(Status.MENUNGGU, by=cmd.aktor, at=now, catatan="berkas dilengkapi",
                    pemegang=Role.CS.value)
    hitung_sla(p, ctx, now)
    return p.status


def tambah_petugas(cmd: c.TambahPetugas, uow: AbstractUnitOfWork, ctx: Konteks) -> Petugas:
    try:
        role = Role(cmd.role)
    except ValueError:
        raise DataTidakValid(
            f"role harus salah satu dari {', '.join(r.value for r in Role)}"
        ) from None
    profil = ctx.profil(uow.kantor_id)
    if cmd.jabatan is not None and cmd.jabatan not in profil.jabatan:
        raise DataTidakValid(f"jabatan '{cmd.jabatan}' tidak ada di konfigurasi kantor")
    if role == Role.PEJABAT and cmd.jabatan is None:
        raise DataTidakValid("petugas dengan role pejabat wajib punya --jabatan")
    bad = set(cmd.tugas) - set(TUGAS)
    if bad:
        raise DataTidakValid(
            f"tugas harus dari {', '.join(TUGAS)}; tidak dikenal: {', '.join(bad)}")
    if not cmd.nama.strip():
        raise DataTidakValid("nama wajib diisi")
    now = ctx.clock.now()
    petugas = Petugas(
        kantor_id=uow.kantor_id, nama=cmd.nama.strip(), role=role, jabatan=cmd.jabatan,
        tugas=tuple(cmd.tugas), kode_tautan=buat_kode_tautan(),
        kode_kedaluwarsa=now + KODE_TAUTAN_BERLAKU,
    )
    return uow.petugas.add(petugas)


def buat_kode_tautan() -> str:
    """A one-time code an official sends as `/start KODE` (no look-alike characters)."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(8))


def catat_survei(cmd: c.CatatSurvei, uow: AbstractUnitOfWork, ctx: Konteks) -> None:
    """Stores one questionnaire, dated in the office's zone, with its layanan: the one
    named, or that of the nomor, or that of the respondent's latest finished permohonan
    (answered on WhatsApp after a hand-over, it counts for that layanan's IKM)."""
    if len(cmd.nilai) != 9 or any(v not in (1, 2, 3, 4) for v in cmd.nilai):
        raise DataTidakValid("survei SKM harus 9 jawaban bernilai 1–4")
    nomor, layanan = cmd.nomor, cmd.layanan
    if nomor is None and layanan is None and cmd.kanal and cmd.kanal_id:
        pemohon = uow.pemohon.by_kanal(cmd.kanal, cmd.kanal_id)
        if pemohon is not None:
            terakhir = [p for p in uow.permohonan.ringkas(pengaju_id=pemohon.id, limit=20)
                        if p.status in _SELESAI_SKM]
            if terakhir:
                nomor = terakhir[0].nomor
    if layanan is None and nomor is not None:
        p = uow.permohonan.get(nomor)
        layanan = p.layanan if p is not None else None
    tz = ctx.profil(uow.kantor_id).kalender.tz
    uow.skm.add_many([SurveiSKM(
        kantor_id=uow.kantor_id, tanggal=ctx.clock.now().astimezone(tz).date(),
        nilai=tuple(cmd.nilai), layanan=layanan, nomor=nomor,
        sumber=cmd.sumber,  # type: ignore[arg-type]
    )])


_SELESAI_SKM = (Status.SELESAI, Status.DISERAHKAN, Status.DIARSIPKAN)


def atur_notifikasi(cmd: c.AturNotifikasi, uow: AbstractUnitOfWork, ctx: Konteks) -> bool:
    """Records "STOP" / "MULAI" for the sender's pemohon; False when not registered."""
    pemohon = uow.pemohon.by_kanal(cmd.kanal, cmd.kanal_id)
    if pemohon is None or pemohon.id is None:
        return False
    uow.pemohon.atur_notifikasi(pemohon.id, None if cmd.aktif else ctx.clock.now())
    return True


# -- event handlers: notifications, written in the same transaction -----------------------


def _is_audiensi(p: Permohonan, ctx: Konteks) -> bool:
    return bool(ctx.katalog_of(p.kantor_id).resolve(p.layanan).pilih_pejabat)


def on_permohonan_diajukan(ev: e.PermohonanDiajukan, uow: AbstractUnitOfWork,
                           ctx: Konteks) -> None:
    p = uow.permohonan.get(ev.nomor)
    if p is None:
        return
    layanan = ctx.katalog_of(p.kantor_id).resolve(p.layanan)
    profil = ctx.profil(p.kantor_id)
    kabari_pemohon(uow, p.pengaju_id, ctx.pesan(
        "bukti_pengajuan", nomor=p.nomor, layanan=layanan.nama, atas_nama=p.atas_nama,
        waktu=fmt_waktu(p.diajukan, profil.timezone), status=LABEL[p.status]),
        "bukti_pengajuan", nomor=p.nomor, layanan=layanan.nama)


def on_status_berubah(ev: e.StatusBerubah, uow: AbstractUnitOfWork, ctx: Konteks) -> None:
    p = uow.permohonan.get(ev.nomor)
    if p is None:
        return
    profil = ctx.profil(p.kantor_id)
    key = f"status_{ev.ke}"
    jadwal = p.data.get("jadwal") if ev.ke == Status.SELESAI else None
    if jadwal:
        lama = p.data.get("jadwal_batal")
        waktu = fmt_waktu(datetime.fromisoformat(jadwal["waktu"]), profil.timezone)
        kabari_pemohon(uow, p.pengaju_id, ctx.pesan(
            "audiensi_dijadwalkan_ulang" if lama else "audiensi_dijadwalkan", nomor=p.nomor,
            tempat=jadwal["tempat"], waktu=waktu),
            "jadwal_audiensi", nomor=p.nomor, waktu=waktu, tempat=jadwal["tempat"])
        return
    if _is_audiensi(p, ctx):
        if ev.dari == Status.SELESAI and ev.ke == Status.PROSES and p.data.get("jadwal_batal"):
            lama = p.data["jadwal_batal"]
            kabari_pemohon(uow, p.pengaju_id, ctx.pesan(
                "audiensi_jadwal_batal", nomor=p.nomor, alasan=ev.catatan or "-",
                waktu=fmt_waktu(datetime.fromisoformat(lama["waktu"]), profil.timezone),
                tempat=lama.get("tempat") or "-"),
                "jadwal_audiensi", nomor=p.nomor, waktu=f"dibatalkan ({ev.catatan or '-'})",
                tempat=lama.get("tempat") or "-")
            return
        if ev.ke == Status.DISERAHKAN:
            kabari_pemohon(uow, p.pengaju_id, ctx.pesan("audiensi_terlaksana", nomor=p.nomor),
                           "undangan_skm", nomor=p.nomor)
            return
    text = ctx.pesan(
        key if key in ctx.pesan else "status_umum",
        nomor=p.nomor, status=LABEL[Status(ev.ke)], catatan=ev.catatan or "-",
        tenggat=fmt_waktu(tenggat_berjalan(p), profil.timezone),
        pemegang=profil.nama_jabatan(p.pemegang),
    )
    catatan = ev.catatan or "-"
    if ev.ke == Status.SELESAI:
        kabari_pemohon(uow, p.pengaju_id, text, "hasil_siap", nomor=p.nomor, catatan=catatan)
    elif ev.ke == Status.DIKEMBALIKAN:
        kabari_pemohon(uow, p.pengaju_id, text, "berkas_dikembalikan", nomor=p.nomor,
                       kekurangan=catatan)
    elif ev.ke == Status.DISERAHKAN:
        kabari_pemohon(uow, p.pengaju_id, text, "undangan_skm", nomor=p.nomor)
    else:
        kabari_pemohon(uow, p.pengaju_id, text, nomor=p.nomor,
                       status=LABEL[Status(ev.ke)], catatan=catatan)


COMMAND_HANDLERS: dict[type, Callable[..., Any]] = {
    c.DaftarPemohon: daftar_pemohon,
    c.AjukanPermohonan: ajukan_permohonan,
    c.PeriksaKelengkapan: periksa_kelengkapan,
    c.Disposisikan: disposisikan,
    c.UbahStatus: ubah_status,
    c.LengkapiBerkas: lengkapi_berkas,
    c.TambahPetugas: tambah_petugas,
    c.CatatSurvei: catat_survei,
    c.AturNotifikasi: atur_notifikasi,
    c.BatalOtomatis: batal_otomatis,
    c.JadwalkanAudiensi: jadwalkan_audiensi,
    c.ArsipOtomatis: arsip_otomatis,
    c.MintaInfo: minta_info,
    c.JawabInfo: jawab_info,
    c.TanggapiJadwal: tanggapi_jadwal,
    c.BatalkanPermohonan: batalkan_permohonan,
    **PENGADUAN_HANDLERS,
}

EVENT_HANDLERS: dict[type, list[Callable[..., None]]] = {
    e.PermohonanDiajukan: [on_permohonan_diajukan, catat_surat_permohonan],
    e.StatusBerubah: [on_status_berubah, on_status_final],
    e.PengaduanDiterima: [on_pengaduan_diterima],
}


@dataclass
class MessageBus:
    """Runs commands in a unit of work; events become outbox rows before the commit."""

    ctx: Konteks
    command_handlers: dict[type, Callable[..., Any]] = field(
        default_factory=lambda: dict(COMMAND_HANDLERS))
    event_handlers: dict[type, list[Callable[..., None]]] = field(
        default_factory=lambda: {k: list(v) for k, v in EVENT_HANDLERS.items()})

    def handle(self, cmd: Any, uow: AbstractUnitOfWork, *, commit: bool = True) -> Any:
        """Run `cmd`; raise its named error (nothing is kept) or commit and return its result."""
        result = self.command_handlers[type(cmd)](cmd, uow, self.ctx)
        self.dispatch_events(uow)
        if commit:
            uow.commit()
        return result

    def dispatch_events(self, uow: AbstractUnitOfWork) -> None:
        for event in list(uow.collect_events()):
            for handler in self.event_handlers.get(type(event), []):
                handler(event, uow, self.ctx)
