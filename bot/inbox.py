"""Store an inbound message once (unique per channel and provider id) and wake the worker."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from bot.types import IncomingMessage
from storage.repositories import kantor_petugas, utcnow
from storage.tables import InboxRow
from storage.uow import CHANNEL_PREFIX, Database


def kantor_telegram(db: Database, msg: IncomingMessage, default: int) -> int:
    """The office a Telegram update belongs to: its sender's.

    Found by the code of a `/start KODE` or the linked account; strangers go to the
    first office, which answers them politely.
    """
    kode = None
    text = (msg.text or "").strip()
    if text.startswith("/start"):
        kode = text.partition(" ")[2].strip() or None
    uid = int(msg.sender_id) if msg.sender_id.isdigit() else None
    with Session(db.engine) as s:
        kid = kantor_petugas(s, telegram_user_id=uid, kode_tautan=kode)
    return kid if kid is not None else default


def store_incoming(db: Database, kantor_id: int, msg: IncomingMessage) -> bool:
    """Insert the message unless its provider id was seen; True if it is new."""
    mod = postgresql if db.is_postgres else sqlite
    now = utcnow()
    stmt = mod.insert(InboxRow).values(
        kantor_id=kantor_id, channel=msg.channel, provider_id=msg.message_id,
        sender=msg.sender_id, payload=msg.to_payload(), status="pending", attempts=0,
        next_at=now, created_at=now,
    ).on_conflict_do_nothing().returning(InboxRow.id)
    with Session(db.engine) as s:
        new = s.execute(stmt).first() is not None
        if new and db.is_postgres:
            s.execute(text("SELECT pg_notify(:c, '')"), {"c": CHANNEL_PREFIX + "inbox"})
        s.commit()
    if new:
        db.wake("inbox")
    return new
