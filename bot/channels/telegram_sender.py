"""Telegram, outbound: the outbox worker's `Sender` for the `telegram` channel.

An `ExtBot` (with an `AIORateLimiter` that never retries by itself) is composed, not
inherited, and initialised on first use inside the running loop. Message dicts (keys
optional; text always plain, no parse mode); sends return `"<chat_id>:<message_id>"`:

- `{"text", "buttons": [[{"text", "data"} | {"text", "url"}, …], …], "force_reply",
  "placeholder"}` → sendMessage (over 4096 characters: split, keyboard on the last part).
- `{"photo" | "document": {"path", "filename"?} | {"url"} | {"file_id"}, "text", "buttons"}`
  → sendPhoto / sendDocument, the text as caption (over 1024: a text message follows).
- `{"edit": ref, "text"?, "buttons"?}` → editMessageText (or the caption; only the
  keyboard without "text"); the keyboard becomes `buttons`, absent or [] removes it.
- `{"answer_callback": callback_query_id, "text", "alert"}` → answerCallbackQuery; None.

Flood control (`RetryAfter`) and network errors are retried by the worker; `Forbidden`
(bot blocked), `BadRequest` and `ChatMigrated` are `PermanentError`, except "message is
not modified" and an expired callback query, which count as success.

httpx's timeouts in ptb bound each read, not a whole call (a server that trickles bytes
keeps it alive), so every Bot API call is also capped as a whole with `asyncio.wait_for`
(`outbound.timeout_seconds`; downloads of inbound files get `download_timeout`). A call
that times out raises `TelegramTimeout`, which the worker retries.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import re
import warnings
from collections.abc import Awaitable, Iterator, Mapping
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from telegram import ForceReply, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter
from telegram.ext import AIORateLimiter, ExtBot

from bot.channels.telegram import redact_token
from bot.channels.twilio_sender import split_body
from bot.workers import PermanentError

if TYPE_CHECKING:
    from bot.settings import Settings

log = logging.getLogger(__name__)

MAX_TEXT, MAX_CAPTION, MAX_DATA = 4096, 1024, 64
_OK_REFUSALS = ("message is not modified", "query is too old", "query id is invalid")
Step = tuple[str, dict[str, Any]]
T = TypeVar("T")


class TelegramTimeout(TimeoutError):
    """The Bot API did not answer in time; the worker retries the message."""


class TelegramRetryLater(RuntimeError):
    """Telegram's flood control answered 429; the worker retries with backoff."""

    def __init__(self, retry_after: float):
        super().__init__(f"telegram 429 flood control: retry_after={retry_after:g} s")
        self.retry_after = retry_after


class TelegramSender:
    """Send outbox messages to a Telegram chat (recipient = the chat id as a string)."""

    name = "telegram"

    def __init__(self, settings: Settings, *, timeout: float | None = None,
                 download_timeout: float = 120.0):
        if settings.telegram_token is None:
            raise ValueError("PTSP_TELEGRAM_TOKEN wajib diisi")
        self._token = redact_token(settings.telegram_token.get_secret_value())
        self._timeout = timeout or settings.outbound.timeout_seconds
        self._download_timeout = max(download_timeout, self._timeout)
        self._urls = (settings.telegram_base_url, settings.telegram_base_file_url)
        self._bot: ExtBot | None = None
        self._ready = False
        self._lock: asyncio.Lock | None = None
        self._sent_parts: dict[str, list[str]] = {}

    async def bot(self) -> ExtBot:
        """The initialised bot (getMe on first use; a failed start is tried again next time)."""
        self._lock = self._lock or asyncio.Lock()
        async with self._lock:
            if self._bot is None:
                self._bot = ExtBot(self._token, *self._urls,  # base_url, base_file_url
                                   rate_limiter=AIORateLimiter(max_retries=0))
            if not self._ready:
                await self._timed(self._bot.initialize())
                self._ready = True
        return self._bot

    async def _timed(self, call: Awaitable[T], timeout: float | None = None) -> T:
        """Await one Bot API call, abandoned after the timeout (the worker retries it)."""
        limit = timeout or self._timeout
        try:
            return await asyncio.wait_for(call, limit)
        except TimeoutError as exc:
            raise TelegramTimeout(f"telegram: tidak ada jawaban dalam {limit:g} detik") from exc

    async def send(self, recipient: str, message: dict[str, Any], *,
                   kantor_id: int | None = None) -> str | None:
        """Deliver one outbox message; the `chat_id:message_id` ref, or None for an answer.

        One bot serves every kantor, so `kantor_id` changes nothing here.
        """
        with _mapped_errors():
            if "answer_callback" in message:
                text = message.get("text")
                await _tolerate(self._timed((await self.bot()).answer_callback_query(
                    str(message["answer_callback"]), text=str(text)[:200] if text else None,
                    show_alert=bool(message.get("alert")))))
                return None
            if "edit" in message:
                return await self._edit(message)
            return await self._send(_int(recipient, "chat id"), message)

    async def _send(self, chat_id: int, message: dict[str, Any]) -> str:
        steps = plan_steps(message)  # validates everything before any call
        key = hashlib.sha256(json.dumps([chat_id, message], sort_keys=True,
                                        default=str).encode()).hexdigest()
        refs = self._sent_parts.pop(key, [])
        bot = await self.bot()
        for method, kwargs in steps[len(refs):]:
            try:
                kw = await _resolve(kwargs)
                sent = await self._timed(getattr(bot, method)(chat_id=chat_id, **kw))
            except BaseException:
                if refs:
                    self._sent_parts[key] = refs
                    while len(self._sent_parts) > 256:
                        self._sent_parts.pop(next(iter(self._sent_parts)))
                raise
            refs = [*refs, f"{sent.chat_id}:{sent.message_id}"]
        log.info("telegram: %d pesan terkirim (%s)", len(refs), refs[-1])
        return refs[-1]

    async def _edit(self, message: dict[str, Any]) -> str:
        ref = str(message["edit"])
        chat, _, mid = ref.rpartition(":")
        where = {"chat_id": _int(chat, "edit"), "message_id": _int(mid, "edit"),
                 "reply_markup": keyboard(message.get("buttons")) or InlineKeyboardMarkup([])}
        bot = await self.bot()
        if "text" not in message:
            await _tolerate(self._timed(bot.edit_message_reply_markup(**where)))
            return ref
        text = str(message["text"])
        try:
            await _tolerate(self._timed(bot.edit_message_text(text=text[:MAX_TEXT], **where)))
        except BadRequest as exc:
            if "no text in the message" not in exc.message.lower():
                raise
            await _tolerate(self._timed(
                bot.edit_message_caption(caption=text[:MAX_CAPTION], **where)))
        return ref

    async def fetch_file(self, ref: str, *, max_bytes: int = 20 * 1024 * 1024) -> bytes:
        """Download an inbound attachment given as `tg:<file_id>` (the Bot API allows 20 MB)."""
        with _mapped_errors():
            tg_file = await self._timed((await self.bot()).get_file(ref.removeprefix("tg:")))
            if tg_file.file_size and tg_file.file_size > max_bytes:
                raise PermanentError(f"berkas telegram {tg_file.file_size} bita melebihi batas")
            return bytes(await self._timed(tg_file.download_as_bytearray(),
                                           self._download_timeout))

    async def close(self) -> None:
        """Shut the bot's HTTP client and rate limiter down."""
        if self._bot is not None and self._ready:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._bot.shutdown(), self._timeout)
        self._bot, self._ready = None, False


def plan_steps(message: Mapping[str, Any]) -> list[Step]:
    """The Bot API calls for one message, in order; PermanentError if it cannot be sent."""
    text = str(message.get("text") or "").strip()
    markup: Any = keyboard(message.get("buttons"))
    if message.get("force_reply"):
        if markup is not None:
            raise PermanentError("buttons dan force_reply tidak bisa dipakai bersamaan")
        placeholder = str(message.get("placeholder") or "")[:64] or None
        markup = ForceReply(selective=True, input_field_placeholder=placeholder)
    texts = [("send_message", {"text": t, "reply_markup": None})
             for t in split_body(text, MAX_TEXT)]
    if texts:
        texts[-1][1]["reply_markup"] = markup
    for kind in ("photo", "document"):
        if kind not in message:
            continue
        source = message[kind]
        if not isinstance(source, Mapping) or not (
                source.get("path") or source.get("url") or source.get("file_id")):
            raise PermanentError(f"{kind}: perlu path, url atau file_id")
        if source.get("path") and not Path(source["path"]).is_file():
            raise PermanentError(f"{kind}: berkas tidak ada: {source['path']}")
        fits = len(text) <= MAX_CAPTION
        media = {kind: dict(source), "caption": text if fits and text else None,
                 "reply_markup": markup if fits else None}
        return [("send_" + kind, media), *([] if fits else texts)]
    if not texts:
        raise PermanentError("pesan kosong: tidak ada teks maupun media")
    return texts


def keyboard(buttons: Any) -> InlineKeyboardMarkup | None:
    """Rows of `{"text", "data"}` / `{"text", "url"}` as an inline keyboard (None if empty)."""
    rows = [[_button(b) for b in ([r] if isinstance(r, Mapping) else r)] for r in buttons or ()]
    return InlineKeyboardMarkup(rows) if any(rows) else None


def _button(b: Mapping[str, Any]) -> InlineKeyboardButton:
    text = str(b.get("text") or "").strip()
    if not text:
        raise PermanentError("tombol tanpa teks")
    if b.get("url"):
        return InlineKeyboardButton(text, url=str(b["url"]))
    data = str(b.get("data") or "")
    if not 1 <= len(data.encode()) <= MAX_DATA:
        raise PermanentError(f"callback_data {len(data.encode())} bita (harus 1–{MAX_DATA}): "
                             f"{data[:24]!r}")
    return InlineKeyboardButton(text, callback_data=data)


async def _resolve(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Read a local file for upload (at send time, so a retry reads it again)."""
    out = dict(kwargs)
    for kind in [k for k in ("photo", "document") if k in out]:
        source = out.pop(kind)
        if source.get("path"):
            path = Path(source["path"])
            out[kind] = await asyncio.to_thread(path.read_bytes)
            if kind == "document":
                out["filename"] = source.get("filename") or path.name
        else:
            out[kind] = str(source.get("file_id") or source["url"])
    return out


@contextlib.contextmanager
def _mapped_errors() -> Iterator[None]:
    """Flood control becomes retryable with its delay; refusals become permanent."""
    try:
        yield
    except RetryAfter as exc:
        raise TelegramRetryLater(retry_seconds(exc)) from exc
    except (Forbidden, BadRequest, ChatMigrated) as exc:
        raise PermanentError(f"telegram {type(exc).__name__}: {exc.message}") from exc


async def _tolerate(call: Any) -> Any:
    """Await a Bot API call; the refusals that mean "already done" count as success."""
    try:
        return await call
    except BadRequest as exc:
        if not any(s in exc.message.lower() for s in _OK_REFUSALS):
            raise
        log.info("telegram: %s (dianggap berhasil)", exc.message)
        return None


def retry_seconds(exc: RetryAfter) -> float:
    """`retry_after` in seconds, whether ptb gives an int or a timedelta."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _int(value: str, what: str) -> int:
    if not re.fullmatch(r"-?\d{1,20}", str(value).strip()):
        raise PermanentError(f"{what} telegram tidak sah: {value!r}")
    return int(str(value).strip())
