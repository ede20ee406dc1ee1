"""Telegram, inbound: the webhook, the translation of an `Update`, and `set-webhook`.

Telegram echoes the secret given to setWebhook in `X-Telegram-Bot-Api-Secret-Token`;
it is compared in constant time before anything else, without any network call. An
`Update` is translated to `IncomingMessage` here and nowhere else (polling reuses
`message_from_update`), its text fields cleaned of NUL and the other control
characters, stored once per `update_id` and acknowledged with 200 `{}`;
the inbox worker does the rest. Updates the bot does not act on (channel posts, member
changes, edits, messages without a user) are acknowledged and dropped, so Telegram
does not redeliver them.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hmac
import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from aiohttp import web
from prometheus_client import Counter
from telegram import Bot, Message, Update
from telegram.error import TelegramError

from bot.channels.twilio import strip_controls
from bot.inbox import store_incoming
from bot.settings import ConfigError
from bot.types import IncomingMessage, MediaRef

if TYPE_CHECKING:
    from bot.bootstrap import Container
    from bot.settings import Settings

log = logging.getLogger(__name__)

INBOUND = Counter("ptsp_telegram_inbound_total", "Telegram webhook updates", ["result"])

WEBHOOK_PATH = "/webhooks/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ALLOWED_UPDATES = ["message", "callback_query"]


class _RedactTokens(logging.Filter):
    """ptb (DEBUG) and httpx (INFO) log Bot API URLs, and those URLs contain the token."""

    def __init__(self) -> None:
        super().__init__()
        self.tokens: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        if any(t in text for t in self.tokens):
            for t in self.tokens:
                text = text.replace(t, "<token>")
            record.msg, record.args = text, None
        return True


_REDACT = _RedactTokens()
for _name in ("httpx", "telegram.Bot", "telegram.ext.ExtBot"):
    logging.getLogger(_name).addFilter(_REDACT)


def redact_token(token: str) -> str:
    """Keep `token` out of every log record of ptb and httpx; returns it for chaining."""
    _REDACT.tokens.add(token)
    return token


class TelegramSetupError(Exception):
    """Telegram refused or could not be reached while registering the webhook."""


def telegram_routes(container: Container) -> Callable[[web.Application], None]:
    """The route adder for `container.extras["routes"]`: `POST /webhooks/telegram`."""
    secret = container.settings.telegram_webhook_secret
    expected = secret.get_secret_value().encode() if secret else b""
    if not expected:
        log.warning("telegram webhook: PTSP_TELEGRAM_WEBHOOK_SECRET kosong; semua ditolak (403)")

    async def webhook(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not expected or not hmac.compare_digest(given, expected):
            INBOUND.labels("forbidden").inc()
            return web.Response(status=403)
        try:
            data = await request.json()
        except (ValueError, UnicodeDecodeError):
            INBOUND.labels("invalid").inc()
            return web.Response(status=400)
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            INBOUND.labels("invalid").inc()
            return web.Response(status=400)
        try:
            msg = translate_update(data, datetime.now(UTC))
        except Exception:  # noqa: BLE001 - a malformed update must not be redelivered forever
            INBOUND.labels("unreadable").inc()
            log.exception("telegram webhook: update %s tidak terbaca", data["update_id"])
            return web.json_response({})
        if msg is None:
            INBOUND.labels("ignored").inc()
            return web.json_response({})
        try:
            new = await asyncio.to_thread(store_incoming, container.db,
                                          container.default_kantor_id, msg)
        except Exception:  # noqa: BLE001 - nothing stored: let Telegram redeliver (same id)
            INBOUND.labels("error").inc()
            log.exception("telegram webhook: gagal menyimpan update %s", msg.message_id)
            return web.Response(status=503)
        INBOUND.labels("stored" if new else "duplicate").inc()
        log.info("telegram inbound %s %s (%s)", msg.message_id,
                 "stored" if new else "duplicate", msg.kind)
        return web.json_response({})

    def add(app: web.Application) -> None:
        app.router.add_post(WEBHOOK_PATH, webhook)

    return add


def translate_update(data: Mapping[str, Any], received_at: datetime) -> IncomingMessage | None:
    """Translate Update JSON; None for updates that carry nothing from a user."""
    return message_from_update(Update.de_json(dict(data), bot=None), received_at)


def message_from_update(update: Update, received_at: datetime) -> IncomingMessage | None:
    """The one internal message for a message or callback_query update, else None.

    Its text, button payload, name and raw strings are stored: control characters
    (NUL, which PostgreSQL refuses, above all) are taken out of them here.
    """
    msg = _message_from_update(update, received_at)
    return _cleaned(msg) if msg is not None else None


def _cleaned(msg: IncomingMessage) -> IncomingMessage:
    def clean(value: Any) -> Any:
        return strip_controls(value) if isinstance(value, str) else value

    return dataclasses.replace(
        msg, text=clean(msg.text) or None, button_payload=clean(msg.button_payload) or None,
        profile_name=clean(msg.profile_name) or None,
        raw={k: clean(v) for k, v in msg.raw.items()})


def _message_from_update(update: Update, received_at: datetime) -> IncomingMessage | None:
    query = update.callback_query
    if query is not None:
        origin = query.message
        return IncomingMessage(
            channel="telegram", sender_id=str(query.from_user.id),
            message_id=str(update.update_id), received_at=received_at,
            button_payload=query.data or None, kind="text" if query.data else "other",
            profile_name=query.from_user.full_name,
            raw=_raw(update, chat_id=origin.chat.id if origin else None, message_id=None,
                     reply_to=None, query_id=query.id,
                     query_message_id=origin.message_id if origin else None,
                     username=query.from_user.username, button_text=_button_text(query)))
    msg = update.message
    if msg is None or msg.from_user is None or msg.from_user.is_bot:
        return None
    media = _media(msg)
    location = (msg.location.latitude, msg.location.longitude) if msg.location else None
    reply_to = msg.reply_to_message.message_id if msg.reply_to_message else None
    return IncomingMessage(
        channel="telegram", sender_id=str(msg.from_user.id), message_id=str(update.update_id),
        received_at=received_at, text=msg.text or msg.caption or None, location=location,
        media=media, kind=_kind(msg, media, location), profile_name=msg.from_user.full_name,
        raw=_raw(update, chat_id=msg.chat.id, message_id=msg.message_id, reply_to=reply_to,
                 query_id=None, query_message_id=None, username=msg.from_user.username))


def _raw(update: Update, *, chat_id: int | None, message_id: int | None, reply_to: int | None,
         query_id: str | None, query_message_id: int | None, username: str | None,
         button_text: str | None = None) -> dict[str, Any]:
    raw = {"update_id": update.update_id, "chat_id": chat_id, "message_id": message_id,
           "reply_to_message_id": reply_to, "callback_query_id": query_id,
           "callback_message_id": query_message_id, "username": username}
    if button_text is not None:
        raw["button_text"] = button_text
    return raw


def _button_text(query: Any) -> str | None:
    """The label of the pressed button, read from the keyboard of its message."""
    markup = getattr(query.message, "reply_markup", None)
    for row in getattr(markup, "inline_keyboard", ()):
        for button in row:
            if button.callback_data == query.data:
                return button.text
    return None


def _media(msg: Message) -> tuple[MediaRef, ...]:
    """Attachments as `tg:<file_id>` refs (the largest size of a photo)."""
    if msg.photo:
        return (MediaRef("tg:" + msg.photo[-1].file_id, "image/jpeg"),)
    for item, default in ((msg.document, "application/octet-stream"), (msg.voice, "audio/ogg"),
                          (msg.audio, "audio/mpeg"), (msg.video, "video/mp4"),
                          (msg.video_note, "video/mp4")):
        if item is not None:
            return (MediaRef("tg:" + item.file_id, getattr(item, "mime_type", None) or default),)
    return ()


def _kind(msg: Message, media: tuple[MediaRef, ...], location: tuple[float, float] | None
          ) -> str:
    if msg.sticker is not None:
        return "sticker"
    if msg.contact is not None:
        return "contact"
    if media:
        major = (media[0].content_type or "").split("/")[0]
        return {"audio": "audio", "video": "video"}.get(major, "media")
    if location is not None:
        return "location"
    return "text" if msg.text else "other"


def _webhook_settings(settings: Settings) -> tuple[str, str, str]:
    """Token, secret and webhook URL, or a one-line ConfigError naming what is missing."""
    token = settings.telegram_token.get_secret_value() if settings.telegram_token else ""
    secret = (settings.telegram_webhook_secret.get_secret_value()
              if settings.telegram_webhook_secret else "")
    if not token:
        raise ConfigError("PTSP_TELEGRAM_TOKEN belum diisi")
    if not secret:
        raise ConfigError("PTSP_TELEGRAM_WEBHOOK_SECRET belum diisi")
    if not settings.public_url.startswith("https://"):
        raise ConfigError(f"PTSP_PUBLIC_URL harus https:// untuk webhook Telegram, "
                          f"bukan {settings.public_url!r}")
    return token, secret, settings.public_url.rstrip("/") + WEBHOOK_PATH


async def set_webhook(settings: Settings) -> str:
    """Register `PTSP_PUBLIC_URL/webhooks/telegram` with the secret; returns that URL.

    Raises:
        ConfigError: the token, the secret or an https public URL is missing.
        TelegramSetupError: Telegram refused the webhook or could not be reached.
    """
    token, secret, url = _webhook_settings(settings)
    bot = Bot(redact_token(token), base_url=settings.telegram_base_url,
              base_file_url=settings.telegram_base_file_url)
    try:
        async with bot:
            await bot.set_webhook(url=url, secret_token=secret, allowed_updates=ALLOWED_UPDATES,
                                  drop_pending_updates=False)
    except TelegramError as exc:
        raise TelegramSetupError(f"setWebhook gagal: {exc.message}") from None
    log.info("telegram webhook terdaftar: %s", url)
    return url
