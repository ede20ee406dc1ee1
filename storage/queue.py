"""The job engine's storage: claim, complete and retry rows of inbox, outbox and job.

PostgreSQL: `FOR UPDATE SKIP LOCKED` so several instances never take the same row, and
`LISTEN/NOTIFY` (see `listen`) so a commit anywhere wakes the workers at once.
SQLite: the same statements; `BEGIN IMMEDIATE` serialises the claims.
A claimed row holds a lease; if its worker dies the lease expires and the row is
claimed again, so work survives restarts.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.orm import aliased
from sqlmodel import Session

from storage.repositories import utcnow
from storage.tables import QUEUE_TABLES
from storage.uow import CHANNEL_PREFIX, Database

log = logging.getLogger(__name__)

# Rows of one party are handled one at a time, in order: a citizen's messages in, and
# the replies to one recipient out (so a receipt never overtakes the text before it).
PER_PARTY = {"inbox": "sender", "outbox": "recipient"}


def _claimable(t: Any, now: datetime) -> Any:
    return or_(
        and_(t.c.status == "pending", t.c.next_at <= now),
        and_(t.c.status == "running", t.c.locked_until < now),
    )


def claim(db: Database, queue: str, *, limit: int = 10, lease_seconds: int = 60,
          now: datetime | None = None) -> list[dict]:
    """Take up to `limit` rows of a queue due at `now` (default: the real time)."""
    t = QUEUE_TABLES[queue].__table__
    now = now or utcnow()
    cond = _claimable(t, now)
    party = PER_PARTY.get(queue)
    if party:
        # one row per sender (inbox) or recipient (outbox) at a time, in arrival order
        j = aliased(t)
        blocker = exists().where(
            j.c.channel == t.c.channel, j.c[party] == t.c[party], j.c.id != t.c.id,
            or_(and_(j.c.status == "pending", j.c.id < t.c.id),
                and_(j.c.status == "running", j.c.locked_until >= now)),
        )
        cond = and_(cond, ~blocker)
    sub = select(t.c.id).where(cond).order_by(t.c.next_at, t.c.id).limit(limit)
    if db.is_postgres:
        sub = sub.with_for_update(skip_locked=True)
    stmt = (
        update(t)
        .where(t.c.id.in_(sub.scalar_subquery()))
        .values(status="running", attempts=t.c.attempts + 1,
                locked_until=now + timedelta(seconds=lease_seconds))
        .returning(*t.c)
    )
    with Session(db.engine) as s:
        rows = [dict(r._mapping) for r in s.execute(stmt)]
        s.commit()
    rows.sort(key=lambda r: r["id"])
    return rows


def complete_many(db: Database, queue: str, done: list[tuple[int, dict[str, Any]]]) -> None:
    """Mark several rows done in one transaction, each with its own values."""
    t = QUEUE_TABLES[queue].__table__
    now = utcnow()
    with Session(db.engine) as s:
        for row_id, values in done:
            s.execute(update(t).where(t.c.id == row_id).values(
                status="done", done_at=now, locked_until=None, **values))
        s.commit()


def complete(session_or_db: Session | Database, queue: str, row_id: int, **values: Any) -> None:
    """Mark a row done (inside the caller's session when given one)."""
    t = QUEUE_TABLES[queue].__table__
    stmt = update(t).where(t.c.id == row_id).values(
        status="done", done_at=utcnow(), locked_until=None, **values)
    if isinstance(session_or_db, Session):
        session_or_db.execute(stmt)
        return
    with Session(session_or_db.engine) as s:
        s.execute(stmt)
        s.commit()


def backoff(attempts: int) -> timedelta:
    """1 s, 2 s, 4 s … capped at 10 minutes."""
    return timedelta(seconds=min(600, 2 ** max(0, attempts - 1)))


def fail(db: Database, queue: str, row: dict, error: str, *, max_attempts: int,
         retry: bool = True, after: float | None = None) -> str:
    """Schedule a retry with backoff (or after the `after` seconds the provider asked for),
    or give up after `max_attempts`; returns the new status.
    """
    t = QUEUE_TABLES[queue].__table__
    give_up = not retry or row["attempts"] >= max_attempts
    status = "failed" if give_up else "pending"
    delay = timedelta(seconds=after) if after else backoff(row["attempts"])
    with Session(db.engine) as s:
        s.execute(update(t).where(t.c.id == row["id"]).values(
            status=status, locked_until=None, last_error=error[:2000],
            next_at=utcnow() + delay))
        s.commit()
    return status


async def listen(db: Database, queues: list[str], on_notify: Callable[[str], None],
                 stop: asyncio.Event) -> None:
    """PostgreSQL LISTEN: call `on_notify(queue)` for every NOTIFY; reconnect on errors."""
    import psycopg

    url = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    while not stop.is_set():
        try:
            async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
                for q in queues:
                    await conn.execute(f"LISTEN {CHANNEL_PREFIX}{q}")
                for q in queues:  # anything committed while we were not listening
                    on_notify(q)
                gen = conn.notifies()
                stop_task = asyncio.ensure_future(stop.wait())
                try:
                    while not stop.is_set():
                        nxt = asyncio.ensure_future(anext(gen))
                        done, _ = await asyncio.wait({nxt, stop_task},
                                                     return_when=asyncio.FIRST_COMPLETED)
                        if nxt in done:
                            on_notify(nxt.result().channel.removeprefix(CHANNEL_PREFIX))
                        else:
                            nxt.cancel()
                finally:
                    stop_task.cancel()
        except Exception as exc:  # noqa: BLE001 - keep listening whatever the failure
            log.warning("listen: %s; reconnecting", exc)
            try:
                await asyncio.wait_for(stop.wait(), timeout=1.0)
            except TimeoutError:
                pass
