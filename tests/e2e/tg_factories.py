"""Real-shaped Telegram `Update` JSON for the end-to-end tests (as the Bot API sends it)."""

from __future__ import annotations

import itertools
import random
import time
from typing import Any

from tests.e2e.fake_telegram import TOKEN

BOT_ID = int(TOKEN.split(":")[0])
_update_ids = itertools.count(random.randint(100_000_000, 800_000_000))
_message_ids = itertools.count(random.randint(100, 5_000))


def new_update_id() -> int:
    return next(_update_ids)


def tg_user(user_id: int = 111, first_name: str = "Budi", last_name: str | None = "Santoso",
            username: str | None = "budi_kemenag") -> dict[str, Any]:
    user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name,
                            "language_code": "id"}
    if last_name:
        user["last_name"] = last_name
    if username:
        user["username"] = username
    return user


def _private_chat(user: dict[str, Any], chat_id: int) -> dict[str, Any]:
    chat = {"id": chat_id, "first_name": user["first_name"], "type": "private"}
    for key in ("last_name", "username"):
        if key in user:
            chat[key] = user[key]
    return chat


def _bot_message(chat: dict[str, Any], message_id: int, text: str,
                 markup: dict[str, Any] | None = None) -> dict[str, Any]:
    msg: dict[str, Any] = {
        "message_id": message_id, "date": int(time.time()) - 60, "chat": chat, "text": text,
        "from": {"id": BOT_ID, "is_bot": True, "first_name": "PTSP Kanwil",
                 "username": "ptsp_kanwil_bot"}}
    if markup:
        msg["reply_markup"] = markup
    return msg


def make_tg_update(
    text: str | None = None, from_id: int = 111, update_id: int | None = None,
    callback_data: str | None = None, reply_to_message_id: int | None = None,
    message_id: int | None = None, chat_id: int | None = None, first_name: str = "Budi",
    *, caption: str | None = None, photo: str | None = None,
    document: tuple[str, str, str] | None = None, **message_extra: Any,
) -> dict[str, Any]:
    """One `Update` as Telegram posts it to the webhook (and returns from getUpdates).

    With `callback_data` it is a callback_query update for a button on the bot's message
    `message_id`; otherwise a message update from the user (a private chat unless
    `chat_id` says otherwise). `photo` is a file_id; `document` is (file_id, mime, name).
    `message_extra` adds fields to the message (`location=…`, `voice=…`).
    """
    user = tg_user(from_id, first_name)
    chat = _private_chat(user, chat_id if chat_id is not None else from_id)
    uid = update_id if update_id is not None else new_update_id()
    if callback_data is not None:
        markup = {"inline_keyboard": [[{"text": "Pilih", "callback_data": callback_data}]]}
        return {"update_id": uid, "callback_query": {
            "id": str(random.randint(10**18, 9 * 10**18)), "from": user,
            "message": _bot_message(chat, message_id or next(_message_ids),
                                    "Disposisi permohonan PTSP-261124-0001", markup),
            "chat_instance": str(-random.randint(10**18, 9 * 10**18)), "data": callback_data}}
    msg: dict[str, Any] = {"message_id": message_id or next(_message_ids), "from": user,
                           "chat": chat, "date": int(time.time())}
    if text is not None:
        msg["text"] = text
        if text.startswith("/"):
            msg["entities"] = [{"offset": 0, "length": len(text.split()[0]),
                                "type": "bot_command"}]
    if caption is not None:
        msg["caption"] = caption
    if photo is not None:
        msg["photo"] = [
            {"file_id": photo + "-s", "file_unique_id": "AQADs", "width": 90, "height": 67,
             "file_size": 1200},
            {"file_id": photo, "file_unique_id": "AQADm", "width": 1280, "height": 960,
             "file_size": 98_000}]
    if document is not None:
        file_id, mime, name = document
        msg["document"] = {"file_id": file_id, "file_unique_id": "AgADd", "file_name": name,
                           "mime_type": mime, "file_size": 54_321}
    if reply_to_message_id is not None:
        msg["reply_to_message"] = _bot_message(chat, reply_to_message_id,
                                               "Tulis catatan disposisi:")
    msg.update(message_extra)
    return {"update_id": uid, "message": msg}


def make_channel_post(text: str = "Pengumuman", update_id: int | None = None) -> dict[str, Any]:
    """An update without a user (a channel post): the adapter ignores it."""
    return {"update_id": update_id if update_id is not None else new_update_id(),
            "channel_post": {"message_id": 5, "date": int(time.time()), "text": text,
                             "chat": {"id": -1001234567890, "title": "Info PTSP",
                                      "type": "channel"}}}
