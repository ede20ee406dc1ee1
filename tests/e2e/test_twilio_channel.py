"""The Twilio WhatsApp channel end to end: signed webhooks into the inbox, the sender
against a fake Twilio REST API, status callbacks, and media downloads."""

from __future__ import annotations

import aiohttp
import pytest
from sqlmodel import Session, select

from bot.channels.twilio import TWIML_EMPTY, twilio_routes
from bot.channels.twilio_sender import TwilioSender, split_body
from bot.media import MediaGagalDiunduh, MediaTerlaluBesar, auth_allowed, download_media
from bot.outbox import make_outbox_handler
from bot.server import create_app
from bot.types import IncomingMessage
from bot.workers import PermanentError, QueueWorker
from storage.tables import InboxRow, OutboxRow
from tests.conftest import make_container
from tests.e2e.factories import make_twilio_form, new_sid, sign
from tests.e2e.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio

PUBLIC = "https://ptsp.example.go.id"
HOOK = "/webhooks/twilio"
STATUS_HOOK = "/webhooks/twilio/status"
CITIZEN = "+6281234567890"


@pytest.fixture
def make_channel(tmp_path, clock):
    made = []

    def make(**overrides):
        settings = {"twilio_account_sid": ACCOUNT_SID, "twilio_auth_token": AUTH_TOKEN,
                    "twilio_whatsapp_from": "whatsapp:+14155238886", "public_url": PUBLIC,
                    "twilio_api_base_url": "http://127.0.0.1:9"} | overrides
        c = make_container(f"sqlite:///{tmp_path / 'ptsp.db'}", tmp_path / "data", clock,
                           **settings)
        c.extras["routes"] = [twilio_routes(c)]
        made.append(c)
        return c

    yield make
    for c in made:
        c.db.dispose()


@pytest.fixture
async def channel(make_channel, aiohttp_client):
    c = make_channel()
    return c, await aiohttp_client(create_app(c, run_workers=False))


async def post(client, form, *, path=HOOK, signed_url=None, token=AUTH_TOKEN, signature=None):
    if signature is None:
        signature = sign(signed_url or PUBLIC + path, form, token)
    headers = {"X-Twilio-Signature": signature} if signature else {}
    return await client.post(path, data=form, headers=headers)


def inbox(c) -> list[InboxRow]:
    with Session(c.db.engine) as s:
        return list(s.exec(select(InboxRow).order_by(InboxRow.id)))


def outbox(c) -> list[OutboxRow]:
    with Session(c.db.engine) as s:
        return list(s.exec(select(OutboxRow).order_by(OutboxRow.id)))


# -- inbound webhook ---------------------------------------------------------------------

async def test_a_signed_message_is_stored_and_answered_with_empty_twiml(channel):
    c, client = channel
    form = make_twilio_form(body="Assalamualaikum, mau legalisir ijazah")
    resp = await post(client, form)
    assert resp.status == 200
    assert resp.content_type == "text/xml"
    assert await resp.text() == TWIML_EMPTY
    [row] = inbox(c)
    assert (row.channel, row.sender, row.provider_id) == ("whatsapp", CITIZEN, form["MessageSid"])
    assert row.kantor_id == c.default_kantor_id
    msg = IncomingMessage.from_row({"channel": row.channel, "sender": row.sender,
                                    "provider_id": row.provider_id, "payload": row.payload})
    assert msg.text == "Assalamualaikum, mau legalisir ijazah"
    assert (msg.kind, msg.profile_name, msg.to) == ("text", "Budi Santoso", "+14155238886")
    assert msg.raw["WaId"] == "6281234567890" and msg.media == ()


@pytest.mark.parametrize("case", ["forged", "unknown_account", "missing", "other_path"])
async def test_an_unauthenticated_request_gets_403_and_is_not_stored(channel, case):
    c, client = channel
    form = make_twilio_form(body="halo")
    if case == "forged":
        resp = await post(client, form, token="not-the-token")
    elif case == "unknown_account":
        form["AccountSid"] = "AC" + "9" * 32
        resp = await post(client, form)
    elif case == "missing":
        resp = await post(client, form, signature="")
    else:
        resp = await post(client, form, signed_url=PUBLIC + STATUS_HOOK)
    assert resp.status == 403
    assert await resp.text() == ""
    assert inbox(c) == []


async def test_each_account_is_checked_with_its_own_token(make_channel, aiohttp_client):
    other = "AC" + "2" * 32
    c = make_channel(twilio_accounts=f'{{"{other}": "token-kankemenag"}}')
    client = await aiohttp_client(create_app(c, run_workers=False))
    form = make_twilio_form(body="halo", AccountSid=other)
    assert (await post(client, form, token=AUTH_TOKEN)).status == 403
    assert (await post(client, form, token="token-kankemenag")).status == 200
    assert len(inbox(c)) == 1


async def test_a_tampered_body_invalidates_the_signature(channel):
    c, client = channel
    form = make_twilio_form(body="halo")
    signature = sign(PUBLIC + HOOK, form, AUTH_TOKEN)
    form["Body"] = "halo, ganti isi"
    assert (await post(client, form, signature=signature)).status == 403
    assert inbox(c) == []


async def test_a_repeated_message_sid_is_answered_but_stored_once(channel):
    c, client = channel
    form = make_twilio_form(body="cek status")
    for _ in range(3):
        resp = await post(client, form)
        assert resp.status == 200 and await resp.text() == TWIML_EMPTY
    assert len(inbox(c)) == 1


@pytest.mark.parametrize("public_url, signed_url", [
    ("https://ptsp.example.go.id:443", "https://ptsp.example.go.id" + HOOK),
    ("https://ptsp.example.go.id/", "https://ptsp.example.go.id:443" + HOOK),
])
async def test_the_signature_holds_with_or_without_the_default_port(
        make_channel, aiohttp_client, public_url, signed_url):
    c = make_channel(public_url=public_url)
    client = await aiohttp_client(create_app(c, run_workers=False))
    resp = await post(client, make_twilio_form(body="halo"), signed_url=signed_url)
    assert resp.status == 200
    assert len(inbox(c)) == 1


async def test_three_media_become_three_media_refs(channel):
    c, client = channel
    media = [(f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/MM1/Media/"
              f"ME{n}", ct) for n, ct in enumerate(["image/jpeg", "image/png", "application/pdf"])]
    form = make_twilio_form(body="berkas saya", media=media)
    assert (await post(client, form)).status == 200
    [row] = inbox(c)
    assert row.payload["media"] == [{"url": u, "content_type": ct} for u, ct in media]
    assert row.payload["kind"] == "media"


@pytest.mark.parametrize("content_type, extra, kind", [
    ("audio/ogg", {"MessageType": "audio"}, "audio"),
    ("audio/ogg; codecs=opus", {}, "audio"),
    ("application/ogg", {}, "audio"),  # a voice note labelled as a file
    ("application/octet-stream", {"MessageType": "audio"}, "audio"),
    ("video/mp4", {"MessageType": "video"}, "video"),
    ("image/webp", {"MessageType": "sticker"}, "sticker"),
    ("text/vcard", {"MessageType": "contacts"}, "contact"),
])
async def test_the_kind_follows_the_media_type(channel, content_type, extra, kind):
    c, client = channel
    form = make_twilio_form(media=[("https://api.twilio.com/x/Media/ME1", content_type)], **extra)
    assert (await post(client, form)).status == 200
    [row] = inbox(c)
    assert row.payload["kind"] == kind
    assert row.payload["text"] is None


async def test_a_location_and_a_button_reply_are_translated(channel):
    c, client = channel
    loc = make_twilio_form(Latitude="-0.0263", Longitude="109.3425", Address="Jl. Sutoyo",
                           MessageType="location")
    button = make_twilio_form(body="Cek status", ButtonPayload="cek_status",
                              ButtonText="Cek status", MessageType="interactive")
    assert (await post(client, loc)).status == 200
    assert (await post(client, button)).status == 200
    first, second = inbox(c)
    assert first.payload["kind"] == "location"
    assert first.payload["location"] == [-0.0263, 109.3425]
    assert second.payload["button_payload"] == "cek_status"
    assert second.payload["text"] == "Cek status"


async def test_a_message_without_body_is_stored_with_no_text(channel):
    c, client = channel
    assert (await post(client, make_twilio_form(Body=None))).status == 200
    [row] = inbox(c)
    assert row.payload["text"] is None and row.payload["kind"] == "other"


async def test_a_repeated_form_field_is_signed_over_all_its_values(channel):
    from multidict import MultiDict

    c, client = channel
    form = MultiDict(make_twilio_form(body="halo"))
    form.add("Tag", "b")
    form.add("Tag", "a")
    resp = await client.post(HOOK, data=list(form.items()),
                             headers={"X-Twilio-Signature": sign(PUBLIC + HOOK, form, AUTH_TOKEN)})
    assert resp.status == 200
    [row] = inbox(c)
    assert row.payload["raw"]["Tag"] == ["b", "a"]


@pytest.mark.parametrize("missing", ["From", "MessageSid"])
async def test_a_signed_but_malformed_form_gets_400(channel, missing):
    c, client = channel
    form = make_twilio_form(body="halo", **{missing: None})
    assert (await post(client, form)).status == 400
    assert inbox(c) == []


async def test_the_office_is_chosen_by_the_number_written_to(make_channel, aiohttp_client):
    from bot.settings import load_settings

    first = load_settings().kantor[0].model_dump()
    second = first | {"kode": "kankemenag_kota", "nama": "Kankemenag Kota",
                      "whatsapp": "+6281199990000"}
    c = make_channel(kantor=[first, second])
    client = await aiohttp_client(create_app(c, run_workers=False))
    assert (await post(client, make_twilio_form(body="a", To="whatsapp:+6281199990000"))
            ).status == 200
    assert (await post(client, make_twilio_form(body="b"))).status == 200
    to_second, to_default = inbox(c)
    assert to_second.kantor_id == c.kantor_by_kode["kankemenag_kota"]
    assert to_default.kantor_id == c.default_kantor_id != to_second.kantor_id


# -- sender and status callbacks ---------------------------------------------------------

@pytest.fixture
async def sender_setup(make_channel, aiohttp_client, fake_twilio: FakeTwilio):
    c = make_channel(twilio_api_base_url=fake_twilio.url)
    client = await aiohttp_client(create_app(c, run_workers=False))
    sender = TwilioSender(c.settings)
    yield c, client, sender, fake_twilio
    await sender.close()


async def send_through_outbox(c, sender, message):
    with c.uow() as uow:
        uow.outbox.add("whatsapp", CITIZEN, message)
        uow.commit()
    worker = QueueWorker(c.db, "outbox", make_outbox_handler(c.db, {"whatsapp": sender}))
    await worker.drain()
    return outbox(c)[-1]


async def test_the_outbox_sends_through_twilio_with_prefixes_and_status_callback(sender_setup):
    c, _, sender, fake = sender_setup
    row = await send_through_outbox(c, sender, {
        "text": "Pilih layanan:", "media": ["https://ptsp.example.go.id/media/abc"],
        "buttons": [{"title": "Cek status", "payload": "cek_status"},
                    {"title": "Bicara petugas", "payload": "bicara_petugas"}]})
    [sent] = fake.messages
    assert sent["From"] == "whatsapp:+14155238886" and sent["To"] == "whatsapp:" + CITIZEN
    assert sent["Body"] == "Pilih layanan:\n\n1. Cek status\n2. Bicara petugas"
    assert sent["MediaUrl"] == ["https://ptsp.example.go.id/media/abc"]
    assert sent["StatusCallback"] == PUBLIC + STATUS_HOOK
    assert (row.status, row.provider_id, row.delivery_status) == ("done", sent["sid"], "sent")
    assert len(sent["sid"]) == 34 and sent["sid"].startswith("SM")


async def test_a_2000_character_body_goes_out_as_two_messages_in_order(sender_setup):
    c, _, sender, fake = sender_setup
    paragraphs = [f"Paragraf {i}: " + "persyaratan " * 30 for i in range(6)]
    text = "\n\n".join(p.strip() for p in paragraphs)
    assert 2000 <= len(text) < 3200
    sid = await sender.send(CITIZEN, {"text": text})
    assert len(fake.messages) == 2 and sid == fake.messages[0]["sid"]
    first, second = (m["Body"] for m in fake.messages)
    assert all(len(b) <= 1600 for b in (first, second))
    assert first.startswith("Paragraf 0") and second.startswith("Paragraf ")
    assert first + "\n\n" + second == text


def test_split_body_falls_back_to_lines_then_words():
    lines = "\n".join("baris " * 50 for _ in range(10))
    parts = split_body(lines)
    assert len(parts) == 2 and all(len(p) <= 1600 for p in parts)
    assert all(not p.startswith("\n") for p in parts)
    words = split_body("kata " * 700)
    assert all(len(p) <= 1600 for p in words) and " ".join(words) == ("kata " * 700).strip()
    assert split_body("x" * 3300) == ["x" * 1600, "x" * 1600, "x" * 100]


async def test_a_twilio_500_is_retryable_and_a_21211_is_permanent(sender_setup):
    _, _, sender, fake = sender_setup
    fake.fail_next(1, 500)
    with pytest.raises(Exception) as exc:
        await sender.send(CITIZEN, {"text": "halo"})
    assert not isinstance(exc.value, PermanentError)
    assert await sender.send(CITIZEN, {"text": "halo"}) == fake.messages[0]["sid"]
    fake.fail_next(1, 400, code=21211)
    with pytest.raises(PermanentError, match="21211"):
        await sender.send("+620000", {"text": "halo"})
    fake.fail_next(1, 429, code=20429)
    with pytest.raises(Exception) as exc:
        await sender.send(CITIZEN, {"text": "halo"})
    assert not isinstance(exc.value, PermanentError)


async def test_a_retry_after_a_failed_second_part_does_not_repeat_the_first(sender_setup):
    _, _, sender, fake = sender_setup
    text = ("a " * 700).strip() + "\n\n" + ("b " * 700).strip()
    fake.fail_next(1, 503, after=1)
    with pytest.raises(Exception) as exc:
        await sender.send(CITIZEN, {"text": text})
    assert not isinstance(exc.value, PermanentError)
    assert [m["Body"][0] for m in fake.messages] == ["a"]
    sid = await sender.send(CITIZEN, {"text": text})
    assert [m["Body"][0] for m in fake.messages] == ["a", "b"]
    assert sid == fake.messages[0]["sid"]


async def test_extra_media_go_out_one_per_message_after_the_text(sender_setup):
    _, _, sender, fake = sender_setup
    await sender.send(CITIZEN, {"text": "Tanda terima", "media": ["https://x/m/1", "https://x/m/2"]})
    assert [(m["Body"], m["MediaUrl"]) for m in fake.messages] == [
        ("Tanda terima", ["https://x/m/1"]), (None, ["https://x/m/2"])]


async def test_status_callbacks_move_delivery_forward_only(sender_setup):
    c, client, sender, fake = sender_setup
    row = await send_through_outbox(c, sender, {"text": "Permohonan Anda diterima."})

    async def status(state, **extra):
        form = {"MessageSid": row.provider_id, "MessageStatus": state, "AccountSid": ACCOUNT_SID,
                "SmsSid": row.provider_id, "To": "whatsapp:" + CITIZEN,
                "From": "whatsapp:+14155238886", "ApiVersion": "2010-04-01", **extra}
        resp = await post(client, form, path=STATUS_HOOK)
        assert resp.status == 200 and await resp.text() == ""
        return next(r for r in outbox(c) if r.id == row.id)

    assert (await status("delivered")).delivery_status == "delivered"
    assert (await status("sent")).delivery_status == "delivered"
    assert (await status("queued")).delivery_status == "delivered"
    assert (await status("read")).delivery_status == "read"
    failed = await status("failed", ErrorCode="63016")
    assert failed.delivery_status == "failed" and "63016" in failed.last_error
    assert (await status("delivered")).delivery_status == "failed"
    # no template configured: a copy waits for the citizen's next message
    [held] = [r for r in outbox(c) if r.id != row.id]
    assert held.status == "jendela" and held.message["text"] == "Permohonan Anda diterima."


async def test_a_status_for_an_unknown_sid_is_answered_200_and_a_forged_one_403(channel):
    _, client = channel
    form = {"MessageSid": new_sid(), "MessageStatus": "delivered", "AccountSid": ACCOUNT_SID}
    assert (await post(client, form, path=STATUS_HOOK)).status == 200
    assert (await post(client, form, path=STATUS_HOOK, token="x")).status == 403


# -- media download ------------------------------------------------------------------------

AUTH = (ACCOUNT_SID, AUTH_TOKEN)


async def fetch(url, *, allowed=frozenset({"127.0.0.1"}), max_bytes=5_000_000, **kw):
    async with aiohttp.ClientSession() as session:
        return await download_media(session, url, auth=AUTH, allowed_auth_hosts=set(allowed),
                                    max_bytes=max_bytes, backoff=0.01, **kw)


async def test_media_is_downloaded_with_basic_auth(fake_twilio):
    url = fake_twilio.add_media("ktp.jpg", b"\xff\xd8\xff" + b"1" * 1000)
    assert await fetch(url) == b"\xff\xd8\xff" + b"1" * 1000
    assert fake_twilio.media_requests[-1]["authorized"]


async def test_credentials_go_only_to_allowed_hosts(fake_twilio):
    url = fake_twilio.add_media("ktp.jpg", b"data")
    with pytest.raises(MediaGagalDiunduh):
        await fetch(url, allowed=set())
    assert [r["authorization"] for r in fake_twilio.media_requests] == [None]
    assert auth_allowed("https://api.twilio.com/2010-04-01/x", set())
    assert auth_allowed("https://media.twiliocdn.twilio.com/x", set())
    assert not auth_allowed("http://api.twilio.com/x", set())
    assert not auth_allowed("https://api.twilio.com.evil.example/x", set())
    assert not auth_allowed("https://evil.example/api.twilio.com", set())
    with pytest.raises(MediaGagalDiunduh):
        await fetch("file:///etc/passwd")


async def test_a_redirect_is_followed_without_leaking_credentials(fake_twilio):
    fake_twilio.add_media("akta.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    assert await fetch(fake_twilio.redirect_url("akta.pdf")) == b"%PDF-1.4\n%%EOF\n"
    assert fake_twilio.media_requests[-1]["authorized"]
    assert fake_twilio.cdn_requests == [{"name": "akta.pdf", "authorization": None}]


@pytest.mark.parametrize("chunked", [False, True])
async def test_a_download_past_the_size_cap_is_aborted(fake_twilio, chunked):
    fake_twilio.add_media("besar.png", b"\x89PNG" + b"0" * 3_000_000, "image/png")
    url = fake_twilio.chunked_url("besar.png") if chunked else fake_twilio.media_url("besar.png")
    with pytest.raises(MediaTerlaluBesar):
        await fetch(url, max_bytes=1_000_000)


async def test_a_transient_500_is_retried(fake_twilio):
    url = fake_twilio.add_media("foto.jpg", b"jpeg-bytes")
    fake_twilio.fail_media_next(2, 500)
    assert await fetch(url) == b"jpeg-bytes"
    assert len(fake_twilio.media_requests) == 3


async def test_persistent_failures_give_up_after_three_retries(fake_twilio):
    url = fake_twilio.add_media("foto.jpg", b"jpeg-bytes")
    fake_twilio.fail_media_next(10, 502)
    with pytest.raises(MediaGagalDiunduh) as exc:
        await fetch(url)
    assert len(fake_twilio.media_requests) == 4
    assert "kirim ulang" in exc.value.pesan


async def test_a_4xx_fails_at_once_and_a_timeout_is_retried(fake_twilio):
    with pytest.raises(MediaGagalDiunduh):
        await fetch(fake_twilio.media_url("tidak-ada.jpg"))
    assert len(fake_twilio.media_requests) == 1
    fake_twilio.add_media("lambat.jpg", b"x")
    fake_twilio.media_delay = 0.5
    with pytest.raises(MediaGagalDiunduh):
        await fetch(fake_twilio.media_url("lambat.jpg"), timeout=0.1, retries=1)
    assert len(fake_twilio.media_requests) == 3
