"""Officials' actions: button presses, typed answers to ForceReply prompts, and commands."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.officials.pilihan import (
    persyaratan_dicek,
    pilih_kurang,
    pilihan_jabatan,
    tawarkan_slot,
    tutup_slot,
)
from bot.officials.prompts import disposisi_cepat, jadwal_cepat
from bot.types import IncomingMessage
from dialogs import petugas as petugas_dialog
from dialogs.jadwal import baca_jadwal
from domain import commands as cmd
from domain.errors import DomainError
from domain.konteks import fmt_waktu
from domain.model import INSTRUKSI, Berkas, Permohonan, PesanKeluar, Petugas, Prompt, Role
from domain.status import LABEL, MOVES, Status
from domain.wewenang import KE, Aksi, ItemPermohonan, Pelaku, boleh, status_menolak

if TYPE_CHECKING:
    from bot.bootstrap import Container

# Actions that need words before they can be sent: the question's catalog key.
TANYA = {"kurang": "tg_tanya_catatan_kurang", "tolak": "tg_tanya_alasan_tolak",
         "jadwal": "tg_tanya_jadwal", "selesai": "tg_tanya_catatan_selesai",
         "tidak_sesuai": "tg_tanya_berita_acara", "jadwal_ulang": "tg_tanya_alasan_ulang",
         "disposisi": "tg_tanya_catatan_disposisi", "jawab": "tg_tanya_jawaban",
         "tutup": "tg_tanya_penyelesaian", "info": "tg_tanya_pertanyaan",
         "teruskan": "tg_tanya_catatan_teruskan", "tamu_ulang": "tg_tanya_jadwal_tamu",
         "tamu_tolak": "tg_tanya_alasan_tamu", "sdisp": "tg_tanya_catatan_disposisi",
         "sselesai": "tg_tanya_tindak_lanjut_surat"}
LABEL_AKSI = {"lengkap": "Berkas lengkap", "kurang": "Berkas tidak lengkap",
              "disposisi": "Disposisi", "tolak": "Tolak", "jadwal": "Jadwalkan audiensi",
              "selesai": "Selesai", "tidak_sesuai": "Tidak sesuai",
              "diserahkan": "Sudah diserahkan", "terlaksana": "Audiensi terlaksana",
              "jadwal_ulang": "Jadwal ulang", "jawab": "Jawab pengaduan",
              "tutup": "Tutup pengaduan", "klasifikasi": "Klasifikasi pengaduan",
              "info": "Minta info", "teruskan": "Teruskan pengaduan",
              "dcepat": "Disposisi", "jcepat": "Jadwalkan audiensi",
              "tamu_terima": "Terima tamu", "tamu_ulang": "Jadwalkan ulang kunjungan",
              "tamu_tolak": "Tolak tamu", "sdisp": "Disposisi surat",
              "sselesai": "Selesai ditindaklanjuti"}
# one-tap buttons are checked as the action they shorten
SINGKAT = {"dcepat": "disposisi", "jcepat": "jadwal"}


@dataclass
class Ctx:
    c: Container
    uow: Any
    chat: str
    state: dict[str, Any]
    msg: IncomingMessage
    nlu: Any
    petugas: Petugas | None = None
    files: list[Any] = field(default_factory=list)
    _aktor: Any = field(default=None, repr=False)

    def profil(self) -> Any:
        """The profile of the office this update belongs to."""
        return self.c.profil(self.uow.kantor_id)

    def send(self, message: dict[str, Any]) -> int:
        return int(self.uow.outbox.kirim("telegram", self.chat, message))

    def say(self, text: str, buttons: list[list[dict]] | None = None, *, kb: str | None = None
            ) -> int:
        """Send a message; `kb` marks a keyboard of an action in progress (edited in place)."""
        return self.send({"text": text, **({"buttons": buttons} if buttons else {}),
                          **({"kb": kb} if kb else {})})

    def pressed_kb(self, kode: str) -> PesanKeluar | None:
        """The keyboard message of action `kode` whose button was just pressed, if any."""
        mid = self.msg.raw.get("callback_message_id")
        if not mid:
            return None
        rows = self.uow.outbox.terkirim("telegram", self.chat, provider_id=f"{self.chat}:{mid}")
        # the message as first sent (its edits share its provider id)
        return next((r for r in rows if r.message.get("kb") == kode), None)

    def keyboard(self, kode: str, text: str, buttons: list[list[dict]]) -> None:
        """Show a keyboard: edit the pressed one in place, else send a new one."""
        row = self.pressed_kb(kode)
        if row is None:
            self.say(text, buttons, kb=kode)
        else:
            self.send({"edit_outbox_id": row.id, "text": text, "buttons": buttons})

    def close_kb(self, kode: str, pilihan: str) -> None:
        """The pressed keyboard keeps its text and the choice, and loses its buttons."""
        row = self.pressed_kb(kode)
        if row is not None:
            self.send({"edit_outbox_id": row.id, "buttons": [],
                       "text": f"{row.message.get('text', '')}\n→ {pilihan}"})

    def answer(self, text: str, *, alert: bool = False) -> None:
        cq = self.msg.raw.get("callback_query_id")
        if cq:
            self.send({"answer_callback": cq, "text": text[:190], "alert": alert})
        elif alert:
            self.say(text)

    def pelaku(self) -> Pelaku:
        return Pelaku(self.aktor, self.uow.kantor_id, tuple(self.petugas.tugas))

    def item(self, obj: Any) -> Any:
        """What the authorisation table judges: a permohonan with its desk, or a complaint."""
        if not isinstance(obj, Permohonan):
            return obj
        lay = self.c.katalog_of(obj.kantor_id).resolve(obj.layanan)
        return ItemPermohonan(obj, meja=str(lay.desk), audiensi=bool(lay.pilih_pejabat),
                              sekarang=self.c.clock.now())

    def boleh(self, aksi: Aksi, obj: Any) -> bool:
        """May this official take `aksi` on this permohonan or complaint (domain table)?"""
        return boleh(aksi, self.pelaku(), self.item(obj))

    @property
    def aktor(self) -> Any:
        if self._aktor is None:
            today = self.c.clock.now().astimezone(self.profil().kalender.tz).date()
            self._aktor = self.petugas.aktor(self.uow.petugas.delegasi(today), hari_ini=today)
        return self._aktor


def refuse(ctx: Ctx, exc: Exception) -> None:
    """A refused command changes nothing: roll back, then say why (the state is kept)."""
    ctx.uow.rollback()
    ctx.say(ctx.c.pesan("tg_ditolak", alasan=str(exc)))


def is_admin(ctx: Ctx) -> bool:
    return ctx.petugas is not None and ctx.petugas.role == Role.ADMIN


def _target(p: Any, aksi: str) -> Status | None:
    return KE[Aksi(aksi)](p) if aksi in KE else None


def alasan_tolak(ctx: Ctx, p: Any, aksi: str) -> str | None:
    """Why this official may not take this action now; None when allowed."""
    if status_menolak(Aksi(aksi), p):
        return ctx.c.pesan("tg_status_berubah", nomor=p.nomor, status=LABEL[p.status])
    waktu = (p.data.get("jadwal") or {}).get("waktu")
    if aksi == "terlaksana" and waktu and datetime.fromisoformat(waktu) > ctx.c.clock.now() \
            and MOVES[(Status.SELESAI, Status.DISERAHKAN)] & p.peran(ctx.aktor):
        return ctx.c.pesan("tg_terlaksana_belum_waktunya", nomor=p.nomor, waktu=fmt_waktu(
            datetime.fromisoformat(waktu), ctx.profil().timezone))
    if not ctx.boleh(Aksi(aksi), p):
        return ctx.c.pesan("tg_tidak_berwenang", aksi=LABEL_AKSI.get(aksi, aksi), nomor=p.nomor)
    return None


# -- pending answers ---------------------------------------------------------------------


def _pending(ctx: Ctx) -> list[dict[str, Any]]:
    return ctx.state.setdefault("pending", [])


def _find(ctx: Ctx, kode: str) -> dict[str, Any] | None:
    return next((x for x in reversed(_pending(ctx)) if x["kode"] == kode), None)


def _start(ctx: Ctx, row: Prompt, aksi: str, **data: Any) -> dict[str, Any]:
    ctx.state["pending"] = [x for x in _pending(ctx) if x["kode"] != row.kode][-4:]
    item = {"kode": row.kode, "nomor": row.nomor, "aksi": aksi, "data": data, "tanya": None}
    ctx.state["pending"].append(item)
    return item


def _ask(ctx: Ctx, item: dict[str, Any], key: str, **kw: Any) -> None:
    item["tanya"] = ctx.send({"text": ctx.c.pesan(key, nomor=item["nomor"], **kw),
                              "force_reply": True, "placeholder": item["nomor"]})


def _confirm(ctx: Ctx, item: dict[str, Any]) -> None:
    d = item["data"]
    rincian = [f"{LABEL_AKSI[item['aksi']]} — {item['nomor']}"]
    from bot.officials.terbuka import nama_pemohon

    siapa = {"TMU-": "Tamu", "SM-": "Surat dari"}.get(
        next((k for k in ("TMU-", "SM-") if item["nomor"].startswith(k)), ""), "Pemohon")
    rincian.append(f"{siapa}: {nama_pemohon(ctx, item['nomor'])}")
    if d.get("ke"):
        rincian.append(f"Kepada: {ctx.profil().nama_jabatan(d['ke'])}")
    if d.get("instruksi"):
        rincian.append(f"Instruksi: {INSTRUKSI[d['instruksi']]}")
    if d.get("kurang"):
        rincian.append("Kurang: " + ", ".join(d["kurang_nama"]))
    if d.get("waktu"):
        rincian.append("Waktu: " + fmt_waktu(datetime.fromisoformat(d["waktu"]),
                                             ctx.profil().timezone))
    if d.get("tempat"):
        rincian.append(f"Tempat: {d['tempat']}")
    if d.get("teks"):
        rincian.append(f"Catatan: {d['teks']}")
    if d.get("hasil"):
        rincian.append(f"Salinan hasil: {d['hasil']['nama']}")
    k = item["kode"]
    ctx.say(ctx.c.pesan("tg_konfirmasi", rincian="\n".join(rincian)),
            [[{"text": "Kirim", "data": f"{k}:ok"}, {"text": "Ubah", "data": f"{k}:ubah"},
              {"text": "Batal", "data": f"{k}:x"}]], kb=k)


def button(ctx: Ctx, row: Prompt, aksi: str) -> None:
    """A press on a prompt's button (or on a step of an action started from it)."""
    if row.jenis.startswith("pengaduan"):
        from bot.officials.aduan import button as aduan_button

        aduan_button(ctx, row, aksi)
        return
    if row.jenis == "tamu":
        from bot.officials.tamu import button as tamu_button

        tamu_button(ctx, row, aksi)
        return
    if row.jenis == "surat":
        from bot.officials.surat import button as surat_button

        surat_button(ctx, row, aksi)
        return
    p = ctx.uow.permohonan.get(row.nomor)
    if p is None:
        ctx.answer(ctx.c.pesan("tg_prompt_tidak_ada"), alert=True)
        return
    item = _find(ctx, row.kode)
    if aksi in ("ok", "ubah", "x", "tl") or (aksi[:1] in "tdis" and aksi[1:2].isdigit()) \
            or (aksi[:1] == "i" and aksi[1:] in INSTRUKSI):
        if item is None:
            ctx.answer(ctx.c.pesan("tg_tidak_ada_tindakan"), alert=True)
            return
        _step(ctx, row, p, item, aksi)
        return
    if aksi not in LABEL_AKSI:
        ctx.answer(ctx.c.pesan("tg_prompt_tidak_ada"), alert=True)
        return
    reason = alasan_tolak(ctx, p, SINGKAT.get(aksi, aksi))
    if reason:
        ctx.answer(reason, alert=True)
        return
    ctx.answer(LABEL_AKSI[aksi])
    if aksi in ("lengkap", "diserahkan", "terlaksana"):
        _execute(ctx, row, p, {"kode": row.kode, "nomor": p.nomor, "aksi": aksi, "data": {}})
        return
    if aksi == "dcepat":  # seed 000's common path: one tap
        ke = disposisi_cepat(ctx.c, p)
        if ke is None:
            ctx.say(ctx.c.pesan("tg_tidak_ada_bawahan", nomor=p.nomor))
            return
        _execute(ctx, row, p, {"kode": row.kode, "nomor": p.nomor, "aksi": "disposisi",
                               "data": {"ke": ke, "instruksi": "proses"}})
        return
    if aksi == "jcepat":
        waktu = jadwal_cepat(ctx.c, ctx.uow, p)
        if waktu is not None:
            item = _start(ctx, row, "jadwal", waktu=waktu.isoformat(),
                          tempat=ctx.profil().tempat_audiensi)
            _confirm(ctx, item)
            return
        aksi = "jadwal"  # the wished time was taken meanwhile: choose another
    item = _start(ctx, row, aksi)
    if aksi == "kurang":
        pilih_kurang(ctx, item, p)
    elif aksi == "disposisi":
        _pilih_jabatan(ctx, item, p)
    else:
        _ask(ctx, item, TANYA[aksi])
        if aksi == "jadwal":
            tawarkan_slot(ctx, item, p)


def _pilih_jabatan(ctx: Ctx, item: dict[str, Any], p: Any) -> None:
    codes = pilihan_jabatan(ctx, p)
    if not codes:
        _pending(ctx).remove(item)
        ctx.say(ctx.c.pesan("tg_tidak_ada_bawahan", nomor=p.nomor))
        return
    profil = ctx.profil()
    rows = [[{"text": profil.nama_jabatan(k)[:60], "data": f"{item['kode']}:d{i}"}]
            for i, k in enumerate(codes)]
    ctx.keyboard(item["kode"], ctx.c.pesan("tg_pilih_jabatan", nomor=p.nomor), rows)


def konfirmasi(ctx: Ctx, row: Prompt, item: dict[str, Any], aksi: str, nomor: str, *,
               kirim: Any, ubah: Any = None) -> None:
    """Kirim / Ubah / Batal on an action's confirmation: the keyboard keeps the choice;
    Batal drops the action, Ubah asks again (`ubah`, else the action's question), Kirim
    runs `kirim`."""
    ctx.close_kb(row.kode, {"x": "Batal", "ok": "Kirim", "ubah": "Ubah"}[aksi])
    if aksi == "x":
        _pending(ctx).remove(item)
        ctx.answer("Dibatalkan")
        ctx.say(ctx.c.pesan("tg_dibatalkan", nomor=nomor))
    elif aksi == "ubah":
        ctx.answer("Ubah")
        if ubah is not None:
            ubah()
        else:
            _ask(ctx, item, TANYA[item["aksi"]])
    else:
        ctx.answer("Dikirim")
        kirim()


def _step(ctx: Ctx, row: Prompt, p: Any, item: dict[str, Any], aksi: str) -> None:
    d = item["data"]
    if aksi in ("x", "ok", "ubah"):
        ubah = {"kurang": lambda: pilih_kurang(ctx, item, p),
                "disposisi": lambda: _pilih_jabatan(ctx, item, p)}.get(item["aksi"])
        konfirmasi(ctx, row, item, aksi, p.nomor, kirim=lambda: _execute(ctx, row, p, item),
                   ubah=ubah)
    elif aksi == "tl":
        ctx.answer("Lanjut")
        if d.get("kurang"):
            ctx.close_kb(row.kode, "Kurang: " + ", ".join(d["kurang_nama"]))
        if not d.get("kurang"):
            ctx.say(ctx.c.pesan("tg_pilih_minimal_satu"))
            pilih_kurang(ctx, item, p)
        else:
            _ask(ctx, item, TANYA["kurang"])
    elif aksi.startswith("t") and aksi[1:].isdigit():
        syarat = persyaratan_dicek(ctx, p)
        i = int(aksi[1:])
        if i < len(syarat):
            kurang = set(d.get("kurang", []))
            kurang ^= {syarat[i].kode}
            d["kurang"] = [r.kode for r in syarat if r.kode in kurang]
            d["kurang_nama"] = [r.nama for r in syarat if r.kode in kurang]
        ctx.answer("Diperbarui")
        pilih_kurang(ctx, item, p)
    elif aksi.startswith("d") and aksi[1:].isdigit():
        codes = pilihan_jabatan(ctx, p)
        i = int(aksi[1:])
        if i >= len(codes):
            ctx.answer(ctx.c.pesan("tg_prompt_tidak_ada"), alert=True)
            return
        d["ke"] = codes[i]
        ctx.answer(ctx.profil().nama_jabatan(codes[i])[:60])
        ctx.keyboard(item["kode"], ctx.c.pesan("tg_pilih_instruksi", nomor=p.nomor),
                     [[{"text": v, "data": f"{item['kode']}:i{k}"}] for k, v in INSTRUKSI.items()])
    elif aksi.startswith("s") and aksi[1:].isdigit() and item["aksi"] == "jadwal":
        slots = d.get("slot") or []
        i = int(aksi[1:])
        if i >= len(slots):
            ctx.answer(ctx.c.pesan("tg_prompt_tidak_ada"), alert=True)
            return
        d["waktu"] = slots[i]
        d.pop("slot_msg", None)
        label = fmt_waktu(datetime.fromisoformat(slots[i]), ctx.profil().timezone)
        ctx.answer(label[:60])
        ctx.close_kb(row.kode, label)
        _ask(ctx, item, "tg_tanya_jadwal_tempat")
    elif aksi.startswith("i") and aksi[1:] in INSTRUKSI:
        d["instruksi"] = aksi[1:]
        ctx.answer(INSTRUKSI[aksi[1:]])
        ctx.close_kb(row.kode, f"{ctx.profil().nama_jabatan(d['ke'])}: {INSTRUKSI[aksi[1:]]}")
        _ask(ctx, item, TANYA["disposisi"])
    else:
        ctx.answer(ctx.c.pesan("tg_prompt_tidak_ada"), alert=True)


JUDUL_TANYA = {**LABEL_AKSI, "relay": "Chat"}


def typed(ctx: Ctx, text: str) -> None:
    """Plain text: applied only to the one open question it unambiguously answers."""
    from bot.officials.terbuka import pertanyaan_terbuka

    terbuka, by_msg = pertanyaan_terbuka(ctx)
    reply_to = ctx.msg.raw.get("reply_to_message_id")
    keputusan = petugas_dialog.arahkan(text, terbuka,
                                       by_msg.get(str(reply_to)) if reply_to else None)
    if isinstance(keputusan, petugas_dialog.Bantuan):
        ctx.say(ctx.c.pesan("tg_bantuan"))
    elif isinstance(keputusan, petugas_dialog.TanyaMana):
        ctx.state = petugas_dialog.simpan_tertunda(ctx.state, keputusan)
        ctx.say(ctx.c.pesan("tg_tanya_mana", teks=text[:200]),
                [[{"text": q.label(JUDUL_TANYA), "data": f"tanya:{i}"}]
                 for i, q in enumerate(keputusan.pilihan)])
    else:
        jawab(ctx, keputusan)


def pilih_tertunda(ctx: Ctx, i: int) -> None:
    """The official said which open question the kept text answers."""
    from bot.officials.terbuka import pertanyaan_terbuka

    terbuka, _ = pertanyaan_terbuka(ctx)
    ctx.state, keputusan = petugas_dialog.pilih_tertunda(ctx.state, i, terbuka)
    if keputusan is None:
        ctx.answer(ctx.c.pesan("tg_tanya_mana_kedaluwarsa"), alert=True)
        return
    ctx.answer("Dipilih")
    jawab(ctx, keputusan)


def jawab(ctx: Ctx, keputusan: petugas_dialog.Jawab) -> None:
    """Apply a text to the one question it answers: a relay, or an action's words."""
    jenis, _, kode = keputusan.kunci.partition(":")
    if jenis == petugas_dialog.RELAY:
        from bot.officials.aduan import kirim_relay

        kirim_relay(ctx, kode, keputusan.teks)
        return
    item = _find(ctx, kode)
    if item is None:
        ctx.say(ctx.c.pesan("tg_tidak_ada_tindakan"))
        return
    isi_jawaban(ctx, item, keputusan.teks)


def isi_jawaban(ctx: Ctx, item: dict[str, Any], text: str) -> None:
    """The words an action asked for: then its confirmation (Kirim / Ubah / Batal)."""
    d = item["data"]
    if item["aksi"].startswith("tamu_"):
        from bot.officials.tamu import isi

        if not isi(ctx, item, text):
            return
    elif item["aksi"] in ("jadwal",):
        nlu = ctx.nlu.parse(text, ctx.c.clock.now()) if ctx.nlu else {"entities": []}
        j = baca_jadwal(text, nlu)
        if j.waktu is not None:
            tutup_slot(ctx, item)
        if j.waktu is not None:
            if j.waktu <= ctx.c.clock.now():
                _ask(ctx, item, "tg_jadwal_lampau")
                return
            d["waktu"] = j.waktu.isoformat()
        if j.tempat and (j.waktu is not None or d.get("waktu")):
            d["tempat"] = j.tempat
        elif j.waktu is None and d.get("waktu") and text.strip():
            d["tempat"] = text.strip()[:200]  # the answer to "where?" is the place itself
        if not d.get("waktu"):
            _ask(ctx, item, "tg_tanya_jadwal_waktu")
            return
        if not d.get("tempat"):
            _ask(ctx, item, "tg_tanya_jadwal_tempat")
            return
    elif item["aksi"] in ("disposisi", "teruskan", "sdisp") and text.strip() == "-":
        d["teks"] = None
    else:
        if len(text.strip()) < 3:
            _ask(ctx, item, TANYA[item["aksi"]])
            return
        d["teks"] = text.strip()[:1000]
    item["tanya"] = None
    _confirm(ctx, item)


def file_hasil(ctx: Ctx, caption: str) -> None:
    """A file sent while finishing an item: the result document's information copy."""
    item = next((x for x in reversed(_pending(ctx)) if x["aksi"] == "selesai"), None)
    if item is None:
        ctx.say(ctx.c.pesan("tg_file_tanpa_tindakan"))
        return
    item["data"]["hasil"] = ctx.files[0].as_dict()
    if caption.strip():
        item["data"]["teks"] = caption.strip()[:1000]
    if not item["data"].get("teks"):
        _ask(ctx, item, "tg_tanya_catatan_hasil")
        return
    item["tanya"] = None
    _confirm(ctx, item)


def _execute(ctx: Ctx, row: Prompt, p: Any, item: dict[str, Any]) -> None:
    """Run the domain command; the event handlers notify the pemohon and close the prompts."""
    aksi, d, a = item["aksi"], item["data"], ctx.aktor
    bus, uow = ctx.c.bus, ctx.uow
    try:
        if aksi == "lengkap":
            bus.handle(cmd.PeriksaKelengkapan(p.nomor, a, {k: True for k in p.checklist}), uow,
                       commit=False)
        elif aksi == "kurang":
            checklist = {k: k not in d["kurang"] for k in p.checklist}
            catatan = "Kurang: " + ", ".join(d["kurang_nama"]) + f". {d.get('teks') or ''}"
            bus.handle(cmd.PeriksaKelengkapan(p.nomor, a, checklist, catatan.strip()), uow,
                       commit=False)
        elif aksi == "disposisi":
            bus.handle(cmd.Disposisikan(p.nomor, a, d["ke"], d["instruksi"], d.get("teks")),
                       uow, commit=False)
        elif aksi == "info":
            bus.handle(cmd.MintaInfo(p.nomor, a, d["teks"]), uow, commit=False)
        elif aksi == "jadwal":
            waktu = datetime.fromisoformat(d["waktu"])
            bus.handle(cmd.JadwalkanAudiensi(p.nomor, a, waktu, d["tempat"]), uow, commit=False)
        else:
            catatan = d.get("teks") or LABEL_AKSI[aksi]
            hasil = Berkas(diunggah=ctx.c.clock.now(), persyaratan="hasil", **d["hasil"]) \
                if d.get("hasil") else None
            bus.handle(cmd.UbahStatus(p.nomor, a, str(_target(p, aksi)), catatan, hasil=hasil),
                       uow, commit=False)
    except DomainError as exc:
        refuse(ctx, exc)
        return
    if item in _pending(ctx):
        _pending(ctx).remove(item)
    p = ctx.uow.permohonan.get(p.nomor)  # the locked, current copy the command changed
    ctx.say(ctx.c.pesan("tg_berhasil", aksi=LABEL_AKSI[aksi], nomor=p.nomor,
                        status=LABEL[Status(p.status)], kepada=kepada(ctx, p, aksi, d)))


def kepada(ctx: Ctx, p: Any, aksi: str, d: dict[str, Any]) -> str:
    """Whom the action reached: the jabatan (and its holders) or the pemohon, by name."""
    from bot.officials.terbuka import nama_pemohon
    from domain.penerima import penerima_jabatan

    if aksi == "disposisi":
        today = ctx.c.clock.now().astimezone(ctx.profil().kalender.tz).date()
        tujuan = penerima_jabatan(ctx.uow.petugas.list(), ctx.uow.petugas.delegasi(today),
                                  d["ke"], today)
        jabatan = ctx.profil().nama_jabatan(d["ke"])
        if tujuan.kosong:
            return ctx.c.pesan("tg_kepada_jabatan_kosong", jabatan=jabatan)
        return ctx.c.pesan("tg_kepada_jabatan", jabatan=jabatan,
                           nama=", ".join(x.nama for x in tujuan.petugas))
    return ctx.c.pesan("tg_kepada_pemohon", nama=nama_pemohon(ctx, p.nomor))
