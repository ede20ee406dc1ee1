"""Officials on Telegram, driven through the real inbox → officials handler → outbox path."""

from __future__ import annotations

import asyncio
import itertools
import uuid

from sqlmodel import Session, select

from bot.inbox import store_incoming
from bot.outbox import LocalSender
from bot.server import build_workers
from bot.types import IncomingMessage, MediaRef
from storage.tables import OutboxRow

_ids = itertools.count(1000)


class RecordingTelegram:
    """A Sender that behaves like Telegram: message ids, edits, callback answers."""

    def __init__(self):
        self.sent: list[tuple[str, dict]] = []

    async def send(self, recipient, message, *, kantor_id=None):
        self.sent.append((recipient, message))
        if "answer_callback" in message:
            return None
        if "edit" in message:
            return message["edit"]
        return f"{recipient}:{next(_ids)}"


class Office:
    """Both sides: pemohon chats (sandbox) and officials (telegram) share the workers."""

    def __init__(self, container):
        self.k = container
        self.tg = RecordingTelegram()
        workers = build_workers(container, {"sandbox": LocalSender(), "telegram": self.tg},
                                container.extras["inbox_handler"])
        self.inbox = next(w for w in workers if w.queue == "inbox")
        self.outbox = next(w for w in workers if w.queue == "outbox")

    def chat(self, phone: str = "+6281234567890"):
        """A pemohon chatting through this office's workers."""
        from tests.chat import Chat

        chat = Chat(self.k, phone=phone)
        chat.inbox, chat.outbox = self.inbox, self.outbox
        return chat

    async def pump(self):
        for _ in range(5):
            n = await self.inbox.drain() + await self.outbox.drain()
            if not n:
                break

    async def tg_send(self, user_id: int, text=None, *, button=None, reply_to=None,
                      media=None):
        raw = {"chat_id": user_id, "callback_query_id": uuid.uuid4().hex if button else None,
               "reply_to_message_id": reply_to}
        msg = IncomingMessage(channel="telegram", sender_id=str(user_id),
                              message_id=uuid.uuid4().hex, received_at=self.k.clock.now(),
                              text=text, button_payload=button, raw=raw,
                              media=(MediaRef(url=media),) if media else (),
                              kind="media" if media else "text")
        # stored as the webhook and the poller do; the worker finds the sender's office
        await asyncio.to_thread(store_incoming, self.k.db, self.k.default_kantor_id, msg)
        await self.pump()

    def to(self, user_id: int) -> list[dict]:
        return [m for r, m in self.tg.sent if r == str(user_id)]

    def last_text(self, user_id: int) -> str:
        msgs = [m for m in self.to(user_id) if "text" in m and "answer_callback" not in m]
        return msgs[-1]["text"] if msgs else ""

    def answers(self, user_id: int) -> list[str]:
        return [m["text"] for m in self.to(user_id) if "answer_callback" in m]

    def button(self, user_id: int, label: str) -> str:
        for m in reversed(self.to(user_id)):
            found = [b for row in m.get("buttons") or [] for b in row if label in b["text"]]
            exact = [b for b in found if b["text"] == label]
            if exact or found:
                return (exact or found)[0]["data"]
        raise AssertionError(f"no button {label!r} for {user_id}: {self.to(user_id)[-3:]}")

    def button_or_none(self, user_id: int, label: str) -> str | None:
        try:
            return self.button(user_id, label)
        except AssertionError:
            return None

    def ask_ref(self, user_id: int) -> int:
        """The Telegram message id of the latest ForceReply question to this user."""
        with Session(self.k.db.engine) as s:
            rows = s.exec(select(OutboxRow).where(OutboxRow.channel == "telegram",
                                                  OutboxRow.recipient == str(user_id))).all()
        asks = [r for r in rows if r.message.get("force_reply")]
        return int(asks[-1].provider_id.split(":")[1])
