"""Filing a pengaduan: kategori, text and photos, related number, anonymity, confirm."""

from __future__ import annotations

import re
from typing import Any

from dialogs.base import (
    LEWATI,
    SELESAI,
    DialogContext,
    Out,
    Turn,
    go,
    is_no,
    is_yes,
    pilihan,
    terima_berkas,
)
from dialogs.flow import Flow
from domain import commands as c
from domain.identitas import normalize_nomor
from domain.model import KATEGORI_PENGADUAN, Berkas


def _p(key: str):  # noqa: ANN202
    return lambda state, ctx: ctx.pesan(key, **_view(state))


def _view(state: dict[str, Any]) -> dict[str, Any]:
    d = state.get("data", {})
    return {"kategori": {"pengaduan": "Pengaduan", "aspirasi": "Aspirasi/saran",
                         "permintaan_informasi": "Permintaan informasi",
                         }.get(d.get("kategori"), "-"),
            "teks": d.get("teks", "-"), "lampiran": len(d.get("berkas", [])),
            "nomor_terkait": d.get("nomor_terkait") or "-",
            "anonim": "Ya (nama disembunyikan dari petugas)" if d.get("anonim") else "Tidak"}


JENIS = [("Pengaduan", "aduan", "komplain", "keluhan", "mengadu", "lapor"),
         ("Aspirasi / kritik / saran", "aspirasi", "kritik", "saran", "masukan", "usul"),
         ("Permintaan informasi", "informasi", "info", "minta informasi", "pertanyaan")]


#: words that only ask to complain ("saya mau mengadu dong pak"), not what happened
_PEMICU = re.compile(
    r"\b(?:saya|sy|aku|ak|gue|gw|kami|mau|mo|ingin|pengen|pgn|pingin|hendak|akan|ijin|izin|"
    r"mengadu|ngadu|adukan|mengadukan|aduan|pengaduan|komplain|komplen|complain|keluhan|"
    r"mengeluh|ngeluh|lapor|melapor|laporan|melaporkan|kritik|saran|usul|usulan|masukan|"
    r"aspirasi|menyampaikan|sampaikan|nih|dong|ya|yah|pak|bu|bapak|ibu|min|admin|kak|mas|"
    r"mbak|tolong|mohon|bisa|boleh|gimana|bagaimana|caranya|cara|tentang|soal|ada|buat|"
    r"untuk|tuk|utk|mengenai|terkait|dengan|dan|yang|yg|ini|itu|sih|kah|apa|halo|hai|"
    r"selamat|pagi|siang|sore|malam|assalamualaikum|permisi)\b")
_ASPIRASI = re.compile(r"\b(?:saran|kritik|usul|usulan|masukan|aspirasi)\b")


def awal(turn: Turn) -> tuple[dict[str, Any], str | None]:
    """What the message that opened the complaint already says: when it tells what
    happened (more than "saya mau mengadu"), that is the complaint's text and the flow
    starts at the attachments; its kind follows its words (kritik/saran: aspirasi)."""
    text = " ".join((turn.text or "").split())
    sisa = re.findall(r"[a-z0-9]{2,}", _PEMICU.sub(" ", text.lower()))
    if len(sisa) < 4 or len(text) < 20:
        return {}, None
    kategori = "aspirasi" if _ASPIRASI.search(text.lower()) else "pengaduan"
    return {"kategori": kategori, "teks": text[:4000], "teks_awal": True}, "lampiran"


def _prompt_lampiran(state: dict[str, Any], ctx: DialogContext) -> str:
    d = state.get("data", {})
    if not d.get("teks_awal"):
        return str(ctx.pesan("aduan_lampiran"))
    teks = d["teks"] if len(d["teks"]) <= 300 else d["teks"][:300].rstrip() + "…"
    return str(ctx.pesan("aduan_teks_dicatat", teks=teks)) + "\n\n" + str(
        ctx.pesan("aduan_lampiran"))


def kategori(state: dict[str, Any], turn: Turn, ctx: DialogContext) -> Out:
    """Asks the kind: pengaduan, aspirasi or permintaan informasi."""
    n = pilihan(turn, 3, JENIS)
    if n is None:
        return Out(state).say(ctx.pesan("pilih_angka", n=3) + "\n\n" + FLOW.prompt(state, ctx))
    state["data"]["kategori"] = KATEGORI_PENGADUAN[n - 1]
    state = go(state, "teks")
    return Out(state).say(FLOW.prompt(state, ctx))


def teks(state: dict[str, Any], turn: Turn, ctx: DialogContext) -> Out:
    """Asks what happened; photos sent now are attached as evidence."""
    d = state["data"]
    out = Out(state)
    jumlah = terima_berkas(d, turn, out, ctx)
    if turn.files and not turn.text:
        return out.say(ctx.pesan("aduan_foto_diterima", jumlah=jumlah))
    text = " ".join((turn.text or "").split())
    if len(text) < 10:
        return out.say(ctx.pesan("aduan_teks_pendek"))
    d["teks"] = text[:4000]
    d.pop("teks_awal", None)
    state = go(state, "lampiran")
    out.state = state
    return out.say(FLOW.prompt(state, ctx))


def lampiran(state: dict[str, Any], turn: Turn, ctx: DialogContext) -> Out:
    """Takes optional photos; `lewati`/`selesai` goes on."""
    d = state["data"]
    out = Out(state)
    jumlah = terima_berkas(d, turn, out, ctx)
    if turn.files:
        return out.say(ctx.pesan("aduan_foto_diterima", jumlah=jumlah))
    word = turn.clean.strip(".!")
    if word in LEWATI or word in SELESAI or is_no(turn) or is_yes(turn):
        state = go(state, "nomor")
        out.state = state
        return out.say(FLOW.prompt(state, ctx))
    return out.say(FLOW.prompt(state, ctx))


def nomor(state: dict[str, Any], turn: Turn, ctx: DialogContext) -> Out:
    """Asks an optional related registration number."""
    word = turn.clean.strip(".!")
    found = turn.entity("nomor_registrasi") or normalize_nomor(turn.text or "")
    if found:
        state["data"]["nomor_terkait"] = found
    elif not (word in LEWATI or is_no(turn)):
        return Out(state).say(ctx.pesan("aduan_nomor_tidak_valid"))
    state = go(state, "anonim")
    return Out(state).say(FLOW.prompt(state, ctx))


def anonim(state: dict[str, Any], turn: Turn, ctx: DialogContext) -> Out:
    """Asks whether the name should be hidden from staff (the koordinator still sees it)."""
    if is_yes(turn):
        state["data"]["anonim"] = True
    elif is_no(turn):
        state["data"]["anonim"] = False
    else:
        return Out(state).say(ctx.pesan("ketik_ya_tidak") + "\n\n" + FLOW.prompt(state, ctx))
    state = go(state, "ringkasan")
    return Out(state).say(FLOW.prompt(state, ctx))


def ringkasan(state: dict[str, Any], turn: Turn, ctx: DialogContext) -> Out:
    """Shows the complaint; YA sends it."""
    d = state["data"]
    if is_yes(turn) and turn.pemohon is not None:
        cmd = c.AjukanPengaduan(
            kategori=d["kategori"], teks=d["teks"], pelapor_id=turn.pemohon.id,
            anonim=bool(d.get("anonim")), nomor_terkait=d.get("nomor_terkait"),
            berkas=tuple(Berkas(diunggah=turn.now, **b) for b in d.get("berkas", [])))
        return Out({"flow": None}, commands=[cmd])
    if is_no(turn):
        state = go(state, "teks")
        return Out(state).say(FLOW.prompt(state, ctx))
    return Out(state).say(ctx.pesan("ketik_ya_tidak") + "\n\n" + FLOW.prompt(state, ctx))


FLOW = Flow(
    name="pengaduan", judul="pengaduan", first="kategori", needs_pemohon=True,
    steps={"kategori": kategori, "teks": teks, "lampiran": lampiran, "nomor": nomor,
           "anonim": anonim, "ringkasan": ringkasan},
    prompts={**{k: _p(f"aduan_{k}") for k in
                ("kategori", "teks", "nomor", "anonim", "ringkasan")},
             "lampiran": _prompt_lampiran},
    free_text=frozenset({"teks", "nomor"}),
    meminta_nomor=frozenset({"nomor"}),
    accepts_files=frozenset({"teks", "lampiran"}),
)
