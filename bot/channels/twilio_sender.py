"""Twilio WhatsApp, outbound: the outbox worker's `Sender` for the `whatsapp` channel.

The SDK client is composed, not inherited, and built on first use inside the running
event loop (its aiohttp session must belong to that loop). Buttons become numbered
lines, bodies over Twilio's 1600 characters are split at paragraph, then line, then word
boundaries, and WhatsApp's one-media-per-message rule is respected. A Twilio 4xx (other
than 429) is permanent; everything else is left for the worker's retry with backoff.

Every REST call has a hard timeout (`outbound.timeout_seconds`): the SDK's aiohttp
client keeps its `timeout` but hands aiohttp the per-call value, None, which waits for
ever; `TimedTwilioHttpClient` applies it, and `asyncio.wait_for` caps the whole call.
A call that times out raises `TwilioTimeout`, which the outbox retries like a 5xx.

Each kantor answers from its own number: an office with its own Twilio account
(`twilio_account_sid` in config, its token in `PTSP_TWILIO_ACCOUNTS`) sends through that
account; every other kantor after the first sends from its `whatsapp` number on the main
account; the first kantor uses the main account and `PTSP_TWILIO_WHATSAPP_FROM`.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import Awaitable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from twilio.base.exceptions import TwilioRestException, TwilioServiceException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.rest import Client

from bot.workers import MenungguJendela, PermanentError

if TYPE_CHECKING:
    from twilio.http.response import Response

    from bot.settings import Settings

log = logging.getLogger(__name__)

MAX_BODY = 1600  # Twilio refuses longer bodies (error 21617)
T = TypeVar("T")


class TwilioTimeout(TimeoutError):
    """Twilio's REST API did not answer in time; the outbox retries the message."""


class TimedTwilioHttpClient(AsyncTwilioHttpClient):
    """The SDK's aiohttp client with its own `timeout` applied to every request.

    `AsyncTwilioHttpClient.request` passes the per-call `timeout` to aiohttp as is, and
    the REST layer never sets one: aiohttp then gets `timeout=None`, i.e. no limit.
    """

    async def request(self, method: str, url: str, params: dict[str, object] | None = None,
                      data: dict[str, object] | None = None,
                      headers: dict[str, str] | None = None,
                      auth: tuple[str, str] | None = None, timeout: float | None = None,
                      allow_redirects: bool = False) -> Response:
        return await super().request(
            method, url, params=params, data=data, headers=headers, auth=auth,
            timeout=timeout if timeout is not None else self.timeout,
            allow_redirects=allow_redirects)


class Route(NamedTuple):
    """The Twilio account and the sender (`whatsapp:+…`) a kantor's messages leave from."""

    account_sid: str
    from_: str


def routes_per_kantor(settings: Settings, kantor_ids: Mapping[str, int]) -> dict[int, Route]:
    """Route of every kantor whose messages do not leave from the main sender.

    The main sender (`PTSP_TWILIO_WHATSAPP_FROM`) is the first kantor's, unless that
    kantor has an account of its own.
    """
    routes: dict[int, Route] = {}
    for i, k in enumerate(settings.kantor):
        number = k.whatsapp if k.whatsapp.startswith("whatsapp:") else "whatsapp:" + k.whatsapp
        if k.twilio_account_sid:
            routes[kantor_ids[k.kode]] = Route(k.twilio_account_sid, number)
        elif i > 0 and k.whatsapp:
            routes[kantor_ids[k.kode]] = Route(settings.twilio_account_sid or "", number)
    return routes


class TwilioSender:
    """Send outbox messages `{"text", "media"?, "buttons"?}` to a WhatsApp number (E.164)."""

    name = "whatsapp"

    def __init__(self, settings: Settings, *, routes: Mapping[int, Route] | None = None,
                 timeout: float | None = None):
        if not settings.twilio_enabled or not settings.twilio_whatsapp_from:
            raise ValueError("PTSP_TWILIO_ACCOUNT_SID, _AUTH_TOKEN dan _WHATSAPP_FROM wajib diisi")
        assert settings.twilio_account_sid
        self._tokens = settings.twilio_tokens()
        self._base_url = settings.twilio_api_base_url.rstrip("/")
        self.main = Route(settings.twilio_account_sid, settings.twilio_whatsapp_from)
        self.routes = dict(routes or {})  # settings made sure every account has its token
        self.status_callback = settings.public_url.rstrip("/") + "/webhooks/twilio/status"
        self._settings = settings
        self._timeout = timeout or settings.outbound.timeout_seconds
        self._http: AsyncTwilioHttpClient | None = None
        self._clients: dict[str, Client] = {}
        # parts already sent of a split message whose later part failed (key → sids)
        self._sent_parts: dict[str, list[str]] = {}

    def client(self, account_sid: str) -> Client:
        """The SDK client of one account; all share one aiohttp session."""
        if self._http is None:
            self._http = TimedTwilioHttpClient(timeout=self._timeout)
        if account_sid not in self._clients:
            client = Client(account_sid, self._tokens[account_sid], http_client=self._http)
            client.api.base_url = self._base_url
            self._clients[account_sid] = client
        return self._clients[account_sid]

    async def send(self, recipient: str, message: dict[str, Any], *,
                   kantor_id: int | None = None) -> str | None:
        """Send one outbox message (maybe as several WhatsApp messages); the first sid."""
        to = recipient if recipient.startswith("whatsapp:") else "whatsapp:" + recipient
        route = self.routes.get(kantor_id, self.main)
        if "template" in message:
            return await self._send_template(route, to, message["template"])
        parts = plan_parts(message)
        if not parts:
            raise PermanentError("pesan kosong: tidak ada teks maupun media")
        key = hashlib.sha256(json.dumps([recipient, message, route], sort_keys=True,
                                        default=str).encode()).hexdigest()
        sids = self._sent_parts.get(key, [])
        for body, media_url in parts[len(sids):]:
            kwargs: dict[str, Any] = {"from_": route.from_, "to": to,
                                      "status_callback": self.status_callback}
            if body:
                kwargs["body"] = body
            if media_url:
                kwargs["media_url"] = [media_url]
            try:
                sent = await self._within_timeout(
                    self.client(route.account_sid).messages.create_async(**kwargs))
            except (TwilioRestException, TwilioServiceException) as exc:
                if 400 <= exc.status < 500 and exc.status != 429:
                    self._sent_parts.pop(key, None)
                    if str(getattr(exc, "code", "")) == WINDOW_CLOSED and not sids:
                        template = template_kabar(self._settings, message)
                        if template is None:
                            raise MenungguJendela(to) from exc
                        return await self._send_template(route, to, template)
                    raise PermanentError(f"twilio {exc.status} kode {exc.code}") from exc
                self._remember(key, sids)
                raise
            except BaseException:
                self._remember(key, sids)
                raise
            sids = [*sids, sent.sid]
        self._sent_parts.pop(key, None)
        log.info("whatsapp %s: %d pesan terkirim (%s)", _mask(recipient), len(sids), sids[0])
        return sids[0]

    async def _send_template(self, route: Route, to: str, template: dict[str, Any]) -> str:
        """An approved Content template (no Body), for messages outside the 24-hour window."""
        try:
            sent = await self._within_timeout(self.client(route.account_sid).messages.create_async(
                from_=route.from_, to=to, content_sid=template["sid"],
                content_variables=json.dumps(template.get("variables", {})),
                status_callback=self.status_callback))
        except (TwilioRestException, TwilioServiceException) as exc:
            if 400 <= exc.status < 500 and exc.status != 429:
                raise PermanentError(f"twilio template {exc.status} kode {exc.code}") from exc
            raise
        return sent.sid

    async def _within_timeout(self, call: Awaitable[T]) -> T:
        """Await one REST call, abandoned after the timeout (the outbox retries it)."""
        try:
            return await asyncio.wait_for(call, self._timeout)
        except TimeoutError as exc:
            raise TwilioTimeout(f"twilio: tidak ada jawaban dalam {self._timeout:g} detik"
                                ) from exc

    def _remember(self, key: str, sids: list[str]) -> None:
        """Keep the parts already sent so that the worker's retry does not repeat them."""
        if sids:
            self._sent_parts[key] = sids
            while len(self._sent_parts) > 256:
                self._sent_parts.pop(next(iter(self._sent_parts)))

    async def close(self) -> None:
        """Close the SDK's aiohttp session."""
        if self._http is not None:
            await self._http.close()
        self._http = None
        self._clients.clear()


def plan_parts(message: dict[str, Any]) -> list[tuple[str | None, str | None]]:
    """The WhatsApp messages for one outbox message: (body, media url) in sending order."""
    text = render_text(message)
    media = [str(u) for u in (message.get("media") or []) if u]
    bodies: list[str | None] = list(split_body(text)) or [None]
    parts: list[tuple[str | None, str | None]] = [
        (b, media[0] if i == 0 and media else None) for i, b in enumerate(bodies)]
    parts += [(None, url) for url in media[1:]]
    return [p for p in parts if p[0] or p[1]]


def render_text(message: dict[str, Any]) -> str:
    """The text, with buttons degraded to numbered lines ("1. Cek status")."""
    text = str(message.get("text") or "").strip()
    buttons = message.get("buttons") or []
    if buttons:
        lines = "\n".join(f"{i}. {b['title']}" for i, b in enumerate(buttons, 1))
        text = f"{text}\n\n{lines}" if text else lines
    return text


def split_body(text: str, limit: int = MAX_BODY) -> list[str]:
    """Split at paragraphs, then lines, then spaces, so that each piece fits `limit`."""
    text = text.strip()
    if not text:
        return []
    return [c.strip() for c in _pack(text, limit, ("\n\n", "\n", " ")) if c.strip()]


def _pack(text: str, limit: int, seps: tuple[str, ...]) -> list[str]:
    if len(text) <= limit:
        return [text]
    if not seps:
        return [text[i:i + limit] for i in range(0, len(text), limit)]
    sep, finer = seps[0], seps[1:]
    pieces: list[str] = []
    for part in text.split(sep):
        pieces.extend(_pack(part, limit, finer))
    chunks: list[str] = []
    current: str | None = None
    for piece in pieces:
        if current is None:
            current = piece
        elif len(current) + len(sep) + len(piece) <= limit:
            current += sep + piece
        else:
            chunks.append(current)
            current = piece
    if current is not None:
        chunks.append(current)
    return chunks


def _mask(number: str) -> str:
    """A phone number for logs: the last four digits only."""
    return "…" + number[-4:]


WINDOW_CLOSED = "63016"  # free-form message outside WhatsApp's 24-hour window


def _satu_baris(text: Any) -> str:
    text = " ".join(str(text or "").replace("*", "").split())
    return text[:297].rstrip() + "..." if len(text) > 300 else text or "-"


def template_for(template_sid: str, message: dict[str, Any]) -> dict[str, Any]:
    """The template form of a message: its text, on one line and short, as {{1}}."""
    return {"sid": template_sid, "variables": {"1": _satu_baris(message.get("text"))}}


def template_kabar(settings: Settings, message: dict[str, Any]) -> dict[str, Any] | None:
    """The template a message goes as outside the 24-hour window: its kind's own (its
    variables numbered in the kind's order), else the generic one, else None (it waits)."""
    kabar = message.get("kabar") or {}
    sid = settings.whatsapp.templates.get(kabar.get("jenis", ""))
    if sid:
        return {"sid": sid, "variables": {str(i + 1): _satu_baris(v)
                                          for i, v in enumerate(kabar.get("variabel", []))}}
    if settings.twilio_template_sid:
        return template_for(settings.twilio_template_sid, message)
    return None
