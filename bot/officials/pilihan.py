"""What officials choose from with buttons.

Free audiensi slots, the requirements a CS may find missing, the jabatan a holder may
dispose to.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from domain import jadwal
from domain.konteks import fmt_waktu
from domain.penerima import tujuan_disposisi
from domain.status import Status

if TYPE_CHECKING:
    from bot.officials.actions import Ctx


def terpakai(uow: Any, p: Any) -> set[datetime]:
    """The audiensi times this holder already gave."""
    return {datetime.fromisoformat(x.data["jadwal"]["waktu"])
            for x in uow.permohonan.ringkas(status=Status.SELESAI.value, limit=500)
            if x.pemegang == p.pemegang and (x.data.get("jadwal") or {}).get("waktu")}


def diinginkan(p: Any) -> datetime | None:
    w = p.data.get("waktu")
    return datetime.fromisoformat(w) if w else None


def slot_kosong(ctx: Ctx, p: Any, n: int = 4) -> list[datetime]:
    """The next free audiensi times of this holder; the pemohon's wished time first."""
    return jadwal.slot_kosong(ctx.profil().kalender, ctx.c.clock.now(), terpakai(ctx.uow, p),
                              n, diinginkan(p))


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
    """Seed 000: any jabatan below the holder, the one the pemohon named first."""
    lay = ctx.c.katalog_of(p.kantor_id).resolve(p.layanan)
    return tujuan_disposisi(ctx.profil(), p.pemegang, p.data.get("pejabat"),
                            lay.routing.disposisi_ke)
