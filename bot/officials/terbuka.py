"""An official's open questions as `dialogs.petugas` sees them, and the messages that asked.

Collected from the official's state (actions waiting for words) and the open chat relays
the official takes part in. A Telegram reply binds the text to the question whose message
it replies to; otherwise `dialogs.petugas.arahkan` decides.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from dialogs.petugas import RELAY, Pertanyaan
from domain.model import Prompt

if TYPE_CHECKING:
    from bot.officials.actions import Ctx

RELAY_JAM = 4  # a relay with no message for this long is over (as on the citizen's side)


def nama_pemohon(ctx: Ctx, nomor: str) -> str:
    """The citizen an item concerns, for labels and confirmations."""
    if nomor.startswith("TMU-"):
        tamu = ctx.uow.tamu.get(nomor)
        return tamu.nama if tamu else "-"
    if nomor.startswith("SM-"):
        from bot.officials.surat import _surat

        surat = _surat(ctx, nomor)
        return surat.dari if surat else "-"
    obj = (ctx.uow.pengaduan.get(nomor) if nomor.startswith("ADU-")
           else ctx.uow.permohonan.get(nomor))
    pid = getattr(obj, "pelapor_id", None) or getattr(obj, "pengaju_id", None)
    if obj is None or pid is None or getattr(obj, "anonim", False):
        return "(anonim)" if obj is not None and getattr(obj, "anonim", False) else "-"
    p = ctx.uow.pemohon.get(pid)
    return p.nama if p else "-"


def relay_info(row: Prompt) -> dict[str, str]:
    """Where a relay's citizen is reached: {kanal, kanal_id, nama}."""
    info = dict(row.pesan.get("_relay") or {})
    info.setdefault("kanal_id", row.nomor)
    info.setdefault("nama", row.nomor)
    return info


def relay_saya(ctx: Ctx) -> list[Prompt]:
    """The open relays this official takes part in (silent ones are closed on the way)."""
    rows = [r for r in ctx.uow.prompt.terbuka(jenis=RELAY) if str(ctx.petugas.id) in r.penerima]
    batas = datetime.now(UTC) - timedelta(hours=RELAY_JAM)
    hidup = []
    for r in rows:
        terakhir = r.pesan.get("_aktif") or r.created_at.isoformat()
        if terakhir < batas.isoformat():
            from bot.officials.aduan import akhiri_relay

            akhiri_relay(ctx.c, ctx.uow, relay_info(r)["kanal_id"], "kedaluwarsa")
        else:
            hidup.append(r)
    return hidup


def _provider_ids(ctx: Ctx, outbox_ids: list[int]) -> dict[str, int]:
    """Telegram message id → outbox id, for the messages this chat was sent."""
    rows = [ctx.uow.outbox.get(i) for i in outbox_ids]
    return {r.provider_id.rpartition(":")[2]: r.id for r in rows if r and r.provider_id}


def pertanyaan_terbuka(ctx: Ctx) -> tuple[list[Pertanyaan], dict[str, str]]:
    """The open questions, oldest first, and Telegram message id → question key."""
    from bot.officials.actions import _pending

    out: list[Pertanyaan] = []
    by_outbox: dict[int, str] = {}
    for item in _pending(ctx):
        if not item.get("tanya"):
            continue
        kunci = f"aksi:{item['kode']}"
        out.append(Pertanyaan(kunci=kunci, nomor=item["nomor"], tujuan=item["aksi"],
                              untuk=nama_pemohon(ctx, item["nomor"])))
        by_outbox[int(item["tanya"])] = kunci
    relays = relay_saya(ctx)
    if relays:
        forwarded = ctx.uow.outbox.terkirim(
            "telegram", ctx.chat, sejak=datetime.now(UTC) - timedelta(hours=RELAY_JAM))
        kode_ke_kunci = {r.kode: f"relay:{r.kode}" for r in relays}
        for f in forwarded:
            rt = f.message.get("relay_to")
            if rt and rt[2] in kode_ke_kunci:
                by_outbox[int(f.id)] = kode_ke_kunci[rt[2]]
        for r in relays:
            info = relay_info(r)
            out.append(Pertanyaan(kunci=f"relay:{r.kode}", nomor=info["kanal_id"],
                                  tujuan=RELAY, untuk=info["nama"]))
            if r.penerima.get(str(ctx.petugas.id)):
                by_outbox[int(r.penerima[str(ctx.petugas.id)])] = f"relay:{r.kode}"
    by_msg = {mid: by_outbox[oid] for mid, oid in _provider_ids(ctx, list(by_outbox)).items()}
    return out, by_msg
