"""What officials choose from with buttons.

Free audiensi slots, the requirements a CS may find missing, the jabatan a holder may
dispose to.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from domain.konteks import fmt_waktu
from domain.status import Status

if TYPE_CHECKING:
    from bot.officials.actions import Ctx


SLOT_JAM = ((9, 0), (10, 0), (13, 30), (14, 30))


def slot_kosong(ctx: Ctx, p: Any, n: int = 4) -> list[datetime]:
    """The next free audiensi times of this holder, on working days, within hours."""
    kal = ctx.profil().kalender
    now = ctx.c.clock.now().astimezone(kal.tz)
    terpakai = {
        datetime.fromisoformat(x.data["jadwal"]["waktu"])
        for x in ctx.uow.permohonan.ringkas(status=Status.SELESAI.value, limit=500)
        if x.pemegang == p.pemegang and (x.data.get("jadwal") or {}).get("waktu")}
    out: list[datetime] = []
    day = now.date()
    for _ in range(30):
        if kal.is_working_day(day):
            for h, m in SLOT_JAM:
                t = datetime(day.year, day.month, day.day, h, m, tzinfo=kal.tz)
                if t > now + timedelta(hours=1) and kal.is_open(t) and t not in terpakai:
                    out.append(t)
                    if len(out) == n:
                        return out
        day += timedelta(days=1)
    return out


def tawarkan_slot(ctx: Ctx, item: dict[str, Any], p: Any) -> None:
    slots = slot_kosong(ctx, p)
    if not slots:
        return
    item["data"]["slot"] = [t.isoformat() for t in slots]
    tz = ctx.profil().timezone
    item["data"]["slot_msg"] = ctx.say(
        ctx.c.pesan("tg_pilih_slot"),
        [[{"text": fmt_waktu(t, tz).replace(" pukul", ","), "data": f"{item['kode']}:s{i}"}]
         for i, t in enumerate(slots)], kb=item["kode"])


def tutup_slot(ctx: Ctx, item: dict[str, Any]) -> None:
    """The schedule was typed: the offered slots are no longer choices."""
    msg_id = item["data"].pop("slot_msg", None)
    if msg_id:
        ctx.send({"edit_outbox_id": msg_id, "text": ctx.c.pesan("tg_pilih_slot")
                  + "\n→ diketik", "buttons": []})


def persyaratan_dicek(ctx: Ctx, p: Any) -> list[Any]:
    """What the CS can find missing: documents and originals, not the pemohon's declarations."""
    return [r for r in ctx.c.katalog_of(p.kantor_id).resolve(p.layanan).persyaratan
            if str(r.jenis) != "pernyataan"]


def pilih_kurang(ctx: Ctx, item: dict[str, Any], p: Any) -> None:
    kurang = set(item["data"].get("kurang", []))
    rows = [[{"text": ("☒ " if r.kode in kurang else "☐ ") + r.nama[:40].rstrip(),
              "data": f"{item['kode']}:t{i}"}] for i, r in enumerate(persyaratan_dicek(ctx, p))]
    rows.append([{"text": "Lanjut", "data": f"{item['kode']}:tl"}])
    ctx.keyboard(item["kode"], ctx.c.pesan("tg_pilih_kurang", nomor=p.nomor), rows)


def pilihan_jabatan(ctx: Ctx, p: Any) -> list[str]:
    profil = ctx.profil()
    dari = p.pemegang
    lay = ctx.c.katalog_of(p.kantor_id).resolve(p.layanan)
    tujuan = set(lay.routing.disposisi_ke or profil.jabatan)
    return [k for k in profil.jabatan.get(dari).bawahan if k in tujuan] if dari in \
        profil.jabatan else []
