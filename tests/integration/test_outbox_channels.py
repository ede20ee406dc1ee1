"""A process never fails outbox rows of a channel it does not serve (issue 15).

`ptsp shell` (senders: shell, sandbox) writing a Telegram prompt for an official while
`ptsp serve` (with the Telegram bot) runs: the shell's outbox worker leaves the row
pending, and the server's delivers it.
"""

from __future__ import annotations

import asyncio

from sqlalchemy import event
from sqlmodel import Session, select

from bot.outbox import LocalSender, make_outbox_handler
from bot.server import build_workers
from bot.workers import QueueWorker
from storage import queue as q
from storage.tables import OutboxRow


class FakeTelegram:
    def __init__(self):
        self.sent: list[tuple[str, dict]] = []

    async def send(self, recipient, message, *, kantor_id=None):
        self.sent.append((recipient, message))
        return f"tg:{len(self.sent)}"


def rows(container) -> dict[str, OutboxRow]:
    with Session(container.db.engine) as s:
        return {r.channel: r for r in s.exec(select(OutboxRow).order_by(OutboxRow.id))}


async def test_a_process_without_telegram_leaves_its_rows_for_one_with_it(container):
    with container.uow() as uow:
        uow.outbox.add("telegram", "700100", {"text": "Permohonan baru", "buttons": []})
        uow.outbox.add("shell", "+6281234567890", {"text": "Terima kasih"})
        uow.commit()
    # the shell: senders for its own channels only
    shell = build_workers(container, {"shell": LocalSender(), "sandbox": LocalSender()})
    shell_outbox = next(w for w in shell if w.queue == "outbox")
    assert await shell_outbox.drain() == 1
    by_channel = rows(container)
    assert by_channel["shell"].status == "done"
    tg = by_channel["telegram"]
    assert (tg.status, tg.attempts, tg.last_error) == ("pending", 0, None)  # not failed
    # the server: with the Telegram bot
    bot = FakeTelegram()
    server = build_workers(container, {"telegram": bot, "sandbox": LocalSender()})
    assert await next(w for w in server if w.queue == "outbox").drain() == 1
    tg = rows(container)["telegram"]
    assert (tg.status, tg.provider_id, tg.delivery_status) == ("done", "tg:1", "sent")
    assert bot.sent == [("700100", {"text": "Permohonan baru", "buttons": []})]


async def test_the_claim_takes_only_the_channels_asked_for(container):
    with container.uow() as uow:
        uow.outbox.add("telegram", "700100", {"text": "a"})
        uow.outbox.add("whatsapp", "+6281234567890", {"text": "b"})
        uow.commit()
    assert [r["channel"] for r in q.claim(container.db, "outbox", channels={"whatsapp"})] == [
        "whatsapp"]
    assert q.claim(container.db, "outbox", channels={"whatsapp"}) == []
    rows_, due = q.claim_or_next_due(container.db, "outbox", channels={"sandbox"})
    assert rows_ == [] and due is None  # the waiting telegram row is nobody's business here
    # a worker built on a handler takes the handler's channels
    worker = QueueWorker(container.db, "outbox",
                         make_outbox_handler(container.db, {"whatsapp": LocalSender()}))
    assert worker.channels == {"whatsapp"}


async def test_a_row_of_an_unserved_channel_does_not_keep_the_worker_busy(container):
    with container.uow() as uow:
        uow.outbox.add("telegram", "700100", {"text": "untuk server"})
        uow.commit()
    worker = next(w for w in build_workers(container, {"shell": LocalSender()})
                  if w.queue == "outbox")
    claims = 0

    def count(*_a) -> None:
        nonlocal claims
        claims += 1

    event.listen(container.db.engine, "begin", count)
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop))
    try:
        await asyncio.sleep(1.5)
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=5)
        event.remove(container.db.engine, "begin", count)
    assert claims <= 2, claims  # one claim, then asleep: the row is not due for it
    assert rows(container)["telegram"].status == "pending"
