"""The job engine's storage: claim, complete and retry rows of inbox, outbox and job.

PostgreSQL: `FOR UPDATE SKIP LOCKED` so several instances never take the same row, and
`LISTEN/NOTIFY` (see `listen`) so a commit anywhere wakes the workers at once.
SQLite: the same statements; `BEGIN IMMEDIATE` serialises the claims; a commit by
another process (`ptsp shell`, `ptsp-admin`) is noticed from the database files
(see `watch_sqlite`) without a query.
A claimed row holds a lease; if its worker dies the lease expires and the row is
claimed again, so work survives restarts. An idle worker asks when the next row
becomes due (`claim_or_next_due`) and sleeps until then, so nothing is polled fast.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable, Collection
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, func, or_, select, update
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


def _claim_stmt(db: Database, queue: str, *, limit: int, lease_seconds: int, now: datetime,
                channels: Collection[str] | None) -> Any:
    t = QUEUE_TABLES[queue].__table__
    cond = _claimable(t, now)
    if channels is not None:
        # rows of a channel this process has no sender for wait for the process that has
        cond = and_(cond, t.c.channel.in_(sorted(channels)))
    party = PER_PARTY.get(queue)
    if party:
        # one row per sender (inbox) or recipient (outbox) at a time, in arrival order
        j = aliased(t)
        blocker = exists().where(
            j.c.channel == t.c.channel, j.c[party] == t.c[party], j.c.id != t.c.id,
            # an earlier row still pending or running — also one whose worker died
            # (lease expired): it is taken again first, alone — or any row held now
            or_(and_(j.c.status.in_(("pending", "running")), j.c.id < t.c.id),
                and_(j.c.status == "running", j.c.locked_until >= now)),
        )
        cond = and_(cond, ~blocker)
    sub = select(t.c.id).where(cond).order_by(t.c.next_at, t.c.id).limit(limit)
    if db.is_postgres:
        sub = sub.with_for_update(skip_locked=True)
    return (
        update(t)
        .where(t.c.id.in_(sub.scalar_subquery()))
        .values(status="running", attempts=t.c.attempts + 1,
                locked_until=now + timedelta(seconds=lease_seconds))
        .returning(*t.c)
    )


def _next_due_stmt(queue: str, now: datetime, channels: Collection[str] | None) -> Any:
    """The earliest future moment a row of `queue` may become claimable.

    That is a retry or a scheduled row due later, or a lease that expires (a worker that
    died). Rows due now but waiting behind another of their party are left out: the
    worker of that one claims again as soon as it is done.
    """
    t = QUEUE_TABLES[queue].__table__
    chan = [t.c.channel.in_(sorted(channels))] if channels is not None else []
    pending = select(func.min(t.c.next_at)).where(
        t.c.status == "pending", t.c.next_at > now, *chan)
    lease = select(func.min(t.c.locked_until)).where(
        t.c.status == "running", t.c.locked_until >= now, *chan)
    return select(pending.scalar_subquery(), lease.scalar_subquery())


def as_utc(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def claim(db: Database, queue: str, *, limit: int = 10, lease_seconds: int = 60,
          now: datetime | None = None, channels: Collection[str] | None = None) -> list[dict]:
    """Take up to `limit` rows of a queue due at `now` (default: the real time).

    Args:
        db: the database.
        queue: `inbox`, `outbox` or `job`.
        limit: at most this many rows.
        lease_seconds: how long the claim holds before another worker may take the row.
        now: what "due" means (scheduled jobs follow the system's clock).
        channels: only rows of these channels (None: every channel). The outbox passes
            the channels it has senders for, so another process's rows stay pending.
    """
    return claim_or_next_due(db, queue, limit=limit, lease_seconds=lease_seconds, now=now,
                             channels=channels, next_due=False)[0]


def claim_or_next_due(db: Database, queue: str, *, limit: int = 10, lease_seconds: int = 60,
                      now: datetime | None = None, channels: Collection[str] | None = None,
                      next_due: bool = True) -> tuple[list[dict], datetime | None]:
    """Claim like `claim`; when nothing was claimable, also say when to look again.

    Both happen in one transaction, so an idle worker costs one transaction per sleep.

    Returns:
        The claimed rows (by id) and, when there were none, the earliest future moment a
        row may become due (None: nothing is scheduled; sleep until woken).
    """
    now = now or utcnow()
    stmt = _claim_stmt(db, queue, limit=limit, lease_seconds=lease_seconds, now=now,
                       channels=channels)
    due: datetime | None = None
    with Session(db.engine) as s:
        rows = [dict(r._mapping) for r in s.execute(stmt)]
        if not rows and next_due:
            times = [as_utc(x) for x in s.execute(_next_due_stmt(queue, now, channels)).one()]
            due = min((x for x in times if x is not None), default=None)
        s.commit()
    rows.sort(key=lambda r: r["id"])
    return rows, due


class LeaseLost(Exception):
    """The row's lease ran out and another worker claimed it: this worker's result must
    not be committed (the inbox's effects roll back with its done mark)."""


def _ours(t: Any, row_id: int, attempts: int | None) -> Any:
    """The row as this worker claimed it: still running under the claim that counted
    `attempts` (a later claim by another worker counts one more)."""
    if attempts is None:
        return t.c.id == row_id
    return and_(t.c.id == row_id, t.c.status == "running", t.c.attempts == attempts)


def complete_many(db: Database, queue: str, done: list[tuple[int, dict[str, Any], int]]
                  ) -> None:
    """Mark several rows done in one transaction: (id, values, the claim's `attempts`);
    a row another worker has taken since is left to it."""
    t = QUEUE_TABLES[queue].__table__
    now = utcnow()
    with Session(db.engine) as s:
        for row_id, values, attempts in done:  # `values` may set another status (jendela)
            s.execute(update(t).where(_ours(t, row_id, attempts)).values(
                **{"status": "done", "done_at": now, "locked_until": None, **values}))
        s.commit()


def complete(session_or_db: Session | Database, queue: str, row_id: int, *,
             attempts: int | None = None, **values: Any) -> None:
    """Mark a row done (inside the caller's session when given one).

    With `attempts` (the claimed row's), only while this worker's claim holds; otherwise
    `LeaseLost` is raised, so the caller's transaction rolls back instead of committing a
    second handling of the row.
    """
    t = QUEUE_TABLES[queue].__table__
    stmt = update(t).where(_ours(t, row_id, attempts)).values(
        status="done", done_at=utcnow(), locked_until=None, **values)
    if isinstance(session_or_db, Session):
        result = session_or_db.execute(stmt)
    else:
        with Session(session_or_db.engine) as s:
            result = s.execute(stmt)
            s.commit()
    if attempts is not None and result.rowcount == 0:
        raise LeaseLost(f"{queue} #{row_id}: lease lost (claimed again elsewhere)")


def renew(db: Database, queue: str, claims: Collection[tuple[int, int]], *,
          lease_seconds: int, now: datetime | None = None) -> set[int]:
    """Extend the lease of rows still being worked on; the ids still held.

    `claims` are (id, attempts) of the claimed rows; a row another worker has taken in
    the meantime is not touched (and not in the result).
    """
    if not claims:
        return set()
    t = QUEUE_TABLES[queue].__table__
    until = (now or utcnow()) + timedelta(seconds=lease_seconds)
    held: set[int] = set()
    with Session(db.engine) as s:
        for row_id, attempts in claims:
            result = s.execute(update(t).where(_ours(t, row_id, attempts))
                               .values(locked_until=until))
            if result.rowcount:
                held.add(row_id)
        s.commit()
    return held


def backoff(attempts: int) -> timedelta:
    """1 s, 2 s, 4 s … capped at 10 minutes."""
    return timedelta(seconds=min(600, 2 ** max(0, attempts - 1)))


def fail(db: Database, queue: str, row: dict, error: str, *, max_attempts: int,
         retry: bool = True, after: float | None = None,
         max_age: timedelta | None = None) -> str:
    """Schedule a retry with backoff, or give up; the new status (`lost` when another
    worker has claimed the row since: it is left alone).

    Given up after `max_attempts`, or — with `max_age` — once the row is that old (an
    outage of hours is waited out; backoff is capped at 10 minutes). The retry comes
    after the `after` seconds the provider asked for, when it did.
    """
    t = QUEUE_TABLES[queue].__table__
    if max_age is not None:
        created = as_utc(row.get("created_at")) or utcnow()
        exhausted = utcnow() - created >= max_age
    else:
        exhausted = row["attempts"] >= max_attempts
    give_up = not retry or exhausted
    status = "failed" if give_up else "pending"
    delay = timedelta(seconds=after) if after else backoff(row["attempts"])
    with Session(db.engine) as s:
        result = s.execute(update(t).where(_ours(t, row["id"], row.get("attempts"))).values(
            status=status, locked_until=None, last_error=error[:2000],
            next_at=utcnow() + delay))
        s.commit()
    # another worker took the row after this one's lease ran out: its outcome counts
    return status if result.rowcount else "lost"


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


def sqlite_files(db: Database) -> list[str]:
    """The files a commit to this SQLite database changes (none for :memory:)."""
    if db.is_postgres:
        return []
    path = db.engine.url.database
    if not path or path == ":memory:" or path.startswith("file:"):
        return []
    return [path, path + "-wal"]


def _stamp(paths: list[str]) -> tuple[tuple[int, int], ...]:
    out = []
    for p in paths:
        try:
            st = os.stat(p)
            out.append((st.st_mtime_ns, st.st_size))
        except OSError:
            out.append((0, 0))
    return tuple(out)


async def watch_sqlite(db: Database, on_change: Callable[[], None], stop: asyncio.Event, *,
                       interval: float = 1.0) -> None:
    """SQLite's `LISTEN`: call `on_change()` when the database files change.

    Another process's commit (`ptsp shell`, `ptsp-admin`, a second `ptsp serve` on the
    same file) appends to the write-ahead log; two `stat` calls per `interval` notice it
    without opening a transaction. This process's own commits are noticed too (they
    woke their workers already; the extra claim finds nothing). A transaction that
    changed nothing (an empty claim) writes nothing, so an idle server stays idle.
    """
    paths = sqlite_files(db)
    if not paths:
        return
    last = _stamp(paths)
    while not stop.is_set():
        try:
            await asyncio.wait_for(stop.wait(), timeout=interval)
        except TimeoutError:
            pass
        now = _stamp(paths)
        if now != last:
            last = now
            on_change()


def daftar(db: Database, queue: str, *, status: str | None = None, limit: int = 100
           ) -> list[dict]:
    """Rows of a queue, newest first (for `ptsp-admin outbox list`)."""
    t = QUEUE_TABLES[queue].__table__
    stmt = select(t).order_by(t.c.id.desc()).limit(limit)
    if status is not None:
        stmt = stmt.where(t.c.status == status)
    with Session(db.engine) as s:
        return [dict(r._mapping) for r in s.execute(stmt)]


def ulangi(db: Database, queue: str, ids: Collection[int] | None = None) -> list[int]:
    """Put given-up rows back in the queue (all of them with `ids` None); their ids.

    A re-queued row starts a new waiting window: it is given up again only after
    another full `max_age` of failures.
    """
    t = QUEUE_TABLES[queue].__table__
    now = utcnow()
    stmt = update(t).where(t.c.status == "failed")
    if ids is not None:
        stmt = stmt.where(t.c.id.in_(list(ids)))
    stmt = stmt.values(status="pending", attempts=0, next_at=now, locked_until=None,
                       created_at=now).returning(t.c.id)
    with Session(db.engine) as s:
        done = [int(r[0]) for r in s.execute(stmt)]
        s.commit()
    if done:
        db.wake(queue)
    return done


def bersihkan(db: Database, kantor_id: int, sebelum: datetime) -> dict[str, int]:
    """Delete one office's handled queue rows finished before `sebelum`; counts per queue.

    Only rows that are done go (dead letters stay until resent or looked at), so the
    inbox's dedup by provider id covers the retention period: Twilio and Telegram do not
    redeliver after days.
    """
    from sqlalchemy import delete

    out: dict[str, int] = {}
    with Session(db.engine) as s:
        for queue, table in QUEUE_TABLES.items():
            t = table.__table__
            res = s.execute(delete(t).where(t.c.kantor_id == kantor_id, t.c.status == "done",
                                            t.c.done_at.is_not(None), t.c.done_at < sebelum))
            out[queue] = int(res.rowcount or 0)
        s.commit()
    return out
