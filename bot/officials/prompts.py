"""Telegram prompts for officials: who receives one, its text and buttons, closing every copy."""

from __future__ import annotations

import secrets
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, select

from domain.konteks import fmt_waktu
from domain.model import Permohonan, Petugas, Role
from domain.sla import tenggat_berjalan
from storage.files import ext_of
from storage.repositories import utcnow
from storage.tables import OutboxRow, PromptRow

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
    "relay": [],  # answered by replying to the forwarded messages
}


def kode_baru() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(8))


def linked(petugas: list[Petugas]) -> list[Petugas]:
    return [p for p in petugas if p.aktif and p.telegram_user_id]


def cs_for_desk(uow: Any, desk: str) -> list[Petugas]:
    """CS whose tugas include the desk; with no match, all CS."""
    cs = [p for p in linked(uow.petugas.list()) if p.role == Role.CS]
    match = [p for p in cs if desk in p.tugas]
    return match or cs


def holders(uow: Any, pemegang: str | None, today: date) -> list[Petugas]:
    """Who holds a jabatan (or a role such as `bo`), Plt/Plh delegates included."""
    if not pemegang:
        return []
    everyone = linked(uow.petugas.list())
    out = [p for p in everyone if p.jabatan == pemegang or (
        pemegang in ("bo", "cs") and p.role == pemegang)]
    delegates = {d.petugas_id for d in uow.petugas.delegasi(today) if d.jabatan == pemegang}
    out += [p for p in everyone if p.id in delegates and p not in out]
    return out


def ringkasan_permohonan(c: Container, uow: Any, p: Permohonan) -> str:
    """Everything an official needs to decide: who, what, files, waiting time, SLA left."""
    from bot.media_route import media_url

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
    tenggat = tenggat_berjalan(p)
    if tenggat is not None:
        lines.append(f"Batas SLA: {fmt_waktu(tenggat, profil.timezone)}")
    if p.berkas:
        lines.append(f"Berkas ({len(p.berkas)}):")
        key = c.settings.signing_key()
        for b in p.berkas:
            ext = ext_of(b.nama)
            link = media_url(c.settings.public_url, b.sha256, ext, key, now=c.clock.now())
            lines.append(f"- {b.nama} ({b.bytes // 1024} KB) {link}".rstrip())
    else:
        lines.append("Berkas: belum ada")
    return "\n".join(lines)


def kirim_prompt(c: Container, uow: Any, *, jenis: str, nomor: str, judul: str, isi: str,
                 penerima: list[Petugas], extra: list[tuple[str, str]] = ()) -> str:
    """Create a prompt and queue one copy per recipient; returns its code.

    With nobody linked yet the prompt is still stored: `/tugas` hands it to whoever
    holds the item later.
    """
    session: Session = uow.session
    kode = kode_baru()
    buttons = [[{"text": label, "data": f"{kode}:{aksi}"}]
               for aksi, label in [*extra, *AKSI[jenis]]]
    message = {"text": f"{judul}\n\n{isi}", "buttons": buttons}
    row = PromptRow(kantor_id=uow.kantor_id, kode=kode, jenis=jenis, nomor=nomor,
                    created_at=utcnow(), penerima={}, pesan=message)
    for p in penerima:
        out = OutboxRow(kantor_id=uow.kantor_id, channel="telegram",
                        recipient=str(p.telegram_user_id),
                        message=message,
                        next_at=utcnow(), created_at=utcnow())
        session.add(out)
        session.flush()
        row.penerima[str(p.id)] = out.id
    session.add(row)
    uow.outbox.added += 1
    return kode


def tutup_prompt(uow: Any, row: PromptRow, oleh: str, keterangan: str) -> None:
    """Mark a prompt done and replace every copy's buttons with who handled it."""
    session: Session = uow.session
    row.status, row.done_at, row.done_by = "done", utcnow(), oleh
    session.add(row)
    for _, outbox_id in row.penerima.items():
        orig = session.get(OutboxRow, outbox_id)
        if orig is None:
            continue
        session.add(OutboxRow(
            kantor_id=uow.kantor_id, channel="telegram", recipient=orig.recipient,
            message={"edit_outbox_id": outbox_id,
                     "text": f"{orig.message.get('text', '')}\n\n✅ {keterangan} — {oleh}",
                     "buttons": []},
            next_at=utcnow(), created_at=utcnow()))
    uow.outbox.added += 1


def prompt_by_kode(uow: Any, kode: str) -> PromptRow | None:
    """The prompt, locked: a second press waits for the first and then sees it done."""
    return uow.session.exec(select(PromptRow).where(
        PromptRow.kantor_id == uow.kantor_id, PromptRow.kode == kode)
        .with_for_update().execution_options(populate_existing=True)).first()


def open_prompts(uow: Any, nomor: str) -> list[PromptRow]:
    return list(uow.session.exec(select(PromptRow).where(
        PromptRow.kantor_id == uow.kantor_id, PromptRow.nomor == nomor,
        PromptRow.status == "open")))


def salin_prompt(uow: Any, row: PromptRow, petugas: Petugas) -> None:
    """Give a petugas their own copy of an open prompt (e.g. linked after it was sent)."""
    session: Session = uow.session
    if not petugas.telegram_user_id:
        return
    out = OutboxRow(kantor_id=uow.kantor_id, channel="telegram",
                    recipient=str(petugas.telegram_user_id), message=dict(row.pesan),
                    next_at=utcnow(), created_at=utcnow())
    session.add(out)
    session.flush()
    row.penerima = {**row.penerima, str(petugas.id): out.id}
    session.add(row)
    uow.outbox.added += 1
