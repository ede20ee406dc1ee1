"""Leases: a slow row is not taken by a second instance, and a lost claim commits nothing.

Before, a claim held for a fixed 60 s: a message worked on longer than that (a slow
media download, a provider answering late) was claimed again by the other instance on
the same PostgreSQL and the citizen got two replies.
"""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from bot.outbox import make_outbox_handler
from bot.workers import QueueWorker
from storage import queue as q
from storage.tables import OutboxRow
from storage.uow import Database


class SlowSender:
    """A provider that takes longer to answer than the lease lasts."""

    channels = ("whatsapp",)

    def __init__(self, seconds: float):
        self.seconds, self.sent, self.lock = seconds, Counter(), threading.Lock()

    async def send(self, recipient, message, *, kantor_id=None):
        await asyncio.sleep(self.seconds)
        with self.lock:
            self.sent[message["text"]] += 1
        return f"SM{sum(self.sent.values()):032d}"


def _add(container, n: int) -> None:
    with container.uow() as uow:
        for i in range(n):
            uow.outbox.add("whatsapp", f"+62812000001{i:02d}", {"text": f"pesan {i}"})
        uow.commit()


def _rows(container) -> list[OutboxRow]:
    with Session(container.db.engine) as s:
        return list(s.exec(select(OutboxRow).order_by(OutboxRow.id)))


async def test_two_instances_never_handle_a_slow_row_twice(container):
    _add(container, 4)
    sender = SlowSender(2.5)  # more than twice the lease
    second = Database(container.db.engine.url.render_as_string(hide_password=False))
    workers = [QueueWorker(db, "outbox", make_outbox_handler(db, {"whatsapp": sender}),
                           concurrency=2, lease_seconds=1, poll_seconds=0.2)
               for db in (container.db, second)]
    stop = asyncio.Event()
    tasks = [asyncio.ensure_future(w.run(stop)) for w in workers]
    try:
        for _ in range(200):
            await asyncio.sleep(0.05)
            if all(r.status == "done" for r in _rows(container)):
                break
        await asyncio.sleep(1.5)  # a second instance would take an expired lease now
    finally:
        stop.set()
        await asyncio.gather(*tasks)
        second.dispose()
    assert sender.sent == Counter({f"pesan {i}": 1 for i in range(4)})
    assert all(r.status == "done" and r.attempts == 1 for r in _rows(container))


def test_a_claim_taken_over_by_another_worker_cannot_complete(container):
    _add(container, 1)
    (mine,) = q.claim(container.db, "outbox", lease_seconds=-1)  # this worker stalls
    (theirs,) = q.claim(container.db, "outbox")  # the lease ran out: another takes it
    assert theirs["attempts"] == mine["attempts"] + 1
    assert q.renew(container.db, "outbox", [(mine["id"], mine["attempts"])],
                   lease_seconds=60) == set()
    with Session(container.db.engine) as s:
        s.add(OutboxRow(kantor_id=container.default_kantor_id, channel="whatsapp",
                        recipient="+6281200000999", payload={"text": "efek"},
                        created_at=mine["created_at"], next_at=mine["created_at"]))
        with pytest.raises(q.LeaseLost):
            q.complete(s, "outbox", mine["id"], attempts=mine["attempts"])
        s.rollback()  # what the stalled worker did is not committed
    # nor can its failure overwrite the new claim
    assert q.fail(container.db, "outbox", mine, "timeout", max_attempts=8) == "lost"
    (row,) = _rows(container)
    assert (row.status, row.attempts, row.last_error) == ("running", 2, None)
    q.complete(container.db, "outbox", theirs["id"], attempts=theirs["attempts"])
    assert _rows(container)[0].status == "done"


async def test_a_handler_whose_lease_was_lost_leaves_the_row_to_the_new_claim(container):
    _add(container, 1)

    async def stalled(row):  # worked on while another instance re-claimed the row
        later = q.as_utc(row["locked_until"]) + timedelta(seconds=1)
        (again,) = await asyncio.to_thread(q.claim, container.db, "outbox", now=later)
        assert again["id"] == row["id"]
        q.complete(container.db, "outbox", row["id"], attempts=row["attempts"])

    worker = QueueWorker(container.db, "outbox", stalled, self_completing=True, lease_seconds=1)
    assert await worker.drain() == 1
    (row,) = _rows(container)
    assert (row.status, row.attempts, row.last_error) == ("running", 2, None)
