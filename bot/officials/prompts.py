"""Telegram prompts for officials: who receives one, its text and buttons, closing every copy."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from domain import jadwal
from domain.konteks import fmt_waktu
from domain.model import INSTRUKSI, Permohonan, Petugas, Prompt
from domain.penerima import pemegang_jabatan, tujuan_disposisi
from domain.sla import tenggat_berjalan
from storage.files import ext_of

if TYPE_CHECKING:
    from bot.bootstrap import Container

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"

# The buttons of each kind of prompt: (action, label key in the message catalog).
AKSI: dict[str, list[tuple[str, str]]] = {
    "periksa": [("lengkap", "Lengkap"), ("kurang", "Tidak lengkap")],
    "konfirmasi": [("disposisi", "Disposisi"), ("info", "Minta info"), ("tolak", "Tolak")],
    "proses_audiensi": [("jadwal", "Jadwalkan"), ("info", "Minta info"), ("tolak", "Tolak")],
    "proses": [("selesai", "Selesai"), ("tidak_sesuai", "Tidak sesuai"),
               ("info", "Minta info"), ("tolak", "Tolak")],
    "selesai_audiensi": [("terlaksana", "Audiensi terlaksana"),
                         ("jadwal_ulang", "Jadwal ulang")],
    "selesai": [("diserahkan", "Sudah diserahkan")],
    "pengaduan": [("klasifikasi", "Klasifikasi"), ("jawab", "Jawab"),
                  ("teruskan", "Teruskan ke pejabat"), ("tutup", "Tutup dengan penyelesaian")],
    "pengaduan_pejabat": [("jawab", "Jawab"), ("tutup", "Tutup dengan penyelesaian")],
    "tamu": [("tamu_terima", "Terima"), ("tamu_ulang", "Jadwalkan ulang"),
             ("tamu_tolak", "Tolak")],
    "surat": [("sdisp", "Disposisi"), ("sselesai", "Selesai ditindaklanjuti")],
    "relay": [],  # answered by replying to the forwarded messages
}


def kode_baru() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(8))


def holders(uow: Any, pemegang: str | None, today: date) -> list[Petugas]:
    """Who holds a jabatan (or a role such as `bo`) today, Plt/Plh delegates included."""
    return pemegang_jabatan(uow.petugas.list(), uow.petugas.delegasi(today), pemegang, today)


def ringkasan_permohonan(c: Container, uow: Any, p: Permohonan) -> str:
    """Everything an official needs to decide: who, what, files, waiting time, SLA left."""
    profil = c.profil(p.kantor_id)
    pemohon = uow.pemohon.get(p.pengaju_id)
    lay = c.katalog_of(p.kantor_id).resolve(p.layanan)
    lines = [
        f"{p.nomor} · {lay.nama}",
        f"Pemohon: {pemohon.nama if pemohon else '-'} ({pemohon.hp if pemohon else '-'})",
        f"Atas nama: {p.atas_nama}",
        f"Diajukan: {fmt_waktu(p.diajukan, profil.timezone)}",
    ]
    if p.data.get("pejabat"):
        lines.append(f"Pejabat dituju: {profil.nama_jabatan(p.data['pejabat'])}")
    if p.data.get("tujuan"):
        lines.append(f"Tujuan: {p.data['tujuan']}")
    if p.data.get("waktu"):
        from datetime import datetime

        lines.append("Waktu diinginkan: " + fmt_waktu(datetime.fromisoformat(p.data["waktu"]),
                                                      profil.timezone))
    for d in p.disposisi:  # every earlier instruksi and note, for whoever holds it now
        lines.append(f"Disposisi {profil.nama_jabatan(d.dari_jabatan)} → "
                     f"{profil.nama_jabatan(d.ke_jabatan)}: "
                     f"{INSTRUKSI.get(d.instruksi, d.instruksi)}"
                     + (f" — “{d.catatan}”" if d.catatan else "")
                     + f" ({fmt_waktu(d.waktu, profil.timezone)})")
    tenggat = tenggat_berjalan(p)
    if tenggat is not None:
        lines.append(f"Batas SLA: {fmt_waktu(tenggat, profil.timezone)}")
    if p.berkas:
        lines.append(f"Berkas ({len(p.berkas)}):")
        lines += tautan_berkas(c, p.berkas)
    else:
        lines.append("Berkas: belum ada")
    return "\n".join(lines)


def tautan_berkas(c: Container, berkas: list[Any]) -> list[str]:
    """One line per file with its signed, expiring link (sent only to who may see it)."""
    from bot.media_route import media_url

    key = c.settings.signing_key()
    return [f"- {b.nama} ({b.bytes // 1024} KB) "
            f"{media_url(c.settings.public_url, b.sha256, ext_of(b.nama), key, now=c.clock.now())}"
            .rstrip() for b in berkas]


def disposisi_cepat(c: Container, p: Permohonan) -> str | None:
    """The common path's target: the jabatan the pemohon named, else the first below."""
    lay = c.katalog_of(p.kantor_id).resolve(p.layanan)
    tujuan = tujuan_disposisi(c.profil(p.kantor_id), p.pemegang, p.data.get("pejabat"),
                              lay.routing.disposisi_ke)
    return tujuan[0] if tujuan else None


def jadwal_cepat(c: Container, uow: Any, p: Permohonan) -> datetime | None:
    """The pemohon's wished audiensi time, when this holder can still give it."""
    from bot.officials.pilihan import diinginkan, terpakai

    w = diinginkan(p)
    if w is None or not jadwal.bisa_dipakai(c.profil(p.kantor_id).kalender, w, c.clock.now(),
                                           terpakai(uow, p)):
        return None
    return w


def tombol_cepat(c: Container, uow: Any, p: Permohonan, jenis: str) -> list[tuple[str, str]]:
    """One-tap buttons for the common path (seed 000), above the prompt's usual ones."""
    profil = c.profil(p.kantor_id)
    audiensi = bool(c.katalog_of(p.kantor_id).resolve(p.layanan).pilih_pejabat)
    out: list[tuple[str, str]] = []
    if jenis == "konfirmasi":
        ke = disposisi_cepat(c, p)
        sendiri = audiensi and p.data.get("pejabat") in (None, p.pemegang)
        jadwal_sendiri = ("jadwal", "Terima sendiri · Jadwalkan")
        if sendiri:
            out.append(jadwal_sendiri)
        if ke:
            out.append(("dcepat", f"Disposisi ke {profil.nama_jabatan(ke)} · Proses lebih lanjut"
                        [:64]))
        if audiensi and not sendiri:
            out.append(jadwal_sendiri)
    elif jenis.startswith("proses"):
        w = jadwal_cepat(c, uow, p) if jenis == "proses_audiensi" else None
        if w is not None:
            label = fmt_waktu(w, profil.timezone).replace(" pukul", ",")
            out.append(("jcepat", f"Jadwalkan {label} · {profil.tempat_audiensi}"[:64]))
        if profil.bawahan_semua(p.pemegang or ""):
            out.append(("disposisi", "Disposisi"))
    return out


def kirim_prompt(c: Container, uow: Any, *, jenis: str, nomor: str, judul: str, isi: str,
                 penerima: list[Petugas], extra: list[tuple[str, str]] = (),
                 data: dict[str, Any] | None = None) -> str:
    """Create a prompt and queue one copy per linked recipient; returns its code.

    A recipient not linked to Telegram yet is recorded without a copy: when they link,
    or ask `/tugas`, they get theirs. `data` is kept with the prompt, never shown.
    """
    kode = kode_baru()
    buttons = [[{"text": label, "data": f"{kode}:{aksi}"}]
               for aksi, label in [*extra, *AKSI[jenis]]]
    message = {"text": f"{judul}\n\n{isi}", "buttons": buttons}
    prompt = Prompt(kode=kode, jenis=jenis, nomor=nomor, pesan={**message, **(data or {})})
    for p in penerima:
        if not p.aktif:
            continue
        prompt.penerima[str(p.id)] = uow.outbox.kirim(
            "telegram", str(p.telegram_user_id), message) if p.telegram_user_id else 0
    uow.prompt.add(prompt)
    return kode


def tutup_prompt(uow: Any, prompt: Prompt, oleh: str, keterangan: str) -> None:
    """Mark a prompt done and replace every copy's buttons with who handled it."""
    from datetime import UTC

    prompt.status, prompt.done_at, prompt.done_by = "done", datetime.now(UTC), oleh
    uow.prompt.save(prompt)
    for outbox_id in prompt.penerima.values():
        orig = uow.outbox.get(outbox_id) if outbox_id else None
        if orig is None:
            continue
        uow.outbox.add("telegram", orig.recipient, {
            "edit_outbox_id": outbox_id,
            "text": f"{orig.message.get('text', '')}\n\n✅ {keterangan} — {oleh}",
            "buttons": []})


def prompt_by_kode(uow: Any, kode: str) -> Prompt | None:
    """The prompt, locked: a second press waits for the first and then sees it done."""
    return uow.prompt.by_kode(kode, for_update=True)


def open_prompts(uow: Any, nomor: str) -> list[Prompt]:
    return uow.prompt.terbuka(nomor=nomor)


def salin_prompt(uow: Any, prompt: Prompt, petugas: Petugas) -> None:
    """Give a petugas their own copy of an open prompt (e.g. linked after it was sent)."""
    if not petugas.telegram_user_id:
        return
    message = {k: v for k, v in prompt.pesan.items() if not k.startswith("_")}
    prompt.penerima = {**prompt.penerima, str(petugas.id): uow.outbox.kirim(
        "telegram", str(petugas.telegram_user_id), message)}
    uow.prompt.save(prompt)
