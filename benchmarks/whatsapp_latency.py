"""WhatsApp reply latency and throughput of the running app, against a bare aiohttp bot.

Run from the repository root::

    .venv/bin/python benchmarks/whatsapp_latency.py [--idle 50] [--burst 200] [--senders 50]
        [--pg postgresql+psycopg://postgres@127.0.0.1:5432/test] [--no-baseline] [--json]

Each variant is served on 127.0.0.1 (a real TCP port) next to the fake Twilio REST API
of the end-to-end tests; signed webhooks are posted over HTTP as Twilio would.

- ``ptsp/sqlite`` (always) and ``ptsp/postgres`` (with ``--pg``: a throw-away database
  is created on that server and dropped afterwards): the real app — webhook, inbox
  worker, embedded NLU, dialogs, store, outbox worker, TwilioSender.
- ``bare-aiohttp`` (unless ``--no-baseline``): a minimal aiohttp app that checks the
  signature, answers the webhook and posts the reply to the fake Twilio at once — no
  database, no NLU: the floor for this machine.

Every message is ``cek status PTSP-261124-NNNN`` with its own number; the reply
("Nomor PTSP-261124-NNNN tidak ditemukan…") names it, which pairs each reply with its
message. Latency = from the webhook's HTTP answer to the fake Twilio receiving that
reply. Phases: ``idle`` posts one message at a time and waits for its reply; ``burst``
posts ``--burst`` messages from ``--senders`` numbers all at once. Throughput = messages
/ (first post → last reply). A few warm-up messages are not counted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)  # config.yml, catalog/ and nlu/data/ are found relative to the root
os.environ.setdefault("PTSP_CONFIG", str(ROOT / "config.yml"))

import aiohttp  # noqa: E402
from aiohttp import web  # noqa: E402
from twilio.request_validator import RequestValidator  # noqa: E402

from tests.e2e.factories import make_twilio_form, sign  # noqa: E402
from tests.e2e.fake_twilio import FakeTwilio  # noqa: E402

PUBLIC_URL = "https://ptsp.example.go.id"
HOOK = "/webhooks/twilio"
FROM_NUMBER = "whatsapp:+14155238886"
NOMOR = re.compile(r"PTSP-\d{6}-\d{4,5}")
TWIML_EMPTY = '<?xml version="1.0" encoding="UTF-8"?><Response/>'


class TimedFakeTwilio(FakeTwilio):
    """The e2e tests' fake Twilio, stamping when each message arrives."""

    def __init__(self) -> None:
        super().__init__()
        self.arrived: dict[str, float] = {}  # nomor named in the body → arrival time
        self.got = asyncio.Event()

    async def _create_message(self, request: web.Request) -> web.Response:
        resp = await super()._create_message(request)
        now = time.perf_counter()
        if resp.status == 201:
            for nomor in NOMOR.findall(self.messages[-1]["Body"] or ""):
                self.arrived.setdefault(nomor, now)
            self.got.set()
        return resp


# -- the variants ------------------------------------------------------------------------

@dataclass
class Served:
    url: str
    close: Callable[[], Awaitable[None]]
    notes: dict[str, Any] = field(default_factory=dict)


async def serve_app(app: web.Application) -> tuple[str, web.AppRunner]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return f"http://127.0.0.1:{port}", runner


async def start_ptsp(db_url: str, data_dir: Path, fake: FakeTwilio, nlu: Any) -> Served:
    from bot.app import wire
    from bot.bootstrap import bootstrap
    from bot.server import create_app
    from bot.settings import load_settings
    from storage.migrate import upgrade

    await asyncio.to_thread(upgrade, db_url)
    settings = load_settings(
        database_url=db_url, data_dir=data_dir, public_url=PUBLIC_URL, sandbox="off",
        twilio_account_sid=fake.account_sid, twilio_auth_token=fake.auth_token,
        twilio_whatsapp_from=FROM_NUMBER, twilio_api_base_url=fake.url)
    container = wire(bootstrap(settings), nlu=nlu)
    url, runner = await serve_app(create_app(container))
    return Served(url, runner.cleanup)


async def start_bare(fake: FakeTwilio) -> Served:
    """A minimal aiohttp WhatsApp bot: verify, answer, and reply straight to Twilio."""
    validator = RequestValidator(fake.auth_token)
    session = aiohttp.ClientSession()
    api = f"{fake.url}/2010-04-01/Accounts/{fake.account_sid}/Messages.json"
    auth = aiohttp.BasicAuth(fake.account_sid, fake.auth_token)
    tasks: set[asyncio.Task] = set()

    async def reply(to: str, body: str) -> None:
        found = NOMOR.search(body)
        text = f"Nomor {found.group(0) if found else '-'} tidak ditemukan."
        async with session.post(api, auth=auth, data={"From": FROM_NUMBER, "To": to,
                                                      "Body": text}) as resp:
            await resp.read()

    async def webhook(request: web.Request) -> web.Response:
        form = {k: v for k, v in (await request.post()).items() if isinstance(v, str)}
        if not validator.validate(PUBLIC_URL + HOOK, form,
                                  request.headers.get("X-Twilio-Signature", "")):
            return web.Response(status=403)
        task = asyncio.create_task(reply(form["From"], form.get("Body", "")))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
        return web.Response(text=TWIML_EMPTY, content_type="text/xml")

    app = web.Application()
    app.router.add_post(HOOK, webhook)
    url, runner = await serve_app(app)

    async def close() -> None:
        await runner.cleanup()
        await session.close()

    return Served(url, close)


# -- the load ------------------------------------------------------------------------------

@dataclass
class Phase:
    variant: str
    phase: str
    latencies: list[float]  # seconds
    acks: list[float]  # seconds, the webhook's own HTTP round trip
    elapsed: float
    lost: int

    def row(self) -> dict[str, Any]:
        def pct(data: list[float], p: int) -> float:
            if len(data) < 2:
                return data[0] * 1000 if data else float("nan")
            return statistics.quantiles(data, n=100, method="inclusive")[p - 1] * 1000

        n = len(self.latencies)
        return {
            "variant": self.variant, "phase": self.phase, "n": n, "lost": self.lost,
            "p50_ms": pct(self.latencies, 50), "p95_ms": pct(self.latencies, 95),
            "p99_ms": pct(self.latencies, 99),
            "max_ms": max(self.latencies) * 1000 if n else float("nan"),
            "ack_p50_ms": pct(self.acks, 50),
            "msg_per_s": n / self.elapsed if self.elapsed else float("nan"),
        }


class Load:
    def __init__(self, base_url: str, fake: TimedFakeTwilio, session: aiohttp.ClientSession):
        self.base, self.fake, self.session = base_url, fake, session
        self.seq = 0

    def next_message(self, phone: str) -> tuple[str, dict[str, str]]:
        self.seq += 1
        nomor = f"PTSP-261124-{self.seq:04d}" if self.seq < 10000 else f"PTSP-261124-{self.seq}"
        form = make_twilio_form(body=f"cek status {nomor}", from_="whatsapp:" + phone)
        return nomor, form

    async def post(self, form: dict[str, str]) -> float:
        """POST one signed webhook; the time its answer arrived."""
        headers = {"X-Twilio-Signature": sign(PUBLIC_URL + HOOK, form, self.fake.auth_token)}
        async with self.session.post(self.base + HOOK, data=form, headers=headers) as resp:
            await resp.read()
            if resp.status != 200:
                raise RuntimeError(f"webhook answered {resp.status}")
        return time.perf_counter()

    async def wait_for(self, nomors: list[str], timeout: float) -> int:
        """Wait until every reply arrived (or the timeout); how many are missing."""
        deadline = time.perf_counter() + timeout
        while True:
            missing = sum(1 for n in nomors if n not in self.fake.arrived)
            left = deadline - time.perf_counter()
            if not missing or left <= 0:
                return missing
            self.fake.got.clear()
            try:
                await asyncio.wait_for(self.fake.got.wait(), timeout=min(left, 0.5))
            except TimeoutError:
                pass

    async def one(self, phone: str) -> tuple[str, float, float]:
        nomor, form = self.next_message(phone)
        start = time.perf_counter()
        answered = await self.post(form)
        return nomor, answered, answered - start

    async def idle(self, variant: str, n: int, timeout: float) -> Phase:
        lat, acks, lost = [], [], 0
        t0 = time.perf_counter()
        for i in range(n):
            nomor, answered, ack = await self.one(phone_number(i % 7))
            lost += await self.wait_for([nomor], timeout)
            if nomor in self.fake.arrived:
                lat.append(self.fake.arrived[nomor] - answered)
                acks.append(ack)
        return Phase(variant, "idle (1 at a time)", lat, acks, time.perf_counter() - t0, lost)

    async def burst(self, variant: str, n: int, senders: int, timeout: float) -> Phase:
        t0 = time.perf_counter()
        results = await asyncio.gather(*(self.one(phone_number(1000 + i % senders))
                                         for i in range(n)))
        lost = await self.wait_for([r[0] for r in results], timeout)
        arrived = [self.fake.arrived[r[0]] for r in results if r[0] in self.fake.arrived]
        elapsed = (max(arrived) if arrived else time.perf_counter()) - t0
        lat = [self.fake.arrived[nomor] - answered for nomor, answered, _ in results
               if nomor in self.fake.arrived]
        return Phase(variant, f"burst {n} / {senders} senders", lat, [r[2] for r in results],
                     elapsed, lost)


def phone_number(i: int) -> str:
    return f"+62812{i:08d}"


async def run_variant(name: str, served: Served, fake: TimedFakeTwilio, args: argparse.Namespace
                      ) -> list[Phase]:
    connector = aiohttp.TCPConnector(limit=args.senders)  # Twilio opens many connections
    async with aiohttp.ClientSession(connector=connector) as session:
        load = Load(served.url, fake, session)
        for i in range(args.warmup):
            nomor, _, _ = await load.one(phone_number(9000 + i))
            await load.wait_for([nomor], args.timeout)
        phases = [await load.idle(name, args.idle, args.timeout)]
        phases.append(await load.burst(name, args.burst, args.senders, args.timeout))
    return phases


# -- PostgreSQL: a throw-away database ------------------------------------------------------

def pg_create(url: str) -> tuple[str, Callable[[], None]]:
    """A throw-away database on that server, and the function that drops it."""
    from pgdb import drop_pg, fresh_pg

    db_url, name = fresh_pg(url, "ptsp_bench")
    return db_url, lambda: drop_pg(url, name)


# -- main ------------------------------------------------------------------------------------

def table(rows: list[dict[str, Any]]) -> str:
    cols = [("variant", "variant", "{}"), ("phase", "phase", "{}"), ("n", "n", "{}"),
            ("lost", "lost", "{}"), ("p50_ms", "p50 ms", "{:.1f}"),
            ("p95_ms", "p95 ms", "{:.1f}"), ("p99_ms", "p99 ms", "{:.1f}"),
            ("max_ms", "max ms", "{:.1f}"), ("msg_per_s", "msg/s", "{:.1f}"),
            ("ack_p50_ms", "ack p50 ms", "{:.1f}")]
    cells = [[h for _, h, _ in cols]] + [[f.format(r[k]) for k, _, f in cols] for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(cols))]
    lines = [" | ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w)
                        in enumerate(zip(row, widths, strict=True))) for row in cells]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)


async def main_async(args: argparse.Namespace) -> list[dict[str, Any]]:
    from bot.app import build_nlu
    from bot.settings import load_settings

    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="ptsp-bench-") as tmp:
        tmpdir = Path(tmp)
        t = time.perf_counter()
        nlu = await asyncio.to_thread(build_nlu, load_settings(data_dir=tmpdir / "nlu"))
        await asyncio.to_thread(nlu.parse, "halo")
        print(f"NLU ready in {time.perf_counter() - t:.1f} s", file=sys.stderr)

        variants: list[tuple[str, Callable[[TimedFakeTwilio], Awaitable[Served]]]] = []
        variants.append(("ptsp/sqlite", lambda fake: start_ptsp(
            f"sqlite:///{tmpdir / 'sqlite' / 'ptsp.db'}", tmpdir / "sqlite", fake, nlu)))
        drop_pg: Callable[[], None] | None = None
        if args.pg:
            pg_url, drop_pg = pg_create(args.pg)
            variants.append(("ptsp/postgres", lambda fake: start_ptsp(
                pg_url, tmpdir / "pg", fake, nlu)))
        if not args.no_baseline:
            variants.append(("bare-aiohttp", start_bare))
        try:
            for name, start in variants:
                fake = TimedFakeTwilio()
                await fake.start()
                served = await start(fake)
                try:
                    print(f"{name}: running…", file=sys.stderr)
                    rows += [p.row() for p in await run_variant(name, served, fake, args)]
                finally:
                    await served.close()
                    await fake.close()
        finally:
            if drop_pg is not None:
                await asyncio.to_thread(drop_pg)
    return rows


def main() -> None:
    cli = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    cli.add_argument("--idle", type=int, default=50, help="messages sent one at a time")
    cli.add_argument("--burst", type=int, default=200, help="messages posted at once")
    cli.add_argument("--senders", type=int, default=50, help="distinct numbers in the burst")
    cli.add_argument("--warmup", type=int, default=5, help="uncounted messages first")
    cli.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for replies")
    cli.add_argument("--pg", metavar="URL", help="also run on PostgreSQL (server URL)")
    cli.add_argument("--no-baseline", action="store_true", help="skip the bare aiohttp bot")
    cli.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = cli.parse_args()
    logging.basicConfig(level=logging.ERROR)
    import warnings

    warnings.simplefilter("ignore", DeprecationWarning)  # the Twilio SDK's BasicAuth use
    rows = asyncio.run(main_async(args))
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        print(table(rows))
    if any(r["lost"] for r in rows):
        sys.exit("some replies never arrived (see the `lost` column)")


if __name__ == "__main__":
    main()
