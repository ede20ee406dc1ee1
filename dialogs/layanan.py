"""Finding a layanan in what the pemohon wrote, and answering questions about it."""

from __future__ import annotations

from typing import Any

from dialogs.base import DialogContext, Out, Turn, numbered, pilihan
from dialogs.flow import Flow
from domain.errors import DomainError


def cari_layanan(turn: Turn, ctx: DialogContext) -> Any:
    """The layanan named by the NLU entity or by its exact name/synonym, else None."""
    kode = turn.entity("layanan")
    if kode:
        try:
            return ctx.katalog.resolve(kode)
        except DomainError:
            pass
    return ctx.katalog.cocokkan(turn.text or "") if turn.text else None


def pilih_layanan(turn: Turn, ctx: DialogContext) -> Any:
    """A top-level layanan by its menu number, else by what was written; None if neither."""
    top = ctx.katalog.top_level()
    n = pilihan(turn, len(top))
    return top[n - 1] if n else cari_layanan(turn, ctx)


def daftar_layanan(items: list[Any]) -> str:
    return numbered([i.nama for i in items])


def jawab_info(lay: Any, aspek: str, ctx: DialogContext) -> str:
    """Persyaratan, biaya or waktu of one layanan (all three for `semua`)."""
    bagian = []
    if aspek in ("persyaratan", "semua"):
        syarat = [f"{p.nama}" + {"asli_dibawa": " (asli dibawa ke loket)",
                                  "pernyataan": " (pernyataan)"}.get(str(p.jenis), "")
                  + ("" if p.wajib else " — bila ada") for p in lay.persyaratan]
        bagian.append(ctx.pesan("info_persyaratan", daftar=numbered(syarat) or "-"))
    if aspek in ("biaya", "semua"):
        bagian.append(ctx.pesan("info_biaya", biaya=lay.biaya))
    if aspek in ("waktu", "semua"):
        bagian.append(ctx.pesan("info_waktu", waktu=lay.jangka_waktu.teks))
    catatan = f"\n\n_{ctx.pesan('info_contoh')}_" if lay.is_contoh else ""
    return ctx.pesan("info_layanan", layanan=lay.nama, isi="\n\n".join(bagian)) + catatan


def p_pilih(state: dict[str, Any], ctx: DialogContext) -> str:
    return ctx.pesan("info_pilih_layanan", daftar=daftar_layanan(ctx.katalog.top_level()))


def pilih(state: dict[str, Any], turn: Turn, ctx: DialogContext) -> Out:
    """Asks which layanan the question is about."""
    lay = pilih_layanan(turn, ctx)
    if lay is None:
        return Out(state).say(ctx.pesan("layanan_tidak_dikenal") + "\n\n" + p_pilih(state, ctx))
    aspek = state["data"].get("aspek", "semua")
    out = Out({"flow": None, "layanan_terakhir": lay.kode}).say(jawab_info(lay, aspek, ctx))
    kids = ctx.katalog.children(lay.kode)
    if kids:
        out.say(ctx.pesan("info_ada_anak", layanan=lay.nama,
                          daftar="\n".join(f"- {k.nama}" for k in kids)))
    return out.say(ctx.pesan("info_selanjutnya"))


FLOW = Flow(name="info", judul="informasi layanan", first="pilih", steps={"pilih": pilih},
            prompts={"pilih": p_pilih}, ringan=True,
            intents=frozenset({"tanya_persyaratan", "tanya_biaya", "tanya_waktu"}))
