"""Hostile input and a hung provider, end to end (issue 10).

- The Twilio webhook checks the signature before reading the body beyond 64 KiB:
  unsigned requests get 403 unread whatever their size or encoding, never 500.
- NUL and the other control characters never reach the store (PostgreSQL refuses NUL),
  from Twilio forms and Telegram updates alike; a property test (hypothesis) of the form
  handling: never 500, unsigned always 403, no control character stored.
- A Twilio REST call that hangs for one citizen does not stop the replies to another:
  the call is abandoned after `outbound.timeout_seconds` and retried by the outbox; nor
  does one citizen's slow media download delay the replies to others (each row holds
  one worker slot; before, the whole claimed batch waited for its slowest row).
- A 7000×7000 PNG is refused politely, before it is decoded.
"""

from __future__ import annotations

import asyncio
import re
import struct
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer, make_mocked_request
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from bot.app import wire
from bot.channels.telegram import translate_update
from bot.channels.twilio import TWIML_EMPTY, twilio_routes
from bot.server import create_app
from storage.tables import InboxRow, OutboxRow, PemohonRow
from tests.conftest import make_container
from tests.e2e.factories import make_twilio_form, sign
from tests.e2e.fake_twilio import ACCOUNT_SID, AUTH_TOKEN
from tests.e2e.tg_factories import make_tg_update
from tests.e2e.whatsapp_harness import PUBLIC_URL, WhatsApp, jpeg, twilio_settings
from tests.fakes import FixedClock

HOOK = "/webhooks/twilio"
MAX_FORM_BYTES = 64 * 1024  # the cap of bot.channels.twilio (Twilio's posts are a few KB)
STATUS_HOOK = "/webhooks/twilio/status"
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
FORM = "application/x-www-form-urlencoded"
SETTINGS = {"twilio_account_sid": ACCOUNT_SID, "twilio_auth_token": AUTH_TOKEN,
            "twilio_whatsapp_from": "whatsapp:+14155238886", "public_url": PUBLIC_URL,
            "twilio_api_base_url": "http://127.0.0.1:9", "sandbox": "off"}


# -- fixtures and helpers --------------------------------------------------------------------

def webhook_container(url: str, tmp_path, clock):
    c = make_container(url, tmp_path / "data", clock, **SETTINGS)
    c.extras["routes"] = [twilio_routes(c)]
    return c


@pytest.fixture
async def hook(db_url, tmp_path, clock, aiohttp_client):
    """The Twilio webhook alone (no workers) on SQLite and PostgreSQL."""
    c = webhook_container(db_url, tmp_path, clock)
    return c, await aiohttp_client(create_app(c, run_workers=False))


@pytest.fixture
async def sqlite_hook(tmp_path, clock, aiohttp_client):
    c = webhook_container(f"sqlite:///{tmp_path / 'ptsp.db'}", tmp_path, clock)
    return c, await aiohttp_client(create_app(c, run_workers=False))


def inbox(c) -> list[InboxRow]:
    with Session(c.db.engine) as s:
        return list(s.exec(select(InboxRow).order_by(InboxRow.id)))


def no_control_characters(value: Any) -> bool:
    """True when no string inside `value` (dicts and lists walked) has a control char."""
    if isinstance(value, str):
        return CONTROL.search(value) is None
    if isinstance(value, dict):
        return all(no_control_characters(k) and no_control_characters(v)
                   for k, v in value.items())
    if isinstance(value, list | tuple):
        return all(no_control_characters(v) for v in value)
    return True


def signed_headers(form: dict[str, str], path: str = HOOK) -> dict[str, str]:
    return {"X-Twilio-Signature": sign(PUBLIC_URL + path, form, AUTH_TOKEN)}


class SpyStream:
    """A request body that records how much of it the handler read."""

    def __init__(self, size: int, chunk: int = 8192):
        self.left, self.chunk, self.consumed = size, chunk, 0

    def _take(self, n: int) -> bytes:
        n = min(self.left, self.chunk, n if n >= 0 else self.chunk)
        self.left -= n
        self.consumed += n
        return b"A" * n

    async def read(self, n: int = -1) -> bytes:
        return self._take(n)

    async def readany(self) -> bytes:
        return self._take(self.chunk)

    async def readexactly(self, n: int) -> bytes:
        return self._take(n)

    def at_eof(self) -> bool:
        return self.left == 0

    def exception(self) -> None:
        return None


def inbound_handler(c) -> Callable[[web.Request], Any]:
    app = web.Application()
    twilio_routes(c)(app)
    return next(r.handler for r in app.router.routes()
                if r.method == "POST" and r.resource.canonical == HOOK)


# -- the body is not read before the signature ----------------------------------------------

@pytest.mark.parametrize("size", [10, MAX_FORM_BYTES * 4, 31 * 1024 * 1024])
async def test_an_unsigned_request_is_refused_unread_whatever_its_size(
        sqlite_hook, size):
    c, _ = sqlite_hook
    body = SpyStream(size)
    request = make_mocked_request("POST", HOOK, payload=body, headers={
        "Content-Type": FORM, "Content-Length": str(size)})
    resp = await inbound_handler(c)(request)
    assert resp.status == 403
    assert body.consumed == 0
    assert inbox(c) == []


async def test_an_oversized_signed_request_is_413_without_reading_it(sqlite_hook):
    c, _ = sqlite_hook
    declared = SpyStream(MAX_FORM_BYTES * 16)
    resp = await inbound_handler(c)(make_mocked_request("POST", HOOK, payload=declared, headers={
        "Content-Type": FORM, "Content-Length": str(MAX_FORM_BYTES * 16),
        "X-Twilio-Signature": "c2lnbmF0dXJl"}))
    assert resp.status == 413 and declared.consumed == 0
    chunked = SpyStream(MAX_FORM_BYTES * 16)  # no Content-Length: read up to the cap only
    resp = await inbound_handler(c)(make_mocked_request("POST", HOOK, payload=chunked, headers={
        "Content-Type": FORM, "Transfer-Encoding": "chunked",
        "X-Twilio-Signature": "c2lnbmF0dXJl"}))
    assert resp.status == 413 and chunked.consumed <= MAX_FORM_BYTES + 1
    assert inbox(c) == []


async def test_over_http_unsigned_is_403_and_oversized_signed_is_413(sqlite_hook):
    c, client = sqlite_hook
    big = b"Body=" + b"x" * (2 * 1024 * 1024)
    resp = await client.post(HOOK, data=big, headers={"Content-Type": FORM})
    assert resp.status == 403 and await resp.text() == ""
    resp = await client.post(HOOK, data=big, headers={"Content-Type": FORM,
                                                      "X-Twilio-Signature": "Zm9yZ2Vk"})
    assert resp.status == 413
    resp = await client.post(STATUS_HOOK, data=big, headers={"Content-Type": FORM})
    assert resp.status == 403
    assert inbox(c) == []


@pytest.mark.parametrize("body, content_type", [
    (b"Body=\xff\xfe\xfd&From=whatsapp%3A%2B6281234567890", FORM),
    (b"Body=%FF%FE&AccountSid=" + ACCOUNT_SID.encode(), FORM),
    (b"\x00\x01\x02\xc3\x28", FORM),
    (b"\xff" * 100, "application/x-www-form-urlencoded; charset=latin-1"),
    (b'{"Body": "halo"}', "application/json"),
    (b"--x\r\nContent-Disposition: form-data; name=\"Body\"\r\n\r\nhalo\r\n--x--",
     "multipart/form-data; boundary=x"),
])
@pytest.mark.parametrize("signature", [None, "Zm9yZ2Vk"])
async def test_a_body_that_is_not_utf8_form_data_gets_403_never_500(
        sqlite_hook, body, content_type, signature):
    c, client = sqlite_hook
    headers = {"Content-Type": content_type}
    if signature:
        headers["X-Twilio-Signature"] = signature
    for path in (HOOK, STATUS_HOOK):
        resp = await client.post(path, data=body, headers=headers)
        assert resp.status == 403, path
    assert inbox(c) == []


async def test_a_signed_form_still_works(sqlite_hook):
    c, client = sqlite_hook
    form = make_twilio_form(body="Assalamualaikum")
    resp = await client.post(HOOK, data=form, headers=signed_headers(form))
    assert resp.status == 200 and await resp.text() == TWIML_EMPTY
    assert [r.provider_id for r in inbox(c)] == [form["MessageSid"]]


# -- control characters ------------------------------------------------------------------------

async def test_nul_and_control_characters_are_stripped_before_storing(hook):
    """On PostgreSQL a NUL in any stored text fails the insert; here it never gets there."""
    c, client = hook
    form = make_twilio_form(body="Nama saya Bu\x00di\x07 Santoso\r\nNIK\t3171",
                            ProfileName="Bu\x00di\x1b[0m", Address="Jl.\x00 Merdeka\x7f No. 1",
                            ButtonPayload="daftar\x00")
    resp = await client.post(HOOK, data=form, headers=signed_headers(form))
    assert resp.status == 200
    [row] = inbox(c)
    p = row.payload
    assert p["text"] == "Nama saya Budi Santoso\nNIK\t3171"
    assert p["profile_name"] == "Budi[0m"
    assert p["button_payload"] == "daftar"
    assert p["raw"]["Address"] == "Jl. Merdeka No. 1"
    assert no_control_characters(p)


def test_a_telegram_update_loses_its_control_characters_too():
    update = make_tg_update(text="/start KODE\x00123\x1b", first_name="Ani\x00\x08")
    msg = translate_update(update, datetime.now(UTC))
    assert msg is not None
    assert msg.text == "/start KODE123" and msg.profile_name == "Ani Santoso"
    query = make_tg_update(callback_data="d:1:setuju\x00")
    msg = translate_update(query, datetime.now(UTC))
    assert msg is not None and msg.button_payload == "d:1:setuju"
    assert no_control_characters(msg.to_payload())


# -- property: never 500, unsigned always 403, no control character stored -------------------

texts = st.text(st.characters(codec="utf-8", min_codepoint=0, max_codepoint=0x2FFF),
                max_size=30) | st.sampled_from(["\x00", "a\x00b", "\r\n", "\x1b[31m", "\x7f",
                                                 "\ufeff", "\u202e", "%00", "+&="])
extra_fields = st.dictionaries(st.builds(lambda k: "X" + k, texts), texts, max_size=4)


def test_twilio_form_handling_holds_for_any_input(tmp_path):
    """Hypothesis drives one served webhook (SQLite) with signed, unsigned and forged
    forms of arbitrary text, and with arbitrary bytes."""
    loop = asyncio.new_event_loop()
    c = webhook_container(f"sqlite:///{tmp_path / 'ptsp.db'}", tmp_path,
                          FixedClock(datetime(2026, 11, 24, 2, 0, tzinfo=UTC)))
    client = TestClient(TestServer(create_app(c, run_workers=False)), loop=loop)
    loop.run_until_complete(client.start_server())

    def post(**kw: Any) -> tuple[int, str]:
        async def go() -> tuple[int, str]:
            resp = await client.post(HOOK, **kw)
            return resp.status, await resp.text()
        return loop.run_until_complete(go())

    def stored() -> int:
        with Session(c.db.engine) as s:
            return len(list(s.exec(select(InboxRow.id))))

    common = settings(max_examples=120, deadline=None, database=None,
                      suppress_health_check=[HealthCheck.too_slow])

    @common
    @given(body=texts, name=texts, extra=extra_fields,
           mode=st.sampled_from(["signed", "unsigned", "forged"]))
    def forms(body: str, name: str, extra: dict[str, str], mode: str) -> None:
        form = make_twilio_form(body=body, ProfileName=name, **extra)
        headers = {"signed": signed_headers(form), "unsigned": {},
                   "forged": {"X-Twilio-Signature": sign(PUBLIC_URL + HOOK, form, "x")}}[mode]
        before = stored()
        status, _ = post(data=urlencode(form).encode(),
                         headers={"Content-Type": FORM, **headers})
        if mode != "signed":
            assert status == 403 and stored() == before
            return
        assert status == 200
        with Session(c.db.engine) as s:
            row = s.exec(select(InboxRow).where(
                InboxRow.provider_id == form["MessageSid"])).one()
        assert no_control_characters(row.payload)
        expected = CONTROL.sub("", body.replace("\r\n", "\n")) or None
        assert row.payload["text"] == expected

    @common
    @given(raw=st.binary(max_size=3000), signature=st.none() | st.text(max_size=40),
           content_type=st.sampled_from([FORM, "text/plain", "application/octet-stream"]))
    def bytes_(raw: bytes, signature: str | None, content_type: str) -> None:
        headers = {"Content-Type": content_type}
        if signature is not None and signature.isascii() and signature.isprintable():
            headers["X-Twilio-Signature"] = signature
        before = stored()
        status, _ = post(data=raw, headers=headers)
        assert status == 403 and stored() == before

    try:
        forms()
        bytes_()
    finally:
        loop.run_until_complete(client.close())
        loop.close()


# -- the served app: a hung Twilio, a NUL in a name, a huge image ---------------------------

@pytest.fixture
def serve(tmp_path, clock, nlu_parser, fake_twilio, aiohttp_client):
    """The app with its workers, against the fake Twilio."""

    async def start(url: str | None = None, **extra: Any) -> WhatsApp:
        url = url or f"sqlite:///{tmp_path / 'ptsp.db'}"
        c = wire(make_container(url, tmp_path / "data", clock,
                                **twilio_settings(fake_twilio, **extra)), nlu=nlu_parser)
        client = await aiohttp_client(create_app(c))
        return WhatsApp(client, c, fake_twilio, timeout=30.0)

    return start


async def until(check: Callable[[], Any], timeout: float, what: str) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        if loop.time() > deadline:
            raise AssertionError(f"{what}: not within {timeout} s")
        await asyncio.sleep(0.05)


async def test_a_hung_twilio_call_does_not_stop_the_replies_to_others(serve):
    wa = await serve(outbound={"timeout_seconds": 1.5})
    hung, other = "+6281100000001", "+6281200000002"
    wa.fake.hang("whatsapp:" + hung)
    first = wa.form(hung, "assalamualaikum")
    await wa.deliver(first)
    await until(lambda: wa.fake.hanging >= 1, 20, "the reply to the first citizen hangs")
    second = wa.form(other, "assalamualaikum")
    await wa.deliver(second)
    await until(lambda: wa.sent_to(other), 25, "the other citizen's reply")
    assert wa.fake.hanging >= 1  # the hung call is still held by Twilio
    assert wa.sent_to(hung) == []

    def timed_out() -> bool:
        with Session(wa.container.db.engine) as s:
            return any("TwilioTimeout" in (r.last_error or "") for r in s.exec(
                select(OutboxRow).where(OutboxRow.recipient == hung)))

    await until(timed_out, 20, "the hung call given up after the timeout and retried")
    wa.fake.release()
    await wa.settle([first["MessageSid"], second["MessageSid"]], timeout=40)
    replies_hung, replies_other = wa.take(hung), wa.take(other)
    assert replies_hung and replies_hung == replies_other  # retried, and sent only once
    with Session(wa.container.db.engine) as s:
        rows = list(s.exec(select(OutboxRow).where(OutboxRow.recipient == hung)))
    assert rows and all(r.status == "done" for r in rows)
    assert max(r.attempts for r in rows) >= 2


async def test_a_slow_media_download_does_not_delay_the_replies_to_others(db_url, serve):
    wa = await serve(db_url)
    slow, other = "+6281100000003", "+6281200000004"
    wa.fake.media_delay = 4.0  # one citizen's photo comes over a very slow link
    photo = wa.form(slow, media=[wa.media("ktp.jpg", jpeg(), "image/jpeg")])
    await wa.deliver(photo)
    await until(lambda: wa.fake.media_requests, 20, "the download has started")
    texts = [wa.form(f"+62812000001{i:02d}", "assalamualaikum") for i in range(3)]
    texts.append(wa.form(other, "jam buka kantor?"))
    for form in texts:
        await wa.deliver(form)
    # every other citizen is answered while the photo is still on its way
    await until(lambda: all(wa.sent_to(f["From"].removeprefix("whatsapp:")) for f in texts),
                20, "the other citizens' replies")
    assert wa.sent_to(slow) == [], "the slow download was expected to be still running"
    wa.fake.media_delay = 0.0
    await wa.settle([photo["MessageSid"]] + [f["MessageSid"] for f in texts], timeout=40)
    assert wa.take(slow)


async def test_a_nul_in_a_name_does_not_block_registration(db_url, serve):
    wa = await serve(db_url)
    budi = wa.citizen("+6281234567890")
    await budi.say("saya mau daftar")
    assert "nama lengkap" in await budi.say("1")
    assert "NIK" in await budi.say("Budi\x00 Santoso\x1b")
    assert budi.phone in await budi.say("3171011708850003")
    assert "alamat" in await budi.say("ya")
    out = await budi.say("Jl. Merdeka\x00 No. 1, Jakarta Pusat")
    assert "SETUJU" in out and "Budi Santoso" in out
    assert await budi.say("setuju") == wa.container.pesan("daftar_berhasil", nama="Budi Santoso")
    with Session(wa.container.db.engine) as s:
        [p] = list(s.exec(select(PemohonRow)))
    assert p.nama == "Budi Santoso" and "\x00" not in (p.alamat or "")


def big_png(width: int, height: int) -> bytes:
    """A valid 1-bit PNG: a few KB on the wire, width×height pixels once decoded."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    row = b"\x00" * (1 + (width + 7) // 8)
    z = zlib.compressobj(9)
    idat = b"".join(z.compress(row) for _ in range(height)) + z.flush()
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height,
                                                              1, 0, 0, 0, 0))
            + chunk(b"IDAT", idat) + chunk(b"IEND", b""))


async def test_a_7000_by_7000_png_is_refused_politely(serve):
    wa = await serve()
    data = big_png(7000, 7000)
    assert len(data) < 100_000
    out = await wa.citizen("+6281234567890").send_file("ktp.png", data, "image/png")
    assert out == wa.container.pesan("media_gambar_tidak_valid")
    files = wa.container.settings.data_dir / "files"
    assert not files.exists() or not any(p.is_file() for p in files.rglob("*"))
