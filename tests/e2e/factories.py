"""Real-shaped provider payloads for the end-to-end tests (Twilio's WhatsApp webhook)."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from twilio.request_validator import RequestValidator

from tests.e2e.fake_twilio import ACCOUNT_SID

SANDBOX_NUMBER = "whatsapp:+14155238886"

_MESSAGE_TYPE = {"image": "image", "audio": "audio", "video": "video", "text": "document",
                 "application": "document"}


def new_sid(prefix: str = "SM") -> str:
    """A 34-character Twilio sid (`SM…`, `MM…`)."""
    return prefix + secrets.token_hex(16)


def make_twilio_form(
    body: str = "", from_: str = "whatsapp:+6281234567890",
    media: Iterable[str | tuple[str, str]] = (), message_sid: str | None = None,
    **extra: str | None,
) -> dict[str, str]:
    """The form Twilio posts for one inbound WhatsApp message.

    `media` items are URLs (sent as image/jpeg) or (url, content type) pairs. `extra`
    adds or overrides fields (`ButtonPayload=…`, `Latitude=…`); `None` removes one.
    """
    items = [(m, "image/jpeg") if isinstance(m, str) else m for m in media]
    sid = message_sid or new_sid("MM" if items else "SM")
    if items:
        major = items[0][1].split("/")[0]
        message_type = "sticker" if items[0][1] == "image/webp" else _MESSAGE_TYPE.get(
            major, "document")
    else:
        message_type = "text"
    form = {
        "SmsMessageSid": sid, "NumMedia": str(len(items)), "ProfileName": "Budi Santoso",
        "MessageType": message_type, "SmsSid": sid, "WaId": from_.split("+")[-1],
        "SmsStatus": "received", "Body": body, "To": SANDBOX_NUMBER, "NumSegments": "1",
        "ReferralNumMedia": "0", "MessageSid": sid, "AccountSid": ACCOUNT_SID,
        "From": from_, "ApiVersion": "2010-04-01",
    }
    for n, (url, content_type) in enumerate(items):
        form[f"MediaContentType{n}"] = content_type
        form[f"MediaUrl{n}"] = url
    for key, value in extra.items():
        if value is None:
            form.pop(key, None)
        else:
            form[key] = value
    return form


def sign(url: str, form: dict[str, str], token: str) -> str:
    """The `X-Twilio-Signature` Twilio would send for `form` posted to `url`."""
    return RequestValidator(token).compute_signature(url, form)
