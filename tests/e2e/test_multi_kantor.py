"""A province deployment: two kantor, each answering its citizens from its own number.

The Kankemenag Kota has its own Twilio account (its token in `PTSP_TWILIO_ACCOUNTS`);
a message to its number is signed with that account's token, and the reply leaves
through that account from that number, with that office's name. The Kanwil keeps the
main account and sender.
"""

from __future__ import annotations

import json

import pytest

from bot.app import wire
from bot.server import create_app
from bot.settings import ConfigError, load_settings
from tests.conftest import make_container
from tests.e2e.factories import sign
from tests.e2e.whatsapp_harness import FROM_NUMBER, HOOK, PUBLIC_URL, WhatsApp, twilio_settings
from tests.province import FIRST, KOTA_NUMBER, kota

KOTA_SID = "AC" + "2" * 32
KOTA_TOKEN = "token-kota"
CITIZEN = "+6281234567890"


def two_offices(kota_account: str = KOTA_SID) -> list[dict]:
    return [FIRST, kota(twilio_account_sid=kota_account)]


@pytest.fixture
async def province(tmp_path, clock, nlu_parser, fake_twilio, aiohttp_client) -> WhatsApp:
    fake_twilio.more_accounts[KOTA_SID] = KOTA_TOKEN
    settings = twilio_settings(fake_twilio, kantor=two_offices(),
                               twilio_accounts=json.dumps({KOTA_SID: KOTA_TOKEN}))
    c = wire(make_container(f"sqlite:///{tmp_path / 'ptsp.db'}", tmp_path / "data", clock,
                            **settings), nlu=nlu_parser)
    client = await aiohttp_client(create_app(c))
    return WhatsApp(client, c, fake_twilio)


async def say(wa: WhatsApp, text: str, *, to: str, account: str, token: str) -> list[dict]:
    form = wa.form(CITIZEN, text, To="whatsapp:" + to, AccountSid=account)
    resp = await wa.client.post(HOOK, data=form, headers={
        "X-Twilio-Signature": sign(PUBLIC_URL + HOOK, form, token)})
    assert resp.status == 200, await resp.text()
    before = len(wa.sent_to(CITIZEN))
    await wa.settle([form["MessageSid"]])
    return wa.sent_to(CITIZEN)[before:]


async def test_each_office_answers_from_its_own_number_and_account(province: WhatsApp):
    wa = province
    replies = await say(wa, "halo", to=KOTA_NUMBER, account=KOTA_SID, token=KOTA_TOKEN)
    assert replies and all(m["From"] == "whatsapp:" + KOTA_NUMBER for m in replies)
    assert all(m["account"] == KOTA_SID for m in replies)
    assert "Kantor Kemenag Kota Contoh" in "\n".join(m["Body"] for m in replies)

    main = await say(wa, "halo", to=FROM_NUMBER.removeprefix("whatsapp:"),
                     account=wa.fake.account_sid, token=wa.fake.auth_token)
    assert main and all(m["From"] == FROM_NUMBER and m["account"] == wa.fake.account_sid
                        for m in main)


async def test_a_message_to_the_office_signed_with_another_accounts_token_is_refused(
        province: WhatsApp):
    wa = province
    form = wa.form(CITIZEN, "halo", To="whatsapp:" + KOTA_NUMBER, AccountSid=KOTA_SID)
    resp = await wa.client.post(HOOK, data=form, headers={
        "X-Twilio-Signature": sign(PUBLIC_URL + HOOK, form, wa.fake.auth_token)})
    assert resp.status == 403


def test_an_office_account_without_its_token_stops_start_up(monkeypatch):
    monkeypatch.setenv("PTSP_TWILIO_ACCOUNT_SID", "AC" + "1" * 32)
    monkeypatch.setenv("PTSP_TWILIO_AUTH_TOKEN", "secret")
    with pytest.raises(ConfigError, match=r"kantor\.1\.twilio_account_sid.*PTSP_TWILIO_ACCOUNTS"):
        load_settings(kantor=two_offices())


def test_an_office_account_without_its_number_stops_start_up():
    offices = two_offices()
    offices[1]["whatsapp"] = ""
    with pytest.raises(ConfigError, match=r"kantor\.1\.whatsapp"):
        load_settings(kantor=offices)


def test_an_account_sid_of_the_wrong_shape_is_named():
    with pytest.raises(ConfigError, match=r"kantor\.1\.twilio_account_sid"):
        load_settings(kantor=two_offices("AC123"))


def test_an_office_without_its_own_account_sends_from_its_number_on_the_main_one():
    from bot.channels.twilio_sender import Route, routes_per_kantor

    offices = two_offices("")
    offices.append(offices[1] | {"kode": "kankemenag_kab", "whatsapp": "",
                                 "twilio_account_sid": ""})
    s = load_settings(kantor=offices, twilio_account_sid="AC" + "1" * 32,
                      twilio_auth_token="secret")
    ids = {"kanwil": 1, "kankemenag_kota": 2, "kankemenag_kab": 3}
    ids[s.kantor[0].kode] = 1
    # the first office and one without a number use the main sender
    assert routes_per_kantor(s, ids) == {2: Route("AC" + "1" * 32, "whatsapp:" + KOTA_NUMBER)}


async def test_each_office_keeps_its_own_conversation_with_a_citizen(province: WhatsApp):
    wa = province
    main_number = FROM_NUMBER.removeprefix("whatsapp:")
    main = {"to": main_number, "account": wa.fake.account_sid, "token": wa.fake.auth_token}
    second = {"to": KOTA_NUMBER, "account": KOTA_SID, "token": KOTA_TOKEN}
    await say(wa, "saya mau daftar", **main)
    out = await say(wa, "1", **main)
    assert "nama lengkap" in out[-1]["Body"]  # mid-registration with the first office
    out = await say(wa, "halo", **second)  # a greeting to the other office is just that
    assert "Kantor Kemenag Kota Contoh" in out[-1]["Body"] and "nama lengkap" not in "".join(
        m["Body"] for m in out)
    out = await say(wa, "Budi Santoso", **main)  # the first office's form goes on
    assert "NIK" in out[-1]["Body"]
