"""End-to-end fixtures: the fake Twilio server and a citizen's WhatsApp; the served office
with officials on Telegram (`office`) and `ptsp-admin` at its desk (`desk`)."""

from __future__ import annotations

import pytest

from tests.e2e.fake_twilio import fake_twilio  # noqa: F401 - a fixture, used by name
from tests.e2e.officials_harness import (
    Desk,
    Office,
    fake_bot_api,  # noqa: F401 - a fixture, used by name
    office_settings,
)


@pytest.fixture
async def wa(tmp_path, clock, nlu_parser, fake_twilio, aiohttp_client):  # noqa: F811
    """A citizen's WhatsApp against the bot's aiohttp app on SQLite, Twilio faked on
    loopback (test_whatsapp_e2e.py has its own, on both backends and a real server)."""
    from bot.app import wire
    from bot.server import create_app
    from tests.conftest import make_container
    from tests.e2e.whatsapp_harness import WhatsApp, twilio_settings

    c = wire(make_container(f"sqlite:///{tmp_path / 'ptsp.db'}", tmp_path / "data", clock,
                            **twilio_settings(fake_twilio)), nlu=nlu_parser)
    client = await aiohttp_client(create_app(c))
    return WhatsApp(client, c, fake_twilio)


@pytest.fixture
async def office(tmp_path, clock, nlu_parser, fake_twilio, fake_bot_api,  # noqa: F811
                 aiohttp_client) -> Office:
    """The served app (`create_app`) on SQLite with WhatsApp and a Telegram webhook bot."""
    from bot.app import wire
    from bot.server import create_app
    from tests.conftest import make_container
    from tests.e2e.whatsapp_harness import WhatsApp

    c = wire(make_container(f"sqlite:///{tmp_path / 'ptsp.db'}", tmp_path / "data", clock,
                            **office_settings(fake_twilio, fake_bot_api, sandbox="off")),
             nlu=nlu_parser)
    client = await aiohttp_client(create_app(c))
    return Office(client, c, WhatsApp(client, c, fake_twilio), fake_bot_api)


@pytest.fixture
def desk(office, clock, monkeypatch) -> Desk:
    """`ptsp-admin` beside `office`, on the test clock."""
    from bot.bootstrap import SystemClock

    monkeypatch.setenv("PTSP_DATABASE_URL", office.container.settings.database_url)
    monkeypatch.setenv("PTSP_DATA_DIR", str(office.container.settings.data_dir))
    monkeypatch.delenv("PTSP_PETUGAS", raising=False)
    monkeypatch.setattr(SystemClock, "now", lambda self: clock.now())
    return Desk()


