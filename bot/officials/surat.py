"""A surat masuk's disposisi on Telegram (seeds 001–002), as a permohonan's.

The holder of the letter (the head of office first) gets a prompt with **Disposisi** and
**Selesai ditindaklanjuti**. Disposisi: choose the jabatan (any below, seed 000), the
instruksi, then a note ("-" for none) and Kirim; the new holder's prompt shows every
step above it. Selesai asks what was done. The rules are `domain.surat`'s, the same for
every edge; each step is printed on the lembar disposisi.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from domain.errors import DomainError
from domain.konteks import fmt_tanggal, fmt_waktu
from domain.model import INSTRUKSI, Prompt
from domain.surat import (
    LABEL_SIFAT,
    DisposisiSurat,
    SelesaikanSurat,
    SuratMasuk,
    cari_surat,
    langkah,
)
from domain.wewenang import Aksi
from storage.files import ext_of

if TYPE_CHECKING:
    from bot.officials.actions import Ctx


def ringkasan_surat(c: Any, s: SuratMasuk) -> str:
    """The letter as its holder needs it: sender, number, perihal, the scan, the chain."""
    profil = c.profil(s.kantor_id)
    lines = [f"Agenda {s.nomor_agenda} · {LABEL_SIFAT.get(s.sifat, s.sifat)}",
             f"Dari: {s.dari}",
             f"Nomor surat: {s.nomor}, tanggal {fmt_tanggal(s.tanggal)}",
             f"Perihal: {s.perihal}",
             f"Diterima: {fmt_waktu(s.diterima, profil.timezone)} ({s.oleh})"]
    if s.scan is not None:  # a signed, expiring link, as for a permohonan's files
        from bot.media_route import media_url

        url = media_url(c.settings.public_url, s.scan.sha256, ext_of(s.scan.nama),
                        c.settings.signing_key(), now=c.clock.now())
        lines.append(f"Pindaian: {s.scan.nama} {url}".rstrip())
    lines += langkah(s, profil)
    return "\n".join(lines)


def _surat(ctx: Ctx, kunci: str) -> SuratMasuk | None:
    try:
        return cari_surat(ctx.uow, kunci, ctx.c.clock.now().year)
    except DomainError:
        return None


def button(ctx: Ctx, row: Prompt, aksi: str) -> None:
    """A press on a letter's prompt or on a step of the action started from it."""
    from bot.officials import actions

    s = _surat(ctx, row.nomor)
    if s is None:
        ctx.answer(ctx.c.pesan("tg_prompt_tidak_ada"), alert=True)
        return
    if not ctx.boleh(Aksi.SURAT_DISPOSISI, s):
        ctx.answer(ctx.c.pesan("tg_tidak_berwenang", aksi="surat", nomor=s.nomor_agenda),
                   alert=True)
        return
    profil = ctx.profil()
    item = actions._find(ctx, row.kode)
    if aksi in ("sdisp", "sselesai"):
        ctx.answer(actions.LABEL_AKSI[aksi])
        item = actions._start(ctx, row, aksi)
        if aksi == "sselesai":
            actions._ask(ctx, item, actions.TANYA[aksi])
        else:
            _pilih_tujuan(ctx, item, s)
        return
    if item is None:
        ctx.answer(ctx.c.pesan("tg_tidak_ada_tindakan"), alert=True)
        return
    d = item["data"]
    if aksi.startswith("d") and aksi[1:].isdigit():
        tujuan = profil.bawahan_semua(s.pemegang or "")
        if int(aksi[1:]) >= len(tujuan):
            ctx.answer(ctx.c.pesan("tg_prompt_tidak_ada"), alert=True)
            return
        d["ke"] = tujuan[int(aksi[1:])]
        ctx.answer(profil.nama_jabatan(d["ke"])[:60])
        ctx.keyboard(row.kode, ctx.c.pesan("tg_pilih_instruksi", nomor=s.nomor_agenda),
                     [[{"text": v, "data": f"{row.kode}:i{k}"}] for k, v in INSTRUKSI.items()])
    elif aksi.startswith("i") and aksi[1:] in INSTRUKSI and d.get("ke"):
        d["instruksi"] = aksi[1:]
        ctx.answer(INSTRUKSI[aksi[1:]])
        ctx.close_kb(row.kode, f"{profil.nama_jabatan(d['ke'])}: {INSTRUKSI[aksi[1:]]}")
        actions._ask(ctx, item, actions.TANYA["sdisp"])
    elif aksi in ("ok", "ubah", "x"):
        actions.konfirmasi(ctx, row, item, aksi, s.nomor_agenda,
                           kirim=lambda: _kirim(ctx, item, s),
                           ubah=(lambda: _pilih_tujuan(ctx, item, s))
                           if item["aksi"] == "sdisp" else None)
    else:
        ctx.answer(ctx.c.pesan("tg_prompt_tidak_ada"), alert=True)


def _pilih_tujuan(ctx: Ctx, item: dict[str, Any], s: SuratMasuk) -> None:
    from bot.officials import actions

    profil = ctx.profil()
    tujuan = profil.bawahan_semua(s.pemegang or "")
    if not tujuan:
        actions._pending(ctx).remove(item)
        ctx.say(ctx.c.pesan("tg_tidak_ada_bawahan", nomor=s.nomor_agenda))
        return
    ctx.keyboard(item["kode"], ctx.c.pesan("tg_pilih_jabatan", nomor=s.nomor_agenda),
                 [[{"text": profil.nama_jabatan(k)[:60], "data": f"{item['kode']}:d{i}"}]
                  for i, k in enumerate(tujuan)])


def _kirim(ctx: Ctx, item: dict[str, Any], s: SuratMasuk) -> None:
    """Run the step; the confirmation names whom the letter went to."""
    from bot.officials import actions
    from domain.penerima import penerima_jabatan

    d = item["data"]
    try:
        if item["aksi"] == "sdisp":
            s = ctx.c.bus.handle(DisposisiSurat(
                pelaku=ctx.pelaku(), surat=s.kunci, ke=d["ke"], instruksi=d["instruksi"],
                catatan=d.get("teks")), ctx.uow, commit=False)
        else:
            s = ctx.c.bus.handle(SelesaikanSurat(pelaku=ctx.pelaku(), surat=s.kunci,
                                                 catatan=d.get("teks") or ""),
                                 ctx.uow, commit=False)
    except DomainError as exc:
        actions.refuse(ctx, exc)
        return
    if item in actions._pending(ctx):
        actions._pending(ctx).remove(item)
    profil = ctx.profil()
    if item["aksi"] == "sdisp":
        today = ctx.c.clock.now().astimezone(profil.kalender.tz).date()
        tujuan = penerima_jabatan(ctx.uow.petugas.list(), ctx.uow.petugas.delegasi(today),
                                  d["ke"], today)
        jabatan = profil.nama_jabatan(d["ke"])
        kepada = ctx.c.pesan("tg_kepada_jabatan_kosong", jabatan=jabatan) if tujuan.kosong \
            else ctx.c.pesan("tg_kepada_jabatan", jabatan=jabatan,
                             nama=", ".join(x.nama for x in tujuan.petugas))
    else:
        kepada = ""
    ctx.say(ctx.c.pesan("tg_berhasil", aksi=actions.LABEL_AKSI[item["aksi"]],
                        nomor=f"surat agenda {s.nomor_agenda}",
                        status="Selesai" if s.status == "selesai" else "Didisposisi",
                        kepada=kepada).rstrip())
