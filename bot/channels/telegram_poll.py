"""Telegram, inbound by long polling (`PTSP_TELEGRAM_MODE=polling`, or no webhook secret).

`TelegramPoller.run` deletes any webhook, then calls getUpdates (timeout 25 s) with
offset = last update_id + 1, kept in memory only: after a restart Telegram redelivers
the unconfirmed updates and the inbox stores each `update_id` once. Updates are
translated by `bot.channels.telegram.message_from_update`, as the webhook does.

Telegram refuses two concurrent getUpdates consumers (409), so only one instance polls:
on PostgreSQL it holds a session advisory lock on a dedicated connection and the other
instances wait idly; on SQLite (one instance by nature) it just runs. Network errors are
logged and retried after 1, 2, 4 … 30 s.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import text
from telegram import Bot, Update
from telegram.error import InvalidToken, TelegramError

from bot.channels.telegram import ALLOWED_UPDATES, message_from_update, redact_token
from bot.inbox import store_incoming

if TYPE_CHECKING:
    from bot.bootstrap import Container
    from bot.settings import Settings
    from storage.uow import Database

log = logging.getLogger(__name__)

POLL_LOCK_KEY = 0x5054_5350_5447  # "PTSPTG": one getUpdates consumer per deployment
MAX_BACKOFF = 30.0


class TelegramPoller:
    """Long-polls getUpdates into the inbox until `stop` is set.

    Args:
        poll_timeout: getUpdates' long-poll timeout in seconds.
        lock_retry: seconds between attempts to take the PostgreSQL lock.
    """

    def __init__(self, settings: Settings, db: Database, kantor_id: int, *,
                 poll_timeout: int = 25, lock_retry: float = 30.0):
        if settings.telegram_token is None:
            raise ValueError("PTSP_TELEGRAM_TOKEN wajib diisi")
        self._token = redact_token(settings.telegram_token.get_secret_value())
        self._urls = (settings.telegram_base_url, settings.telegram_base_file_url)
        self.db, self.kantor_id = db, kantor_id
        self.poll_timeout, self.lock_retry = poll_timeout, lock_retry
        self.offset: int | None = None
        self.stored = 0

    @classmethod
    def from_container(cls, c: Container, **kwargs: Any) -> TelegramPoller:
        return cls(c.settings, c.db, c.default_kantor_id, **kwargs)

    async def run(self, stop: asyncio.Event) -> None:
        """Poll while holding the lock (PostgreSQL), retrying it idly while another polls."""
        while not stop.is_set():
            try:
                conn = await asyncio.to_thread(self.try_lock)
            except Exception:  # noqa: BLE001 - the database may be briefly away
                log.exception("telegram polling: kunci tidak dapat diminta")
                conn = False
            if conn is False:
                await _sleep(stop, self.lock_retry)
                continue
            try:
                await self._poll(stop)
            finally:
                if conn is not None:
                    with contextlib.suppress(Exception):  # a lost connection freed it anyway
                        await asyncio.to_thread(self._unlock, conn)

    def try_lock(self) -> Any:
        """None on SQLite; on PostgreSQL the connection holding the lock, or False."""
        if not self.db.is_postgres:
            return None
        conn = self.db.engine.connect()
        got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": POLL_LOCK_KEY}).scalar()
        conn.commit()
        if not got:
            conn.close()
            log.info("telegram polling: instans lain sedang polling; menunggu")
            return False
        return conn

    @staticmethod
    def _unlock(conn: Any) -> None:
        try:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": POLL_LOCK_KEY})
            conn.commit()
        finally:
            conn.close()

    async def _poll(self, stop: asyncio.Event) -> None:
        bot = Bot(self._token, base_url=self._urls[0], base_file_url=self._urls[1])
        delay, webhook_deleted = 1.0, False
        try:
            while not stop.is_set():
                try:
                    if not webhook_deleted:
                        await bot.initialize()
                        await bot.delete_webhook(drop_pending_updates=False)
                        webhook_deleted = True
                    updates = await _until_stopped(stop, bot.get_updates(
                        offset=self.offset, timeout=self.poll_timeout,
                        allowed_updates=ALLOWED_UPDATES))
                    if updates is None:
                        break
                    if updates:
                        await asyncio.to_thread(self._store, updates)
                        self.offset = updates[-1].update_id + 1
                    delay = 1.0
                except Exception as exc:  # noqa: BLE001 - log, back off, keep polling
                    if isinstance(exc, InvalidToken):
                        log.error("telegram polling: token ditolak (%s)", exc.message)
                        delay = MAX_BACKOFF
                    elif isinstance(exc, TelegramError):
                        log.warning("telegram polling: %s; coba lagi %g s", exc.message, delay)
                    else:
                        log.exception("telegram polling gagal; coba lagi %g s", delay)
                    await _sleep(stop, delay)
                    delay = min(delay * 2, MAX_BACKOFF)
        finally:
            await self._confirm(bot, confirm=webhook_deleted)

    def _store(self, updates: tuple[Update, ...]) -> None:
        """Store every update that carries a user's message (each update_id once)."""
        now = datetime.now(UTC)
        for update in updates:
            try:
                msg = message_from_update(update, now)
            except Exception:  # noqa: BLE001 - skip an unreadable update, keep the rest
                log.exception("telegram polling: update %s tidak terbaca", update.update_id)
                continue
            if msg is not None and store_incoming(self.db, self.kantor_id, msg):
                self.stored += 1

    async def _confirm(self, bot: Bot, *, confirm: bool) -> None:
        """Tell Telegram the stored updates are done (best effort), then close the bot."""
        with contextlib.suppress(Exception):
            if confirm and self.offset is not None:
                await asyncio.wait_for(bot.get_updates(offset=self.offset, timeout=0, limit=1),
                                       timeout=5)
        with contextlib.suppress(Exception):
            await bot.shutdown()


async def _until_stopped(stop: asyncio.Event, call: Any) -> Any:
    """The call's result, or None (the call cancelled) when `stop` is set first."""
    task = asyncio.ensure_future(call)
    stopper = asyncio.ensure_future(stop.wait())
    done, _ = await asyncio.wait({task, stopper}, return_when=asyncio.FIRST_COMPLETED)
    stopper.cancel()
    if task in done:
        return task.result()
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await task
    return None


async def _sleep(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
