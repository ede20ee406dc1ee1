"""Idle cost of a running server: database transactions, statements and CPU at rest.

Starts the real app (`create_app` with every worker, the embedded NLU, the sandbox and,
with `--twilio`, the Twilio channel against an address nobody answers) on a fresh SQLite
file and, with `--pg URL`, on a throw-away PostgreSQL database; waits for `/healthz`,
lets the start-up settle, then counts for `--seconds` while nobody writes:

- `tx/s` — transactions begun on the app's engine (SQLAlchemy `begin` events);
- `stmt/s` — statements sent (`before_cursor_execute`);
- `pg xact/s` — PostgreSQL's own count for the database (`pg_stat_database`
  `xact_commit + xact_rollback`, minus this script's readings), which also sees
  connections outside the engine (the LISTEN connection) and PostgreSQL's own
  autovacuum visits (`pg auto` says how many table runs fell in the window; a fresh
  database is analysed within its first minutes). A backend publishes its counts when
  it next works or exits, so the app's pooled connections are closed before and after
  the window;
- `cpu %` — this process's user + system time over the same interval;
- `rss MB` — resident memory at the end.

Run: `.venv/bin/python benchmarks/idle_bench.py [--pg postgresql+psycopg://postgres@127.0.0.1:5432/test]`
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from aiohttp import ClientSession, web
from pgdb import drop_pg, fresh_pg
from sqlalchemy import event


def pg_xacts(url: str) -> tuple[int, int]:
    """Transactions of the database and PostgreSQL's own autovacuum runs on its tables.

    Transactions are committed + rolled back; each autovacuum/autoanalyze of a table is
    one of them too. Each reading itself adds `READING_XACTS`.
    """
    import psycopg
    from sqlalchemy.engine import make_url

    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("SELECT pg_stat_force_next_flush()")  # PostgreSQL ≥ 15
        row = conn.execute(
            "SELECT (SELECT xact_commit + xact_rollback FROM pg_stat_database"
            "        WHERE datname = current_database()),"
            "       (SELECT coalesce(sum(autovacuum_count + autoanalyze_count), 0)"
            "        FROM pg_stat_all_tables)").fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)


READING_XACTS = 2  # the two statements of one reading, each its own transaction


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def measure(db_url: str, data_dir: Path, *, seconds: float, settle: float,
                  twilio: bool) -> dict[str, Any]:
    from bot.app import build_container
    from bot.server import create_app
    from bot.settings import load_settings
    from storage.migrate import ensure_schema

    extra: dict[str, Any] = {}
    if twilio:
        extra = {"twilio_account_sid": "AC" + "0" * 32, "twilio_auth_token": "x" * 32,
                 "twilio_whatsapp_from": "whatsapp:+14155238886",
                 "twilio_api_base_url": "http://127.0.0.1:9", "sandbox": "on"}
    await asyncio.to_thread(ensure_schema, db_url)
    settings = load_settings(database_url=db_url, data_dir=data_dir, **extra)
    c = await asyncio.to_thread(build_container, settings)
    counts = {"tx": 0, "stmt": 0}

    def on_begin(_conn: Any) -> None:
        counts["tx"] += 1

    def on_stmt(*_a: Any) -> None:
        counts["stmt"] += 1

    event.listen(c.db.engine, "begin", on_begin)
    event.listen(c.db.engine, "before_cursor_execute", on_stmt)
    runner = web.AppRunner(create_app(c), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    async with ClientSession() as http:
        for _ in range(200):
            async with http.get(f"http://127.0.0.1:{port}/healthz") as resp:
                if resp.status == 200:
                    break
            await asyncio.sleep(0.05)
    await asyncio.sleep(settle)
    pg = c.db.is_postgres
    if pg:  # a backend publishes its counts when it next works or exits: close them all
        await asyncio.to_thread(c.db.engine.dispose)
        await asyncio.sleep(1.0)
    x0, a0 = await asyncio.to_thread(pg_xacts, db_url) if pg else (0, 0)
    tx0, st0 = counts["tx"], counts["stmt"]
    cpu0, t0 = time.process_time(), time.perf_counter()
    await asyncio.sleep(seconds)
    elapsed = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    tx, st = counts["tx"] - tx0, counts["stmt"] - st0
    if pg:
        await asyncio.to_thread(c.db.engine.dispose)
        await asyncio.sleep(1.0)
    x1, a1 = await asyncio.to_thread(pg_xacts, db_url) if pg else (0, 0)
    out = {"backend": "postgres" if pg else "sqlite", "seconds": round(elapsed, 1),
           "tx/s": round(tx / elapsed, 3), "stmt/s": round(st / elapsed, 3),
           "cpu %": round(100 * cpu / elapsed, 2), "rss MB": round(rss_mb(), 1)}
    if pg:
        out["pg xact/s"] = round(max(0, x1 - x0 - READING_XACTS) / elapsed, 3)
        out["pg auto"] = a1 - a0
    await runner.cleanup()
    return out


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pg", help="a PostgreSQL URL allowed to CREATE DATABASE")
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--settle", type=float, default=3.0, help="seconds after /healthz")
    ap.add_argument("--twilio", action="store_true", help="with the Twilio channel")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    os.environ.setdefault("PTSP_CONFIG", str(Path("config.yml").resolve()))
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        results.append(await measure(f"sqlite:///{tmp}/ptsp.db", data, seconds=args.seconds,
                                     settle=args.settle, twilio=args.twilio))
        if args.pg:
            url, name = fresh_pg(args.pg, "ptsp_idle")
            try:
                results.append(await measure(url, data, seconds=args.seconds,
                                             settle=args.settle, twilio=args.twilio))
            finally:
                drop_pg(args.pg, name)
    if args.json:
        print(json.dumps(results))
        return
    cols = ["backend", "seconds", "tx/s", "stmt/s", "pg xact/s", "pg auto", "cpu %", "rss MB"]
    print(" | ".join(cols))
    for r in results:
        print(" | ".join(str(r.get(k, "")) for k in cols))


if __name__ == "__main__":
    asyncio.run(main())
