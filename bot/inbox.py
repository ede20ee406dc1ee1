"""Store an inbound message once (unique per channel and provider id) and wake the worker."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from bot.types import IncomingMessage
from storage.repositories import utcnow
from storage.tables import InboxRow
from storage.uow import CHANNEL_PREFIX, Database


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
