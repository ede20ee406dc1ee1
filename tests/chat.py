"""A chat harness: send as a pemohon through the real inbox, NLU, dialogs and outbox."""

from __future__ import annotations

import asyncio
import uuid

from sqlmodel import Session, select

from bot.inbox import store_incoming
from bot.outbox import LocalSender
from bot.server import build_workers
from bot.types import IncomingMessage, MediaRef
from storage.tables import OutboxRow


class Chat:
    def __init__(self, container, phone: str = "+6281234567890", channel: str = "sandbox"):
        self.k, self.phone, self.channel = container, phone, channel
        workers = build_workers(container, {"sandbox": LocalSender(), "shell": LocalSender()},
                                container.extras["inbox_handler"])
        self.inbox = next(w for w in workers if w.queue == "inbox")
        self.outbox = next(w for w in workers if w.queue == "outbox")
        self.seen = 0

    def _replies(self) -> list[str]:
        with Session(self.k.db.engine) as s:
            rows = s.exec(select(OutboxRow).where(
                OutboxRow.channel == self.channel, OutboxRow.recipient == self.phone,
                OutboxRow.id > self.seen).order_by(OutboxRow.id)).all()
        if rows:
            self.seen = rows[-1].id
        return [r.message["text"] for r in rows]

    async def send(self, text: str | None = None, *, files: list[tuple[bytes, str]] = (),
                   kind: str | None = None) -> str:
        media = []
        for data, ext in files:
            sha = self.k.extras["files"].put(data, ext)
            media.append(MediaRef(url=f"store:{sha}.{ext}"))
        msg = IncomingMessage(
            channel=self.channel, sender_id=self.phone, message_id=uuid.uuid4().hex,
            received_at=self.k.clock.now(), text=text, media=tuple(media),
            kind=kind or ("media" if media else "text"))
        await asyncio.to_thread(store_incoming, self.k.db, self.k.default_kantor_id, msg)
        await self.inbox.drain()
        await self.outbox.drain()
        return "\n---\n".join(self._replies())
