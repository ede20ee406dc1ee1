"""A pemohon's own data on chat (UU 27/2022): "data saya" shows it, "ubah data" corrects
one field, "hapus data saya" asks for deletion (after a yes)."""

from __future__ import annotations

from typing import Any

from dialogs.base import DialogContext, Out, Turn, is_no, is_yes, numbered, pilihan
from dialogs.flow import Flow
from domain.data_pribadi import KOLOM_UBAH, DataSaya, MintaHapusData, UbahDataPemohon, nilai_sah
from domain.errors import DataTidakValid

LIHAT = {"data saya", "lihat data saya", "data pribadi", "data pribadi saya", "data diri",
         "data diri saya", "cek data saya", "data apa yang disimpan", "lihat data"}
UBAH = {"ubah data", "ubah data saya", "perbaiki data", "perbaiki data saya", "koreksi data",
        "ganti data", "ganti data saya", "edit data", "ubah data diri", "salah data"}
HAPUS = {"hapus data", "hapus data saya", "hapus data pribadi", "hapus data pribadi saya",
         "hapus akun", "hapus akun saya", "hapus data diri saya"}


def _kolom(turn: Turn) -> list[str]:
    kolom = ["nama", "nik", "alamat"]
    return kolom + ["instansi"] if turn.pemohon and turn.pemohon.jenis == "instansi" else kolom


def mulai(turn: Turn, ctx: DialogContext) -> Out | None:
    """One of the three requests, said outside a form; None for anything else."""
    kata = turn.clean.strip(".!?")
    if kata not in LIHAT | UBAH | HAPUS:
        return None
    if turn.pemohon is None:
        return Out({"flow": None}).say(ctx.pesan("data_belum_terdaftar"))
    if kata in LIHAT:
        return Out({"flow": None}, commands=[DataSaya(turn.channel, turn.sender)])
    if kata in UBAH:
        return UBAH_DATA.begin(turn, ctx, {"kolom_ada": _kolom(turn)})
    return HAPUS_DATA.begin(turn, ctx)


def p_pilih(state: dict[str, Any], ctx: DialogContext) -> str:
    return ctx.pesan("data_ubah_pilih", daftar=numbered(
        [KOLOM_UBAH[k] for k in state["data"]["kolom_ada"]]))


def pilih(state: dict[str, Any], turn: Turn, ctx: DialogContext) -> Out:
    ada = state["data"]["kolom_ada"]
    n = pilihan(turn, len(ada), [KOLOM_UBAH[k] for k in ada])  # "alamat" as well as 3
    if n is None:
        return Out(state).say(ctx.pesan("pilih_angka", n=len(ada)) + "\n\n" + p_pilih(state, ctx))
    state = {**state, "step": "isi", "data": {**state["data"], "kolom": ada[n - 1]}}
    return Out(state).say(p_isi(state, ctx))


def p_isi(state: dict[str, Any], ctx: DialogContext) -> str:
    return ctx.pesan("data_ubah_isi", kolom=KOLOM_UBAH[state["data"]["kolom"]])


def isi(state: dict[str, Any], turn: Turn, ctx: DialogContext) -> Out:
    kolom = state["data"]["kolom"]
    try:
        nilai = nilai_sah(kolom, turn.text or "", turn.now.date())
    except DataTidakValid as exc:
        return Out(state).say(ctx.pesan("data_ubah_salah", alasan=str(exc),
                                        kolom=KOLOM_UBAH[kolom].lower()))
    return Out({"flow": None}, commands=[UbahDataPemohon(turn.channel, turn.sender, kolom,
                                                         nilai)]).say(
        ctx.pesan("data_diubah", kolom=KOLOM_UBAH[kolom], nilai=nilai))


UBAH_DATA = Flow(name="ubah_data", judul="perbaikan data", first="pilih",
                 steps={"pilih": pilih, "isi": isi}, prompts={"pilih": p_pilih, "isi": p_isi},
                 free_text=frozenset({"isi"}), needs_pemohon=True)


def konfirmasi(state: dict[str, Any], turn: Turn, ctx: DialogContext) -> Out:
    if is_yes(turn):
        return Out({"flow": None}, commands=[MintaHapusData(turn.channel, turn.sender)]).say(
            ctx.pesan("data_hapus_dicatat"))
    if is_no(turn):
        return Out({"flow": None}).say(ctx.pesan("data_hapus_batal"))
    return Out(state).say(ctx.pesan("ketik_ya_tidak") + "\n\n"
                          + ctx.pesan("data_hapus_konfirmasi"))


HAPUS_DATA = Flow(name="hapus_data", judul="permintaan hapus data", first="konfirmasi",
                  steps={"konfirmasi": konfirmasi},
                  prompts={"konfirmasi": lambda s, ctx: ctx.pesan("data_hapus_konfirmasi")},
                  needs_pemohon=True)
