"""The aiohttp web app: health, metrics, the channels' routes, and the workers' life cycle."""

from __future__ import annotations

import asyncio
import html
import ipaddress
import logging
from datetime import timedelta
from typing import Any

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from bot.bootstrap import Container
from bot.jobs import make_job_handler
from bot.outbox import LocalSender, Sender, make_outbox_handler
from bot.workers import QueueWorker
from storage import queue as q

log = logging.getLogger(__name__)
CONTAINER = web.AppKey("container", Container)
WORKERS = web.AppKey("workers", list)


PROXY_HEADERS = ("Forwarded", "X-Forwarded-For", "X-Real-IP")


def is_loopback(request: web.Request) -> bool:
    """A client on this machine talking to us directly (behind nginx everyone is 127.0.0.1)."""
    if any(h in request.headers for h in PROXY_HEADERS):
        return False
    try:
        return ipaddress.ip_address(request.remote or "").is_loopback
    except ValueError:
        return False


async def healthz(request: web.Request) -> web.Response:
    c = request.app[CONTAINER]
    ok = await asyncio.to_thread(c.db.check)
    if ok:
        return web.json_response({"status": "ok", "database": "ok"})
    return web.json_response({"status": "error", "database": "error"}, status=503)


async def metrics(request: web.Request) -> web.Response:
    """Prometheus text: the process's counters and histograms, and — read from the
    store only now, when scraped — queue depth and age, dead letters, SLA breaches."""
    c = request.app[CONTAINER]
    if c.settings.metrics_public != "on" and not is_loopback(request):
        raise web.HTTPForbidden(text="metrics hanya untuk loopback")
    body = generate_latest()
    try:
        body += await asyncio.to_thread(_store_metrics, c)
    except Exception:  # noqa: BLE001 - the database is away: /healthz says so
        log.warning("metrics: the store could not be read", exc_info=True)
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})


def _store_metrics(c: Container) -> bytes:
    from prometheus_client import CollectorRegistry
    from prometheus_client.core import GaugeMetricFamily

    from storage.metrik import ukur

    m = ukur(c.db)
    depth = GaugeMetricFamily("ptsp_queue_rows", "Rows not yet done, by queue and status",
                              labels=["queue", "status"])
    age = GaugeMetricFamily("ptsp_queue_oldest_seconds",
                            "Age of the oldest row not yet done, by queue and status",
                            labels=["queue", "status"])
    for (queue, status), (n, oldest) in sorted(m["antrean"].items()):
        depth.add_metric([queue, status], n)
        age.add_metric([queue, status], oldest)
    dead = GaugeMetricFamily("ptsp_dead_letters", "Outbox rows given up (ptsp-admin outbox "
                             "list / retry)")
    dead.add_metric([], m["antrean"].get(("outbox", "failed"), (0, 0.0))[0])
    sla = GaugeMetricFamily("ptsp_sla_overdue", "Open permohonan past their SLA deadline",
                            labels=["kantor"])
    kode = {kid: k.kode for kid, k in c.kantor.items()}
    for kid, n in sorted(m["sla_lewat"].items()):
        sla.add_metric([str(kode.get(kid, kid))], n)

    class _Once:
        def collect(self):  # noqa: ANN202 - prometheus_client's collector protocol
            return [depth, age, dead, sla]

    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Once())
    return generate_latest(registry)


async def info_page(request: web.Request) -> web.Response:
    """The public information page (office, WhatsApp number, jam layanan)."""
    c = request.app[CONTAINER]
    p = c.profil()
    k = c.settings.kantor[0]
    jam = "".join(
        f"<tr><td>{hari.title()}</td><td>"
        + (", ".join(f"{a}–{b}" for a, b in ranges) or "Tutup") + "</td></tr>"
        for hari, ranges in k.jam_layanan.items()
    )
    e = html.escape
    body = f"""<!doctype html><html lang="id"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>PTSP {e(p.nama)}</title></head><body>
<h1>Pelayanan Terpadu Satu Pintu</h1><h2>{e(p.nama)}</h2>
<p>{e(p.alamat)}<br>Telepon {e(p.telepon)} · Email {e(p.email)}</p>
<p>Layanan melalui WhatsApp: <strong>{e(p.whatsapp)}</strong></p>
<h3>Jam layanan</h3><table>{jam}</table></body></html>"""
    return web.Response(text=body, content_type="text/html")


def maaf(c: Container, row: dict) -> None:
    """A message we could not process after every retry: say so instead of staying silent."""
    with c.uow(row["kantor_id"]) as uow:
        uow.outbox.add(row["channel"], row["sender"], {"text": c.pesan("gangguan")})
        uow.commit()


def surat_mati(c: Container, row: dict) -> None:
    """A reply given up after hours of failures: the koordinator is told how to resend it."""
    if row["channel"] == "telegram":
        return  # the officials' channel itself is failing: the log and /metrics say so
    from domain.konteks import kabari_petugas
    from domain.penerima import koordinator

    with c.uow(row["kantor_id"]) as uow:
        for p in koordinator(uow.petugas.list()):
            kabari_petugas(uow, p, c.pesan("tg_pesan_gagal", id=row["id"], kanal=row["channel"],
                                           penerima=row["recipient"],
                                           galat=(row.get("last_error") or "-")[:200]))
        uow.commit()


def build_workers(c: Container, senders: dict[str, Sender], inbox_handler: Any = None
                  ) -> list[QueueWorker]:
    """The outbox, job and (with `inbox_handler`) inbox workers of one process.

    The outbox worker claims only rows of the channels in `senders`; the others wait
    for the process that serves them.
    """
    jobs = c.settings.jobs
    poll, lease = jobs.safety_poll_seconds, jobs.lease_seconds
    workers = [
        QueueWorker(c.db, "outbox", make_outbox_handler(c.db, senders), lease_seconds=lease,
                    concurrency=8, poll_seconds=poll, max_attempts=jobs.outbox_max_attempts,
                    max_age=timedelta(hours=jobs.outbox_menyerah_jam),
                    on_give_up=lambda row: surat_mati(c, row)),
        QueueWorker(c.db, "job", make_job_handler(c), concurrency=2, poll_seconds=poll,
                    self_completing=True, clock=c.clock.now, lease_seconds=lease),
    ]
    if inbox_handler is not None:
        workers.append(QueueWorker(c.db, "inbox", inbox_handler, concurrency=8,
                                   poll_seconds=poll, max_attempts=5, lease_seconds=lease,
                                   self_completing=True, on_give_up=lambda row: maaf(c, row)))
    return workers


def create_app(c: Container, *, run_workers: bool = True,
               senders: dict[str, Sender] | None = None) -> web.Application:
    """The web app; with `run_workers` the workers start and stop with it."""
    app = web.Application(client_max_size=32 * 1024 * 1024)
    app[CONTAINER] = c
    local = LocalSender()
    senders = {"sandbox": local, "shell": local,
               # with no Telegram bot the officials' prompts stay local (the sandbox shows them)
               **({} if c.settings.telegram_enabled else {"telegram": local}),
               **c.extras.get("senders", {}), **(senders or {})}
    app[WORKERS] = build_workers(c, senders, c.extras.get("inbox_handler"))
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics)
    for route_adder in c.extras.get("routes", []):
        route_adder(app)
    if not c.settings.sandbox_enabled:
        app.router.add_get("/", info_page)

    async def lifecycle(app: web.Application):  # noqa: ANN202 - aiohttp cleanup context
        stop = asyncio.Event()
        tasks: list[asyncio.Task] = []
        if run_workers:
            from bot.scheduler import mulai

            await asyncio.to_thread(mulai, c)
            tasks = [asyncio.create_task(w.run(stop)) for w in app[WORKERS]]
            tasks += [asyncio.create_task(run(stop)) for run in c.extras.get("background", [])]
            by_queue = {w.queue: w for w in app[WORKERS]}
            if c.db.is_postgres:  # other instances' commits: NOTIFY
                tasks.append(asyncio.create_task(q.listen(
                    c.db, list(by_queue), lambda name: by_queue[name].wake()
                    if name in by_queue else None, stop)))
            elif q.sqlite_files(c.db):  # other processes' commits: the database files
                tasks.append(asyncio.create_task(q.watch_sqlite(
                    c.db, lambda: [w.wake() for w in by_queue.values()], stop)))
        log.info("ptsp started", extra={"workers": len(tasks)})
        yield
        stop.set()
        for t in tasks:
            try:
                await asyncio.wait_for(t, timeout=10)
            except (TimeoutError, asyncio.CancelledError):
                t.cancel()
        for sender in senders.values():
            close = getattr(sender, "close", None)
            if close is not None:
                await close()
        await asyncio.to_thread(c.db.dispose)
        log.info("ptsp stopped")

    app.cleanup_ctx.append(lifecycle)
    return app
