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


# -- a status callback that beats the outbox worker's commit ------------------------------

def store_sent(c, sid: str, text: str) -> int:
    """The outbox row as the worker leaves it once Twilio's answer is committed."""
    from sqlmodel import Session

    from storage.tables import OutboxRow

    now = c.clock.now()
    with Session(c.db.engine) as s:
        row = OutboxRow(kantor_id=c.default_kantor_id, channel="whatsapp", recipient=CITIZEN,
                        message={"text": text}, status="done", provider_id=sid,
                        delivery_status="sent", next_at=now, created_at=now)
        s.add(row)
        s.commit()
        return row.id


async def run_jobs(c) -> int:
    from bot.jobs import make_job_handler
    from bot.workers import QueueWorker

    return await QueueWorker(c.db, "job", make_job_handler(c), self_completing=True,
                             clock=c.clock.now).drain()


def jobs(c) -> list:
    from sqlmodel import Session, select

    from storage.tables import JobRow

    with Session(c.db.engine) as s:
        return list(s.exec(select(JobRow).where(JobRow.kind == "status_twilio")))


async def test_an_early_63016_is_kept_and_sends_the_template_once_the_sid_is_stored(setup):
    from bot.app import wire

    c, client, _, _ = setup
    wire(c, nlu=object())  # registers the channel's job kinds
    sid = "SM" + "e" * 32
    form = {"MessageSid": sid, "MessageStatus": "failed", "ErrorCode": "63016",
            "AccountSid": c.settings.twilio_account_sid, "To": "whatsapp:" + CITIZEN,
            "From": c.settings.twilio_whatsapp_from}
    assert (await post(client, form, path=STATUS_HOOK)).status == 200
    assert (await post(client, form, path=STATUS_HOOK)).status == 200  # Twilio repeats it
    assert len(jobs(c)) == 1 and outbox(c) == []
    first = store_sent(c, sid, "Jadwal audiensi Anda: besok 10.00")
    c.clock.advance(seconds=2)
    assert await run_jobs(c) == 1
    sent, template = outbox(c)
    assert sent.id == first and sent.delivery_status == "failed" and "63016" in sent.last_error
    assert template.message["ulang_dari"] == first
    assert template.message["template"]["sid"] == TEMPLATE
    assert [j.status for j in jobs(c)] == ["done"]


async def test_an_early_status_waits_with_backoff_while_the_sid_is_unknown(setup):
    from bot.app import wire

    c, client, _, _ = setup
    wire(c, nlu=object())
    sid = "SM" + "f" * 32
    form = {"MessageSid": sid, "MessageStatus": "delivered",
            "AccountSid": c.settings.twilio_account_sid, "To": "whatsapp:" + CITIZEN}
    assert (await post(client, form, path=STATUS_HOOK)).status == 200
    c.clock.advance(seconds=2)
    await run_jobs(c)
    [job] = jobs(c)
    assert (job.status, job.attempts) == ("pending", 1)
    assert "StatusBelumTercatat" in job.last_error
    store_sent(c, sid, "Permohonan Anda diterima.")
    c.clock.current = job.next_at
    await run_jobs(c)
    assert outbox(c)[0].delivery_status == "delivered" and jobs(c)[0].status == "done"
