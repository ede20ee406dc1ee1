"""Scheduled jobs: each kind runs a domain command in one transaction with its completion."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bot.workers import Handler, PermanentError
from domain import commands as c
from storage import queue as q

if TYPE_CHECKING:
    from bot.bootstrap import Container


def _batal_otomatis(payload: dict[str, Any]) -> Any:
    return c.BatalOtomatis(nomor=payload["nomor"], sejak=int(payload["sejak"]))


JOB_COMMANDS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "batal_otomatis": _batal_otomatis,
    "arsip_otomatis": lambda p: c.ArsipOtomatis(nomor=p["nomor"], sejak=int(p["sejak"])),
}


def make_job_handler(container: Container) -> Handler:
    from bot.scheduler import JOBS

    def run(row: dict) -> None:
        build = JOB_COMMANDS.get(row["kind"])
        # kinds a channel adds (`extras["jobs"]`, e.g. Twilio's late status callbacks)
        job = JOBS.get(row["kind"]) or container.extras.get("jobs", {}).get(row["kind"])
        if build is None and job is None:
            raise PermanentError(f"jenis job tidak dikenal: {row['kind']}")
        with container.uow(row["kantor_id"]) as uow:
            if build is not None:
                container.bus.handle(build(row["payload"]), uow, commit=False)
            else:
                job(container, uow, row["payload"])
            q.complete(uow.session, "job", row["id"], attempts=row["attempts"])
            uow.commit()

    async def handle(row: dict) -> None:
        await asyncio.to_thread(run, row)

    return handle
