"""Submitting a permohonan, audiensi included: layanan, for whom, official, time, files,
confirm."""

from __future__ import annotations

import re
from datetime import datetime
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
    numbered,
    pilihan,
    terima_berkas,
)
from dialogs.flow import Flow
from dialogs.layanan import cari_layanan, daftar_layanan, pilih_layanan
from domain import commands as c
from domain.konteks import fmt_waktu
from domain.model import Berkas


def _lay(state: dict[str, Any], ctx: DialogContext) -> Any:
    return ctx.katalog.resolve(state["data"]["layanan"])


def opsi_jabatan(ctx: DialogContext, codes: list[str]) -> list[tuple[str, ...]]:
    """Each jabatan's name and the spellings people use, for a choice typed in words."""
    return [(ctx.profil.jabatan[k].nama, *ctx.profil.jabatan[k].sinonim) for k in codes]


def pilih_jabatan(turn: Turn, ctx: DialogContext, codes: list[str]
                  ) -> tuple[str | None, str | None]:
    """The jabatan chosen from `codes` (number, name, title), else a bare category ("kasi")."""
    n = pilihan(turn, len(codes), opsi_jabatan(ctx, codes))
    found = turn.entity("pejabat")
    if n is not None:
        return codes[n - 1], None
    if found in ctx.profil.jabatan:
        return found, None
    return None, found or None


def _pejabat_pilihan(state: dict[str, Any], ctx: DialogContext) -> list[str]:
    lay = _lay(state, ctx)
    kategori = state["data"].get("kategori_pejabat")
    allowed = [lay.routing.konfirmasi, *lay.routing.disposisi_ke] if lay.routing else []
    codes = [k for k in ctx.profil.jabatan if k in allowed] or list(ctx.profil.jabatan)
    if kategori:
        codes = [k for k in codes if ctx.profil.jabatan[k].kategori == kategori] or codes
    return codes


# -- prompts ---------------------------------------------------------------------------


def p_layanan(state: dict[str, Any], ctx: DialogContext) -> str:
    return ctx.pesan("ajukan_pilih_layanan", daftar=daftar_layanan(ctx.katalog.top_level()))


def p_anak(state: dict[str, Any], ctx: DialogContext) -> str:
    induk = ctx.katalog.resolve(state["data"]["induk"])
    pilihan_ = [f"{induk.nama} (umum)"] + [a.nama for a in ctx.katalog.children(induk.kode)]
    return ctx.pesan("ajukan_pilih_anak", layanan=induk.nama, daftar=numbered(pilihan_))


def p_untuk(state: dict[str, Any], ctx: DialogContext) -> str:
    return ctx.pesan("ajukan_untuk_siapa", layanan=_lay(state, ctx).nama)


def p_atas_nama(state: dict[str, Any], ctx: DialogContext) -> str:
    return ctx.pesan("ajukan_atas_nama")


def p_pejabat(state: dict[str, Any], ctx: DialogContext) -> str:
    names = [ctx.profil.jabatan[k].nama for k in _pejabat_pilihan(state, ctx)]
    return ctx.pesan("ajukan_pilih_pejabat", daftar=numbered(names))


def p_tujuan(state: dict[str, Any], ctx: DialogContext) -> str:
    return ctx.pesan("ajukan_tujuan")


def p_waktu(state: dict[str, Any], ctx: DialogContext) -> str:
    return ctx.pesan("ajukan_waktu")


def p_berkas(state: dict[str, Any], ctx: DialogContext) -> str:
    lay = _lay(state, ctx)
    dokumen = [p for p in lay.persyaratan if str(p.jenis) == "dokumen"]
    lines = [f"{p.nama}{'' if p.wajib else ' (bila ada)'}" for p in dokumen]
    asli = [p.nama for p in lay.persyaratan if str(p.jenis) == "asli_dibawa"]
    extra = (ctx.pesan("ajukan_asli_dibawa", daftar="\n".join(f"- {a}" for a in asli))
             if asli else "")
    n = len(state["data"].get("berkas", []))
    return ctx.pesan("ajukan_berkas", daftar=numbered(lines) or "-", asli=extra, diterima=n)


def p_ringkasan(state: dict[str, Any], ctx: DialogContext) -> str:
    d = state["data"]
    lay = _lay(state, ctx)
    rincian = []
    if d.get("pejabat"):
        rincian.append(f"Pejabat dituju: {ctx.profil.nama_jabatan(d['pejabat'])}")
    if d.get("tujuan"):
        rincian.append(f"Tujuan: {d['tujuan']}")
    if d.get("waktu"):
        rincian.append("Waktu diinginkan: "
                       + fmt_waktu(datetime.fromisoformat(d["waktu"]), ctx.profil.timezone))
    pernyataan = [p.nama for p in lay.persyaratan if str(p.jenis) == "pernyataan"]
    return ctx.pesan(
        "ajukan_ringkasan", layanan=lay.nama, atas_nama=d["atas_nama"],
        rincian="\n".join(rincian), berkas=len(d.get("berkas", [])),
        pernyataan=ctx.pesan("ajukan_pernyataan", daftar="\n".join(f"- {p}" for p in pernyataan))
        if pernyataan else "",
        catatan=f"\n_{lay.catatan}_" if lay.catatan else "",
    )


# -- steps -----------------------------------------------------------------------------


def _after_layanan(state: dict[str, Any], turn: Turn, ctx: DialogContext) -> Out:
    """Next step once the layanan is known: register first if needed, then for whom."""
    state = go(state, "untuk")
    if turn.pemohon is None and not state.get("pemohon_baru"):
        from dialogs.daftar import mulai_daftar

        return mulai_daftar(turn, ctx, after={"flow": "ajukan", "step": "untuk",
                                              "data": state["data"]})
    return Out(state).say(p_untuk(state, ctx))


def layanan(state: dict[str, Any], turn: Turn, ctx: DialogContext) -> Out:
    """Asks which layanan (number, name, or what the NLU found)."""
    lay = pilih_layanan(turn, ctx)
    if lay is None:
        return Out(state).say(ctx.pesan("layanan_tidak_dikenal") + "\n\n" + p_layanan(state, ctx))
    return pilih(state, turn, ctx, lay)


def pilih(state: dict[str, Any], turn: Turn, ctx: DialogContext, lay: Any) -> Out:
    if lay.kode == "tamu":  # Pendataan Tamu is the guest book, not an application
        from dialogs import tamu

        if turn.pemohon is None:
            from dialogs.daftar import mulai_daftar

            return mulai_daftar(turn, ctx, after={"flow": "tamu", "step": "tujuan", "data": {}})
        return tamu.FLOW.begin(turn, ctx)
    state["data"]["layanan"] = lay.kode
    if ctx.katalog.children(lay.kode):
        state["data"]["induk"] = lay.kode
        state = go(state, "anak")
        return Out(state).say(p_anak(state, ctx))
    return _after_layanan(state, turn, ctx)


def anak(state: dict[str, Any], turn: Turn, ctx: DialogContext) -> Out:
    """Asks which finer service of a layanan with children."""
    induk = state["data"]["induk"]
    kids = ctx.katalog.children(induk)
    n = pilihan(turn, len(kids) + 1)
    if n is None:
        found = cari_layanan(turn, ctx)
        if found is not None and (found.kode == induk or found.induk == induk):
            n = 1 if found.kode == induk else kids.index(found) + 2
    if n is None:
        return Out(state).say(ctx.pesan("pilih_angka", n=len(kids) + 1) + "\n\n"
                              + p_anak(state, ctx))
    state["data"]["layanan"] = induk if n == 1 else kids[n - 2].kode
    return _after_layanan(state, turn, ctx)


UNTUK = [("Diri sendiri / instansi saya", "sendiri", "diri sendiri", "saya sendiri", "pribadi",
          "instansi saya", "untuk saya"),
         ("Orang lain atau lembaga lain (atas nama)", "orang lain", "atas nama", "mewakili",
          "lembaga lain", "keluarga", "anak saya", "istri", "suami", "orang tua")]


def untuk(state: dict[str, Any], turn: Turn, ctx: DialogContext) -> Out:
    """Asks whether the application is for the pemohon or on behalf of someone else."""
    n = pilihan(turn, 2, UNTUK)
    if n is None:
        return Out(state).say(ctx.pesan("pilih_angka", n=2) + "\n\n" + p_untuk(state, ctx))
    if n == 2:
        state = go(state, "atas_nama")
        return Out(state).say(p_atas_nama(state, ctx))
    baru = state.get("pemohon_baru") or {}
    p = turn.pemohon
    nama = (p.instansi if p and p.jenis == "instansi" and p.instansi else p.nama) if p else (
        baru.get("instansi") or baru.get("nama") or "")
    state["data"]["atas_nama"] = nama
    return _after_atas_nama(state, ctx)


def atas_nama(state: dict[str, Any], turn: Turn, ctx: DialogContext) -> Out:
    """Asks the name of the person or institution the service is for."""
    text = " ".join((turn.text or "").split())
    if len(text) < 3:
        return Out(state).say(p_atas_nama(state, ctx))
    state["data"]["atas_nama"] = text[:200]
    return _after_atas_nama(state, ctx)


def _after_atas_nama(state: dict[str, Any], ctx: DialogContext) -> Out:
    lay = _lay(state, ctx)
    if lay.pilih_pejabat:
        d = state["data"]
        pj = d.pop("pejabat_awal", None)
        if pj in ctx.profil.jabatan:
            d["pejabat"] = pj
            state = go(state, "tujuan")
            return Out(state).say(p_tujuan(state, ctx))
        if pj:
            d["kategori_pejabat"] = pj
        state = go(state, "pejabat")
        return Out(state).say(p_pejabat(state, ctx))
    state = go(state, "berkas")
    return Out(state).say(p_berkas(state, ctx))


def pejabat(state: dict[str, Any], turn: Turn, ctx: DialogContext) -> Out:
    """Asks which official to meet; a bare category ("kasi") narrows the list."""
    codes = _pejabat_pilihan(state, ctx)
    kode, kategori = pilih_jabatan(turn, ctx, codes)
    if kategori:
        state["data"]["kategori_pejabat"] = kategori
        return Out(state).say(p_pejabat(state, ctx))
    if kode is None:
        return Out(state).say(ctx.pesan("pilih_angka", n=len(codes)) + "\n\n"
                              + p_pejabat(state, ctx))
    state["data"]["pejabat"] = kode
    state = go(state, "tujuan")
    return Out(state).say(p_tujuan(state, ctx))


def tujuan(state: dict[str, Any], turn: Turn, ctx: DialogContext) -> Out:
    """Asks the purpose of the audiensi."""
    text = " ".join((turn.text or "").split())
    if len(text) < 5:
        return Out(state).say(ctx.pesan("ajukan_tujuan_pendek"))
    state["data"]["tujuan"] = text[:500]
    state = go(state, "waktu")
    return Out(state).say(p_waktu(state, ctx))


LAMPAU = re.compile(r"\b(kemarin|kemaren|kmrn|kmarin|tadi|minggu lalu|bulan lalu|lusa kemarin)\b")


def salah_waktu(dt: datetime, turn: Turn, ctx: DialogContext) -> str | None:
    """Why a wished visit time cannot be (past, or the office closed then), else None."""
    kal = ctx.profil.kalender
    if dt <= turn.now:
        return ctx.pesan("ajukan_waktu_lampau")
    if kal.is_open(dt):
        return None
    saran = fmt_waktu(kal.next_open(dt), ctx.profil.timezone)
    libur = kal.libur(dt.astimezone(kal.tz).date())
    alasan = ctx.pesan("ajukan_waktu_libur", libur=libur) if libur else ""
    return ctx.pesan("ajukan_waktu_di_luar_jam", alasan=alasan, saran=saran)


def waktu(state: dict[str, Any], turn: Turn, ctx: DialogContext) -> Out:
    """Asks the preferred date and time, which must be a future working time."""
    value = turn.entity("tanggal")
    if not value and LAMPAU.search(turn.clean):  # "kemarin jam 10": a time already past
        return Out(state).say(ctx.pesan("ajukan_waktu_lampau"))
    if not value:
        return Out(state).say(ctx.pesan("ajukan_waktu_tidak_dipahami"))
    if "T" not in value:
        return Out(state).say(ctx.pesan("ajukan_waktu_perlu_jam"))
    dt = datetime.fromisoformat(value)
    salah = salah_waktu(dt, turn, ctx)
    if salah:
        return Out(state).say(salah)
    state["data"]["waktu"] = dt.isoformat()
    state = go(state, "berkas")
    return Out(state).say(p_berkas(state, ctx))


def _wajib(state: dict[str, Any], ctx: DialogContext) -> list[str]:
    return [p.nama for p in _lay(state, ctx).persyaratan
            if str(p.jenis) == "dokumen" and p.wajib]


def berkas(state: dict[str, Any], turn: Turn, ctx: DialogContext) -> Out:
    """Collects photos/PDFs (several, any order); `selesai` checks them against the list."""
    d = state["data"]
    out = Out(state)
    jumlah = terima_berkas(d, turn, out, ctx)
    if turn.files:
        return out.say(ctx.pesan("ajukan_berkas_diterima", jumlah=jumlah))
    if turn.file_errors:
        return out
    word = turn.clean.strip(".!")
    if word in SELESAI or is_yes(turn) or word in LEWATI:
        wajib = _wajib(state, ctx)
        if len(d["berkas"]) < len(wajib) and not d.get("kurang_diakui"):
            d["kurang_diakui"] = True
            return out.say(ctx.pesan("ajukan_berkas_kurang", wajib=len(wajib),
                                     diterima=len(d["berkas"]),
                                     daftar="\n".join(f"- {w}" for w in wajib)))
        state = go(state, "ringkasan")
        out.state = state
        return out.say(p_ringkasan(state, ctx))
    return out.say(ctx.pesan("ajukan_berkas_bantuan"))


def ringkasan(state: dict[str, Any], turn: Turn, ctx: DialogContext) -> Out:
    """Shows the summary; YA submits, TIDAK goes back to the files."""
    d = state["data"]
    if is_yes(turn) and turn.pemohon is not None:
        data = {k: d[k] for k in ("pejabat", "tujuan", "waktu") if d.get(k)}
        cmd = c.AjukanPermohonan(
            pemohon_id=turn.pemohon.id, layanan=d["layanan"], atas_nama=d["atas_nama"],
            data=data, berkas=tuple(Berkas(diunggah=turn.now, **b) for b in d.get("berkas", [])))
        return Out({"flow": None}, commands=[cmd])
    if is_no(turn):
        state = go(state, "berkas")
        return Out(state).say(p_berkas(state, ctx))
    return Out(state).say(ctx.pesan("ketik_ya_tidak") + "\n\n" + p_ringkasan(state, ctx))


FLOW = Flow(
    name="ajukan", judul="pengajuan permohonan", first="layanan",
    steps={"layanan": layanan, "anak": anak, "untuk": untuk, "atas_nama": atas_nama,
           "pejabat": pejabat, "tujuan": tujuan, "waktu": waktu, "berkas": berkas,
           "ringkasan": ringkasan},
    prompts={"layanan": p_layanan, "anak": p_anak, "untuk": p_untuk, "atas_nama": p_atas_nama,
             "pejabat": p_pejabat, "tujuan": p_tujuan, "waktu": p_waktu, "berkas": p_berkas,
             "ringkasan": p_ringkasan},
    free_text=frozenset({"atas_nama", "tujuan"}),
    accepts_files=frozenset({"berkas"}),
    meminta_waktu=frozenset({"waktu"}),
)


def mulai_ajukan(turn: Turn, ctx: DialogContext) -> Out:
    """Start, using what the NLU already found (layanan, pejabat, tanggal) and files sent."""
    data: dict[str, Any] = {}
    if turn.files:
        data["berkas"] = [f.as_dict() for f in turn.files]
    if turn.entity("pejabat"):
        data["pejabat_awal"] = turn.entity("pejabat")
    lay = cari_layanan(turn, ctx)
    if lay is None and data.get("pejabat_awal"):
        lay = ctx.katalog.get("audiensi")
    state = {"flow": "ajukan", "step": "layanan", "data": data, "history": []}
    if lay is None:
        return Out(state).say(p_layanan(state, ctx))
    return pilih(state, turn, ctx, lay)
