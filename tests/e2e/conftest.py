"""End-to-end fixtures: the fake Twilio server and a citizen's WhatsApp."""

from __future__ import annotations

import pytest

from tests.e2e.fake_twilio import fake_twilio  # noqa: F401 - a fixture, used by name


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
