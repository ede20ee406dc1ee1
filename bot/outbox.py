"""The outbox worker's handler: deliver one row through its channel's sender."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Mapping
from typing import Any, Protocol

from sqlmodel import Session

from bot.workers import Handler, MenungguJendela, PermanentError
from storage.tables import OutboxRow
from storage.uow import Database


class Sender(Protocol):
    async def send(self, recipient: str, message: dict[str, Any], *,
                   kantor_id: int | None = None) -> str | None:
        """Deliver one message on behalf of `kantor_id`; return the provider's id, if any."""


class LocalSender:
    """The sandbox and the shell read their replies from the outbox itself.

    Returns a local id so that later rows can refer to (edit) a message, as on Telegram.
    """

    async def send(self, recipient: str, message: dict[str, Any], *,
                   kantor_id: int | None = None) -> str | None:
        if "answer_callback" in message:
            return None
        return message.get("edit") or f"{recipient}:{uuid.uuid4().int % 10**9}"


def make_outbox_handler(db: Database, senders: Mapping[str, Sender]) -> Handler:
    """Deliver a row through its channel's sender; return the values to complete it with.

    The worker completes a whole claimed batch in one commit. The handler's `channels`
    are those it has senders for: its `QueueWorker` claims only their rows, so a row for
    a channel this process does not serve (a Telegram prompt written by `ptsp shell`)
    stays pending for the process that does, instead of failing here.
    """
    def edit_ref(outbox_id: int) -> str:
        """The provider id of an earlier message this row edits (sent before it, in order)."""
        with Session(db.engine) as s:
            orig = s.get(OutboxRow, outbox_id)
        if orig is None or orig.status == "failed":
            raise PermanentError(f"pesan #{outbox_id} yang akan diubah tidak ada/gagal")
        if not orig.provider_id:
            raise RuntimeError(f"pesan #{outbox_id} belum terkirim")  # retried later
        return orig.provider_id

    async def handle(row: dict) -> dict[str, Any]:
        sender = senders.get(row["channel"])
        if sender is None:  # not claimed through `channels`: retried, never failed at once
            raise RuntimeError(f"tidak ada pengirim untuk kanal {row['channel']}")
        message = dict(row["message"])
        if "edit_outbox_id" in message:
            message["edit"] = await asyncio.to_thread(edit_ref, message.pop("edit_outbox_id"))
        try:
            provider_id = await sender.send(row["recipient"], message,
                                            kantor_id=row["kantor_id"])
        except MenungguJendela:  # held until the citizen writes again (then delivered)
            return {"status": "jendela", "delivery_status": "menunggu_jendela"}
        return {"provider_id": provider_id,
                "delivery_status": "local" if isinstance(sender, LocalSender) else "sent"}

    handle.channels = frozenset(senders)  # type: ignore[attr-defined]
    return handle
