"""Drive the running app as Twilio would: signed webhooks in, the fake Twilio REST API out.

`WhatsApp` posts real-shaped, correctly signed forms to `/webhooks/twilio` of a served
`create_app(container)` (workers running) and waits, polling with a deadline, until the
inbox rows of those messages are handled and every reply has left the outbox; the
replies are then read from what the fake Twilio received, per citizen, in order.
Nothing of our own code is replaced: only Twilio is fake.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, select

from bot.channels.twilio import TWIML_EMPTY
from storage.tables import InboxRow, OutboxRow
from tests.e2e.factories import make_twilio_form, sign
from tests.e2e.fake_twilio import FakeTwilio

PUBLIC_URL = "https://ptsp.example.go.id"
HOOK = "/webhooks/twilio"
FROM_NUMBER = "whatsapp:+14155238886"
SEP = "\n---\n"  # between the replies to one message, as `Chat.send` joins them


def twilio_settings(fake: FakeTwilio, **extra: Any) -> dict[str, Any]:
    """`make_container` keywords of a WhatsApp-only deployment talking to `fake`."""
    return {"twilio_account_sid": fake.account_sid, "twilio_auth_token": fake.auth_token,
            "twilio_whatsapp_from": FROM_NUMBER, "twilio_api_base_url": fake.url,
            "public_url": PUBLIC_URL, "sandbox": "off", **extra}


# -- files citizens send ---------------------------------------------------------------

def jpeg(size: tuple[int, int] = (640, 480), color: str = "white") -> bytes:
    """A photo of a document, sharp and large enough for the door's quality check."""
    from tests.gambar import dokumen

    return dokumen(size, color, "JPEG")


def png(size: tuple[int, int] = (480, 640), color: str = "white") -> bytes:
    from tests.gambar import dokumen

    return dokumen(size, color, "PNG")


def pdf(note: str = "Surat permohonan") -> bytes:
    body = f"1 0 obj<</Title ({note})>>endobj\n".encode()
    return b"%PDF-1.4\n" + body + b"trailer<<>>\n%%EOF\n"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# -- the driver --------------------------------------------------------------------------

@dataclass
class QueueState:
    inbox: list[InboxRow]
    outbox_open: list[OutboxRow]

    def settled(self, sids: Iterable[str]) -> bool:
        done = {r.provider_id for r in self.inbox if r.status == "done"}
        return set(sids) <= done and not self.outbox_open

    def describe(self) -> str:
        rows = [f"inbox {r.provider_id}: {r.status} attempts={r.attempts} {r.last_error or ''}"
                for r in self.inbox]
        rows += [f"outbox #{r.id} → {r.recipient}: {r.status} attempts={r.attempts} "
                 f"{r.last_error or ''}" for r in self.outbox_open]
        return "\n".join(rows) or "(no rows)"


@dataclass
class WhatsApp:
    """Citizens on WhatsApp talking to the served app through a fake Twilio."""

    client: Any  # aiohttp TestClient of create_app(container)
    container: Any
    fake: FakeTwilio
    timeout: float = 15.0
    _read: dict[str, int] = field(default_factory=dict)

    # -- webhooks ----------------------------------------------------------------------
    def form(self, phone: str, text: str | None = None, *,
             media: Iterable[tuple[str, str]] = (), sid: str | None = None,
             **extra: str | None) -> dict[str, str]:
        """The form Twilio posts when `phone` (`+62…`) sends `text` and/or `media`."""
        return make_twilio_form(body=text or "", from_="whatsapp:" + phone, media=media,
                                message_sid=sid, **extra)

    async def post(self, form: dict[str, str], *, token: str | None = None,
                   signature: str | None = None) -> Any:
        """POST the form signed as Twilio would (or with the given signature)."""
        if signature is None:
            signature = sign(PUBLIC_URL + HOOK, form, token or self.fake.auth_token)
        return await self.client.post(HOOK, data=form,
                                      headers={"X-Twilio-Signature": signature})

    async def deliver(self, form: dict[str, str]) -> None:
        """POST and check Twilio's answer: 200, empty TwiML."""
        resp = await self.post(form)
        body = await resp.text()
        assert resp.status == 200, f"webhook answered {resp.status}: {body}"
        assert resp.content_type == "text/xml" and body == TWIML_EMPTY

    async def send(self, phone: str, text: str | None = None, *,
                   media: Iterable[tuple[str, str]] = (), sid: str | None = None,
                   **extra: str | None) -> str:
        """One message from `phone`; the replies it received, joined by `SEP`."""
        form = self.form(phone, text, media=media, sid=sid, **extra)
        await self.deliver(form)
        await self.settle([form["MessageSid"]])
        return SEP.join(self.take(phone))

    def media(self, name: str, data: bytes, content_type: str) -> tuple[str, str]:
        """Put a file on the fake's media server; the (MediaUrl, MediaContentType) pair."""
        return self.fake.add_media(name, data, content_type), content_type

    # -- waiting and reading -----------------------------------------------------------
    def queue_state(self) -> QueueState:
        with Session(self.container.db.engine) as s:
            inbox = list(s.exec(select(InboxRow).order_by(InboxRow.id)))
            open_ = list(s.exec(select(OutboxRow).where(
                OutboxRow.status.in_(("pending", "running"))).order_by(OutboxRow.id)))
        return QueueState(inbox, open_)

    async def settle(self, sids: Iterable[str], timeout: float | None = None) -> None:
        """Wait until these messages are handled and no reply is left to send."""
        sids = list(sids)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + (timeout or self.timeout)
        while True:
            state = await asyncio.to_thread(self.queue_state)
            if state.settled(sids):
                return
            if loop.time() > deadline:
                raise AssertionError(f"not settled after {timeout or self.timeout} s:\n"
                                     + state.describe())
            await asyncio.sleep(0.02)

    def sent_to(self, phone: str) -> list[dict[str, Any]]:
        """Everything the fake Twilio accepted for this citizen, in order."""
        return [m for m in self.fake.messages if m["To"] == "whatsapp:" + phone]

    def take(self, phone: str) -> list[str]:
        """The bodies sent to `phone` since the last `take`, checking the sender number."""
        msgs = self.sent_to(phone)
        new = msgs[self._read.get(phone, 0):]
        self._read[phone] = len(msgs)
        for m in new:
            assert m["From"] == FROM_NUMBER, m
        return [m["Body"] or "" for m in new]

    def citizen(self, phone: str) -> Citizen:
        return Citizen(self, phone)


@dataclass
class Citizen:
    wa: WhatsApp
    phone: str

    async def say(self, text: str | None = None, **kw: Any) -> str:
        return await self.wa.send(self.phone, text, **kw)

    async def send_file(self, name: str, data: bytes, content_type: str,
                        caption: str | None = None) -> str:
        return await self.say(caption, media=[self.wa.media(name, data, content_type)])
