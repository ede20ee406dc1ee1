"""Cold start: import time of `bot.cli` and the time from `ptsp serve` to a healthy `/healthz`.

- `import` — wall time of `python -c "import bot.cli"` (best of `--runs`), plus the
  heaviest modules by cumulative time from `python -X importtime` (`--top`);
- `healthy` — from spawning `.venv/bin/ptsp serve` to the first `200` from `/healthz`
  (median of `--runs`) and the CPU the server used until then (less sensitive to a
  busy machine than the wall time), on a fresh SQLite file each time (and, with `--pg URL`, on a
  throw-away PostgreSQL database), with a data directory whose NLU model is already
  trained (the first run trains it and is not counted); with `--twilio` the Twilio
  channel is configured against an address nobody answers.

Run: `.venv/bin/python benchmarks/cold_start.py [--runs 5] [--pg URL] [--twilio]`
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from pgdb import drop_pg, fresh_pg

ROOT = Path(__file__).resolve().parent.parent
PTSP = ROOT / ".venv" / "bin" / "ptsp"


def import_time(runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import bot.cli"], cwd=ROOT, check=True)
        best = min(best, time.perf_counter() - t0)
    return best


def import_top(n: int) -> list[tuple[str, float]]:
    """The top-level packages `import bot.cli` spends most time in (cumulative, ms)."""
    out = subprocess.run([sys.executable, "-X", "importtime", "-c", "import bot.cli"],
                         cwd=ROOT, check=True, capture_output=True, text=True).stderr
    per_pkg: dict[str, float] = {}
    for line in out.splitlines():
        m = re.match(r"import time:\s+\d+ \|\s+(\d+) \|( *)(\S+)", line)
        if m and len(m.group(2)) == 1:  # a module imported at the top level of the tree
            pkg = m.group(3).split(".")[0]
            per_pkg[pkg] = per_pkg.get(pkg, 0) + int(m.group(1)) / 1000
    return sorted(per_pkg.items(), key=lambda kv: -kv[1])[:n]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """User + system CPU a running process has used (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def time_to_healthy(env: dict[str, str], timeout: float = 60.0) -> tuple[float, float]:
    """Wall seconds from spawn to a healthy `/healthz`, and the server's CPU seconds."""
    port = free_port()
    t0 = time.perf_counter()
    proc = subprocess.Popen([str(PTSP), "serve", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.perf_counter() - t0 < timeout:
            if proc.poll() is not None:
                raise RuntimeError(f"ptsp serve exited with {proc.returncode}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz",
                                            timeout=1) as resp:
                    if resp.status == 200:
                        return time.perf_counter() - t0, cpu_seconds(proc.pid)
            except OSError:
                time.sleep(0.02)
        raise RuntimeError("not healthy in time")
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--top", type=int, default=8)
    ap.add_argument("--pg", help="a PostgreSQL URL allowed to CREATE DATABASE")
    ap.add_argument("--twilio", action="store_true")
    args = ap.parse_args()

    print(f"import bot.cli: {import_time(args.runs) * 1000:.0f} ms (best of {args.runs})")
    for pkg, ms in import_top(args.top):
        print(f"  {pkg:<24} {ms:7.1f} ms")
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PTSP_CONFIG": str(ROOT / "config.yml"),
               "PTSP_DATA_DIR": str(Path(tmp) / "data")}
        if args.twilio:
            env.update(PTSP_TWILIO_ACCOUNT_SID="AC" + "0" * 32, PTSP_TWILIO_AUTH_TOKEN="x" * 32,
                       PTSP_TWILIO_WHATSAPP_FROM="whatsapp:+14155238886",
                       PTSP_TWILIO_API_BASE_URL="http://127.0.0.1:9")
        env["PTSP_DATABASE_URL"] = f"sqlite:///{tmp}/warm.db"
        first, _ = time_to_healthy(env)  # trains the NLU model into the data directory
        print(f"first start (trains the NLU model): {first:.2f} s")
        backends = [("sqlite", None)] + ([("postgres", args.pg)] if args.pg else [])
        for label, base in backends:
            times, cpus = [], []
            for i in range(args.runs):
                name = None
                if base:
                    url, name = fresh_pg(base, "ptsp_cold")
                else:
                    url = f"sqlite:///{tmp}/run{i}.db"
                env["PTSP_DATABASE_URL"] = url
                try:
                    wall, cpu = time_to_healthy(env)
                    times.append(wall)
                    cpus.append(cpu)
                finally:
                    if name:
                        drop_pg(base, name)
            print(f"{label}: spawn → healthy /healthz median {statistics.median(times):.2f} s "
                  f"(min {min(times):.2f}, max {max(times):.2f}), server CPU median "
                  f"{statistics.median(cpus):.2f} s ({args.runs} runs, fresh database each)")


if __name__ == "__main__":
    main()
