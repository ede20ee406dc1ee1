"""The Telegram channel end to end: webhook updates into the inbox, the sender against a
fake Bot API, setWebhook, and long polling."""

from __future__ import annotations

import asyncio

import pytest
from sqlmodel import Session, select

from bot.channels.telegram import set_webhook, telegram_routes, translate_update
from bot.channels.telegram_poll import TelegramPoller
from bot.channels.telegram_sender import TelegramRetryLater, TelegramSender
from bot.outbox import make_outbox_handler
from bot.server import create_app
from bot.settings import ConfigError
from bot.workers import PermanentError, QueueWorker
from storage.tables import InboxRow, OutboxRow
from tests.conftest import make_container
from tests.e2e.fake_telegram import TOKEN, FakeTelegram, fake_telegram  # noqa: F401
from tests.e2e.tg_factories import make_channel_post, make_tg_update

PUBLIC = "https://ptsp.example.go.id"
SECRET = "s3cret-token_x"
HOOK = "/webhooks/telegram"
OFFICIAL = 111


@pytest.fixture
def make_tg(tmp_path, clock, fake_telegram: FakeTelegram):  # noqa: F811
    made = []

    def make(**overrides):
        settings = {"telegram_token": TOKEN, "telegram_webhook_secret": SECRET,
                    "telegram_base_url": fake_telegram.base_url,
                    "telegram_base_file_url": fake_telegram.base_file_url,
                    "public_url": PUBLIC} | overrides
        c = make_container(f"sqlite:///{tmp_path / 'ptsp.db'}", tmp_path / "data", clock,
                           **settings)
        c.extras.setdefault("routes", []).append(telegram_routes(c))
        made.append(c)
        return c

    yield make
    for c in made:
        c.db.dispose()


@pytest.fixture
async def channel(make_tg, aiohttp_client):
    c = make_tg()
    return c, await aiohttp_client(create_app(c, run_workers=False))


@pytest.fixture
async def sender(make_tg, fake_telegram):  # noqa: F811
    s = TelegramSender(make_tg().settings)
    yield s, fake_telegram
    await s.close()


async def post(client, update, secret=SECRET):
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    return await client.post(HOOK, json=update, headers=headers)


def inbox(c) -> list[InboxRow]:
    with Session(c.db.engine) as s:
        return list(s.exec(select(InboxRow).order_by(InboxRow.id)))


# -- inbound webhook ---------------------------------------------------------------------

async def test_a_valid_update_is_stored_once_and_answered_with_empty_json(channel):
    c, client = channel
    update = make_tg_update("/start K7Q2XM", reply_to_message_id=41, message_id=42)
    resp = await post(client, update)
    assert resp.status == 200 and await resp.json() == {}
    [row] = inbox(c)
    assert (row.channel, row.sender, row.provider_id) == (
        "telegram", str(OFFICIAL), str(update["update_id"]))
    assert row.kantor_id == c.default_kantor_id
    p = row.payload
    assert (p["text"], p["button_payload"], p["kind"]) == ("/start K7Q2XM", None, "text")
    assert p["profile_name"] == "Budi Santoso"
    assert p["raw"] == {"update_id": update["update_id"], "chat_id": OFFICIAL, "message_id": 42,
                        "reply_to_message_id": 41, "callback_query_id": None,
                        "callback_message_id": None, "username": "budi_kemenag"}


async def test_a_repeated_update_id_is_answered_but_stored_once(channel):
    c, client = channel
    update = make_tg_update("setuju")
    assert (await post(client, update)).status == 200
    assert (await post(client, update)).status == 200
    assert len(inbox(c)) == 1


@pytest.mark.parametrize("secret", [None, "", "wrong-token", SECRET + "x", SECRET.upper()])
async def test_a_missing_or_wrong_secret_gets_403_and_nothing_is_stored(channel, secret):
    c, client = channel
    assert (await post(client, make_tg_update("halo"), secret=secret)).status == 403
    assert inbox(c) == []


async def test_without_a_configured_secret_every_update_is_refused(make_tg, aiohttp_client):
    c = make_tg(telegram_webhook_secret=None)
    client = await aiohttp_client(create_app(c, run_workers=False))
    assert (await post(client, make_tg_update("halo"), secret="")).status == 403


@pytest.mark.parametrize("body", ["not json", "[1, 2]", '{"message": {}}', ""])
async def test_a_body_that_is_not_an_update_gets_400(channel, body):
    c, client = channel
    resp = await client.post(HOOK, data=body, headers={
        "X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"})
    assert resp.status == 400
    assert inbox(c) == []


async def test_a_callback_query_carries_the_button_payload_and_query_id(channel):
    c, client = channel
    update = make_tg_update(callback_data="p:Ab3x9:lengkap", message_id=77)
    assert (await post(client, update)).status == 200
    [row] = inbox(c)
    p = row.payload
    assert row.sender == str(OFFICIAL) and p["button_payload"] == "p:Ab3x9:lengkap"
    assert p["text"] is None
    assert p["raw"]["callback_query_id"] == update["callback_query"]["id"]
    assert (p["raw"]["callback_message_id"], p["raw"]["chat_id"]) == (77, OFFICIAL)
    assert p["raw"]["button_text"] == "Pilih"


async def test_updates_without_a_user_are_acknowledged_and_ignored(channel):
    c, client = channel
    member = {"update_id": 9, "my_chat_member": {
        "chat": {"id": OFFICIAL, "type": "private", "first_name": "Budi"},
        "from": {"id": OFFICIAL, "is_bot": False, "first_name": "Budi"}, "date": 1,
        "old_chat_member": {"status": "member", "user": {"id": 123, "is_bot": True,
                                                         "first_name": "PTSP"}},
        "new_chat_member": {"status": "kicked", "until_date": 0,
                            "user": {"id": 123, "is_bot": True, "first_name": "PTSP"}}}}
    for update in (make_channel_post(), member):
        resp = await post(client, update)
        assert resp.status == 200 and await resp.json() == {}
    assert inbox(c) == []


async def test_photos_and_documents_become_tg_media_refs(channel):
    c, client = channel
    await post(client, make_tg_update(photo="AgACBAADphoto", caption="KTP pemohon"))
    await post(client, make_tg_update(document=("BQACAgdoc", "application/pdf", "sk.pdf")))
    photo, doc = (r.payload for r in inbox(c))
    assert (photo["kind"], photo["text"]) == ("media", "KTP pemohon")
    assert photo["media"] == [{"url": "tg:AgACBAADphoto", "content_type": "image/jpeg"}]
    assert doc["media"] == [{"url": "tg:BQACAgdoc", "content_type": "application/pdf"}]
    assert doc["kind"] == "media" and doc["text"] is None


def test_translate_update_reads_a_location_and_skips_bot_messages(clock):
    now = clock.now()
    msg = translate_update(make_tg_update(location={"latitude": -6.2, "longitude": 106.8}), now)
    assert msg is not None and (msg.kind, msg.location) == ("location", (-6.2, 106.8))
    bot_said = make_tg_update("otomatis")
    bot_said["message"]["from"]["is_bot"] = True
    assert translate_update(bot_said, now) is None


# -- sender ------------------------------------------------------------------------------

async def test_text_with_two_rows_of_buttons_goes_out_as_plain_text(sender):
    s, fake = sender
    ref = await s.send(str(OFFICIAL), {"text": "Disposisi *PTSP-261124-0001*_", "buttons": [
        [{"text": "Lengkap", "data": "p:Ab3x9:l"}, {"text": "Kurang", "data": "p:Ab3x9:k"}],
        [{"text": "Lihat berkas", "url": "https://ptsp.example.go.id/media/x"}]]})
    [msg] = fake.sent(OFFICIAL)
    assert ref == f"{OFFICIAL}:{msg['message_id']}"
    [call] = fake.calls_to("sendMessage")
    assert "parse_mode" not in call["params"] and msg["text"] == "Disposisi *PTSP-261124-0001*_"
    assert call["reply_markup"] == {"inline_keyboard": [
        [{"text": "Lengkap", "callback_data": "p:Ab3x9:l"},
         {"text": "Kurang", "callback_data": "p:Ab3x9:k"}],
        [{"text": "Lihat berkas", "url": "https://ptsp.example.go.id/media/x"}]]}


async def test_force_reply_asks_with_a_placeholder(sender):
    s, fake = sender
    await s.send(str(OFFICIAL), {"text": "Tulis catatan disposisi:", "force_reply": True,
                                 "placeholder": "Catatan untuk Kasubag"})
    [call] = fake.calls_to("sendMessage")
    assert call["reply_markup"] == {"force_reply": True, "selective": True,
                                    "input_field_placeholder": "Catatan untuk Kasubag"}


async def test_an_edit_can_remove_the_keyboard_and_an_unchanged_edit_succeeds(sender):
    s, fake = sender
    ref = await s.send(str(OFFICIAL), {"text": "Disposisi?", "buttons": [
        [{"text": "Setuju", "data": "d:1:ok"}]]})
    done = {"edit": ref, "text": "Disposisi: disetujui", "buttons": []}
    assert await s.send(str(OFFICIAL), done) == ref
    [msg] = fake.sent(OFFICIAL)
    assert msg["text"] == "Disposisi: disetujui" and "reply_markup" not in msg
    assert await s.send(str(OFFICIAL), done) == ref  # Telegram: "message is not modified"
    assert len(fake.calls_to("editMessageText")) == 2
    with pytest.raises(PermanentError, match="not found"):
        await s.send(str(OFFICIAL), {"edit": f"{OFFICIAL}:999", "text": "x"})


async def test_answer_callback_returns_none_and_an_expired_query_counts_as_done(sender):
    s, fake = sender
    assert await s.send(str(OFFICIAL), {"answer_callback": "4382", "text": "Tercatat",
                                        "alert": True}) is None
    [call] = fake.calls_to("answerCallbackQuery")
    assert call["params"]["callback_query_id"] == "4382" and call["params"]["show_alert"]
    fake.expired_queries.add("old")
    assert await s.send(str(OFFICIAL), {"answer_callback": "old", "text": "x"}) is None


async def test_a_photo_and_a_document_are_uploaded_from_local_paths(sender, tmp_path):
    s, fake = sender
    png = tmp_path / "tanda-terima.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    ref = await s.send(str(OFFICIAL), {"photo": {"path": str(png)}, "text": "Tanda terima",
                                       "buttons": [[{"text": "OK", "data": "ok"}]]})
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF-1.4 test")
    await s.send(str(OFFICIAL), {"document": {"path": str(pdf), "filename": "SK.pdf"},
                                 "text": "SK"})
    [photo_call] = fake.calls_to("sendPhoto")
    assert photo_call["files"]["photo"]["data"] == png.read_bytes()
    assert photo_call["params"]["caption"] == "Tanda terima"
    photo, doc = fake.sent(OFFICIAL)
    assert ref == f"{OFFICIAL}:{photo['message_id']}" and photo["reply_markup"]
    assert (doc["document"]["file_name"], doc["caption"]) == ("SK.pdf", "SK")
    with pytest.raises(PermanentError, match="tidak ada"):
        await s.send(str(OFFICIAL), {"photo": {"path": str(tmp_path / "hilang.png")}})


async def test_a_long_text_is_split_with_the_keyboard_on_the_last_part(sender):
    s, fake = sender
    text = "\n\n".join(f"Paragraf {i}: " + "isi " * 300 for i in range(5))
    ref = await s.send(str(OFFICIAL), {"text": text, "buttons": [[{"text": "OK", "data": "k"}]]})
    first, second = fake.sent(OFFICIAL)
    assert "reply_markup" not in first and second["reply_markup"]
    assert ref == f"{OFFICIAL}:{second['message_id']}"


async def test_a_429_is_retryable_with_its_retry_after(sender):
    s, fake = sender
    fake.fail_next(1, 429, retry_after=1)
    with pytest.raises(TelegramRetryLater, match="retry_after=1") as exc:
        await s.send(str(OFFICIAL), {"text": "halo"})
    assert not isinstance(exc.value, PermanentError) and exc.value.retry_after == 1
    assert await s.send(str(OFFICIAL), {"text": "halo"})  # after the pause, it goes out


async def test_a_65_byte_callback_data_is_permanent_without_calling_the_api(sender):
    s, fake = sender
    with pytest.raises(PermanentError, match="65 bita"):
        await s.send(str(OFFICIAL), {"text": "x", "buttons": [[{"text": "A", "data": "d" * 65}]]})
    assert fake.calls == []


async def test_a_blocked_bot_and_a_bad_recipient_are_permanent(sender):
    s, fake = sender
    fake.block(OFFICIAL)
    with pytest.raises(PermanentError, match="blocked"):
        await s.send(str(OFFICIAL), {"text": "halo"})
    with pytest.raises(PermanentError):
        await s.send("+6281234", {"text": "halo"})


async def test_the_outbox_worker_sends_and_records_the_ref(make_tg, sender):
    s, fake = sender
    c = make_tg()
    with c.uow() as uow:
        uow.outbox.add("telegram", str(OFFICIAL), {"text": "Ada disposisi baru"})
        uow.outbox.add("telegram", str(OFFICIAL), {"text": "x", "buttons": [[
            {"text": "A", "data": "é" * 33}]]})
        uow.commit()
    worker = QueueWorker(c.db, "outbox", make_outbox_handler(c.db, {"telegram": s}))
    await worker.drain()
    with Session(c.db.engine) as session:
        ok, bad = session.exec(select(OutboxRow).order_by(OutboxRow.id)).all()
    assert (ok.status, ok.provider_id) == ("done", f"{OFFICIAL}:1")
    assert bad.status == "failed" and "66 bita" in bad.last_error


async def test_fetch_file_downloads_an_inbound_attachment(sender):
    s, fake = sender
    fake.add_file("BQACAgdoc", b"%PDF-1.7 isi", "documents/file_3.pdf")
    assert await s.fetch_file("tg:BQACAgdoc") == b"%PDF-1.7 isi"
    with pytest.raises(PermanentError):
        await s.fetch_file("tg:unknown")


# -- setWebhook --------------------------------------------------------------------------

async def test_set_webhook_registers_the_https_url_with_the_secret(make_tg, fake_telegram):  # noqa: F811
    url = await set_webhook(make_tg().settings)
    assert url == PUBLIC + HOOK
    [call] = fake_telegram.calls_to("setWebhook")
    assert call["params"]["url"] == PUBLIC + HOOK and call["params"]["secret_token"] == SECRET
    assert call["params"]["allowed_updates"] == ["message", "callback_query"]
    assert call["params"]["drop_pending_updates"] is False


@pytest.mark.parametrize(("overrides", "match"), [
    ({"public_url": "http://ptsp.example.go.id"}, "https"),
    ({"telegram_webhook_secret": None}, "SECRET"),
    ({"telegram_token": None}, "TOKEN"),
])
async def test_set_webhook_refuses_an_incomplete_setup(make_tg, fake_telegram, overrides,  # noqa: F811
                                                       match):
    with pytest.raises(ConfigError, match=match):
        await set_webhook(make_tg(**overrides).settings)
    assert fake_telegram.calls == []


# -- long polling ------------------------------------------------------------------------

async def run_until(poller, condition, timeout=10.0):
    stop = asyncio.Event()
    task = asyncio.create_task(poller.run(stop))
    try:
        async with asyncio.timeout(timeout):
            while not condition():
                await asyncio.sleep(0.02)
    finally:
        stop.set()
        await asyncio.wait_for(task, 5)


async def test_the_poller_stores_updates_once_and_advances_the_offset(make_tg, fake_telegram):  # noqa: F811
    c, fake = make_tg(), fake_telegram
    fake.webhook = {"url": PUBLIC + HOOK}  # polling must delete it first (else 409)
    updates = [make_tg_update("satu"), make_channel_post(), make_tg_update(callback_data="d:1")]
    for u in updates:
        fake.queue_update(u)
    last = updates[-1]["update_id"]
    poller = TelegramPoller.from_container(c, poll_timeout=1)
    await run_until(poller, lambda: poller.offset == last + 1)
    assert fake.calls_to("deleteWebhook") and poller.stored == 2
    assert [r.provider_id for r in inbox(c)] == [str(updates[0]["update_id"]), str(last)]
    assert any(call["params"].get("offset") == last + 1 for call in fake.calls_to("getUpdates"))
    assert fake.updates == []  # confirmed on stop
    for u in updates:  # a restart before the confirmation: Telegram delivers them again
        fake.queue_update(u)
    again = TelegramPoller.from_container(c, poll_timeout=1)
    await run_until(again, lambda: again.offset == last + 1)
    assert again.stored == 0 and len(inbox(c)) == 2


async def test_the_poller_backs_off_after_a_network_error(make_tg, fake_telegram):  # noqa: F811
    c, fake = make_tg(), fake_telegram
    fake.fail_next(1, 502, method="getUpdates")
    fake.queue_update(make_tg_update("halo"))
    poller = TelegramPoller.from_container(c, poll_timeout=1)
    await run_until(poller, lambda: poller.stored == 1)
    assert len(inbox(c)) == 1


async def test_only_one_instance_polls_on_postgres(pg_url, tmp_path, clock):
    c = make_container(pg_url, tmp_path / "data", clock, telegram_token=TOKEN)
    try:
        first, second = (TelegramPoller.from_container(c) for _ in range(2))
        conn = first.try_lock()
        assert conn not in (None, False)
        assert second.try_lock() is False
        first._unlock(conn)
        conn2 = second.try_lock()
        assert conn2 not in (None, False)
        second._unlock(conn2)
    finally:
        c.db.dispose()


async def test_the_token_never_reaches_the_logs(sender, caplog):
    s, fake = sender
    caplog.set_level("DEBUG")
    await s.send(str(OFFICIAL), {"text": "halo"})
    fake.fail_next(1, 502)
    with pytest.raises(Exception):  # noqa: B017 - any retryable error
        await s.send(str(OFFICIAL), {"text": "halo"})
    assert caplog.records and TOKEN not in caplog.text


async def test_the_poller_and_set_webhook_keep_the_token_out_of_the_logs(make_tg, caplog):
    caplog.set_level("DEBUG")
    c = make_tg()
    await set_webhook(c.settings)
    poller = TelegramPoller.from_container(c, poll_timeout=1)
    await run_until(poller, lambda: poller.offset is None and any(
        "getUpdates" in r.getMessage() for r in caplog.records))
    assert TOKEN not in caplog.text
