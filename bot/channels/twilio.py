"""Twilio WhatsApp, inbound: the webhook and the status callback.

Every request is authenticated at the edge with `X-Twilio-Signature` against
`PTSP_PUBLIC_URL` + path and the auth token of the posted `AccountSid`, without any
network call, and before the body is read beyond `MAX_FORM_BYTES`: a request without
a signature is answered 403 unread, a larger one 413, one that is not a UTF-8
form-urlencoded body 403. A valid message is translated to `IncomingMessage` here and
nowhere else, with NUL and the other control characters (but newline and tab) taken out
of every field (PostgreSQL refuses NUL in text), stored once per `MessageSid` and
acknowledged with an empty TwiML `<Response/>`;
the inbox worker does the rest. Status callbacks move `outbox.delivery_status` forward;
one that arrives before its message's sid is stored waits as a job and is applied then.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from aiohttp import web
from multidict import MultiDict
from prometheus_client import Counter
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session
from twilio.request_validator import RequestValidator

from bot.channels.twilio_sender import WINDOW_CLOSED
from bot.inbox import store_incoming
from bot.types import IncomingMessage, MediaRef
from domain.identitas import normalize_hp
from storage.tables import JobRow, OutboxRow

if TYPE_CHECKING:
    from bot.bootstrap import Container

log = logging.getLogger(__name__)

INBOUND = Counter("ptsp_twilio_inbound_total", "Twilio inbound webhooks", ["result"])
STATUS = Counter("ptsp_twilio_status_total", "Twilio status callbacks", ["result"])

TWIML_EMPTY = '<?xml version="1.0" encoding="UTF-8"?><Response/>'
MAX_MEDIA = 10  # WhatsApp sends at most ten attachments per message
#: Twilio's form posts are a few KB (media come as URLs); nothing larger is read
MAX_FORM_BYTES = 64 * 1024
MAX_FORM_FIELDS = 512
#: C0 control characters but tab and newline, DEL, and lone surrogates (from JSON escapes)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")
_SID = re.compile(r"^[A-Za-z0-9]{2,64}$")
_E164 = re.compile(r"^\+[1-9]\d{5,14}$")
#: Delivery progress; a status only replaces an earlier one (callbacks may arrive late).
STATUS_ORDER = {"accepted": 0, "scheduled": 0, "queued": 1, "sending": 2, "sent": 3,
                "delivered": 4, "read": 5}
FAILURES = frozenset({"failed", "undelivered", "canceled"})


class FormTidakValid(ValueError):
    """A signed request whose fields cannot make a message."""


def twilio_routes(container: Container) -> Callable[[web.Application], None]:
    """The route adder for `container.extras["routes"]` (a bad PTSP_TWILIO_ACCOUNTS fails here)."""
    tokens = container.settings.twilio_tokens()

    async def inbound(request: web.Request) -> web.Response:
        form = await _verified_form(request, container, tokens)
        if isinstance(form, int):
            INBOUND.labels("forbidden" if form == 403 else "too_large").inc()
            return web.Response(status=form)
        try:
            msg = parse_form(form, datetime.now(UTC))
        except FormTidakValid as exc:
            INBOUND.labels("invalid").inc()
            log.warning("twilio webhook: form tidak valid: %s", exc)
            return web.Response(status=400)
        kantor_id = kantor_for(container, msg.to)
        try:
            new = await asyncio.to_thread(store_incoming, container.db, kantor_id, msg)
        except Exception:  # noqa: BLE001 - nothing stored: let Twilio retry (unique sid)
            INBOUND.labels("error").inc()
            log.exception("twilio webhook: gagal menyimpan %s", msg.message_id)
            return web.Response(status=503)
        INBOUND.labels("stored" if new else "duplicate").inc()
        log.info("twilio inbound %s %s (%s)", msg.message_id,
                 "stored" if new else "duplicate", msg.kind)
        return web.Response(text=TWIML_EMPTY, content_type="text/xml")

    async def status(request: web.Request) -> web.Response:
        form = await _verified_form(request, container, tokens)
        if isinstance(form, int):
            STATUS.labels("forbidden" if form == 403 else "too_large").inc()
            return web.Response(status=form)
        sid, state = form.get("MessageSid", ""), form.get("MessageStatus", "").lower()
        error_code = form.get("ErrorCode") or None
        kantor_id = kantor_for(container, strip_channel(form.get("From", "")) or None)
        try:
            result = await asyncio.to_thread(take_status, container, kantor_id, sid, state,
                                             error_code)
        except Exception:  # noqa: BLE001 - a lost status is no reason for Twilio to retry
            log.exception("twilio status %s %s: gagal dicatat", sid, state)
            result = "error"
        STATUS.labels(result).inc()
        log.info("twilio status %s → %s: %s", sid, state, result)
        return web.Response(status=200)

    def add(app: web.Application) -> None:
        app.router.add_post("/webhooks/twilio", inbound)
        app.router.add_post("/webhooks/twilio/status", status)

    return add


async def _verified_form(request: web.Request, c: Container, tokens: Mapping[str, str]
                         ) -> MultiDict[str] | int:
    """The posted form when its signature is valid for its account, else 403 or 413.

    Nothing is read without a signature header, and never more than `MAX_FORM_BYTES`
    (a signed request past it gets 413: it cannot be checked without reading it all).
    """
    signature = request.headers.get("X-Twilio-Signature", "")
    if not signature:
        return 403
    if request.content_length is not None and request.content_length > MAX_FORM_BYTES:
        return 413
    body = await _read_capped(request, MAX_FORM_BYTES)
    if body is None:
        return 413
    form = _parse_body(request.content_type, body)
    token = tokens.get(form.get("AccountSid", "")) if form is not None else None
    if form is None or not token:
        return 403
    url = c.settings.public_url.rstrip("/") + request.raw_path
    if not RequestValidator(token).validate(url, form, signature):
        log.warning("twilio: tanda tangan tidak cocok untuk %s", request.path)
        return 403
    return form


async def _read_capped(request: web.Request, limit: int) -> bytes | None:
    """The body, or None as soon as it grows past `limit` (the rest is never read)."""
    buf = bytearray()
    while chunk := await request.content.read(limit + 1 - len(buf)):
        buf += chunk
        if len(buf) > limit:
            return None
    return bytes(buf)


def _parse_body(content_type: str, body: bytes) -> MultiDict[str] | None:
    """A UTF-8 form-urlencoded body as fields (blank values kept: they are signed too)."""
    if content_type != "application/x-www-form-urlencoded":
        return None
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, encoding="utf-8",
                          errors="strict", max_num_fields=MAX_FORM_FIELDS)
    except (UnicodeDecodeError, ValueError):
        return None
    return MultiDict(pairs)


def strip_controls(value: str) -> str:
    """Text without NUL and the other control characters, newline and tab kept.

    A Windows line break becomes a newline; lone surrogates (which a JSON escape can
    carry) go too, since neither PostgreSQL nor UTF-8 can store them.
    """
    return _CONTROL.sub("", value.replace("\r\n", "\n"))


def clean_form(form: Mapping[str, str]) -> MultiDict[str]:
    """Every field name and value with `strip_controls` applied (after the signature check)."""
    return MultiDict((strip_controls(k), strip_controls(v)) for k, v in form.items())


def parse_form(form: Mapping[str, str], received_at: datetime) -> IncomingMessage:
    """Translate Twilio's form fields into the one internal message type.

    Every field is cleaned of control characters first (`clean_form`): the text, the
    profile name and the raw copy are stored as they come out of here.
    """
    form = clean_form(form)
    sid, sender = form.get("MessageSid", ""), strip_channel(form.get("From", ""))
    if not _SID.match(sid):
        raise FormTidakValid("MessageSid kosong atau tidak sah")
    sender = normalize_hp(sender) or sender
    if not _E164.match(sender):
        raise FormTidakValid("From bukan nomor E.164")
    try:
        num_media = max(0, int(form.get("NumMedia") or 0))
    except ValueError:
        raise FormTidakValid("NumMedia bukan angka") from None
    media = tuple(
        MediaRef(form[f"MediaUrl{n}"], form.get(f"MediaContentType{n}") or None)
        for n in range(min(num_media, MAX_MEDIA)) if form.get(f"MediaUrl{n}")
    )
    location = _location(form)
    return IncomingMessage(
        channel="whatsapp", sender_id=sender, message_id=sid, received_at=received_at,
        text=form.get("Body") or None, button_payload=form.get("ButtonPayload") or None,
        location=location, media=media, kind=_kind(form, media, location),
        profile_name=form.get("ProfileName") or None,
        to=strip_channel(form.get("To", "")) or None, raw=_raw(form),
    )


def strip_channel(address: str) -> str:
    return address.strip().removeprefix("whatsapp:").strip()


def _location(form: Mapping[str, str]) -> tuple[float, float] | None:
    try:
        lat, lon = float(form["Latitude"]), float(form["Longitude"])
    except (KeyError, ValueError):
        return None
    return (lat, lon) if -90 <= lat <= 90 and -180 <= lon <= 180 else None


def _kind(form: Mapping[str, str], media: tuple[MediaRef, ...],
          location: tuple[float, float] | None) -> str:
    message_type = form.get("MessageType", "").lower()
    if media:
        ct = (media[0].content_type or "").split(";")[0].strip().lower()
        sticker_flag = form.get("IsSticker", form.get("Sticker", "")).lower() == "true"
        if message_type == "sticker" or (ct == "image/webp" and sticker_flag):
            return "sticker"
        if ct in ("text/vcard", "text/x-vcard") or message_type in ("contacts", "contact"):
            return "contact"
        if ct.startswith("audio/") or ct in ("application/ogg", "application/opus") \
                or message_type in ("audio", "voice", "ptt"):
            return "audio"  # a voice note, however its type is labelled
        if ct.startswith("video/") or message_type == "video":
            return "video"
        return "media"
    if location is not None:
        return "location"
    if form.get("Body") or form.get("ButtonPayload"):
        return "text"
    return "other"


def _raw(form: Mapping[str, str]) -> dict[str, Any]:
    """The form as JSON: one value as a string, repeated keys as a list."""
    if not isinstance(form, MultiDict):
        return dict(form)
    return {k: (vs[0] if len(vs := form.getall(k)) == 1 else vs) for k in form.keys()}


def same_number(a: str, b: str) -> bool:
    """True when two phone numbers written differently are the same number."""
    def canon(x: str) -> str:
        x = strip_channel(x)
        return normalize_hp(x) or re.sub(r"\D", "", x)

    return bool(a and b) and canon(a) == canon(b)


def kantor_for(c: Container, to: str | None) -> int:
    """The kantor whose WhatsApp number received the message (the first one by default)."""
    if to and len(c.settings.kantor) > 1:
        for cfg in c.settings.kantor:
            if cfg.whatsapp and same_number(cfg.whatsapp, to):
                return c.kantor_by_kode[cfg.kode]
    return c.default_kantor_id


def take_status(c: Container, kantor_id: int, sid: str, state: str,
                error_code: str | None) -> str:
    """Record a status callback, or keep it as a job when its sid is not stored yet.

    The callback can beat the outbox worker's commit of the sid; the job applies it later.
    """
    with Session(c.db.engine) as s:
        result = apply_status(s, c, sid, state, error_code)
        if result == "unknown":
            now = c.clock.now()
            s.add(JobRow(kantor_id=kantor_id, kind=STATUS_JOB, next_at=now + timedelta(seconds=1),
                         created_at=now, payload={"sid": sid, "state": state,
                                                  "error_code": error_code},
                         dedup_key=f"{STATUS_JOB}:{sid}:{state}"[:128]))
            result = "deferred"
        try:
            s.commit()
        except IntegrityError:  # the same callback again: its job is already waiting
            return "deferred"
    if result == "updated":
        c.db.wake("outbox")  # it may have queued the template resend
    elif result == "deferred":
        c.db.wake("job")
    return result


STATUS_JOB = "status_twilio"


class StatusBelumTercatat(RuntimeError):
    """The message of a status callback has no stored sid yet; retried with backoff."""


def status_job(c: Container, uow: Any, payload: dict[str, Any]) -> None:
    """A status callback that came early, applied once its message's sid is stored."""
    result = apply_status(uow.session, c, payload["sid"], payload["state"],
                          payload.get("error_code"))
    if result == "unknown":
        raise StatusBelumTercatat(payload["sid"])
    STATUS.labels("late_" + result).inc()


def apply_status(s: Session, c: Container, sid: str, state: str, error_code: str | None) -> str:
    """Record the status; a 63016 failure resends the message as its approved template, or
    holds it for the citizen's next message."""
    result = record_status(s, sid, state, error_code)
    if result == "updated" and error_code == WINDOW_CLOSED:
        resend_as_template(s, c, sid)
    return result


def record_status(s: Session, sid: str, state: str, error_code: str | None) -> str:
    """Move the outbox row sent as `sid` to `state`; returns what happened (for metrics).

    One conditional UPDATE, so two callbacks racing cannot move the status backwards:
    an ordered status applies only over an earlier one (or none); a failure always
    applies and appends its ErrorCode to `last_error`. The caller commits.
    """
    t = OutboxRow.__table__
    if not _SID.match(sid or "") or not (state in STATUS_ORDER or state in FAILURES):
        return "ignored"
    stmt = update(t).where(t.c.provider_id == sid)
    if state in FAILURES:
        note = f"twilio {state}" + (f" {error_code}" if error_code else "")
        last = func.coalesce(t.c.last_error + "; ", "") + note
        stmt = stmt.values(delivery_status=state, last_error=func.substr(last, 1, 2000))
    else:
        earlier = [k for k, rank in STATUS_ORDER.items() if rank < STATUS_ORDER[state]]
        stmt = stmt.where(or_(t.c.delivery_status.is_(None), t.c.delivery_status.in_(earlier)))
        stmt = stmt.values(delivery_status=state)
    if s.execute(stmt).rowcount:
        return "updated"
    known = s.execute(select(t.c.id).where(t.c.provider_id == sid).limit(1)).first()
    return "stale" if known else "unknown"


def resend_as_template(s: Session, c: Container, sid: str) -> bool:
    """A message refused outside the 24-hour window goes again as its approved template;
    with none configured a copy waits (status `jendela`) for the citizen's next message."""
    from bot.channels.twilio_sender import template_kabar

    row = s.execute(select(OutboxRow).where(OutboxRow.provider_id == sid)).scalars().first()
    if row is None or "template" in row.message:
        return False
    later = s.execute(select(OutboxRow.message).where(
        OutboxRow.channel == row.channel, OutboxRow.recipient == row.recipient,
        OutboxRow.id > row.id)).scalars()
    if any(m.get("ulang_dari") == row.id for m in later):
        return False  # a repeated callback: the template is already on its way
    template = template_kabar(c.settings, row.message)
    message = ({"template": template, "ulang_dari": row.id} if template is not None
               else {**row.message, "ulang_dari": row.id})
    s.add(OutboxRow(kantor_id=row.kantor_id, channel=row.channel, recipient=row.recipient,
                    message=message, status="pending" if template is not None else "jendela",
                    delivery_status=None if template is not None else "menunggu_jendela",
                    next_at=datetime.now(UTC), created_at=datetime.now(UTC)))
    return True
