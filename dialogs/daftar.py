"""Registration of a pemohon: person or instansi, nama, NIK, number, alamat, consent, edit."""

from __future__ import annotations

from typing import Any

from dialogs.base import DialogContext, Out, Turn, go, is_no, is_yes, pilihan
from dialogs.flow import Flow
from domain import commands as c
from domain.identitas import NikTidakValid, normalize_hp, validate_nik

FIELDS = ["jenis", "instansi", "nama", "nik", "hp", "alamat"]


def _p(key: str):  # noqa: ANN202 - a prompt that is just a catalog text
    return lambda state, ctx: ctx.pesan(key, **_view(state, ctx))


def _view(state: dict[str, Any], ctx: DialogContext) -> dict[str, Any]:
    d = state.get("data", {})
    return {
        "jenis": "Instansi/lembaga" if d.get("jenis") == "instansi" else "Perorangan",
        "instansi": d.get("instansi") or "-", "nama": d.get("nama") or "-",
        "nik": d.get("nik") or "-", "hp": d.get("hp") or "-", "alamat": d.get("alamat") or "-",
        "hp_wa": d.get("hp_wa") or "-",
    }


def _next(state: dict[str, Any], ctx: DialogContext, after: str) -> Out:
    """After a field: back to the summary when editing, else the next question."""
    d = state["data"]
    if d.get("mengubah"):
        d.pop("mengubah")
        nxt = "ringkasan"
    else:
        order = ["jenis", "instansi", "nama", "nik", "hp_konfirmasi", "alamat", "ringkasan"]
        nxt = order[order.index(after) + 1]
        if nxt == "instansi" and d.get("jenis") != "instansi":
            nxt = "nama"
    state = go(state, nxt)
    return Out(state).say(FLOW.prompt(state, ctx))


JENIS = [("Perorangan", "pribadi", "sendiri", "diri sendiri", "perseorangan", "individu"),
         ("Instansi/lembaga", "instansi", "lembaga", "yayasan", "sekolah", "madrasah",
          "pesantren", "travel", "ormas", "kantor", "perusahaan", "organisasi", "kampus")]


def jenis(state: dict[str, Any], turn: Turn, ctx: DialogContext) -> Out:
    """Asks whether the pemohon registers as a person or for an instansi."""
    n = pilihan(turn, 2, JENIS)
    if n is None:
        return Out(state).say(ctx.pesan("pilih_angka", n=2) + "\n\n" + FLOW.prompt(state, ctx))
    state["data"]["jenis"] = "instansi" if n == 2 else "perorangan"
    return _next(state, ctx, "jenis")


def instansi(state: dict[str, Any], turn: Turn, ctx: DialogContext) -> Out:
    """Asks the name of the instansi."""
    if len(turn.clean) < 3:
        return Out(state).say(ctx.pesan("daftar_instansi_pendek"))
    state["data"]["instansi"] = " ".join((turn.text or "").split())[:200]
    return _next(state, ctx, "instansi")


def nama(state: dict[str, Any], turn: Turn, ctx: DialogContext) -> Out:
    """Asks the full name (letters, at least 3 characters)."""
    text = " ".join((turn.text or "").split())
    if len(text) < 3 or not any(ch.isalpha() for ch in text) or any(ch.isdigit() for ch in text):
        return Out(state).say(ctx.pesan("daftar_nama_tidak_valid"))
    state["data"]["nama"] = text.title() if text.isupper() or text.islower() else text
    return _next(state, ctx, "nama")


def nik(state: dict[str, Any], turn: Turn, ctx: DialogContext) -> Out:
    """Asks the NIK and explains what is wrong with an invalid one."""
    try:
        info = validate_nik(turn.text or "", turn.now.date())
    except NikTidakValid as exc:
        return Out(state).say(ctx.pesan("daftar_nik_tidak_valid", alasan=str(exc).rstrip(".")))
    state["data"]["nik"] = info.nik
    return _next(state, ctx, "nik")


def hp_konfirmasi(state: dict[str, Any], turn: Turn, ctx: DialogContext) -> Out:
    """Confirms the WhatsApp number as the contact number, or takes another one."""
    d = state["data"]
    if is_yes(turn) and normalize_hp(d.get("hp_wa") or ""):
        d["hp"] = d["hp_wa"]
        return _next(state, ctx, "hp_konfirmasi")
    hp = normalize_hp(turn.text or "")
    if hp:
        d["hp"] = hp
        return _next(state, ctx, "hp_konfirmasi")
    if is_no(turn) or is_yes(turn):  # "ya" to a number we cannot use: ask for one
        return Out(state).say(ctx.pesan("daftar_hp_tanya"))
    return Out(state).say(ctx.pesan("daftar_hp_tidak_valid"))


def alamat(state: dict[str, Any], turn: Turn, ctx: DialogContext) -> Out:
    """Asks the address."""
    text = " ".join((turn.text or "").split())
    if len(text) < 5:
        return Out(state).say(ctx.pesan("daftar_alamat_pendek"))
    state["data"]["alamat"] = text[:300]
    return _next(state, ctx, "alamat")


def ringkasan(state: dict[str, Any], turn: Turn, ctx: DialogContext) -> Out:
    """Shows the data with the consent text; SETUJU stores it, a number edits a field."""
    d = state["data"]
    if turn.clean.strip(".!") in {"setuju", "ya setuju", "saya setuju"} or is_yes(turn):
        cmd = c.DaftarPemohon(
            kanal=turn.channel, kanal_id=turn.sender, nama=d["nama"], hp=d["hp"],
            nik=d.get("nik"), jenis=d.get("jenis", "perorangan"), instansi=d.get("instansi"),
            alamat=d.get("alamat"), persetujuan=True)
        after = d.get("after")
        out = Out({"flow": None}, commands=[cmd]).say(ctx.pesan("daftar_berhasil", nama=d["nama"]))
        if after:
            out.state = {**after, "history": [], "pemohon_baru": {
                "nama": d["nama"], "instansi": d.get("instansi"), "jenis": d.get("jenis")}}
            from dialogs.engine import FLOWS  # the flows registry imports this module

            out.say(FLOWS[after["flow"]].prompt(out.state, ctx))
        return out
    n = pilihan(turn, 6)
    if n is not None or turn.clean.startswith("ubah"):
        if n is None:
            return Out(state).say(ctx.pesan("daftar_ubah_pilih"))
        target = {1: "jenis", 2: "instansi", 3: "nama", 4: "nik", 5: "hp_konfirmasi",
                  6: "alamat"}[n]
        if target == "instansi" and d.get("jenis") != "instansi":
            target = "jenis"
        d["mengubah"] = True
        state = go(state, target)
        return Out(state).say(FLOW.prompt(state, ctx))
    if is_no(turn):
        return Out(state).say(ctx.pesan("daftar_ubah_pilih"))
    return Out(state).say(ctx.pesan("daftar_persetujuan_perlu") + "\n\n" + FLOW.prompt(state, ctx))


FLOW = Flow(
    name="daftar", judul="pendaftaran", first="jenis",
    steps={"jenis": jenis, "instansi": instansi, "nama": nama, "nik": nik,
           "hp_konfirmasi": hp_konfirmasi, "alamat": alamat, "ringkasan": ringkasan},
    prompts={"jenis": _p("daftar_jenis"), "instansi": _p("daftar_instansi"),
             "nama": _p("daftar_nama"), "nik": _p("daftar_nik"),
             "hp_konfirmasi": lambda state, ctx: ctx.pesan(
                 "daftar_hp" if state["data"].get("hp_wa") else "daftar_hp_tanya",
                 **_view(state, ctx)),
             "alamat": _p("daftar_alamat"),
             "ringkasan": _p("daftar_ringkasan")},
    free_text=frozenset({"instansi", "nama", "nik", "hp_konfirmasi", "alamat"}),
)


def mulai_daftar(turn: Turn, ctx: DialogContext, after: dict[str, Any] | None = None) -> Out:
    """Start registration, remembering the flow to resume afterwards."""
    out = FLOW.begin(turn, ctx, {"hp_wa": normalize_hp(turn.sender) or "", "after": after})
    if after:
        out.replies.insert(0, ctx.pesan("daftar_perlu"))
    return out
