"""The host's answer to a guest on Telegram (seed 004): Terima / Jadwalkan ulang / Tolak.

"Terima" answers at once. "Jadwalkan ulang" asks for the new time, "Tolak" for the reason
the guest will read; both then show the answer with Kirim / Ubah / Batal, as every action
that carries an official's words. The rule and the message to the guest are
`domain.tamu.jawab_tamu`'s, the same as `ptsp-admin tamu jawab`.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from dialogs.jadwal import baca_jadwal
from domain.errors import DomainError
from domain.model import Prompt
from domain.tamu import JawabTamu
from domain.wewenang import Aksi

if TYPE_CHECKING:
    from bot.officials.actions import Ctx

#: prompt button → `JawabTamu.jawaban`
JAWABAN = {"tamu_terima": "terima", "tamu_ulang": "jadwal_ulang", "tamu_tolak": "tolak"}
STATUS = {"terdaftar": "Terdaftar", "diterima": "Diterima",
          "dijadwalkan_ulang": "Dijadwalkan ulang", "ditolak": "Ditolak", "hadir": "Hadir",
          "selesai": "Selesai", "batal": "Batal"}


def button(ctx: Ctx, row: Prompt, aksi: str) -> None:
    """A press on a guest prompt, or on the confirmation of an answer started from it."""
    from bot.officials import actions

    t = ctx.uow.tamu.get(row.nomor)
    if t is None:
        ctx.answer(ctx.c.pesan("tg_prompt_tidak_ada"), alert=True)
        return
    if not ctx.boleh(Aksi.TAMU_JAWAB, t):
        ctx.answer(ctx.c.pesan("tg_tidak_berwenang", aksi="tamu", nomor=t.nomor), alert=True)
        return
    if aksi in ("ok", "ubah", "x"):
        item = actions._find(ctx, row.kode)
        if item is None:
            ctx.answer(ctx.c.pesan("tg_tidak_ada_tindakan"), alert=True)
            return
        actions.konfirmasi(ctx, row, item, aksi, t.nomor, kirim=lambda: _kirim(ctx, item))
        return
    if aksi not in JAWABAN:
        ctx.answer(ctx.c.pesan("tg_prompt_tidak_ada"), alert=True)
        return
    ctx.answer(actions.LABEL_AKSI[aksi])
    item = actions._start(ctx, row, aksi)
    if aksi == "tamu_terima":
        _kirim(ctx, item)
    else:
        actions._ask(ctx, item, actions.TANYA[aksi])


def isi(ctx: Ctx, item: dict[str, Any], text: str) -> bool:
    """The words a guest answer asked for; False when asked again."""
    from bot.officials import actions

    d = item["data"]
    if item["aksi"] == "tamu_ulang":
        nlu = ctx.nlu.parse(text, ctx.c.clock.now()) if ctx.nlu else {"entities": []}
        waktu = baca_jadwal(text, nlu).waktu
        if waktu is None:
            actions._ask(ctx, item, "tg_jadwal_tamu_tidak_dipahami")
            return False
        d["waktu"] = waktu.isoformat()
        return True
    if len(text.strip()) < 3:
        actions._ask(ctx, item, actions.TANYA[item["aksi"]])
        return False
    d["teks"] = text.strip()[:500]
    return True


def _kirim(ctx: Ctx, item: dict[str, Any]) -> None:
    """Run the answer; say what happened and whom it reached (or why it was refused)."""
    from bot.officials import actions

    d = item["data"]
    try:
        t = ctx.c.bus.handle(JawabTamu(
            aktor=ctx.aktor, nomor=item["nomor"], jawaban=JAWABAN[item["aksi"]],
            waktu=datetime.fromisoformat(d["waktu"]) if d.get("waktu") else None,
            alasan=d.get("teks")), ctx.uow, commit=False)
    except DomainError as exc:
        actions.refuse(ctx, exc)
        if item["aksi"] == "tamu_ulang":  # e.g. the office is closed then: ask again
            actions._ask(ctx, item, "tg_tanya_jadwal_tamu")
        return
    if item in actions._pending(ctx):
        actions._pending(ctx).remove(item)
    kepada = ctx.c.pesan("tg_kepada_tamu" if t.hp else "tg_kepada_tamu_tanpa_hp", nama=t.nama)
    ctx.say(ctx.c.pesan("tg_berhasil", aksi=actions.LABEL_AKSI[item["aksi"]], nomor=t.nomor,
                        status=STATUS.get(t.status, t.status), kepada=kepada))
