"""The workers: inbox, outbox and scheduled jobs, all on the same queue engine.

Each worker claims due rows (`storage.queue.claim_or_next_due`), runs its handler, and
completes or retries them. New rows wake it at once: in-process through `Database.wake`,
across instances through PostgreSQL NOTIFY (on SQLite, another process's commit through
`storage.queue.watch_sqlite`). With nothing to do it sleeps until the next row is due
(a retry, a scheduled job, an expiring lease), at most `poll_seconds` (the safety poll,
`jobs.safety_poll_seconds`): an idle worker costs one transaction per safety poll.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Awaitable, Callable, Collection
from datetime import UTC, datetime, timedelta
from typing import Any

from prometheus_client import Counter, Histogram

from storage import queue as q
from storage.uow import Database

log = logging.getLogger(__name__)

PROCESSED = Counter("ptsp_queue_processed_total", "Rows handled", ["queue", "result"])
HANDLED = Histogram("ptsp_queue_handle_seconds", "Time to handle one row (an inbound "
                    "message: download, NLU, dialog, commit; a reply: the provider's call)",
                    ["queue", "channel"],
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))

Handler = Callable[[dict], Awaitable[Any]]

# Test-only crash points (tests/e2e/test_crash.py): with PTSP_FAULT set to one of them
# the process dies on the spot (as with `kill -9`) the first time it gets there:
# `after_claim` an inbox row was claimed, `before_commit` its effects are about to be
# committed, `after_send` Twilio/Telegram accepted a reply not yet marked sent.
_FAULT = os.environ.get("PTSP_FAULT") or None


def fault(point: str) -> None:
    """Die here if PTSP_FAULT names this point (never set in production)."""
    if _FAULT == point:
        log.critical("PTSP_FAULT=%s: exiting as if killed", point)
        os._exit(137)


class PermanentError(Exception):
    """A failure that no retry can fix (unknown channel, malformed row)."""


class MenungguJendela(Exception):
    """WhatsApp's 24-hour window is closed and no template serves this message: it waits
    (outbox status `jendela`) for the citizen's next message."""


class QueueWorker:
    """Claims rows of one queue and runs `handler` on each, `concurrency` at a time.

    Args:
        db: the database.
        queue: `inbox`, `outbox` or `job`.
        handler: runs one claimed row.
        concurrency: rows run at once (each frees its slot when it is done).
        poll_seconds: the longest an idle worker sleeps without being woken (the safety
            net for a wake-up that never came).
        max_attempts: failures before a row is given up (without `max_age`).
        max_age: with it, a failing row is retried until it is this old, then given up.
        lease_seconds: how long a claim holds before another worker may take the row.
        self_completing: the handler marks its row done inside its own transaction
            (the inbox does, so a processed message and its effects commit together).
            Otherwise the worker completes a claimed batch in one commit, with the
            values each handler returned (the outbox: the provider's message id).
        on_give_up: called with a row given up after its last attempt.
        clock: what "due" means (scheduled jobs follow the system's clock).
        channels: claim only rows of these channels (default: the handler's `channels`
            attribute, else every channel), so rows of a channel this process cannot
            deliver wait for the process that can.
    """

    def __init__(
        self, db: Database, queue: str, handler: Handler, *, concurrency: int = 4,
        poll_seconds: float = 60.0, max_attempts: int = 8, lease_seconds: int = 60,
        self_completing: bool = False, on_give_up: Callable[[dict], Any] | None = None,
        clock: Callable[[], Any] | None = None, channels: Collection[str] | None = None,
        max_age: timedelta | None = None,
    ):
        self.db, self.queue, self.handler = db, queue, handler
        self.concurrency, self.poll = concurrency, poll_seconds
        self.max_attempts, self.lease, self.max_age = max_attempts, lease_seconds, max_age
        self.self_completing = self_completing
        self.on_give_up = on_give_up
        self.clock = clock
        if channels is None:
            channels = getattr(handler, "channels", None)
        self.channels = frozenset(channels) if channels is not None else None
        self._event = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._inflight: set[asyncio.Future] = set()
        self._working: dict[int, int] = {}  # id -> attempts of the rows being worked on
        self._done: list[tuple[int, dict[str, Any], int]] = []  # finished, not yet committed
        self._flushing = asyncio.Lock()

    def wake(self) -> None:
        """Thread-safe: called after a commit that added rows to this queue."""
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._event.set)

    async def run(self, stop: asyncio.Event) -> None:
        """Claim and run rows until `stop` is set; sleep while there is nothing due.

        Up to `concurrency` rows run at once, each on its own: a slow one (a large
        download, a provider answering late) holds its own slot only, and a free slot
        is filled at once, so other parties' rows are not kept waiting behind it.
        """
        self._loop = asyncio.get_running_loop()
        self.db.on_wake(self.queue, self.wake)
        stopping = asyncio.ensure_future(stop.wait())
        stopping.add_done_callback(lambda _: self._event.set())
        renewing = asyncio.ensure_future(self._renew())
        try:
            while not stop.is_set():
                # clear before claiming: a wake-up that arrives during the claim is kept
                self._event.clear()
                free = self.concurrency - len(self._inflight)
                sleep = self.poll
                if free > 0:
                    now = self._now()
                    try:
                        rows, due = await asyncio.to_thread(self._claim_or_next_due, now, free)
                    except Exception:  # noqa: BLE001 - the database may be briefly away
                        log.exception("claim %s failed", self.queue)
                        rows, due = [], None
                        sleep = min(self.poll, 1.0)
                    else:
                        sleep = self._sleep_for(due, now)
                    if rows:
                        self._start(rows)
                        if len(rows) == free:
                            continue  # more may be due: claim again at once
                        sleep = self.poll  # none left now; a finished row wakes us
                try:
                    await asyncio.wait_for(self._event.wait(), timeout=sleep)
                except TimeoutError:
                    pass
        finally:
            stopping.cancel()
            if self._inflight:  # what was started is finished, not abandoned
                await asyncio.gather(*self._inflight, return_exceptions=True)
            renewing.cancel()

    def _now(self) -> datetime:
        return self.clock() if self.clock else datetime.now(UTC)

    def _sleep_for(self, due: datetime | None, now: datetime) -> float:
        """Seconds until `due` (just after it), at most the safety poll."""
        if due is None:
            return self.poll
        return max(0.0, min(self.poll, (due - now).total_seconds() + 0.01))

    async def drain(self) -> int:
        """Process everything due now (tests and `ptsp` one-shot commands)."""
        self._loop = asyncio.get_running_loop()
        renewing = asyncio.ensure_future(self._renew())
        total = 0
        try:
            # batch by batch: each claim sees everything the previous batch committed
            while rows := await asyncio.to_thread(self._claim, self.concurrency):
                self._start(rows)
                total += len(rows)
                await asyncio.gather(*self._inflight)
            return total
        finally:
            renewing.cancel()

    def _claim(self, limit: int) -> list[dict]:
        return q.claim(self.db, self.queue, limit=limit, lease_seconds=self.lease,
                       now=self._now(), channels=self.channels)

    def _claim_or_next_due(self, now: datetime, limit: int
                           ) -> tuple[list[dict], datetime | None]:
        return q.claim_or_next_due(self.db, self.queue, limit=limit,
                                   lease_seconds=self.lease, now=now, channels=self.channels)

    def _start(self, rows: list[dict]) -> None:
        if self.queue == "inbox":
            fault("after_claim")
        for row in rows:
            self._working[row["id"]] = row["attempts"]
            task = asyncio.ensure_future(self._work(row))
            self._inflight.add(task)
            task.add_done_callback(self._inflight.discard)

    async def _work(self, row: dict) -> None:
        """One row: run it, then complete it (unless its handler did), then free the slot."""
        try:
            values = await self._run_one(row)
            if values is None:
                return
            if self.self_completing:
                PROCESSED.labels(self.queue, "done").inc()
            else:
                if self.queue == "outbox":
                    fault("after_send")
                await self._complete(row, values)
        except Exception:  # noqa: BLE001 - recording the outcome failed (database away):
            # the row stays claimed until its lease runs out, then it is taken again
            log.exception("%s #%s: outcome not recorded", self.queue, row["id"])
        finally:
            self._working.pop(row["id"], None)
            self._event.set()  # a slot is free

    async def _complete(self, row: dict, values: dict[str, Any]) -> None:
        """Mark the row done; rows finishing meanwhile are completed in the same commit."""
        self._done.append((row["id"], values, row["attempts"]))
        async with self._flushing:
            if not self._done:
                return  # an earlier flush took this row along
            batch, self._done = self._done, []
            try:
                await asyncio.to_thread(q.complete_many, self.db, self.queue, batch)
            except Exception:  # noqa: BLE001 - left running: the lease runs out, retried
                log.exception("completing %s %s failed", self.queue, [b[0] for b in batch])
                return
            PROCESSED.labels(self.queue, "done").inc(len(batch))

    async def _renew(self) -> None:
        """Extend the leases of the rows being worked on, every third of the lease, so a
        slow row is not claimed again by another instance; idle, it costs nothing."""
        working = self._working
        every = max(0.05, self.lease / 3)
        while True:
            await asyncio.sleep(every)
            claims = list(working.items())
            if not claims:
                continue
            try:
                held = await asyncio.to_thread(q.renew, self.db, self.queue, claims,
                                               lease_seconds=self.lease)
            except Exception:  # noqa: BLE001 - the database may be briefly away; retry
                log.warning("renewing %s leases failed", self.queue, exc_info=True)
                continue
            for row_id, attempts in claims:
                if row_id not in held and working.get(row_id) == attempts:
                    working.pop(row_id, None)
                    log.warning("%s #%s: lease lost while working", self.queue, row_id)

    async def _run_one(self, row: dict) -> dict[str, Any] | None:
        """The completion values of a handled row (what the handler returned), else None.

        A row whose outcome is settled here (failed, lost, or completed by its own
        handler) leaves `_working` at once, so its lease is no longer renewed.
        """
        working = self._working
        started = time.perf_counter()
        try:
            values = await self.handler(row)
        except q.LeaseLost as exc:  # another worker has it; what this one did rolled back
            working.pop(row["id"], None)
            PROCESSED.labels(self.queue, "lost").inc()
            log.warning("%s", exc)
            return None
        except PermanentError as exc:
            working.pop(row["id"], None)
            await asyncio.to_thread(q.fail, self.db, self.queue, row, str(exc),
                                    max_attempts=self.max_attempts, retry=False)
            PROCESSED.labels(self.queue, "failed").inc()
            log.error("%s #%s failed permanently: %s", self.queue, row["id"], exc)
            return None
        except Exception as exc:  # noqa: BLE001 - every other failure is retried
            # a provider's flood control says when to come back (Telegram's retry_after)
            after = getattr(exc, "retry_after", None)
            working.pop(row["id"], None)
            status = await asyncio.to_thread(q.fail, self.db, self.queue, row, repr(exc),
                                             max_attempts=self.max_attempts,
                                             after=float(after) + 0.1 if after else None,
                                             max_age=self.max_age)
            PROCESSED.labels(self.queue, "retry" if status == "pending" else "failed").inc()
            log.warning("%s #%s attempt %s failed: %r", self.queue, row["id"],
                        row["attempts"], exc, exc_info=True)
            if status == "failed" and self.on_give_up is not None:
                try:
                    await asyncio.to_thread(self.on_give_up, row)
                except Exception:  # noqa: BLE001 - the give-up notice is best effort
                    log.exception("%s #%s: give-up notice failed", self.queue, row["id"])
            return None
        if self.self_completing:  # done and committed: its lease needs no renewing
            working.pop(row["id"], None)
        HANDLED.labels(self.queue, str(row.get("channel", row.get("kind")))).observe(
            time.perf_counter() - started)
        # one structured line per handled inbound message; deliveries and jobs at DEBUG
        level = logging.INFO if self.queue == "inbox" else logging.DEBUG
        if log.isEnabledFor(level):
            log.log(level, "%s handled", self.queue, extra={
                "queue": self.queue, "row_id": row["id"],
                "channel": row.get("channel", row.get("kind")), "kantor_id": row.get("kantor_id"),
                "attempt": row["attempts"],
                "ms": round((time.perf_counter() - started) * 1000, 1)})
        return values if isinstance(values, dict) else {}
