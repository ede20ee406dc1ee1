"""The sandbox of a province deployment: the tester chooses which office to write to."""

from __future__ import annotations

import pytest

from bot.app import wire
from bot.server import create_app
from tests.conftest import make_container
from tests.integration.test_sandbox_petugas import until
from tests.province import FIRST, kota

HP = "081234567890"


@pytest.fixture
async def client(tmp_path, clock, nlu_parser, aiohttp_client):
    c = wire(make_container(f"sqlite:///{tmp_path / 'ptsp.db'}", tmp_path / "data", clock,
                            sandbox="on", kantor=[FIRST, kota()]), nlu=nlu_parser)
    return await aiohttp_client(create_app(c))  # workers run with the app


async def replies(client, kantor: str) -> list[str]:
    resp = await client.get("/sandbox/messages", params={"phone": HP, "kantor": kantor})
    return [m["text"] for m in (await resp.json())["messages"] if m["arah"] == "out"]


async def test_the_page_offers_the_offices_and_each_answers_in_its_own_chat(client):
    page = await (await client.get("/")).text()
    assert '<select id="kantor">' in page and "Kantor Kemenag Kota Contoh" in page
    resp = await client.post("/sandbox/send", data={"phone": HP, "kantor": "kankemenag_kota",
                                                    "text": "halo"})
    assert resp.status == 200, await resp.text()

    async def answered():
        got = await replies(client, "kankemenag_kota")
        return got or None
    [greeting] = await until(answered, "the second office's greeting")
    assert "Kantor Kemenag Kota Contoh" in greeting
    assert await replies(client, FIRST["kode"]) == []  # nothing in the first office's chat
    bad = await client.post("/sandbox/send", data={"phone": HP, "kantor": "tidak_ada",
                                                   "text": "halo"})
    assert bad.status == 400 and "Kantor tidak dikenal" in await bad.text()
