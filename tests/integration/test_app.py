"""The web app skeleton: health, metrics, the public page, the workers started with it."""

from __future__ import annotations

import asyncio

from sqlmodel import Session, select

from bot.server import create_app
from storage.tables import OutboxRow


async def test_healthz_reports_the_database(aiohttp_client, container):
    client = await aiohttp_client(create_app(container, run_workers=False))
    resp = await client.get("/healthz")
    assert resp.status == 200
    assert await resp.json() == {"status": "ok", "database": "ok"}


async def test_healthz_is_503_when_the_database_is_gone(aiohttp_client, sqlite_container):
    from storage.uow import Database

    sqlite_container.db = Database("postgresql+psycopg://postgres@127.0.0.1:1/nothing")
    client = await aiohttp_client(create_app(sqlite_container, run_workers=False))
    resp = await client.get("/healthz")
    assert resp.status == 503


async def test_metrics_are_prometheus_text_for_loopback(aiohttp_client, sqlite_container):
    client = await aiohttp_client(create_app(sqlite_container, run_workers=False))
    resp = await client.get("/metrics")
    assert resp.status == 200
    assert "ptsp_queue_processed_total" in await resp.text() or "python_info" in await resp.text()


async def test_metrics_show_queue_depth_dead_letters_and_sla_breaches(aiohttp_client,
                                                                      sqlite_container):
    from domain import commands as cmd
    from storage import queue as q

    k = sqlite_container
    with k.uow() as uow:
        p = k.bus.handle(cmd.DaftarPemohon(kanal="whatsapp", kanal_id="+6281234567890",
                                           nama="Budi Santoso", hp="+6281234567890",
                                           nik="3171011708850003", persetujuan=True), uow)
    with k.uow() as uow:  # submitted on 24 November: long past its deadline by now
        k.bus.handle(cmd.AjukanPermohonan(pemohon_id=p.id, layanan="audiensi",
                                          atas_nama="Budi Santoso",
                                          data={"tujuan": "silaturahmi"}), uow)
    with k.uow() as uow:
        uow.outbox.add("whatsapp", "+6281200000001", {"text": "tidak pernah sampai"})
        uow.commit()
    (row,) = [r for r in q.claim(k.db, "outbox", limit=10) if r["recipient"].endswith("01")]
    q.fail(k.db, "outbox", row, "twilio down", max_attempts=1)
    client = await aiohttp_client(create_app(k, run_workers=False))
    text = await (await client.get("/metrics")).text()
    lines = dict(line.rsplit(" ", 1) for line in text.splitlines()
                 if line and not line.startswith("#"))
    assert float(lines['ptsp_queue_rows{queue="outbox",status="failed"}']) == 1
    assert float(lines["ptsp_dead_letters"]) == 1
    assert float(lines['ptsp_queue_oldest_seconds{queue="outbox",status="failed"}']) >= 0
    kode = k.settings.kantor[0].kode
    assert float(lines[f'ptsp_sla_overdue{{kantor="{kode}"}}']) == 1
    assert "ptsp_queue_handle_seconds" in text


async def test_public_page_shows_the_office_and_hours(aiohttp_client, sqlite_container):
    sqlite_container.settings.sandbox = "off"
    client = await aiohttp_client(create_app(sqlite_container, run_workers=False))
    text = await (await client.get("/")).text()
    assert sqlite_container.profil().nama in text and "Jumat" in text


async def test_the_running_app_delivers_a_committed_outbox_row_at_once(
        container, aiohttp_client):
    await aiohttp_client(create_app(container))  # workers start with the app
    await asyncio.sleep(0.05)
    with container.uow() as uow:
        uow.outbox.add("sandbox", "+6281234567890", {"text": "halo"})
        uow.commit()
    for _ in range(100):
        with Session(container.db.engine) as s:
            row = s.exec(select(OutboxRow)).one()
        if row.status == "done":
            break
        await asyncio.sleep(0.02)
    assert row.status == "done" and row.delivery_status == "local"
