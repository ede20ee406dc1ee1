"""Officials and complaints, replies to pemohon (/balas) and the chat relay (bicara petugas)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from bot.officials.prompts import kirim_prompt, tutup_prompt
from bot.officials.terbuka import nama_pemohon
from domain import commands as cmd
from domain.errors import DomainError
from domain.identitas import normalize_nomor
from domain.konteks import kanal_kabar
from domain.model import TIER_PENGADUAN, Prompt
from domain.wewenang import Aksi

if TYPE_CHECKING:
    from bot.officials.actions import Ctx

TIER = TIER_PENGADUAN[1:]
LABEL_TIER = {"ringan": "Ringan", "normatif": "Normatif",
              "tidak_berkadar_pengawasan": "Tidak berkadar pengawasan",
              "berkadar_pengawasan": "Berkadar pengawasan"}


def _aksi_wewenang(ctx: Ctx, row: Prompt, aksi: str) -> Aksi:
    """The table's action a complaint button stands for."""
    from bot.officials import actions

    if aksi in ("ok", "x", "ubah"):
        item = actions._find(ctx, row.kode)
        aksi = item["aksi"] if item else "jawab"
    if aksi == "klasifikasi" or aksi[:1] in "ko" and aksi[1:].isdigit():
        return Aksi.KLASIFIKASI
    if aksi == "teruskan" or aksi[:1] == "f" and aksi[1:].isdigit():
        return Aksi.TERUSKAN
    return Aksi.TUTUP if aksi == "tutup" else Aksi.JAWAB


def button(ctx: Ctx, row: Prompt, aksi: str) -> None:
    """Klasifikasi (tier, then topik), Jawab, or Tutup on a complaint prompt."""
    from bot.officials import actions

    a = ctx.uow.pengaduan.get(row.nomor)
    if a is None:
        ctx.answer(ctx.c.pesan("tg_prompt_tidak_ada"), alert=True)
        return
    if not ctx.boleh(_aksi_wewenang(ctx, row, aksi), a):
        ctx.answer(ctx.c.pesan("tg_tidak_berwenang", aksi="pengaduan", nomor=row.nomor),
                   alert=True)
        return
    profil = ctx.profil()
    if aksi == "klasifikasi":
        ctx.answer("Klasifikasi")
        ctx.say(ctx.c.pesan("tg_pilih_tier", nomor=a.nomor),
                [[{"text": LABEL_TIER[t], "data": f"{row.kode}:k{i}"}]
                 for i, t in enumerate(TIER)])
    elif aksi.startswith("k") and aksi[1:].isdigit() and int(aksi[1:]) < len(TIER):
        item = actions._start(ctx, row, "klasifikasi", tier=TIER[int(aksi[1:])])
        ctx.answer(LABEL_TIER[item["data"]["tier"]])
        topik = list(profil.topik)
        ctx.say(ctx.c.pesan("tg_pilih_topik", nomor=a.nomor),
                [[{"text": profil.topik[t], "data": f"{row.kode}:o{i}"}]
                 for i, t in enumerate(topik)])
    elif aksi.startswith("o") and aksi[1:].isdigit():
        item = actions._find(ctx, row.kode)
        topik = list(profil.topik)
        if item is None or int(aksi[1:]) >= len(topik):
            ctx.answer(ctx.c.pesan("tg_tidak_ada_tindakan"), alert=True)
            return
        try:
            ctx.c.bus.handle(cmd.KlasifikasiPengaduan(a.nomor, ctx.aktor, item["data"]["tier"],
                                                      topik[int(aksi[1:])]), ctx.uow, commit=False)
        except DomainError as exc:
            actions.refuse(ctx, exc)
            return
        actions._pending(ctx).remove(item)
        ctx.answer("Tersimpan")
        a = ctx.uow.pengaduan.get(a.nomor)  # the copy the command changed
        ctx.say(ctx.c.pesan("tg_berhasil", aksi="Klasifikasi", nomor=a.nomor, status=a.status,
                            kepada=ctx.c.pesan("tg_kepada_pemohon",
                                               nama=nama_pemohon(ctx, a.nomor))))
    elif aksi == "teruskan" and row.jenis == "pengaduan":
        item = actions._start(ctx, row, "teruskan")
        ctx.answer("Teruskan")
        ctx.say(ctx.c.pesan("tg_pilih_jabatan", nomor=a.nomor),
                [[{"text": profil.nama_jabatan(k)[:60], "data": f"{row.kode}:f{i}"}]
                 for i, k in enumerate(profil.jabatan)])
    elif aksi.startswith("f") and aksi[1:].isdigit():
        item = actions._find(ctx, row.kode)
        codes = list(profil.jabatan)
        if item is None or int(aksi[1:]) >= len(codes):
            ctx.answer(ctx.c.pesan("tg_tidak_ada_tindakan"), alert=True)
            return
        item["data"]["ke"] = codes[int(aksi[1:])]
        ctx.answer(profil.nama_jabatan(item["data"]["ke"])[:60])
        actions._ask(ctx, item, "tg_tanya_catatan_teruskan")
    elif aksi in ("jawab", "tutup"):
        item = actions._start(ctx, row, aksi)
        ctx.answer("Jawab" if aksi == "jawab" else "Tutup")
        actions._ask(ctx, item, "tg_tanya_jawaban" if aksi == "jawab" else "tg_tanya_penyelesaian")
    elif aksi in ("ok", "x", "ubah"):
        item = actions._find(ctx, row.kode)
        if item is None:
            ctx.answer(ctx.c.pesan("tg_tidak_ada_tindakan"), alert=True)
            return
        if aksi == "x":
            actions._pending(ctx).remove(item)
            ctx.answer("Dibatalkan")
        elif aksi == "ubah":
            ctx.answer("Ubah")
            actions._ask(ctx, item, actions.TANYA[item["aksi"]])
        else:
            ctx.answer("Dikirim")
            try:
                if item["aksi"] == "teruskan":
                    ctx.c.bus.handle(cmd.TeruskanPengaduan(a.nomor, ctx.aktor, item["data"]["ke"],
                                                           item["data"].get("teks")),
                                     ctx.uow, commit=False)
                else:
                    ctx.c.bus.handle(cmd.TanggapiPengaduan(
                        a.nomor, ctx.aktor, item["data"]["teks"],
                        selesai=item["aksi"] == "tutup"), ctx.uow, commit=False)
            except DomainError as exc:
                actions.refuse(ctx, exc)
                return
            actions._pending(ctx).remove(item)
            if item["aksi"] == "tutup":
                from bot.officials.prompts import open_prompts

                for other in open_prompts(ctx.uow, a.nomor):
                    tutup_prompt(ctx.uow, other, ctx.petugas.nama, "pengaduan ditutup")
            a = ctx.uow.pengaduan.get(a.nomor)  # the copy the command changed
            ctx.say(ctx.c.pesan("tg_berhasil", aksi="Tanggapan", nomor=a.nomor, status=a.status,
                                kepada=kepada_aduan(ctx, a, item)))
    else:
        ctx.answer(ctx.c.pesan("tg_prompt_tidak_ada"), alert=True)


def kepada_aduan(ctx: Ctx, a: Any, item: dict[str, Any]) -> str:
    """A forwarded complaint names the jabatan; an answer names the reporter."""
    if item["aksi"] == "teruskan":
        return ctx.c.pesan("tg_kepada_jabatan", jabatan=ctx.profil().nama_jabatan(
            item["data"]["ke"]), nama="-")
    return ctx.c.pesan("tg_kepada_pemohon", nama=nama_pemohon(ctx, a.nomor))


def balas(ctx: Ctx, nomor_raw: str, teks: str) -> None:
    """`/balas NOMOR teks`: a message to the pemohon of an item this official may answer."""
    nomor = normalize_nomor(nomor_raw or "")
    if not nomor or not teks.strip():
        ctx.say(ctx.c.pesan("tg_balas_format"))
        return
    aduan = nomor.startswith("ADU-")
    obj = ctx.uow.pengaduan.get(nomor) if aduan else ctx.uow.permohonan.get(nomor)
    if obj is None:
        ctx.say(ctx.c.pesan("tg_nomor_tidak_ada", nomor=nomor))
        return
    aksi = Aksi.ADUAN_BALAS if aduan else Aksi.BALAS
    if not ctx.boleh(aksi, obj):
        ctx.say(ctx.c.pesan("tg_tidak_berwenang", aksi="Balas pemohon", nomor=nomor))
        return
    pemohon_id = getattr(obj, "pelapor_id", None) or getattr(obj, "pengaju_id", None)
    kanal = ctx.uow.pemohon.kanal_of(pemohon_id) if pemohon_id else None
    if kanal is None:
        ctx.say(ctx.c.pesan("tg_pemohon_tanpa_kanal", nomor=nomor))
        return
    if kanal_kabar(ctx.uow, pemohon_id) is None:  # the pemohon sent "STOP"
        ctx.say(ctx.c.pesan("tg_pemohon_berhenti_notifikasi", nomor=nomor))
        return
    ctx.uow.outbox.add(kanal[0], kanal[1], {"text": ctx.c.pesan(
        "pesan_petugas", nomor=nomor, teks=teks.strip())})
    ctx.say(ctx.c.pesan("tg_terkirim", nomor=nomor, nama=nama_pemohon(ctx, nomor)))


# -- chat relay -------------------------------------------------------------------------


def buka_relay(c: Any, uow: Any, kanal: str, kanal_id: str, nama: str, teks: str | None) -> None:
    """A pemohon asked for a human: open (or reuse) a relay thread to the CS on duty.

    The thread remembers the citizen's channel, so answers reach an unregistered
    citizen on WhatsApp as well as a registered one.
    """
    from domain.penerima import penerima_cs

    row = _relay_row(uow, kanal_id)
    if row is None:
        tujuan = penerima_cs(uow.petugas.list(), "layanan")
        judul = c.pesan("tg_relay_baru")
        if tujuan.kosong:
            judul = c.pesan("tg_jabatan_kosong", jabatan="CS/Front Office") + "\n" + judul
        kirim_prompt(c, uow, jenis="relay", nomor=kanal_id, judul=judul,
                     isi=c.pesan("tg_relay_isi", nama=nama, hp=kanal_id, kanal=kanal),
                     penerima=list(tujuan.petugas),
                     data={"_relay": {"kanal": kanal, "kanal_id": kanal_id, "nama": nama}})
        row = _relay_row(uow, kanal_id)
    if row is None:
        return
    row.pesan = {**row.pesan, "_aktif": datetime.now(UTC).isoformat()}
    uow.prompt.save(row)
    if teks:
        teruskan(c, uow, row, kanal, kanal_id, nama, teks)


def _relay_row(uow: Any, kanal_id: str) -> Prompt | None:
    rows = uow.prompt.terbuka(nomor=kanal_id, jenis="relay")
    return rows[0] if rows else None


def teruskan(c: Any, uow: Any, row: Prompt, kanal: str, kanal_id: str, nama: str,
             teks: str) -> None:
    """Forward a pemohon's message to every CS of the thread; a reply goes back."""
    for petugas_id in row.penerima:
        p = uow.petugas.get(int(petugas_id))
        if p is None or not p.telegram_user_id:
            continue
        uow.outbox.add("telegram", str(p.telegram_user_id), {
            "text": c.pesan("tg_relay_pesan", nama=nama, teks=teks),
            "relay_to": [kanal, kanal_id, row.kode]})


def akhiri_relay(c: Any, uow: Any, kanal_id: str, sebab: str) -> None:
    """The citizen left the relay (or it fell silent): close it and tell its petugas."""
    from bot.officials.terbuka import relay_info

    row = _relay_row(uow, kanal_id)
    if row is None:
        return
    info = relay_info(row)
    tutup_prompt(uow, row, info["nama"], "percakapan diakhiri")
    key = "tg_relay_diakhiri_pemohon" if sebab == "pemohon" else "tg_relay_kedaluwarsa"
    for petugas_id in row.penerima:
        p = uow.petugas.get(int(petugas_id))
        if p is not None and p.telegram_user_id:
            uow.outbox.add("telegram", str(p.telegram_user_id),
                           {"text": c.pesan(key, nama=info["nama"], hp=info["kanal_id"])})


def kirim_relay(ctx: Ctx, kode: str, text: str) -> None:
    """An official's words inside an open relay go to that relay's citizen, named back."""
    from bot.officials.terbuka import relay_info

    row = ctx.uow.prompt.by_kode(kode)
    if row is None or row.status != "open":
        ctx.say(ctx.c.pesan("tg_relay_sudah_berakhir"))
        return
    info = relay_info(row)
    kanal = info.get("kanal") or _kanal_lama(ctx, row)
    ctx.uow.outbox.add(kanal, info["kanal_id"], {"text": ctx.c.pesan(
        "pesan_petugas_relay", nama=ctx.petugas.nama, teks=text)})
    row.pesan = {**row.pesan, "_aktif": datetime.now(UTC).isoformat()}
    ctx.uow.prompt.save(row)
    ctx.say(ctx.c.pesan("tg_relay_terkirim", nama=info["nama"], hp=info["kanal_id"]))


def _kanal_lama(ctx: Ctx, row: Prompt) -> str:
    """A relay opened before it stored its channel: the channel its messages came from."""
    forwarded = ctx.uow.outbox.terkirim("telegram", ctx.chat)
    for f in reversed(forwarded):
        rt = f.message.get("relay_to")
        if rt and rt[2] == row.kode:
            return str(rt[0])
    return "whatsapp"


def tutup_relay(ctx: Ctx) -> None:
    """`/tutup`: end this petugas's open relay thread(s)."""
    from bot.officials.terbuka import relay_info, relay_saya

    rows = relay_saya(ctx)
    if not rows:
        ctx.say(ctx.c.pesan("tg_tidak_ada_tindakan"))
        return
    for r in rows:
        tutup_prompt(ctx.uow, r, ctx.petugas.nama, "percakapan ditutup")
        kanal_id = relay_info(r)["kanal_id"]
        for kanal, state in ctx.uow.percakapan.milik(kanal_id).items():
            if kanal == "telegram":
                continue
            # the citizen talks to the bot again
            ctx.uow.percakapan.simpan(kanal, kanal_id, {**state, "handoff": None})
            ctx.uow.outbox.add(kanal, kanal_id, {"text": ctx.c.pesan("relay_ditutup")})
    ctx.say(ctx.c.pesan("tg_relay_ditutup", jumlah=len(rows),
                        nama=", ".join(relay_info(r)["nama"] for r in rows)))
