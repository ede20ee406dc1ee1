"""The job engine's view of the domain's job handlers (`domain/pengingat.py`).

Jobs are rows with a dedup key, so several instances schedule and run each one once.
The handlers live in the domain; this module only hands them the bus's context.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from domain import pengingat

if TYPE_CHECKING:
    from bot.bootstrap import Container


def jadwalkan_pengingat(c: Container, uow: Any, p: Any) -> None:
    """Reminders to the holder at 50 %, 80 % and 100 % of the SLA, in working time."""
    pengingat.jadwalkan_pengingat(c.bus.ctx, uow, p)


def _job(handler: Any) -> Any:
    def run(c: Container, uow: Any, payload: dict[str, Any]) -> None:
        handler(c.bus.ctx, uow, payload)

    run.__doc__ = handler.__doc__
    return run


def retensi(c: Container, uow: Any, payload: dict[str, Any]) -> None:
    """Daily: delete the office's handled queue rows older than `jobs.simpan_antrean_hari`."""
    import logging
    from datetime import timedelta

    now = c.clock.now()
    batas = now - timedelta(days=c.settings.jobs.simpan_antrean_hari)
    hapus = c.db.bersihkan(uow.kantor_id, batas)
    if uow.kantor_id == c.default_kantor_id:  # the file store is the deployment's: once
        lepas = now - timedelta(days=c.settings.jobs.simpan_media_lepas_hari)
        hapus["berkas"] = c.extras["files"].hapus_lepas(lepas.timestamp(),
                                                        c.db.berkas_terpakai())
    logging.getLogger(__name__).info("retensi kantor %s: %s", uow.kantor_id, hapus)
    jadwalkan_retensi(c, uow, now)


def jadwalkan_retensi(c: Container, uow: Any, after: Any) -> None:
    """The next retention run at 02:00 local time."""
    from datetime import datetime, time, timedelta

    tz = c.profil(uow.kantor_id).kalender.tz
    day = after.astimezone(tz).date()
    at = datetime.combine(day, time(2, 0), tzinfo=tz)
    if at <= after:
        at += timedelta(days=1)
    uow.jobs.schedule("retensi", {}, at, dedup_key=f"retensi:{uow.kantor_id}:{at.date()}")


JOBS = {**{kind: _job(h) for kind, h in pengingat.JOBS.items()}, "retensi": retensi}


def mulai(c: Container) -> None:
    """On start-up: make sure every office has its next recap scheduled."""
    for kid in c.kantor:
        with c.uow(kid) as uow:
            pengingat.jadwalkan_rekap(c.bus.ctx, uow, c.clock.now())
            pengingat.jadwalkan_rekap_bulanan(c.bus.ctx, uow, c.clock.now())
            jadwalkan_retensi(c, uow, c.clock.now())
            uow.commit()
