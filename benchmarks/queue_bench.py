"""Job engine benchmark: wake-up latency and throughput of the outbox queue.

Measures, on SQLite and on PostgreSQL (`--pg URL`):
- latency from the commit of an outbox row to its handler running, with the
  LISTEN/NOTIFY (PostgreSQL) or in-process wake-up, versus pure 100 ms polling;
- throughput of two workers (two `Database` instances, as two `ptsp serve`) draining
  a backlog, and that every row is handled exactly once.

Run: `.venv/bin/python benchmarks/queue_bench.py [--pg postgresql://postgres@127.0.0.1/test]`
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from pgdb import drop_pg, fresh_pg

from bot.workers import QueueWorker
from storage import queue as q
from storage.migrate import upgrade
from storage.uow import Database


async def latency(url: str, *, notify: bool, n: int = 50) -> list[float]:
    db = Database(url)
    kid = db.ensure_kantor("bench", "Bench")
    done: dict[str, float] = {}

    async def handler(row: dict) -> None:
        done[row["message"]["k"]] = time.perf_counter()
        q.complete(db, "outbox", row["id"])

    worker = QueueWorker(db, "outbox", handler, poll_seconds=0.1, self_completing=True)
    stop = asyncio.Event()
    tasks = [asyncio.create_task(worker.run(stop))]
    await asyncio.sleep(0.1)  # the worker registered its in-process wake-up
    if not notify or db.is_postgres:
        db._wakers.clear()  # polling only, or (PostgreSQL) wake through NOTIFY only
    if notify and db.is_postgres:
        tasks.append(asyncio.create_task(q.listen(db, ["outbox"], lambda _q: worker.wake(),
                                                  stop)))
    await asyncio.sleep(0.3)
    out = []
    for i in range(n):
        key = f"m{i}"
        t0 = time.perf_counter()
        await asyncio.to_thread(_commit_one, db, kid, key)
        while key not in done:
            await asyncio.sleep(0.0005)
        out.append((done[key] - t0) * 1000)
        await asyncio.sleep(0.01)
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    db.dispose()
    return out


def _commit_one(db: Database, kid: int, key: str) -> None:
    with db.uow(kid) as uow:
        uow.outbox.add("bench", "r", {"k": key})
        uow.commit()


async def throughput(url: str, n: int = 2000) -> tuple[float, int]:
    dbs = [Database(url), Database(url)]
    kid = dbs[0].ensure_kantor("bench", "Bench")
    with dbs[0].uow(kid) as uow:
        for i in range(n):
            uow.outbox.add("bench", f"r{i % 200}", {"k": i})
        uow.commit()
    seen: list[int] = []

    def make(db: Database):
        async def handler(row: dict) -> None:
            seen.append(row["message"]["k"])
            await asyncio.to_thread(q.complete, db, "outbox", row["id"])
        return handler

    t0 = time.perf_counter()
    await asyncio.gather(*(QueueWorker(db, "outbox", make(db), concurrency=16,
                                       self_completing=True).drain() for db in dbs))
    elapsed = time.perf_counter() - t0
    for db in dbs:
        db.dispose()
    dupes = len(seen) - len(set(seen))
    return n / elapsed, dupes


def pct(xs: list[float], p: float) -> float:
    return sorted(xs)[min(len(xs) - 1, int(len(xs) * p))]


async def run(url: str, label: str) -> None:
    upgrade(url)
    for notify in (True, False):
        xs = await latency(url, notify=notify)
        mode = ("NOTIFY" if "postgresql" in url else "in-process") if notify else "poll 100 ms"
        print(f"{label:10} wake={mode:11} latency ms: p50 {statistics.median(xs):6.1f} "
              f"p95 {pct(xs, .95):6.1f} max {max(xs):6.1f}")
    rate, dupes = await throughput(url)
    print(f"{label:10} 2 workers: {rate:7.0f} rows/s, duplicates: {dupes}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(run(f"sqlite:///{Path(tmp) / 'bench.db'}", "sqlite"))
    url, name = fresh_pg(args.pg)
    try:
        asyncio.run(run(url, "postgresql"))
    finally:
        drop_pg(args.pg, name)


if __name__ == "__main__":
    main()
