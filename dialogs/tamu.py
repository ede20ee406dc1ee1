"""Buku tamu on WhatsApp (seed 004): whom to meet, why, when; a TMU number back.

"saya mau bertamu", "isi buku tamu" or the catalog's Pendataan Tamu start it. The guest
is the registered pemohon (registration comes first, like a complaint); the host (the
holders of the jabatan) is told on Telegram, and the guest shows the number at reception.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dialogs.base import DialogContext, Out, Turn, go, is_no, is_yes, numbered
from dialogs.flow import Flow
from domain.konteks import fmt_waktu
from domain.model import Aktor
from domain.tamu import DaftarTamu

SEKARANG = ("sekarang", "skrg", "hari ini", "sudah di lobi", "sudah di kantor", "ini", "now")


def _jabatan(ctx: DialogContext, state: dict[str, Any]) -> list[str]:
    kategori = state["data"].get("kategori")
    codes = list(ctx.profil.jabatan)
    if kategori:
        codes = [k for k in codes if ctx.profil.jabatan[k].kategori == kategori] or codes
    return codes


def p_tujuan(state: dict[str, Any], ctx: DialogContext) -> str:
    names = [ctx.profil.jabatan[k].nama for k in _jabatan(ctx, state)]
    return ctx.pesan("tamu_tanya_tujuan", daftar=numbered(names))


def p_keperluan(state: dict[str, Any], ctx: DialogContext) -> str:
    return ctx.pesan("tamu_tanya_keperluan")


def p_waktu(state: dict[str, Any], ctx: DialogContext) -> str:
    return ctx.pesan("tamu_tanya_waktu")


def p_ringkasan(state: dict[str, Any], ctx: DialogContext) -> str:
    d = state["data"]
    waktu = fmt_waktu(datetime.fromisoformat(d["waktu"]), ctx.profil.timezone) \
        if d.get("waktu") else "sekarang"
    return ctx.pesan("tamu_ringkasan", tujuan=ctx.profil.nama_jabatan(d["tujuan"]),
                     keperluan=d["keperluan"], waktu=waktu)


def tujuan(state: dict[str, Any], turn: Turn, ctx: DialogContext) -> Out:
    """Asks whom to meet: a number of the list, or the title ("kabag tu", "kasi")."""
    from dialogs.ajukan import pilih_jabatan

    codes = _jabatan(ctx, state)
    kode, kategori = pilih_jabatan(turn, ctx, codes)
    if kategori:  # a bare "kasi": which one
        state["data"]["kategori"] = kategori
        return Out(state).say(p_tujuan(state, ctx))
    if kode is None:
        return Out(state).say(ctx.pesan("pilih_angka", n=len(codes)) + "\n\n"
                              + p_tujuan(state, ctx))
    state["data"]["tujuan"] = kode
    state = go(state, "keperluan")
    return Out(state).say(p_keperluan(state, ctx))


def keperluan(state: dict[str, Any], turn: Turn, ctx: DialogContext) -> Out:
    """Asks the purpose of the visit."""
    text = " ".join((turn.text or "").split())
    if len(text) < 5:
        return Out(state).say(ctx.pesan("tamu_keperluan_pendek"))
    state["data"]["keperluan"] = text[:500]
    state = go(state, "waktu")
    return Out(state).say(p_waktu(state, ctx))


def waktu(state: dict[str, Any], turn: Turn, ctx: DialogContext) -> Out:
    """Asks when: now, or a future date and time in service hours."""
    from dialogs.ajukan import LAMPAU, salah_waktu

    word = turn.clean.strip(".!")
    value = turn.entity("tanggal")
    if not value and LAMPAU.search(turn.clean):
        return Out(state).say(ctx.pesan("ajukan_waktu_lampau"))
    if word in SEKARANG or (not value and is_yes(turn)):
        state["data"]["waktu"] = None
    elif not value:
        return Out(state).say(ctx.pesan("tamu_waktu_tidak_dipahami"))
    else:
        dt = datetime.fromisoformat(value if "T" in value else value + "T09:00:00")
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=ctx.profil.kalender.tz)
        salah = salah_waktu(dt, turn, ctx)
        if salah:
            return Out(state).say(salah)
        state["data"]["waktu"] = dt.isoformat()
    state = go(state, "ringkasan")
    return Out(state).say(p_ringkasan(state, ctx))


def ringkasan(state: dict[str, Any], turn: Turn, ctx: DialogContext) -> Out:
    """Shows the visit; YA registers it."""
    d = state["data"]
    if is_yes(turn) and turn.pemohon is not None:
        p = turn.pemohon
        cmd = DaftarTamu(
            aktor=Aktor(jenis="pemohon", nama=p.nama, id=p.id), nama=p.nama, tujuan=d["tujuan"],
            keperluan=d["keperluan"], hp=p.hp or None, instansi=p.instansi,
            waktu=datetime.fromisoformat(d["waktu"]) if d.get("waktu") else None)
        return Out({"flow": None}, commands=[cmd])
    if is_no(turn):
        state = go(state, "tujuan")
        return Out(state).say(p_tujuan(state, ctx))
    return Out(state).say(ctx.pesan("ketik_ya_tidak") + "\n\n" + p_ringkasan(state, ctx))


FLOW = Flow(
    name="tamu", judul="pendaftaran tamu", first="tujuan", needs_pemohon=True,
    steps={"tujuan": tujuan, "keperluan": keperluan, "waktu": waktu, "ringkasan": ringkasan},
    prompts={"tujuan": p_tujuan, "keperluan": p_keperluan, "waktu": p_waktu,
             "ringkasan": p_ringkasan},
    free_text=frozenset({"keperluan"}),
    meminta_waktu=frozenset({"waktu"}),
)


def mulai_tamu(turn: Turn, ctx: DialogContext) -> Out:
    """Start, with the official already named ("mau bertamu ke kabag tu")."""
    found = turn.entity("pejabat")
    data: dict[str, Any] = {}
    if found in ctx.profil.jabatan:
        data["tujuan"] = found
        return FLOW.begin(turn, ctx, data, step="keperluan")
    if found:
        data["kategori"] = found
    return FLOW.begin(turn, ctx, data)
