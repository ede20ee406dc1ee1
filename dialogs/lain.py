"""Short flows: cek status, the SKM survey, and sending missing documents."""

from __future__ import annotations

from typing import Any

from dialogs.base import (
    SELESAI,
    DialogContext,
    Out,
    Turn,
    go,
    is_no,
    is_yes,
    numbered,
    pilihan,
    terima_berkas,
)
from dialogs.flow import Flow
from domain import commands as c
from domain.identitas import normalize_nomor
from domain.model import Aktor, Berkas
from domain.queries import CekStatus, PermohonanSaya
from domain.skm import UNSUR

SEMUA = {"semua", "permohonan saya", "punya saya", "milik saya", "daftar", "list", "semuanya"}


# -- cek status ------------------------------------------------------------------------


def cek_command(turn: Turn) -> Any | None:
    """The status query the message asks for, if it names a number or "permohonan saya"."""
    nomor = turn.entity("nomor_registrasi") or normalize_nomor(turn.text or "")
    if nomor:
        return CekStatus(kanal=turn.channel, kanal_id=turn.sender, nomor=nomor)
    if turn.clean.strip(".!?") in SEMUA or "permohonan saya" in turn.clean:
        return PermohonanSaya(kanal=turn.channel, kanal_id=turn.sender)
    return None


def cek_nomor(state: dict[str, Any], turn: Turn, ctx: DialogContext) -> Out:
    """Asks the registration number (or `semua` for all of the sender's own)."""
    cmd = cek_command(turn)
    if cmd is None:
        gagal = state["data"].get("gagal", 0) + 1
        if gagal >= 2:  # never a dead end: back to the menu after a second miss
            return Out({"flow": None}).say(ctx.pesan("cek_nomor_tidak_valid")).say(
                ctx.pesan("menu"))
        state["data"]["gagal"] = gagal
        return Out(state).say(ctx.pesan("cek_nomor_tidak_valid"))
    return Out({"flow": None}, commands=[cmd])


CEK = Flow(name="cek", judul="cek status", first="nomor", steps={"nomor": cek_nomor},
           prompts={"nomor": lambda s, ctx: ctx.pesan("cek_tanya_nomor")},
           free_text=frozenset({"nomor"}), ringan=True, intents=frozenset({"cek_status"}),
           jawaban=frozenset({"nomor_registrasi"}))


# -- SKM survey ------------------------------------------------------------------------

SKALA = ["Tidak baik", "Kurang baik", "Baik", "Sangat baik"]
SKALA_BIAYA = ["Sangat mahal", "Cukup mahal", "Murah", "Gratis"]


def p_survei(state: dict[str, Any], ctx: DialogContext) -> str:
    i = len(state["data"].get("nilai", []))
    skala = SKALA_BIAYA if i == 3 else SKALA
    return ctx.pesan("survei_tanya", no=i + 1, unsur=UNSUR[i], skala=numbered(skala))


def survei(state: dict[str, Any], turn: Turn, ctx: DialogContext) -> Out:
    """Asks the nine SKM questions (PermenPANRB 14/2017), one answer 1–4 each."""
    skala = SKALA_BIAYA if len(state["data"].get("nilai", [])) == 3 else SKALA
    n = pilihan(turn, 4, skala)  # "sangat baik" as well as 4
    if n is None:
        return Out(state).say(ctx.pesan("pilih_angka", n=4) + "\n\n" + p_survei(state, ctx))
    nilai = [*state["data"].get("nilai", []), n]
    state["data"]["nilai"] = nilai
    if len(nilai) < len(UNSUR):
        return Out(state).say(p_survei(state, ctx))
    cmd = c.CatatSurvei(nilai=tuple(nilai), nomor=state["data"].get("nomor"),
                        sumber="sandbox" if turn.channel in ("sandbox", "shell") else "whatsapp",
                        kanal=turn.channel, kanal_id=turn.sender)
    return Out({"flow": None}, commands=[cmd]).say(ctx.pesan("survei_terima_kasih"))


def _survei_mundur(state: dict[str, Any]) -> dict[str, Any] | None:
    """`kembali` at question n asks question n-1 again (its answer dropped)."""
    nilai = list(state["data"].get("nilai", []))
    if not nilai:
        return None
    return {**state, "data": {**state["data"], "nilai": nilai[:-1]}}


SURVEI = Flow(name="survei", judul="survei kepuasan", first="tanya", steps={"tanya": survei},
              prompts={"tanya": p_survei}, mundur=_survei_mundur)


# -- sending the missing documents of a returned permohonan ----------------------------


def p_lengkapi(state: dict[str, Any], ctx: DialogContext) -> str:
    return ctx.pesan("lengkapi_kirim", nomor=state["data"]["nomor"],
                     diterima=len(state["data"].get("berkas", [])))


def p_lengkapi_pilih(state: dict[str, Any], ctx: DialogContext) -> str:
    return ctx.pesan("lengkapi_pilih", daftar=numbered(state["data"]["pilihan"]))


def lengkapi_pilih(state: dict[str, Any], turn: Turn, ctx: DialogContext) -> Out:
    """Asks which returned permohonan the documents are for."""
    opts = state["data"]["pilihan"]
    n = pilihan(turn, len(opts))
    nomor = normalize_nomor(turn.text or "")
    if n is None and nomor not in opts:
        return Out(state).say(ctx.pesan("pilih_angka", n=len(opts)) + "\n\n"
                              + p_lengkapi_pilih(state, ctx))
    state["data"]["nomor"] = opts[n - 1] if n else nomor
    state = go(state, "kirim")
    return Out(state).say(p_lengkapi(state, ctx))


def lengkapi(state: dict[str, Any], turn: Turn, ctx: DialogContext) -> Out:
    """Collects the missing files; `selesai` sends them back to the CS."""
    d = state["data"]
    out = Out(state)
    jumlah = terima_berkas(d, turn, out, ctx)
    if turn.files:
        return out.say(ctx.pesan("ajukan_berkas_diterima", jumlah=jumlah))
    if (turn.clean.strip(".!") in SELESAI or is_yes(turn)) and turn.pemohon is not None:
        if not d.get("berkas"):
            return out.say(ctx.pesan("lengkapi_belum_ada"))
        aktor = Aktor(jenis="pemohon", nama=turn.pemohon.nama, id=turn.pemohon.id)
        cmd = c.LengkapiBerkas(nomor=d["nomor"], aktor=aktor, berkas=tuple(
            Berkas(diunggah=turn.now, **b) for b in d["berkas"]))
        return Out({"flow": None}, commands=[cmd])
    return out.say(p_lengkapi(state, ctx))


LENGKAPI = Flow(name="lengkapi", judul="pengiriman kekurangan berkas", first="kirim",
                steps={"pilih": lengkapi_pilih, "kirim": lengkapi},
                prompts={"pilih": p_lengkapi_pilih, "kirim": p_lengkapi},
                accepts_files=frozenset({"kirim"}))


def mulai_lengkapi(turn: Turn, ctx: DialogContext) -> Out:
    files = [f.as_dict() for f in turn.files]
    if len(turn.dikembalikan) == 1:
        out = LENGKAPI.begin(turn, ctx, {"nomor": turn.dikembalikan[0], "berkas": files})
    else:
        out = LENGKAPI.begin(turn, ctx, {"pilihan": list(turn.dikembalikan), "berkas": files},
                             step="pilih")
    return out


# -- queue numbers -----------------------------------------------------------------------


def p_antrian(state: dict[str, Any], ctx: DialogContext) -> str:
    return ctx.pesan("antrian_pilih", daftar=numbered(
        [f"{kode} — {nama}" for kode, nama in ctx.profil.loket.items()]))


def antrian(state: dict[str, Any], turn: Turn, ctx: DialogContext) -> Out:
    """Asks which loket; the number comes back from the service (or why not now)."""
    from domain.antrian import AmbilAntrian

    kode = list(ctx.profil.loket)
    n = pilihan(turn, len(kode))
    pilih = kode[n - 1] if n else turn.clean.strip(".").upper()
    if pilih not in ctx.profil.loket:
        return Out(state).say(ctx.pesan("pilih_angka", n=len(kode)) + "\n\n"
                              + p_antrian(state, ctx))
    return Out({"flow": None}, commands=[AmbilAntrian(turn.channel, turn.sender, pilih)])


ANTRIAN = Flow(name="antrian", judul="pengambilan nomor antrian", first="pilih",
               steps={"pilih": antrian}, prompts={"pilih": p_antrian})


# -- withdrawing one's own permohonan ------------------------------------------------------


def batalkan(state: dict[str, Any], turn: Turn, ctx: DialogContext) -> Out:
    """Asks to confirm the withdrawal of a permohonan."""
    if is_yes(turn) and turn.pemohon is not None:
        aktor = Aktor(jenis="pemohon", nama=turn.pemohon.nama, id=turn.pemohon.id)
        return Out({"flow": None}, commands=[c.BatalkanPermohonan(state["data"]["nomor"],
                                                                  aktor)])
    if is_no(turn):
        return Out({"flow": None}).say(ctx.pesan("pembatalan_tidak_jadi"))
    return Out(state).say(ctx.pesan("ketik_ya_tidak") + "\n\n"
                          + ctx.pesan("pembatalan_konfirmasi", nomor=state["data"]["nomor"]))


BATALKAN = Flow(name="batalkan", judul="pembatalan permohonan", first="konfirmasi",
                steps={"konfirmasi": batalkan},
                prompts={"konfirmasi": lambda s, ctx: ctx.pesan(
                    "pembatalan_konfirmasi", nomor=s["data"]["nomor"])})
