"""Outside WhatsApp's 24-hour window a message goes again as the approved template."""

from __future__ import annotations

import json

import pytest

from bot.channels.twilio_sender import TwilioSender
from bot.server import create_app
from tests.e2e.fake_twilio import FakeTwilio, fake_twilio  # noqa: F401
from tests.e2e.test_twilio_channel import (  # noqa: F401
    CITIZEN,
    STATUS_HOOK,
    make_channel,
    outbox,
    post,
    send_through_outbox,
)

TEMPLATE = "HX" + "a" * 32


@pytest.fixture
async def setup(make_channel, aiohttp_client, fake_twilio: FakeTwilio):  # noqa: F811
    c = make_channel(twilio_api_base_url=fake_twilio.url, twilio_template_sid=TEMPLATE)
    client = await aiohttp_client(create_app(c, run_workers=False))
    sender = TwilioSender(c.settings)
    yield c, client, sender, fake_twilio
    await sender.close()


async def test_a_63016_at_send_time_goes_as_the_template(setup):
    c, _, sender, fake = setup
    fake.fail_next(1, 400, code=63016)
    row = await send_through_outbox(c, sender, {"text": "Permohonan *PTSP-261124-0001*:\n"
                                                        "status kini *Selesai*."})
    [sent] = fake.messages
    assert sent["ContentSid"] == TEMPLATE and not sent["Body"]
    assert json.loads(sent["ContentVariables"]) == {
        "1": "Permohonan PTSP-261124-0001: status kini Selesai."}
    assert row.status == "done" and row.provider_id == sent["sid"]


async def test_a_63016_in_the_status_callback_queues_the_template(setup):
    c, client, sender, fake = setup
    row = await send_through_outbox(c, sender, {"text": "Jadwal audiensi Anda: besok 10.00"})
    form = {"MessageSid": row.provider_id, "MessageStatus": "failed", "ErrorCode": "63016",
            "AccountSid": c.settings.twilio_account_sid, "To": "whatsapp:" + CITIZEN}
    assert (await post(client, form, path=STATUS_HOOK)).status == 200
    again = outbox(c)[-1]
    assert again.message == {"template": {"sid": TEMPLATE, "variables": {
        "1": "Jadwal audiensi Anda: besok 10.00"}}, "ulang_dari": row.id}
    # the same callback again does not queue a second template
    assert (await post(client, form, path=STATUS_HOOK)).status == 200
    assert len(outbox(c)) == 2
