"""A fake Telegram Bot API on 127.0.0.1 at a random port, for python-telegram-bot's `base_url`.

It serves `/bot<token>/<method>` (form, multipart or JSON parameters, as the Bot API
accepts) and `/file/bot<token>/<path>`, keeps each private chat's messages with their
ids, records every call, and reproduces Telegram's refusals that the adapter must
handle: `BUTTON_DATA_INVALID` (callback_data over 64 bytes), "message is not modified",
"message to edit not found", "query is too old", 403 for a chat that blocked the bot,
409 for getUpdates while a webhook is set, and 429 with `retry_after` on demand.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web

TOKEN = "123:ABC"
_INT = {"chat_id", "message_id", "offset", "limit", "timeout", "reply_to_message_id"}
_JSON = {"reply_markup", "allowed_updates", "reply_parameters", "link_preview_options"}
_BOOL = {"show_alert", "drop_pending_updates", "disable_notification"}
_DESCRIPTIONS = {
    400: "Bad Request: chat not found", 403: "Forbidden: bot was blocked by the user",
    500: "Internal Server Error", 502: "Bad Gateway",
}
NOT_MODIFIED = ("Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message")
QUERY_TOO_OLD = ("Bad Request: query is too old and response timeout expired or query ID is "
                 "invalid")


class _Refused(Exception):
    def __init__(self, status: int, description: str, parameters: dict | None = None):
        super().__init__(description)
        self.status, self.description, self.parameters = status, description, parameters


@dataclass
class FakeTelegram:
    token: str = TOKEN
    calls: list[dict[str, Any]] = field(default_factory=list)
    chats: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    updates: list[dict[str, Any]] = field(default_factory=list)
    blocked: set[int] = field(default_factory=set)
    expired_queries: set[str] = field(default_factory=set)
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    webhook: dict[str, Any] = field(default_factory=dict)
    max_poll_wait: float = 0.3  # caps getUpdates' long-poll timeout
    url: str = ""
    _failures: list[tuple[int, int | None, str | None]] = field(default_factory=list)
    _ids: dict[int, itertools.count] = field(default_factory=dict)
    _new_update: asyncio.Event = field(default_factory=asyncio.Event)
    _runner: web.AppRunner | None = None

    @property
    def bot_id(self) -> int:
        return int(self.token.split(":")[0])

    @property
    def base_url(self) -> str:
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.url}/file/bot"

    # -- control -------------------------------------------------------------------
    def sent(self, chat_id: int | str) -> list[dict[str, Any]]:
        """The messages now in a chat (after edits), oldest first."""
        return self.chats.get(int(chat_id), [])

    def calls_to(self, method: str) -> list[dict[str, Any]]:
        return [c for c in self.calls if c["method"] == method]

    def queue_update(self, update: dict[str, Any]) -> None:
        """Make getUpdates deliver `update` (until an offset confirms it)."""
        self.updates.append(update)
        self._new_update.set()

    def fail_next(self, n: int, status: int, retry_after: int | None = None,
                  method: str | None = None) -> None:
        """Answer the next `n` calls (getMe excepted; only `method` if given) with `status`."""
        self._failures += [(status, retry_after, method)] * n

    def block(self, chat_id: int) -> None:
        """The user of `chat_id` blocked the bot: sends there get 403."""
        self.blocked.add(int(chat_id))

    def add_file(self, file_id: str, data: bytes, file_path: str = "documents/file_0.pdf") -> None:
        self.files[file_id] = (file_path, data)

    # -- life cycle ----------------------------------------------------------------
    async def start(self) -> FakeTelegram:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._api)
        app.router.add_get("/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._file)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # -- HTTP ----------------------------------------------------------------------
    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401,
                                      "description": "Unauthorized"}, status=401)
        method = request.match_info["method"]
        params, files = await _params(request)
        call = {"method": method, "params": params, "files": files,
                "reply_markup": params.get("reply_markup")}
        self.calls.append(call)
        handler = getattr(self, "_m_" + method.lower(), None)
        if handler is None:
            return web.json_response({"ok": False, "error_code": 404,
                                      "description": "Not Found"}, status=404)
        try:
            self._maybe_fail(method)
            result = await handler(params, files)
        except _Refused as exc:
            body: dict[str, Any] = {"ok": False, "error_code": exc.status,
                                    "description": exc.description}
            if exc.parameters:
                body["parameters"] = exc.parameters
            return web.json_response(body, status=exc.status)
        return web.json_response({"ok": True, "result": result})

    async def _file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        for path, data in self.files.values():
            if path == request.match_info["path"]:
                return web.Response(body=data, content_type="application/octet-stream")
        return web.Response(status=404)

    def _maybe_fail(self, method: str) -> None:
        for i, (status, retry_after, only) in enumerate(self._failures):
            if method == "getMe" or (only and only.lower() != method.lower()):
                continue
            del self._failures[i]
            if retry_after is not None:
                raise _Refused(status, f"Too Many Requests: retry after {retry_after}",
                               {"retry_after": retry_after})
            raise _Refused(status, _DESCRIPTIONS.get(status, f"Error {status}"))

    # -- helpers -------------------------------------------------------------------
    def _me(self) -> dict[str, Any]:
        return {"id": self.bot_id, "is_bot": True, "first_name": "PTSP Kanwil",
                "username": "ptsp_kanwil_bot"}

    def _chat(self, params: dict[str, Any]) -> int:
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int):
            raise _Refused(400, "Bad Request: chat_id is empty")
        if chat_id in self.blocked:
            raise _Refused(403, "Forbidden: bot was blocked by the user")
        return chat_id

    def _find(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._chat(params)
        for m in self.sent(chat_id):
            if m["message_id"] == params.get("message_id"):
                return m
        raise _Refused(400, "Bad Request: message to edit not found")

    @staticmethod
    def _keyboard(params: dict[str, Any]) -> dict[str, Any] | None:
        markup = params.get("reply_markup")
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise _Refused(400, "Bad Request: can't parse reply keyboard markup JSON object")
        for row in markup.get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= 64:
                    raise _Refused(400, "Bad Request: BUTTON_DATA_INVALID")
        return markup

    def _store(self, chat_id: int, params: dict[str, Any], **content: Any) -> dict[str, Any]:
        markup = self._inline(self._keyboard(params))  # Telegram echoes inline keyboards only
        ids = self._ids.setdefault(chat_id, itertools.count(1))
        msg: dict[str, Any] = {"message_id": next(ids), "from": self._me(),
                               "chat": {"id": chat_id, "first_name": "Budi", "type": "private"},
                               "date": int(time.time()), **content}
        if markup is not None:
            msg["reply_markup"] = markup
        self.chats.setdefault(chat_id, []).append(msg)
        return msg

    @staticmethod
    def _inline(markup: dict[str, Any] | None) -> dict[str, Any] | None:
        """The stored form: an empty inline keyboard is no keyboard."""
        return markup if markup and markup.get("inline_keyboard") else None

    def _edit(self, params: dict[str, Any], key: str | None) -> dict[str, Any]:
        msg = self._find(params)
        markup = self._inline(self._keyboard(params))
        if key is not None and key not in msg:
            raise _Refused(400, "Bad Request: there is no text in the message to edit")
        same_text = key is None or msg.get(key) == params.get(key)
        if same_text and markup == msg.get("reply_markup"):
            raise _Refused(400, NOT_MODIFIED)
        if key is not None:
            msg[key] = params.get(key)
        msg.pop("reply_markup", None)
        if markup is not None:
            msg["reply_markup"] = markup
        msg["edit_date"] = int(time.time())
        return msg

    # -- methods -------------------------------------------------------------------
    async def _m_getme(self, params: dict, files: dict) -> dict[str, Any]:
        return {**self._me(), "can_join_groups": True, "can_read_all_group_messages": False,
                "supports_inline_queries": False}

    async def _m_sendmessage(self, params: dict, files: dict) -> dict[str, Any]:
        if not params.get("text"):
            raise _Refused(400, "Bad Request: message text is empty")
        return self._store(self._chat(params), params, text=params["text"])

    async def _m_sendphoto(self, params: dict, files: dict) -> dict[str, Any]:
        chat_id = self._chat(params)
        size = files.get("photo", {}).get("size", 1000)
        photo = [{"file_id": f"AgACphoto{len(self.calls)}", "file_unique_id": "AQADp",
                  "width": 320, "height": 240, "file_size": size}]
        extra = {"caption": params["caption"]} if params.get("caption") else {}
        return self._store(chat_id, params, photo=photo, **extra)

    async def _m_senddocument(self, params: dict, files: dict) -> dict[str, Any]:
        chat_id = self._chat(params)
        info = files.get("document", {})
        doc = {"file_id": f"BQACdoc{len(self.calls)}", "file_unique_id": "AgADd",
               "file_name": info.get("filename", "file"),
               "mime_type": info.get("content_type", "application/octet-stream"),
               "file_size": info.get("size", 0)}
        extra = {"caption": params["caption"]} if params.get("caption") else {}
        return self._store(chat_id, params, document=doc, **extra)

    async def _m_editmessagetext(self, params: dict, files: dict) -> dict[str, Any]:
        return self._edit(params, "text")

    async def _m_editmessagecaption(self, params: dict, files: dict) -> dict[str, Any]:
        return self._edit(params, "caption")

    async def _m_editmessagereplymarkup(self, params: dict, files: dict) -> dict[str, Any]:
        return self._edit(params, None)

    async def _m_answercallbackquery(self, params: dict, files: dict) -> bool:
        if params.get("callback_query_id") in self.expired_queries:
            raise _Refused(400, QUERY_TOO_OLD)
        return True

    async def _m_setwebhook(self, params: dict, files: dict) -> bool:
        url = params.get("url", "")
        if url and not url.startswith("https://"):
            raise _Refused(400, "Bad Request: bad webhook: An HTTPS URL must be provided for "
                           "webhook")
        self.webhook = dict(params) if url else {}
        return True

    async def _m_deletewebhook(self, params: dict, files: dict) -> bool:
        self.webhook = {}
        if params.get("drop_pending_updates"):
            self.updates.clear()
        return True

    async def _m_getwebhookinfo(self, params: dict, files: dict) -> dict[str, Any]:
        return {"url": self.webhook.get("url", ""), "has_custom_certificate": False,
                "pending_update_count": len(self.updates),
                **({"allowed_updates": self.webhook["allowed_updates"]}
                   if "allowed_updates" in self.webhook else {})}

    async def _m_getupdates(self, params: dict, files: dict) -> list[dict[str, Any]]:
        if self.webhook:
            raise _Refused(409, "Conflict: can't use getUpdates method while webhook is active; "
                           "use deleteWebhook to delete the webhook first")
        offset = params.get("offset")
        if offset is not None:  # an offset confirms every earlier update
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        if not self.updates and params.get("timeout"):
            self._new_update.clear()
            try:
                await asyncio.wait_for(self._new_update.wait(),
                                       min(params["timeout"], self.max_poll_wait))
            except TimeoutError:
                pass
        return self.updates[: params.get("limit") or 100]

    async def _m_getfile(self, params: dict, files: dict) -> dict[str, Any]:
        file_id = params.get("file_id")
        if file_id not in self.files:
            raise _Refused(400, "Bad Request: invalid file_id")
        path, data = self.files[file_id]
        return {"file_id": file_id, "file_unique_id": "u" + file_id[-6:],
                "file_size": len(data), "file_path": path}


async def _params(request: web.Request) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The call's parameters, typed as the Bot API reads them, and its uploaded files."""
    if request.content_type == "application/json":
        return await request.json(), {}
    raw: dict[str, Any] = dict(request.query)
    files: dict[str, dict[str, Any]] = {}
    if request.can_read_body:
        for key, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                data = value.file.read()
                files[key] = {"filename": value.filename, "content_type": value.content_type,
                              "size": len(data), "data": data}
            else:
                raw[key] = value
    params: dict[str, Any] = {}
    for key, value in raw.items():
        if key in _INT:
            params[key] = int(value)
        elif key in _JSON:
            params[key] = json.loads(value)
        elif key in _BOOL:
            params[key] = value in ("true", "True", "1")
        else:
            params[key] = value
    return params, files


@pytest.fixture
async def fake_telegram():
    """A running `FakeTelegram` for one test."""
    fake = await FakeTelegram().start()
    try:
        yield fake
    finally:
        await fake.close()
