"""Notifications outside WhatsApp's 24-hour window, end to end (the running app, signed
webhooks, the fake Twilio REST API): each kind goes as its own approved template with its
numbered variables; with none configured it waits and reaches the citizen, as
"Ada kabar untuk Anda", the next time they write."""

from __future__ import annotations

import asyncio
import json

import pytest

from bot.app import wire
from bot.server import create_app
from domain import commands as c
from tests.conftest import make_container
from tests.e2e.test_twilio_channel import outbox
from tests.e2e.test_whatsapp_e2e import register
from tests.e2e.whatsapp_harness import WhatsApp, twilio_settings

CITIZEN = "+6281234567890"
HASIL = "HX" + "1" * 32
JADWAL = "HX" + "2" * 32


@pytest.fixture
def serve(tmp_path, clock, nlu_parser, fake_twilio, aiohttp_client):
    async def start(**extra) -> WhatsApp:
        k = wire(make_container(f"sqlite:///{tmp_path / 'ptsp.db'}", tmp_path / "data", clock,
                                **twilio_settings(fake_twilio, **extra)), nlu=nlu_parser)
        return WhatsApp(await aiohttp_client(create_app(k)), k, fake_twilio)

    return start


def legalisir_siap(k) -> tuple[str, object]:
    """An office's legalisir for the registered citizen, checked and finished by staff."""
    with k.uow() as uow:
        pemohon = uow.pemohon.by_kanal("whatsapp", CITIZEN)
        cs = k.bus.handle(c.TambahPetugas(nama="Ani", role="cs", tugas=("layanan",)), uow)
        bo = k.bus.handle(c.TambahPetugas(nama="Pak Budi", role="bo"), uow)
    with k.uow() as uow:
        nomor = k.bus.handle(c.AjukanPermohonan(pemohon_id=pemohon.id, layanan="legalisir",
                                                atas_nama="Budi Santoso"), uow)
    with k.uow() as uow:
        p = uow.permohonan.get(nomor)
        k.bus.handle(c.PeriksaKelengkapan(nomor, cs.aktor(), {x: True for x in p.checklist}),
                     uow)
    return nomor, bo


async def until(check, timeout: float = 10.0):
    deadline = asyncio.get_running_loop().time() + timeout
    while not (result := await asyncio.to_thread(check)):
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.02)
    return result


async def test_each_kind_goes_as_its_own_template_with_its_variables(serve):
    wa = await serve(whatsapp={"templates": {"hasil_siap": HASIL, "jadwal_audiensi": JADWAL}})
    await register(wa.citizen(CITIZEN))
    k = wa.container
    nomor, bo = legalisir_siap(k)
    await until(lambda: all(r.status == "done" for r in outbox(k)))
    wa.fake.fail_next(1, 400, code=63016)  # the citizen last wrote more than a day ago
    with k.uow() as uow:
        k.bus.handle(c.UbahStatus(nomor, bo.aktor(), "selesai", "ambil di loket 2"), uow)
    sent = await until(lambda: [m for m in wa.sent_to(CITIZEN) if m.get("ContentSid")])
    assert sent[0]["ContentSid"] == HASIL and not sent[0]["Body"]
    assert json.loads(sent[0]["ContentVariables"]) == {"1": nomor, "2": "ambil di loket 2"}


async def test_with_no_template_the_news_waits_for_the_citizens_next_message(serve):
    wa = await serve()
    budi = wa.citizen(CITIZEN)
    await register(budi)
    k = wa.container
    nomor, bo = legalisir_siap(k)
    await until(lambda: all(r.status == "done" for r in outbox(k)))
    wa.take(CITIZEN)
    wa.fake.fail_next(1, 400, code=63016)
    with k.uow() as uow:
        k.bus.handle(c.UbahStatus(nomor, bo.aktor(), "selesai", "ambil di loket 2"), uow)
    held = await until(lambda: [r for r in outbox(k) if r.status == "jendela"])
    assert nomor in held[0].message["text"] and wa.take(CITIZEN) == []
    # staff see it waiting
    from typer.testing import CliRunner

    from admin_cli.main import app as admin

    listed = CliRunner().invoke(admin, ["outbox", "list", "--status", "jendela", "--json"],
                                env={"PTSP_DATABASE_URL": k.settings.database_url})
    assert listed.exit_code == 0 and json.loads(listed.stdout)[0]["penerima"] == CITIZEN
    out = await budi.say("halo")
    assert "Ada kabar untuk Anda" in out and nomor in out and "selesai" in out.lower()
    assert not [r for r in outbox(k) if r.status == "jendela"]
