"""The dialog engine: one pure step per message, (state, turn, context) → Out.

At every step `menu`, `batal` and `kembali` work; an unclear message gets help for the
current step; a clear question of another kind (a status check, opening hours…) is
answered and the form is offered again; a silent conversation expires.
"""

from __future__ import annotations

import copy
import re
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from dialogs import ajukan, daftar, data_pribadi, layanan, pengaduan, tamu
from dialogs.base import (
    BATAL,
    BERHENTI_NOTIFIKASI,
    KEMBALI,
    MENU,
    MULAI_NOTIFIKASI,
    SELESAI,
    AkhiriRelay,
    DialogContext,
    FileInfo,
    MintaPetugas,
    Out,
    TeruskanKePetugas,
    Turn,
    is_no,
    is_yes,
    pilihan,
)
from dialogs.flow import Flow
from dialogs.lain import (
    ANTRIAN,
    BATALKAN,
    CEK,
    LENGKAPI,
    SURVEI,
    cek_command,
    mulai_lengkapi,
)
from domain import commands as c
from domain.konteks import fmt_waktu
from domain.model import Aktor, Berkas
from domain.queries import PermohonanSaya

FLOWS: dict[str, Flow] = {f.name: f for f in (
    daftar.FLOW, ajukan.FLOW, layanan.FLOW, pengaduan.FLOW, CEK, SURVEI, LENGKAPI, ANTRIAN,
    BATALKAN, tamu.FLOW, data_pribadi.UBAH_DATA, data_pribadi.HAPUS_DATA)}

NON_TEKS = {"audio": "non_teks_audio", "video": "non_teks_video", "sticker": "non_teks_stiker",
            "contact": "non_teks_kontak", "location": "non_teks_lokasi",
            "other": "non_teks_lain"}
SIDE_INTENTS = {"cek_status", "tanya_jam_layanan", "tanya_lokasi", "tanya_persyaratan",
                "tanya_biaya", "tanya_waktu", "bicara_petugas"}
ASPEK = {"tanya_persyaratan": "persyaratan", "tanya_biaya": "biaya", "tanya_waktu": "waktu"}
MENU_ITEMS = ["info", "ajukan", "cek", "pengaduan", "jam_lokasi", "petugas", "survei"]


# "assalamualaikum", "asslm", "ass wr wb", "samlekom": the salam is answered first
_ASSALAMUALAIKUM = re.compile(r"\b(as+alam\w*|as+lm\w*|ass\b|samlekom|salamlekum)")


def salam(turn: Turn, ctx: DialogContext) -> str:
    jam = turn.now.astimezone(ctx.profil.kalender.tz).hour
    waktu = "pagi" if jam < 11 else "siang" if jam < 15 else "sore" if jam < 18 else "malam"
    text = ctx.pesan("salam", waktu=waktu, kantor=ctx.profil.nama)
    if _ASSALAMUALAIKUM.search(turn.clean):
        text = ctx.pesan("salam_jawab_assalamualaikum").strip() + " " + text
    return text


def menu(ctx: DialogContext) -> str:
    return ctx.pesan("menu")


def jam_pada_hari(turn: Turn, ctx: DialogContext) -> str | None:
    """'hari sabtu buka?': whether and when the office opens on the day asked about."""
    value = turn.entity("tanggal")
    if not value:
        return None
    from datetime import date as _date

    kal = ctx.profil.kalender
    hari = datetime.fromisoformat(value).date() if "T" in value else _date.fromisoformat(value)
    label = fmt_waktu(datetime.combine(hari, datetime.min.time(), tzinfo=kal.tz),
                      ctx.profil.timezone).split(" pukul")[0]
    rentang = kal.ranges_on(hari)
    if rentang:
        jam = ", ".join(f"{a:%H.%M}–{b:%H.%M}" for a, b in rentang)
        return ctx.pesan("jam_hari_buka", hari=label, jam=jam)
    libur = kal.libur(hari)
    buka = fmt_waktu(kal.next_open(datetime.combine(hari, datetime.min.time(), tzinfo=kal.tz)),
                     ctx.profil.timezone)
    return ctx.pesan("jam_hari_tutup", hari=label, libur=f" ({libur})" if libur else "",
                     buka=buka)


def jam_layanan(turn: Turn, ctx: DialogContext) -> str:
    hari = jam_pada_hari(turn, ctx)
    if hari is not None:
        return hari
    kal = ctx.profil.kalender
    hari_ini = turn.now.astimezone(kal.tz).date()
    if kal.is_open(turn.now):
        sekarang = ctx.pesan("jam_buka_sekarang")
    else:
        libur = kal.libur(hari_ini)
        sekarang = ctx.pesan("jam_tutup_sekarang", libur=f" ({libur})" if libur else "",
                             buka=fmt_waktu(kal.next_open(turn.now), ctx.profil.timezone))
    return ctx.pesan("jam_layanan", jadwal=ctx.jadwal, sekarang=sekarang)


def lokasi(ctx: DialogContext) -> str:
    p = ctx.profil
    return ctx.pesan("lokasi", kantor=p.nama, alamat=p.alamat, peta=p.peta or "-",
                     telepon=p.telepon, email=p.email)


def bicara_petugas(state: dict[str, Any], turn: Turn, ctx: DialogContext) -> Out:
    kal = ctx.profil.kalender
    if kal.is_open(turn.now):
        text = ctx.pesan("petugas_jam_kerja")
    else:
        text = ctx.pesan("petugas_di_luar_jam",
                         buka=fmt_waktu(kal.next_open(turn.now), ctx.profil.timezone))
    return Out({**state, "handoff": turn.now.isoformat()}, commands=[MintaPetugas()]).say(text)


def _needs_pemohon(flow: Flow, turn: Turn, ctx: DialogContext,
                   data: dict[str, Any] | None = None, step: str | None = None) -> Out:
    """Begin `flow` (with what the opening message already said); an unregistered
    sender registers first and then resumes it there."""
    if flow.needs_pemohon and turn.pemohon is None:
        return daftar.mulai_daftar(turn, ctx, after={"flow": flow.name,
                                                     "step": step or flow.first,
                                                     "data": dict(data or {})})
    return flow.begin(turn, ctx, data, step)


def start(item: str, turn: Turn, ctx: DialogContext, *, aspek: str = "semua",
          terakhir: str | None = None) -> Out:
    """Open a main-menu item; `terakhir` is the layanan the last question was about."""
    if item == "info":
        lay = layanan.cari_layanan(turn, ctx)
        if lay is None and terakhir and aspek != "semua":  # "brp biayanya?" after "syarat …"
            lay = ctx.katalog.get(terakhir)
        if lay is not None:
            return Out({"flow": None, "layanan_terakhir": lay.kode}).say(
                layanan.jawab_info(lay, aspek, ctx))
        return layanan.FLOW.begin(turn, ctx, {"aspek": aspek})
    if item == "ajukan":
        return ajukan.mulai_ajukan(turn, ctx)
    if item == "cek":
        cmd = cek_command(turn)
        if cmd is None and turn.pemohon is not None and turn.intent == "cek_status":
            # "kok belum ada kabar?": a registered pemohon sees their own applications
            cmd = PermohonanSaya(kanal=turn.channel, kanal_id=turn.sender)
        return Out({"flow": None}, commands=[cmd]) if cmd else CEK.begin(turn, ctx)
    if item == "pengaduan":
        return _needs_pemohon(pengaduan.FLOW, turn, ctx, *pengaduan.awal(turn))
    if item == "jam_lokasi":
        return Out({"flow": None}).say(jam_layanan(turn, ctx)).say(lokasi(ctx))
    if item == "petugas":
        return bicara_petugas({"flow": None}, turn, ctx)
    if item == "survei":
        return SURVEI.begin(turn, ctx)
    raise ValueError(item)


# Intents that, said clearly, are something other than the answer a petugas waits for.
# An answer ("kami datang berlima") may look like a request; only questions, greetings and
# asking for the menu, a status or a person are taken as not being the answer.
BUKAN_JAWABAN = {"salam", "bantuan", "cek_status", "tanya_persyaratan", "tanya_biaya",
                 "tanya_waktu", "tanya_jam_layanan", "tanya_lokasi", "bicara_petugas"}
_JAM = re.compile(r"\b(jam|pukul|pkl)\s*\d")
_TANYA = re.compile(r"\?|\b(apa|apakah|berapa|brp|kapan|kpn|bagaimana|gimana|gmn|dimana|"
                    r"di mana|mana|bisa\s+\w+\s+(ga|gak|nggak|tidak))\b")


def _bukan_jawaban(turn: Turn) -> bool:
    """A side question, a greeting or a request, not the answer to the petugas' question."""
    if turn.files or turn.intent not in BUKAN_JAWABAN or turn.confidence < 0.8:
        return False
    if turn.intent == "salam":
        return len(turn.clean.split()) <= 4
    if turn.intent != "bantuan":
        return bool(_TANYA.search(turn.clean)) or turn.intent == "bicara_petugas"
    return True


def _jawab_info(turn: Turn) -> Out | None:
    """A petugas asked a question: the pemohon's next words (or files) are the answer.

    Unless they are clearly something else — another question, a greeting, `menu`: that
    is answered, and the pemohon is reminded that a petugas awaits the answer.
    """
    if not turn.menunggu_info or turn.pemohon is None:
        return None
    word = turn.clean.strip(".!")
    if word in MENU or word in BATAL or pilihan(turn, len(MENU_ITEMS)) is not None or (
            turn.entity("nomor_registrasi") and turn.intent == "cek_status"):
        return None
    if not (turn.text or turn.files) or _bukan_jawaban(turn):
        return None
    aktor = Aktor(jenis="pemohon", nama=turn.pemohon.nama, id=turn.pemohon.id)
    cmd = c.JawabInfo(nomor=turn.menunggu_info[0], aktor=aktor, jawaban=turn.text or "",
                      berkas=tuple(Berkas(nama=f.nama, mime=f.mime, bytes=f.bytes,
                                          sha256=f.sha256, diunggah=turn.now)
                                   for f in turn.files))
    return Out({"flow": None}, replies=list(turn.file_errors), commands=[cmd])


UBAH_JADWAL = ("ubah jadwal", "jadwal ulang", "jadwal lain", "berhalangan", "tidak bisa hadir",
               "tdk bisa hadir", "ga bisa hadir", "gak bisa hadir", "reschedule", "diundur")


def _tanggapi_jadwal(turn: Turn) -> Out | None:
    """An audiensi time was given: `ya` confirms it, `ubah jadwal …` asks for another."""
    if not turn.jadwal_baru or turn.pemohon is None or not turn.text:
        return None
    aktor = Aktor(jenis="pemohon", nama=turn.pemohon.nama, id=turn.pemohon.id)
    nomor = turn.jadwal_baru[0]
    if is_yes(turn) or turn.clean.strip(".!") in ("hadir", "insya allah hadir", "siap hadir"):
        return Out({"flow": None}, commands=[c.TanggapiJadwal(nomor, aktor, hadir=True)])
    if any(k in turn.clean for k in UBAH_JADWAL):
        return Out({"flow": None}, commands=[c.TanggapiJadwal(nomor, aktor, hadir=False,
                                                                catatan=turn.text.strip())])
    return None


def route(turn: Turn, ctx: DialogContext, state: dict[str, Any] | None = None) -> Out:
    """A message outside any flow: a menu number, files, or what the NLU understood."""
    answer = _jawab_info(turn) or _tanggapi_jadwal(turn)
    if answer is not None:
        return answer
    out = _route(turn, ctx, state)
    if turn.menunggu_info and turn.pemohon is not None and not out.state.get("flow"):
        out.say(ctx.pesan("info_masih_ditunggu", nomor=turn.menunggu_info[0]))
    return out


def _route(turn: Turn, ctx: DialogContext, state: dict[str, Any] | None) -> Out:
    if turn.files:
        return mulai_lengkapi(turn, ctx) if turn.dikembalikan else ajukan.mulai_ajukan(turn, ctx)
    if turn.file_errors:
        return Out({"flow": None}, replies=list(turn.file_errors))
    n = pilihan(turn, len(MENU_ITEMS))
    if n is not None:
        return start(MENU_ITEMS[n - 1], turn, ctx)
    if turn.clean in MENU or turn.clean.strip(".!") in KEMBALI:
        return Out({"flow": None}).say(menu(ctx))  # outside a form `kembali` is the menu
    if turn.clean.strip(".!") in SEMUA_SAYA:  # "… atau ketik *semua*"
        if turn.pemohon is None:
            return CEK.begin(turn, ctx)
        return Out({"flow": None}, commands=[PermohonanSaya(kanal=turn.channel,
                                                            kanal_id=turn.sender)])
    hak = data_pribadi.mulai(turn, ctx)  # "data saya", "ubah data", "hapus data saya"
    if hak is not None:
        return hak
    intent = turn.intent if turn.confidence >= ctx.threshold else None
    nomor = turn.entity("nomor_registrasi")
    if nomor and str(nomor).startswith("PTSP-") and (
            intent == "batal" or "batal" in turn.clean):
        if turn.pemohon is None:  # answered exactly like a number that does not exist
            return Out({"flow": None}).say(ctx.pesan("status_tidak_ditemukan", nomor=nomor))
        return BATALKAN.begin(turn, ctx, {"nomor": nomor})
    if nomor and intent in (None, "cek_status", "kirim_dokumen"):
        intent = "cek_status"
    if intent is None:
        return Out({"flow": None}).say(ctx.pesan("tidak_mengerti")).say(menu(ctx))
    if intent == "salam":
        return Out({"flow": None}).say(salam(turn, ctx) + "\n\n" + menu(ctx))
    if intent == "bantuan":
        if "layanan" in turn.clean and _TANYA.search(turn.clean):
            return start("info", turn, ctx)  # "layanan apa aja yg ada?": the catalog's list
        return Out({"flow": None}).say(menu(ctx))
    if intent == "daftar":
        if turn.pemohon is not None:
            return Out({"flow": None}).say(ctx.pesan("sudah_terdaftar", nama=turn.pemohon.nama))
        return daftar.mulai_daftar(turn, ctx)
    if intent == "ajukan_permohonan":
        return start("ajukan", turn, ctx)
    if intent == "kirim_dokumen":
        if turn.dikembalikan:
            return mulai_lengkapi(turn, ctx)
        return start("ajukan", turn, ctx)
    if intent == "cek_status":
        return start("cek", turn, ctx)
    if intent == "pengaduan":
        return start("pengaduan", turn, ctx)
    if intent in ASPEK:
        return start("info", turn, ctx, aspek=ASPEK[intent],
                     terakhir=(state or {}).get("layanan_terakhir"))
    if intent == "tanya_jam_layanan":
        return Out({"flow": None}).say(jam_layanan(turn, ctx))
    if intent == "tanya_lokasi":
        return Out({"flow": None}).say(lokasi(ctx))
    if intent == "bicara_petugas":
        return start("petugas", turn, ctx)
    if intent == "isi_survei":
        return start("survei", turn, ctx)
    if intent == "ambil_antrian" and ctx.profil.loket:
        return ANTRIAN.begin(turn, ctx)
    if intent == "daftar_tamu":
        if turn.pemohon is None:
            return daftar.mulai_daftar(turn, ctx, after={"flow": "tamu", "step": "tujuan",
                                                         "data": {}})
        return tamu.mulai_tamu(turn, ctx)
    if intent == "ambil_antrian":
        return Out({"flow": None}).say(ctx.pesan(intent, alamat=ctx.profil.alamat))
    if intent == "terima_kasih":
        return Out({"flow": None}).say(ctx.pesan("terima_kasih"))
    if intent == "batal":
        return Out({"flow": None}).say(ctx.pesan("batal_tanpa_proses")).say(menu(ctx))
    if intent in ("setuju", "tolak"):
        return Out({"flow": None}).say(menu(ctx))
    return Out({"flow": None}).say(ctx.pesan("di_luar_topik")).say(menu(ctx))


TIDAK_MENGGANTI = {"salam", "setuju", "tolak", "terima_kasih", "di_luar_topik"}


def _diganti(turn: Turn, flow: Flow, ctx: DialogContext) -> bool:
    """A one-question flow meets a clear request of another kind: that request wins.

    "sy mau ngajuin audiensi" while the bot asks which layanan to explain is a
    request to submit, not the answer "audiensi"; a bare name or number still answers.
    """
    if not flow.ringan or turn.files or not turn.text or turn.confidence < 0.8:
        return False
    if turn.intent in flow.intents or turn.intent in TIDAK_MENGGANTI:
        return False
    if pilihan(turn, 20) is not None or ctx.katalog.cocokkan(turn.text):
        return False
    return not any(turn.entity(e) for e in flow.jawaban)


def _side(turn: Turn, flow: Flow, state: dict[str, Any], ctx: DialogContext) -> Out | None:
    """Another clear request in the middle of a form: answer it, then offer to continue."""
    free = state["step"] in flow.free_text
    if state["step"] in flow.meminta_waktu and (
            turn.entity("tanggal") or _JAM.search(turn.clean)):
        return None  # a time typed where a time is asked answers the step
    # "cek PTSP-…" in the middle of a form is a status check; a number asked for by the
    # step, or told inside a longer free text (a complaint's story), belongs to the form
    cek = (turn.entity("nomor_registrasi") and turn.intent == "cek_status"
           and state["step"] not in flow.meminta_nomor
           and not (free and len(turn.clean.split()) > 4))
    # one bare word ("alamat", "biaya") answers the step's choice rather than asking
    satu_kata = len(turn.clean.split()) == 1 and "?" not in turn.clean
    if not cek and (free or turn.intent not in SIDE_INTENTS or turn.confidence < 0.8
                    or pilihan(turn, 20) is not None or turn.files or satu_kata):
        return None
    answer = route(turn, ctx)
    if answer.state.get("flow"):  # the side request needs a form of its own: not a side
        return None
    answer.state = {**state, "tawar_lanjut": True}
    return answer.say(ctx.pesan("lanjutkan", judul=flow.judul))


def step(state: dict[str, Any] | None, turn: Turn, ctx: DialogContext) -> Out:
    """Handles one message and returns the new state, the replies and the commands."""
    state = copy.deepcopy(state or {})  # never mutate the caller's (the ORM's) state
    since = state.get("handoff")
    updated = state.get("updated_at")
    expired = bool(updated) and (
        turn.now - datetime.fromisoformat(updated) > timedelta(minutes=ctx.expire_minutes))
    if expired:
        state.pop("layanan_terakhir", None)  # "berapa biayanya?" tomorrow is a new question
    if state.get("flow") and expired:
        # the message was meant for a step that no longer exists: do not guess
        out = Out({"flow": None}).say(ctx.pesan("sesi_berakhir")).say(menu(ctx))
    else:
        out = _step(state, turn, ctx)
    if since:
        silent = turn.now - datetime.fromisoformat(since) > timedelta(hours=HANDOFF_JAM)
        left = ("handoff" in out.state and not out.state["handoff"]) or (
            turn.clean.strip(".!") in MENU | BATAL)  # `menu`/`batal` inside a form too
        if silent or left:
            # the relay is over: the petugas is told, and their next words reach nobody
            out.state["handoff"] = None
            if not any(isinstance(x, AkhiriRelay) for x in out.commands):
                out.commands.append(AkhiriRelay("pemohon" if left else "kedaluwarsa"))
        elif "handoff" not in out.state:
            out.state["handoff"] = since  # a relay outlives the flows around it
    out.state["updated_at"] = turn.now.isoformat()
    return out


HANDOFF_JAM = 4  # a relay with no message for this long is over
SEMUA_SAYA = {"semua", "semuanya", "permohonan saya", "semua permohonan saya"}


def _relay(state: dict[str, Any], turn: Turn, ctx: DialogContext) -> Out | None:
    """While talking to a petugas, the pemohon's words go to them, not to the bot."""
    since = state.get("handoff")
    if not since or state.get("flow"):
        return None
    if turn.now - datetime.fromisoformat(since) > timedelta(hours=HANDOFF_JAM):
        state["handoff"] = None
        return None
    word = turn.clean.strip(".!")
    if word in MENU or word in BATAL or word in SELESAI:
        return Out({**state, "handoff": None}, commands=[AkhiriRelay()]).say(
            ctx.pesan("relay_diakhiri")).say(menu(ctx))
    if not turn.text:
        return None
    return Out({**state, "handoff": turn.now.isoformat()},
               commands=[TeruskanKePetugas(turn.text)])


def _notifikasi(state: dict[str, Any], turn: Turn, ctx: DialogContext) -> Out | None:
    """STOP / MULAI: the office's notifications to this number, off or on again."""
    word = turn.clean.strip(".!")
    berhenti = word in BERHENTI_NOTIFIKASI or (
        word == "stop" and not state.get("flow") and not state.get("handoff"))
    if not berhenti and word not in MULAI_NOTIFIKASI:
        return None
    if turn.pemohon is None:
        return Out(state).say(ctx.pesan("notifikasi_tanpa_akun"))
    cmd = c.AturNotifikasi(kanal=turn.channel, kanal_id=turn.sender, aktif=not berhenti)
    out = Out({**state, "flow": None} if berhenti else state, commands=[cmd])
    return out.say(ctx.pesan("notifikasi_berhenti" if berhenti else "notifikasi_mulai"))


TETAP = {"tetap", "tetap pakai", "pakai", "pakai saja", "pakai foto ini", "tetap kirim",
         "kirim saja", "gunakan", "gunakan saja", "tetap pakai foto ini", "tidak apa apa"}


def _foto(state: dict[str, Any], turn: Turn, ctx: DialogContext
          ) -> tuple[Turn, str | None] | Out:
    """A doubtful photo (too small, dark, blurred, not a document) is held back with a
    specific reply; "tetap" uses it after all, anything else drops it."""
    held = state.pop("foto_ragu", None)
    if held and not turn.files and turn.clean.strip(".!") in TETAP:
        files = tuple(FileInfo(**{k: v for k, v in f.items() if k != "mutu"}) for f in held)
        return replace(turn, files=files, kind="media", text=None), None
    ragu = [f for f in turn.files if f.mutu]
    if not ragu:
        return turn, None
    state["foto_ragu"] = [{**f.as_dict(), "mutu": f.mutu} for f in ragu]
    teks = ctx.pesan(f"foto_{ragu[0].mutu}") + "\n" + ctx.pesan("foto_ragu_pilihan")
    baik = tuple(f for f in turn.files if not f.mutu)
    if not baik:
        return Out(state).say(teks)
    return replace(turn, files=baik), teks


def _step(state: dict[str, Any], turn: Turn, ctx: DialogContext) -> Out:
    notifikasi = _notifikasi(state, turn, ctx)
    if notifikasi is not None:
        return notifikasi
    relay = _relay(state, turn, ctx)
    if relay is not None:
        return relay
    foto = _foto(state, turn, ctx)
    if isinstance(foto, Out):
        return foto
    turn, peringatan = foto
    if peringatan is None:
        return _langkah(state, turn, ctx)
    ragu = state.pop("foto_ragu")
    out = _langkah(state, turn, ctx)
    out.state["foto_ragu"] = ragu  # still on offer after the good ones were taken
    return out.say(peringatan)


def _langkah(state: dict[str, Any], turn: Turn, ctx: DialogContext) -> Out:
    flow = FLOWS.get(state.get("flow") or "")
    if turn.kind in NON_TEKS:
        out = Out(state).say(ctx.pesan(NON_TEKS[turn.kind]))
        return out.say(flow.prompt(state, ctx)) if flow else out
    if flow is None:
        return route(turn, ctx, state)
    word = turn.clean.strip(".!")
    free = state["step"] in flow.free_text
    confident = turn.confidence >= 0.8 and not free
    ditawar = state.pop("tawar_menu", False)
    if ditawar and (is_yes(turn) or word in MENU):
        return Out({"flow": None}).say(menu(ctx))
    if ditawar and is_no(turn):
        return Out(state).say(flow.prompt(state, ctx))
    if word in MENU or (confident and turn.intent == "bantuan"):
        if state.get("history"):  # answers given: they are not dropped without asking
            return Out({**state, "tawar_menu": True}).say(
                ctx.pesan("menu_konfirmasi", judul=flow.judul))
        return Out({"flow": None}).say(menu(ctx))
    if word in BATAL or (confident and turn.intent == "batal"):
        return Out({"flow": None}).say(ctx.pesan("dibatalkan", judul=flow.judul)).say(menu(ctx))
    if word in KEMBALI:
        history = list(state.get("history", []))
        mundur = flow.mundur(state) if flow.mundur else None
        if mundur is not None:
            return Out(mundur).say(flow.prompt(mundur, ctx))
        if not history:
            return Out(state).say(ctx.pesan("kembali_awal") + "\n\n" + flow.prompt(state, ctx))
        state = {**state, "step": history.pop(), "history": history}
        return Out(state).say(flow.prompt(state, ctx))
    if state.pop("tawar_lanjut", False):
        if is_yes(turn):
            return Out(state).say(flow.prompt(state, ctx))
        if is_no(turn):
            return (Out({"flow": None}).say(ctx.pesan("dibatalkan", judul=flow.judul))
                    .say(menu(ctx)))
    if _diganti(turn, flow, ctx):
        return route(turn, ctx)
    side = _side(turn, flow, state, ctx)
    if side is not None:
        return side
    if turn.files and state["step"] not in flow.accepts_files:
        return Out(state).say(ctx.pesan("file_tidak_diharapkan") + "\n\n"
                              + flow.prompt(state, ctx))
    if not turn.text and not turn.files and not turn.file_errors:
        return Out(state).say(flow.prompt(state, ctx))
    step_now, data_now = state["step"], copy.deepcopy(state.get("data"))
    out = flow.steps[step_now](state, turn, ctx)
    return _petunjuk(out, flow, (step_now, data_now), turn, ctx)


def _petunjuk(out: Out, flow: Flow, before: tuple[str, Any], turn: Turn,
              ctx: DialogContext) -> Out:
    """Stuck on one step: from the third try on, say how to leave (never a dead end).

    Stuck means the step and its data did not move: nine survey answers on one step
    are progress, not a loop.
    """
    same = (out.state.get("flow") == flow.name
            and (out.state.get("step"), out.state.get("data")) == before
            and not out.commands and not turn.files)
    if not same:
        out.state.pop("ulang", None)
        return out
    out.state["ulang"] = out.state.get("ulang", 0) + 1
    if out.state["ulang"] >= 2:
        out.say(ctx.pesan("petunjuk_keluar"))
    return out
