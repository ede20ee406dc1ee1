"""The workers: inbox, outbox and scheduled jobs, all on the same queue engine.

Each worker claims due rows (`storage.queue.claim`), runs its handler, and completes or
retries them. New rows wake it at once: in-process through `Database.wake`, across
instances through PostgreSQL NOTIFY; `poll_interval_ms` (≤ 100 ms) is only a safety net
for rows that become due later (retries, scheduled jobs).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from prometheus_client import Counter

from storage import queue as q
from storage.uow import Database

log = logging.getLogger(__name__)

PROCESSED = Counter("ptsp_queue_processed_total", "Rows handled", ["queue", "result"])

Handler = Callable[[dict], Awaitable[Any]]


class PermanentError(Exception):
    """A failure that no retry can fix (unknown channel, malformed row)."""


class QueueWorker:
    """Claims rows of one queue and runs `handler` on each, `concurrency` at a time.

    Args:
        self_completing: the handler marks its row done inside its own transaction
            (the inbox does, so a processed message and its effects commit together).
            Otherwise the worker completes a claimed batch in one commit, with the
            values each handler returned (the outbox: the provider's message id).
    """

    def __init__(
        self, db: Database, queue: str, handler: Handler, *, concurrency: int = 4,
        poll_interval_ms: int = 100, max_attempts: int = 8, lease_seconds: int = 60,
        self_completing: bool = False, on_give_up: Callable[[dict], Any] | None = None,
        clock: Callable[[], Any] | None = None,
    ):
        self.db, self.queue, self.handler = db, queue, handler
        self.concurrency, self.poll = concurrency, poll_interval_ms / 1000
        self.max_attempts, self.lease = max_attempts, lease_seconds
        self.self_completing = self_completing
        self.on_give_up = on_give_up
        self.clock = clock  # what "due" means: scheduled jobs follow the system's clock
        self._event = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None

    def wake(self) -> None:
        """Thread-safe: called after a commit that added rows to this queue."""
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._event.set)

    async def run(self, stop: asyncio.Event) -> None:
        self._loop = asyncio.get_running_loop()
        self.db.on_wake(self.queue, self.wake)
        while not stop.is_set():
            # clear before claiming: a wake-up that arrives during the claim is kept
            self._event.clear()
            try:
                rows = await asyncio.to_thread(self._claim)
            except Exception:  # noqa: BLE001 - the database may be briefly away
                log.exception("claim %s failed", self.queue)
                rows = []
            if rows:
                await self._run_batch(rows)
                continue
            try:
                await asyncio.wait_for(self._event.wait(), timeout=self.poll)
            except TimeoutError:
                pass

    async def drain(self) -> int:
        """Process everything due now (tests and `ptsp` one-shot commands)."""
        self._loop = asyncio.get_running_loop()
        total = 0
        while rows := await asyncio.to_thread(self._claim):
            await self._run_batch(rows)
            total += len(rows)
        return total

    def _claim(self) -> list[dict]:
        return q.claim(self.db, self.queue, limit=self.concurrency, lease_seconds=self.lease,
                       now=self.clock() if self.clock else None)

    async def _run_batch(self, rows: list[dict]) -> None:
        """Run the handler on each row at once; complete the handled ones in one commit."""
        results = await asyncio.gather(*(self._run_one(r) for r in rows))
        done = [(row["id"], values) for row, values in zip(rows, results, strict=True)
                if values is not None]
        if done and not self.self_completing:
            await asyncio.to_thread(q.complete_many, self.db, self.queue, done)
        PROCESSED.labels(self.queue, "done").inc(len(done))

    async def _run_one(self, row: dict) -> dict[str, Any] | None:
        """The completion values of a handled row (what the handler returned), else None."""
        try:
            values = await self.handler(row)
        except PermanentError as exc:
            await asyncio.to_thread(q.fail, self.db, self.queue, row, str(exc),
                                    max_attempts=self.max_attempts, retry=False)
            PROCESSED.labels(self.queue, "failed").inc()
            log.error("%s #%s failed permanently: %s", self.queue, row["id"], exc)
            return None
        except Exception as exc:  # noqa: BLE001 - every other failure is retried
            # a provider's flood control says when to come back (Telegram's retry_after)
            after = getattr(exc, "retry_after", None)
            status = await asyncio.to_thread(q.fail, self.db, self.queue, row, repr(exc),
                                             max_attempts=self.max_attempts,
                                             after=float(after) + 0.1 if after else None)
            PROCESSED.labels(self.queue, "retry" if status == "pending" else "failed").inc()
            log.warning("%s #%s attempt %s failed: %r", self.queue, row["id"],
                        row["attempts"], exc, exc_info=True)
            if status == "failed" and self.on_give_up is not None:
                try:
                    await asyncio.to_thread(self.on_give_up, row)
                except Exception:  # noqa: BLE001 - the give-up notice is best effort
                    log.exception("%s #%s: give-up notice failed", self.queue, row["id"])
            return None
        return values if isinstance(values, dict) else {}
