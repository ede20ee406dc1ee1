"""The outbox worker's handler: deliver one row through its channel's sender."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any, Protocol

from bot.workers import Handler, PermanentError
from storage import queue as q
from storage.uow import Database


class Sender(Protocol):
    async def send(self, recipient: str, message: dict[str, Any]) -> str | None:
        """Deliver one message; return the provider's id, if any."""


class LocalSender:
    """The sandbox and the shell read their replies from the outbox itself."""

    async def send(self, recipient: str, message: dict[str, Any]) -> str | None:
        return None


def make_outbox_handler(db: Database, senders: Mapping[str, Sender]) -> Handler:
    async def handle(row: dict) -> None:
        sender = senders.get(row["channel"])
        if sender is None:
            raise PermanentError(f"tidak ada pengirim untuk kanal {row['channel']}")
        provider_id = await sender.send(row["recipient"], row["message"])
        await asyncio.to_thread(q.complete, db, "outbox", row["id"], provider_id=provider_id,
                                delivery_status="sent" if provider_id else "local")

    return handle
