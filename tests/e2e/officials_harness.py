"""Drive both sides of the running app: citizens on WhatsApp, officials on Telegram.

`Office` serves a real `create_app(container)` (workers running) configured with BOTH
channels: Twilio (signed webhooks in, a fake Twilio REST API out) and a Telegram bot in
webhook mode (python-telegram-bot pointed at a fake Bot API through the base URLs).

Officials act as Telegram would make them act: their messages and button presses are
real-shaped `Update` JSON posted to `/webhooks/telegram` with the secret header. A press
carries the `callback_data` of a button the fake Bot API received in an earlier
`sendMessage` for that chat (with the message as the fake now holds it: current text and
keyboard); a reply to a ForceReply question carries the fake's `message_id` of that
question. What officials received is read back from the fake Bot API's recorded calls
(`sendMessage`, `editMessageText`, `answerCallbackQuery`); what citizens received from
the fake Twilio. Nothing of our own code is replaced. Every wait polls with a deadline.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlmodel import Session, select

from domain import commands as cmd
from storage.tables import InboxRow, OutboxRow
from tests.e2e.fake_telegram import FakeTelegram
from tests.e2e.tg_factories import make_tg_update
from tests.e2e.whatsapp_harness import Citizen, WhatsApp, pdf, twilio_settings

TG_TOKEN = "123456:ABC-test"
TG_SECRET = "s3cret_token"
TG_HOOK = "/webhooks/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
NIK = "3171011708850003"
TZ = "Asia/Jakarta"

_query_ids = itertools.count(7_000_000_000_000_000_001)

# Scheduled texts that may reach an official at any moment: the job queue compares due
# times with the wall clock while the tests' container clock is fixed, so SLA reminders
# computed from the fixed clock can already be due (depending on when the suite runs).
SCHEDULED = ("tg_pengingat_sla", "tg_eskalasi", "tg_rekap", "tg_rekap_pengaduan")


def _scheduled_prefixes(container: Any) -> tuple[str, ...]:
    templates = getattr(container.pesan, "_t", {})
    heads = (str(templates.get(key, "")).split("{")[0].strip() for key in SCHEDULED)
    return tuple(h for h in heads if h)


def office_settings(fake_twilio: Any, fake_tg: FakeTelegram, **extra: Any) -> dict[str, Any]:
    """`make_container` keywords of a deployment with WhatsApp and a Telegram webhook bot."""
    return twilio_settings(
        fake_twilio, telegram_token=TG_TOKEN, telegram_webhook_secret=TG_SECRET,
        telegram_base_url=fake_tg.base_url, telegram_base_file_url=fake_tg.base_file_url,
        **extra)


@pytest.fixture
async def fake_bot_api():
    """A running fake Bot API that knows our bot's token."""
    fake = await FakeTelegram(token=TG_TOKEN).start()
    try:
        yield fake
    finally:
        await fake.close()


class Desk:
    """`ptsp-admin` as counter staff run it, on the office's database and files."""

    def __call__(self, *args: str, code: int = 0) -> str:
        """Run; the exit code must be `code`; stdout (or stderr when refused)."""
        from typer.testing import CliRunner

        from admin_cli.main import app as admin

        result = CliRunner().invoke(admin, list(args))
        assert result.exit_code == code, result.output
        assert "Traceback" not in result.output
        return result.stdout if code == 0 else result.stderr

    def json(self, *args: str) -> Any:
        """Run with `--json`; the object printed."""
        import json

        return json.loads(self(*args, "--json"))


# -- the queues ------------------------------------------------------------------------------

def _queues(engine: Any) -> tuple[list[InboxRow], list[OutboxRow]]:
    with Session(engine) as s:
        inbox = list(s.exec(select(InboxRow).order_by(InboxRow.id)))
        outbox = list(s.exec(select(OutboxRow).order_by(OutboxRow.id)))
    return inbox, outbox


def _describe(inbox: list[InboxRow], outbox: list[OutboxRow]) -> str:
    rows = [f"inbox {r.channel}/{r.provider_id} from {r.sender}: {r.status} "
            f"attempts={r.attempts} {r.last_error or ''}" for r in inbox[-15:]]
    rows += [f"outbox #{r.id} {r.channel} → {r.recipient}: {r.status} attempts={r.attempts} "
             f"{r.last_error or ''}" for r in outbox if r.status != "done"]
    return "\n".join(rows) or "(no rows)"


# -- Telegram --------------------------------------------------------------------------------

@dataclass
class Press:
    """What one button press got back: the callback answer and the new messages."""

    data: str
    query_id: str
    answer: str | None
    alert: bool
    texts: list[str]

    def __str__(self) -> str:
        return f"press {self.data}: answer={self.answer!r} alert={self.alert} texts={self.texts}"


@dataclass
class Telegram:
    """Officials' Telegram accounts talking to the served app through the fake Bot API."""

    office: Office
    fake: FakeTelegram

    @property
    def client(self) -> Any:
        return self.office.client

    async def post(self, update: dict[str, Any], secret: str | None = TG_SECRET) -> Any:
        headers = {SECRET_HEADER: secret} if secret is not None else {}
        return await self.client.post(TG_HOOK, json=update, headers=headers)

    async def deliver(self, update: dict[str, Any]) -> None:
        """POST as Telegram does and check the answer: 200 `{}`."""
        resp = await self.post(update)
        assert resp.status == 200, f"telegram webhook answered {resp.status}"
        assert await resp.json() == {}

    def answers(self, query_id: str) -> list[dict[str, Any]]:
        return [c["params"] for c in self.fake.calls_to("answerCallbackQuery")
                if c["params"].get("callback_query_id") == query_id]


@dataclass
class Official:
    """One petugas's Telegram account (a private chat with the bot)."""

    tg: Telegram
    uid: int
    first_name: str
    _seen: int = 0  # calls of the fake already read by `take`

    # -- what the bot sent here ---------------------------------------------------------
    def messages(self) -> list[dict[str, Any]]:
        """The chat as the fake holds it now (edits applied), oldest first."""
        return self.tg.fake.sent(self.uid)

    def calls(self, method: str | None = None) -> list[dict[str, Any]]:
        return [c for c in self.tg.fake.calls if c["params"].get("chat_id") == self.uid
                and (method is None or c["method"] == method)]

    def texts(self) -> list[str]:
        """Every text the bot sent to this chat (sendMessage), in order, without the
        scheduled reminders and recaps."""
        return [t for c in self.calls("sendMessage")
                if not self.tg.office.is_scheduled(t := c["params"]["text"])]

    def last_message(self) -> dict[str, Any]:
        """The newest message in the chat that is not a scheduled reminder or recap."""
        return next(m for m in reversed(self.messages())
                    if not self.tg.office.is_scheduled(m.get("text", "")))

    def last_text(self) -> str:
        texts = self.texts()
        return texts[-1] if texts else ""

    def take(self) -> list[str]:
        """The texts sent here since the last `take`."""
        calls = self.tg.fake.calls
        new = calls[self._seen:]
        self._seen = len(calls)
        return [c["params"]["text"] for c in new if c["method"] == "sendMessage"
                and c["params"].get("chat_id") == self.uid
                and not self.tg.office.is_scheduled(c["params"]["text"])]

    def edits(self) -> list[dict[str, Any]]:
        return self.calls("editMessageText")

    def find(self, label: str, *, containing: str | None = None
             ) -> tuple[dict[str, Any], str]:
        """The newest message here with a button `label` (exact, else a prefix/substring),
        optionally only messages whose text contains `containing`; (message, callback_data)."""
        for msg in reversed(self.messages()):
            if containing is not None and containing not in msg.get("text", ""):
                continue
            buttons = [b for row in (msg.get("reply_markup") or {}).get("inline_keyboard", [])
                       for b in row if "callback_data" in b]
            for match in (lambda t: t == label, lambda t: label in t):
                for b in buttons:
                    if match(b["text"]):
                        return msg, b["callback_data"]
        shown = [(m["message_id"], m.get("text", "")[:50],
                  [b["text"] for row in (m.get("reply_markup") or {}).get("inline_keyboard", [])
                   for b in row]) for m in self.messages()[-4:]]
        raise AssertionError(f"no button {label!r} in the chat of {self.first_name}: {shown}")

    def ask_ref(self) -> dict[str, Any]:
        """The newest ForceReply question sent here, as the fake holds it."""
        asks = [c["params"]["text"] for c in self.calls("sendMessage")
                if (c["params"].get("reply_markup") or {}).get("force_reply")]
        assert asks, f"no ForceReply question was sent to {self.first_name}"
        for msg in reversed(self.messages()):
            if msg.get("text") == asks[-1]:
                return msg
        raise AssertionError(f"question {asks[-1]!r} not found in the chat")

    # -- acting -------------------------------------------------------------------------
    def message_update(self, text: str, *, reply_to: dict[str, Any] | None = None
                       ) -> dict[str, Any]:
        update = make_tg_update(text, from_id=self.uid, first_name=self.first_name,
                                reply_to_message_id=reply_to["message_id"] if reply_to else None)
        if reply_to is not None:  # the replied-to message as Telegram embeds it
            update["message"]["reply_to_message"] = copy.deepcopy(reply_to)
        return update

    def press_update(self, data: str, message: dict[str, Any]) -> dict[str, Any]:
        """A callback_query update: this user pressed the button `data` on `message`."""
        update = make_tg_update(from_id=self.uid, first_name=self.first_name,
                                callback_data=data, message_id=message["message_id"])
        query = update["callback_query"]
        query["id"] = str(next(_query_ids))
        msg = copy.deepcopy(message)
        msg["chat"] = query["message"]["chat"]  # the presser's own chat
        query["message"] = msg
        return update

    async def say(self, text: str, *, reply_to: dict[str, Any] | None = None) -> list[str]:
        """Send a message; the texts the bot sent back to this chat."""
        return await self.send(self.message_update(text, reply_to=reply_to))

    async def send(self, update: dict[str, Any]) -> list[str]:
        """Deliver a message update; the texts the bot sent back to this chat."""
        self.take()
        await self.tg.deliver(update)
        await self.tg.office.settle(tg=[update["update_id"]])
        return self.take()

    async def reply(self, text: str) -> list[str]:
        """Answer the newest ForceReply question as a Telegram reply to it."""
        return await self.say(text, reply_to=self.ask_ref())

    async def press(self, label: str, *, on: Official | None = None,
                    containing: str | None = None) -> Press:
        """Press the newest button `label` in the chat of `on` (default: my own)."""
        message, data = (on or self).find(label, containing=containing)
        return await self.press_data(data, message)

    async def press_data(self, data: str, message: dict[str, Any]) -> Press:
        update = self.press_update(data, message)
        self.take()
        await self.tg.deliver(update)
        await self.tg.office.settle(tg=[update["update_id"]])
        return self.pressed(update)

    def pressed(self, update: dict[str, Any]) -> Press:
        """The outcome of a press already delivered and settled."""
        query = update["callback_query"]
        answers = self.tg.answers(query["id"])
        assert len(answers) <= 1, f"callback query answered {len(answers)} times: {answers}"
        a = answers[0] if answers else {}
        return Press(data=query["data"], query_id=query["id"], answer=a.get("text"),
                     alert=bool(a.get("show_alert")), texts=self.take())


# -- both sides -------------------------------------------------------------------------------

@dataclass
class Office:
    client: Any  # aiohttp TestClient of create_app(container)
    container: Any
    wa: WhatsApp
    fake_tg: FakeTelegram
    timeout: float = 15.0
    tg: Telegram = field(init=False)
    officials: dict[int, Official] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.tg = Telegram(self, self.fake_tg)
        self.scheduled_prefixes = _scheduled_prefixes(self.container)

    def is_scheduled(self, text: str) -> bool:
        """A reminder, escalation or recap from the job queue (not an answer to anyone)."""
        return text.startswith(self.scheduled_prefixes)

    def pesan(self, key: str, **kw: Any) -> str:
        return self.container.pesan(key, **kw)

    # -- waiting ------------------------------------------------------------------------
    async def settle(self, *, tg: Iterable[int] = (), wa: Iterable[str] = (),
                     timeout: float | None = None) -> None:
        """Wait until these updates/messages are handled and the outbox is empty."""
        want = {("telegram", str(u)) for u in tg} | {("whatsapp", str(s)) for s in wa}
        loop = asyncio.get_running_loop()
        deadline = loop.time() + (timeout or self.timeout)
        while True:
            inbox, outbox = await asyncio.to_thread(_queues, self.container.db.engine)
            done = {(r.channel, r.provider_id) for r in inbox if r.status == "done"}
            busy = [r for r in outbox if r.status in ("pending", "running")]
            if want <= done and not busy:
                return
            if loop.time() > deadline:
                raise AssertionError(f"not settled after {timeout or self.timeout} s:\n"
                                     + _describe(inbox, outbox))
            await asyncio.sleep(0.02)

    async def assert_clean(self) -> None:
        """Nothing failed: every inbound handled, every outbound delivered."""
        await self.settle()
        inbox, outbox = await asyncio.to_thread(_queues, self.container.db.engine)
        bad = [r for r in inbox if r.status != "done"] + [r for r in outbox if r.status != "done"]
        assert not bad, "unhandled or failed rows:\n" + _describe(inbox, outbox)

    # -- people -------------------------------------------------------------------------
    def citizen(self, phone: str) -> Citizen:
        return self.wa.citizen(phone)

    def official(self, uid: int, first_name: str) -> Official:
        return self.officials.setdefault(uid, Official(self.tg, uid, first_name))

    def add_petugas(self, nama: str, role: str, jabatan: str | None = None,
                    tugas: Iterable[str] = ()) -> tuple[int, str]:
        """Create a petugas with the domain command; (id, one-time link code)."""
        c = self.container
        with c.uow() as uow:
            p = c.bus.handle(cmd.TambahPetugas(nama=nama, role=role, jabatan=jabatan,
                                               tugas=tuple(tugas)), uow)
        return p.id, p.kode_tautan

    async def hire(self, uid: int, nama: str, role: str, jabatan: str | None = None,
                   tugas: Iterable[str] = ()) -> Official:
        """A petugas created and linked by sending `/start KODE` from Telegram."""
        _, kode = self.add_petugas(nama, role, jabatan, tugas)
        o = self.official(uid, nama.split()[-1])
        out = await o.say(f"/start {kode}")
        assert any(f"Selamat datang, {nama}" in t and "terhubung" in t for t in out), out
        return o

    # -- reading the store --------------------------------------------------------------
    def permohonan(self, nomor: str) -> dict[str, Any]:
        """`ptsp-admin permohonan show NOMOR --json`, through the same view."""
        from admin_cli.views import permohonan_json

        with self.container.uow() as uow:
            p = uow.permohonan.get(nomor)
            assert p is not None, f"{nomor} not stored"
            return permohonan_json(p, uow, TZ, detail=True)

    def status(self, nomor: str) -> str:
        with self.container.uow() as uow:
            return str(uow.permohonan.get(nomor).status)


# -- citizens' scripts ------------------------------------------------------------------------

async def register(c: Citizen, nama: str = "Budi Santoso", nik: str = NIK) -> None:
    """Register on WhatsApp as a perorangan pemohon."""
    assert "Perorangan" in await c.say("saya mau daftar")
    assert "nama lengkap" in await c.say("1")
    assert "NIK" in await c.say(nama)
    assert c.phone in await c.say(nik)
    assert "alamat" in await c.say("ya")
    assert "SETUJU" in await c.say("Jl. Merdeka No. 1, Kel. Gambir, Jakarta Pusat")
    assert "tersimpan" in await c.say("setuju")


async def ajukan_audiensi(c: Citizen, nama: str = "Budi Santoso", nik: str = NIK) -> str:
    """Register, ask for an audiensi with the Kakanwil with a PDF letter; the nomor."""
    await register(c, nama, nik)
    out = await c.say("sy mau audiensi dengan kakanwil")
    assert "Permohonan Audiensi ini untuk siapa" in out, out
    await c.say("1")
    await c.say("Silaturahmi dan koordinasi kegiatan MTQ tingkat provinsi")
    out = await c.say("besok jam 10")
    assert "Kirim dokumen" in out and "Surat permohonan audiensi" in out, out
    out = await c.send_file("surat.pdf", pdf("Surat permohonan audiensi kepada Kakanwil"),
                            "application/pdf")
    assert "1 file" in out, out
    out = await c.say("selesai")
    assert "Ringkasan permohonan" in out and "Lampiran: 1 file" in out, out
    out = await c.say("ya")
    assert out.startswith("*Bukti Pengajuan Permohonan*"), out
    [nomor] = set(re.findall(r"PTSP-\d{6}-\d{4}", out))
    return nomor

