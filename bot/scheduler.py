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


JOBS = {kind: _job(h) for kind, h in pengingat.JOBS.items()}


def mulai(c: Container) -> None:
    """On start-up: make sure every office has its next recap scheduled."""
    for kid in c.kantor:
        with c.uow(kid) as uow:
            pengingat.jadwalkan_rekap(c.bus.ctx, uow, c.clock.now())
            pengingat.jadwalkan_rekap_bulanan(c.bus.ctx, uow, c.clock.now())
            uow.commit()
