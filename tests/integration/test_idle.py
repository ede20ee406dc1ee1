"""Idle means idle: a running server with nothing to do leaves the database alone.

The workers are woken by the rows they need (in-process; PostgreSQL NOTIFY or, on
SQLite, the database files for another process's commits) and by the due time of the
next scheduled row; the safety poll is slow. Bounds are counts of transactions and
statements seen on the app's engine, not times.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import event
from sqlmodel import Session, select

from bot.inbox import store_incoming
from bot.server import create_app
from bot.types import IncomingMessage
from bot.workers import QueueWorker
from storage import queue as q
from storage.tables import InboxRow, JobRow, OutboxRow
from storage.uow import Database


class Counter:
    """Transactions begun and statements sent on one engine."""

    def __init__(self, engine):
        self.engine, self.tx, self.stmt = engine, 0, 0
        event.listen(engine, "begin", self._begin)
        event.listen(engine, "before_cursor_execute", self._stmt)

    def _begin(self, _conn) -> None:
        self.tx += 1

    def _stmt(self, *_a) -> None:
        self.stmt += 1

    def close(self) -> None:
        event.remove(self.engine, "begin", self._begin)
        event.remove(self.engine, "before_cursor_execute", self._stmt)

    async def over(self, seconds: float) -> tuple[int, int]:
        tx, stmt = self.tx, self.stmt
        await asyncio.sleep(seconds)
        return self.tx - tx, self.stmt - stmt


async def wait_for(predicate, timeout: float) -> float:
    """Seconds until `predicate()` (run in a thread) is true; fails after `timeout`."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    while not await asyncio.to_thread(predicate):
        if loop.time() - start > timeout:
            raise AssertionError(f"not within {timeout} s")
        await asyncio.sleep(0.05)
    return loop.time() - start


async def test_an_idle_server_opens_almost_no_transactions(app_container, aiohttp_client):
    counter = Counter(app_container.db.engine)
    try:
        client = await aiohttp_client(create_app(app_container))  # every worker running
        assert (await client.get("/healthz")).status == 200
        await asyncio.sleep(1.0)  # start-up: the recaps scheduled, a first claim each
        assert counter.tx > 0  # the counter sees the workers' transactions
        tx, stmt = await counter.over(4.0)
    finally:
        counter.close()
    # polling every 100 ms, three queues: ~120 transactions in these 4 s
    assert tx <= 1 and stmt <= 3, (tx, stmt)


async def test_a_retry_and_a_scheduled_job_wake_their_worker_at_their_due_time(container):
    ran: dict[str, float] = {}
    loop = asyncio.get_running_loop()

    async def handler(row: dict) -> None:
        ran[row["kind"]] = loop.time()
        if row["kind"] == "gagal_sekali" and row["attempts"] == 1:
            raise ConnectionError("sekali gagal")  # retried after the 1 s backoff
        await asyncio.to_thread(q.complete, container.db, "job", row["id"])

    worker = QueueWorker(container.db, "job", handler, self_completing=True,
                         poll_seconds=60)
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop))
    counter = Counter(container.db.engine)
    reader = Database(container.db.engine.url.render_as_string(hide_password=False))
    try:
        await asyncio.sleep(0.2)
        start = loop.time()
        with container.uow() as uow:
            uow.jobs.schedule("nanti", {}, datetime.now(UTC) + timedelta(seconds=1.5))
            uow.jobs.schedule("gagal_sekali", {}, datetime.now(UTC))
            uow.commit()

        def done() -> bool:  # read on another engine: only the worker is counted
            with Session(reader.engine) as s:
                return all(r.status == "done" for r in s.exec(select(JobRow)))

        await wait_for(done, timeout=10)
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=5)  # a sleeping worker stops at once
        counter.close()
        reader.dispose()
    assert 1.4 <= ran["nanti"] - start < 5
    assert 0.9 <= ran["gagal_sekali"] - start < 5
    # the test's commit, then claim, fail, claim (empty: sleep to the retry), claim,
    # complete, claim (empty: sleep to the job), claim, complete, claim (empty): 10;
    # polling every 100 ms would add ~20 empty claims over these 2 s
    assert counter.tx <= 12, counter.tx


async def test_a_row_written_by_another_process_is_picked_up_promptly(
        app_container, aiohttp_client):
    """Another instance (PostgreSQL: NOTIFY) or process on the same file (SQLite)."""
    await aiohttp_client(create_app(app_container))
    await asyncio.sleep(0.5)
    other = Database(app_container.db.engine.url.render_as_string(hide_password=False))
    try:
        # an inbound message stored by another instance's webhook
        msg = IncomingMessage(channel="sandbox", sender_id="+6281234567890",
                              message_id=uuid.uuid4().hex, received_at=datetime.now(UTC),
                              text="halo", kind="text")
        assert await asyncio.to_thread(store_incoming, other, app_container.default_kantor_id,
                                       msg)

        def answered() -> bool:
            with Session(app_container.db.engine) as s:
                inbox = s.exec(select(InboxRow)).all()
                out = s.exec(select(OutboxRow)).all()
            return (bool(inbox) and all(r.status == "done" for r in inbox)
                    and bool(out) and all(r.status == "done" for r in out))

        # the safety poll is 60 s: only a wake-up makes this in time
        assert await wait_for(answered, timeout=10) < 10
        # a reply written by another process (ptsp-admin, ptsp shell)
        with other.uow(app_container.default_kantor_id) as uow:
            uow.outbox.add("sandbox", "+6281234567891", {"text": "dari proses lain"})
            uow.commit()

        def delivered() -> bool:
            with Session(app_container.db.engine) as s:
                row = s.exec(select(OutboxRow).where(
                    OutboxRow.recipient == "+6281234567891")).one()
            return row.status == "done"

        assert await wait_for(delivered, timeout=10) < 10
    finally:
        other.dispose()
