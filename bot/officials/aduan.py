"""Officials and complaints, replies to pemohon (/balas) and the chat relay (bicara petugas)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import select

from bot.officials.prompts import kirim_prompt, tutup_prompt
from domain import commands as cmd
from domain.errors import DomainError
from domain.identitas import normalize_nomor
from domain.model import TIER_PENGADUAN, Role
from storage.tables import OutboxRow, PercakapanRow, PromptRow

if TYPE_CHECKING:
    from bot.officials.actions import Ctx

TIER = TIER_PENGADUAN[1:]
LABEL_TIER = {"ringan": "Ringan", "normatif": "Normatif",
              "tidak_berkadar_pengawasan": "Tidak berkadar pengawasan",
              "berkadar_pengawasan": "Berkadar pengawasan"}


def _boleh(ctx: Ctx, row: PromptRow) -> bool:
    if row.jenis == "pengaduan_pejabat":  # forwarded: the recipients may answer and close
        return str(ctx.petugas.id) in row.penerima or ctx.petugas.role == Role.ADMIN
    return ctx.petugas.role in (Role.CS, Role.KOORDINATOR, Role.ADMIN)


def button(ctx: Ctx, row: PromptRow, aksi: str) -> None:
    """Klasifikasi (tier, then topik), Jawab, or Tutup on a complaint prompt."""
    from bot.officials import actions

    if not _boleh(ctx, row):
        ctx.answer(ctx.c.pesan("tg_tidak_berwenang", aksi="pengaduan", nomor=row.nomor),
                   alert=True)
        return
    a = ctx.uow.pengaduan.get(row.nomor)
    if a is None:
        ctx.answer(ctx.c.pesan("tg_prompt_tidak_ada"), alert=True)
        return
    profil = ctx.profil()
    if aksi == "klasifikasi":
        ctx.answer("Klasifikasi")
        ctx.say(ctx.c.pesan("tg_pilih_tier", nomor=a.nomor),
                [[{"text": LABEL_TIER[t], "data": f"{row.kode}:k{i}"}] for i, t in enumerate(TIER)])
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
        ctx.say(ctx.c.pesan("tg_berhasil", aksi="Klasifikasi", nomor=a.nomor, status=a.status))
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
            ctx.say(ctx.c.pesan("tg_berhasil", aksi="Tanggapan", nomor=a.nomor, status=a.status))
    else:
        ctx.answer(ctx.c.pesan("tg_prompt_tidak_ada"), alert=True)


def balas(ctx: Ctx, nomor_raw: str, teks: str) -> None:
    """`/balas NOMOR teks`: a message to the pemohon of a permohonan or pengaduan."""
    nomor = normalize_nomor(nomor_raw or "")
    if not nomor or not teks.strip():
        ctx.say(ctx.c.pesan("tg_balas_format"))
        return
    obj = (ctx.uow.pengaduan.get(nomor) if nomor.startswith("ADU-")
           else ctx.uow.permohonan.get(nomor))
    if obj is None:
        ctx.say(ctx.c.pesan("tg_nomor_tidak_ada", nomor=nomor))
        return
    pemohon_id = getattr(obj, "pelapor_id", None) or getattr(obj, "pengaju_id", None)
    kanal = ctx.uow.pemohon.kanal_of(pemohon_id) if pemohon_id else None
    if kanal is None:
        ctx.say(ctx.c.pesan("tg_nomor_tidak_ada", nomor=nomor))
        return
    ctx.uow.outbox.add(kanal[0], kanal[1], {"text": ctx.c.pesan(
        "pesan_petugas", nomor=nomor, teks=teks.strip())})
    ctx.say(ctx.c.pesan("tg_terkirim", nomor=nomor))


# -- chat relay -------------------------------------------------------------------------


def buka_relay(c: Any, uow: Any, kanal: str, kanal_id: str, nama: str, teks: str | None) -> None:
    """A pemohon asked for a human: open (or reuse) a relay thread to the CS on duty."""
    from bot.officials.prompts import cs_for_desk

    row = _relay_row(uow, kanal_id)
    if row is None:
        kirim_prompt(c, uow, jenis="relay", nomor=kanal_id, judul=c.pesan("tg_relay_baru"),
                     isi=c.pesan("tg_relay_isi", nama=nama, hp=kanal_id, kanal=kanal),
                     penerima=cs_for_desk(uow, "layanan"))
        row = _relay_row(uow, kanal_id)
    if teks and row is not None:
        teruskan(c, uow, row, kanal, kanal_id, nama, teks)


def _relay_row(uow: Any, kanal_id: str) -> PromptRow | None:
    return uow.session.exec(select(PromptRow).where(
        PromptRow.kantor_id == uow.kantor_id, PromptRow.jenis == "relay",
        PromptRow.nomor == kanal_id, PromptRow.status == "open")).first()


def teruskan(c: Any, uow: Any, row: PromptRow, kanal: str, kanal_id: str, nama: str,
             teks: str) -> None:
    """Forward a pemohon's message to every CS of the thread; a reply goes back."""
    for petugas_id in row.penerima:
        p = uow.petugas.get(int(petugas_id))
        if p is None or not p.telegram_user_id:
            continue
        uow.outbox.add("telegram", str(p.telegram_user_id), {
            "text": c.pesan("tg_relay_pesan", nama=nama, teks=teks),
            "relay_to": [kanal, kanal_id, row.kode]})


def relay_reply(ctx: Ctx, text: str) -> bool:
    """A petugas's plain text in a relay thread goes to the pemohon; False if none applies."""
    target = None
    reply_to = ctx.msg.raw.get("reply_to_message_id")
    if reply_to:
        rows = ctx.uow.session.exec(select(OutboxRow).where(
            OutboxRow.channel == "telegram", OutboxRow.recipient == ctx.chat,
            OutboxRow.provider_id == f"{ctx.chat}:{reply_to}")).all()
        for r in rows:
            if r.message.get("relay_to"):
                target = r.message["relay_to"]
    if target is None:
        mine = [r for r in ctx.uow.session.exec(select(PromptRow).where(
            PromptRow.kantor_id == ctx.uow.kantor_id, PromptRow.jenis == "relay",
            PromptRow.status == "open")) if str(ctx.petugas.id) in r.penerima]
        if len(mine) != 1:
            return False
        pemohon = ctx.uow.pemohon.by_kanal("whatsapp", mine[0].nomor)
        target = ["whatsapp" if pemohon else "sandbox", mine[0].nomor, mine[0].kode]
    kanal, kanal_id, _ = target
    ctx.uow.outbox.add(kanal, kanal_id, {"text": ctx.c.pesan(
        "pesan_petugas_relay", nama=ctx.petugas.nama, teks=text)})
    ctx.say(ctx.c.pesan("tg_relay_terkirim"))
    return True


def tutup_relay(ctx: Ctx) -> None:
    """`/tutup`: end this petugas's open relay thread(s)."""
    rows = [r for r in ctx.uow.session.exec(select(PromptRow).where(
        PromptRow.kantor_id == ctx.uow.kantor_id, PromptRow.jenis == "relay",
        PromptRow.status == "open")) if str(ctx.petugas.id) in r.penerima]
    if not rows:
        ctx.say(ctx.c.pesan("tg_tidak_ada_tindakan"))
        return
    for r in rows:
        tutup_prompt(ctx.uow, r, ctx.petugas.nama, "percakapan ditutup")
        for state_row in ctx.uow.session.exec(select(PercakapanRow).where(
                PercakapanRow.kantor_id == ctx.uow.kantor_id, PercakapanRow.sender == r.nomor,
                PercakapanRow.channel != "telegram")):
            # the citizen talks to the bot again
            state_row.state = {**state_row.state, "handoff": None}
            flag_modified(state_row, "state")
            ctx.uow.session.add(state_row)
            ctx.uow.outbox.add(state_row.channel, r.nomor,
                               {"text": ctx.c.pesan("relay_ditutup")})
    ctx.say(ctx.c.pesan("tg_relay_ditutup", jumlah=len(rows)))
