"""`kill -9` under load, then a restart: nothing lost, nothing handled twice, order kept.

A real `ptsp serve` process (SQLite and PostgreSQL) takes signed webhooks from many
citizens at once and answers through the fake Twilio on loopback. It is killed with
SIGKILL while messages are queued and replies are in flight, and started again. As
Twilio does, a webhook that got no answer is posted again. Afterwards every message was
handled exactly once, each citizen's messages in the order they were sent, every reply
went out, and a reply went out twice only where the crash fell between Twilio's answer
and our commit (at most one per citizen: one reply per recipient is in flight at a time).
The same holds when PostgreSQL itself restarts under load (a throwaway cluster the test
starts on its own port, never the shared server): every connection is cut, webhooks
answered meanwhile are posted again, and the server goes on without being restarted.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import create_engine, text

from tests.e2e.factories import make_twilio_form, sign
from tests.e2e.whatsapp_harness import FROM_NUMBER, HOOK, PUBLIC_URL

SENDERS = 16
EACH = 5
PTSP = Path(sys.executable).with_name("ptsp")


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`ptsp serve` as a child process, WhatsApp through the fake Twilio."""

    def __init__(self, db_url: str, data: Path, fake, log: Path):
        self.port = _port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.env = {**os.environ, "PTSP_DATABASE_URL": db_url, "PTSP_DATA_DIR": str(data),
                    "PTSP_TWILIO_ACCOUNT_SID": fake.account_sid,
                    "PTSP_TWILIO_AUTH_TOKEN": fake.auth_token,
                    "PTSP_TWILIO_WHATSAPP_FROM": FROM_NUMBER,
                    "PTSP_TWILIO_API_BASE_URL": fake.url, "PTSP_PUBLIC_URL": PUBLIC_URL,
                    "PTSP_SANDBOX": "off", "PTSP_SECRET_KEY": "k" * 32,
                    # what the killed process held is taken again after this long
                    "PTSP_JOBS__LEASE_SECONDS": "2"}
        self.proc: subprocess.Popen | None = None

    async def start(self, http: aiohttp.ClientSession) -> None:
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen([str(PTSP), "serve", "--host", "127.0.0.1",
                                          "--port", str(self.port)], env=self.env,
                                         stdout=out, stderr=subprocess.STDOUT)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 90
        while True:
            assert self.proc.poll() is None, self.log.read_text()[-3000:]
            try:
                async with http.get(self.base + "/healthz") as r:
                    if r.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            assert loop.time() < deadline, "not healthy within 90 s"
            await asyncio.sleep(0.1)

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()


async def _post(http: aiohttp.ClientSession, server: Server, form: dict, up: asyncio.Event
                ) -> None:
    """Post until answered 200 `<Response/>`, waiting for the server while it is down."""
    sig = sign(PUBLIC_URL + HOOK, form, server.env["PTSP_TWILIO_AUTH_TOKEN"])
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 120
    while True:
        assert loop.time() < deadline, f"webhook {form['MessageSid']} never answered 200"
        await asyncio.wait_for(up.wait(), timeout=120)
        try:
            async with http.post(server.base + HOOK, data=form,
                                 headers={"X-Twilio-Signature": sig}) as r:
                if r.status == 200:
                    return
        except (TimeoutError, aiohttp.ClientError):
            pass
        await asyncio.sleep(0.05)


async def _post_once(http: aiohttp.ClientSession, server: Server, form: dict) -> None:
    """One attempt, whatever its outcome (the server may die while answering)."""
    sig = sign(PUBLIC_URL + HOOK, form, server.env["PTSP_TWILIO_AUTH_TOKEN"])
    try:
        async with http.post(server.base + HOOK, data=form,
                             headers={"X-Twilio-Signature": sig}) as r:
            await r.read()
    except (TimeoutError, aiohttp.ClientError):
        pass


def _state(url: str) -> tuple[list[tuple], int]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            inbox = list(conn.execute(text(
                "SELECT id, sender, provider_id, status, done_at FROM inbox ORDER BY id")))
            busy = conn.execute(text(
                "SELECT count(*) FROM outbox WHERE status IN ('pending', 'running')")).scalar()
    finally:
        engine.dispose()
    return inbox, busy


async def _settled(url: str, messages: int, timeout: float = 90) -> list[tuple]:
    """Wait until `messages` inbox rows are all done and no reply is left to send."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        inbox, busy = await asyncio.to_thread(_state, url)
        if len(inbox) == messages and busy == 0 and all(r.status == "done" for r in inbox):
            return inbox
        assert loop.time() < deadline, (len(inbox), busy, Counter(r.status for r in inbox))
        await asyncio.sleep(0.1)


async def _under_load(server: Server, fake, db_url: str, disrupt) -> None:
    """Many citizens write while `disrupt(http)` strikes; wait until all is handled,
    then check: each message once, in each sender's order, no reply lost."""
    phones = [f"+62813{i:08d}" for i in range(SENDERS)]
    forms = {p: [make_twilio_form("menu", from_="whatsapp:" + p) for _ in range(EACH)]
             for p in phones}
    up = asyncio.Event()
    timeout = aiohttp.ClientTimeout(total=10)
    async with aiohttp.ClientSession(timeout=timeout) as http:
        try:
            await server.start(http)
            up.set()

            async def citizen(phone: str) -> None:
                for form in forms[phone]:  # one after the other, as a person types
                    await _post(http, server, form, up)

            load = asyncio.gather(*(citizen(p) for p in phones))
            loop = asyncio.get_running_loop()
            deadline = loop.time() + 60
            while len(fake.messages) < SENDERS:  # replies are going out: now
                assert loop.time() < deadline, "no replies under load"
                await asyncio.sleep(0.01)
            up.clear()
            sent_before = len(fake.messages)
            await disrupt(http)
            up.set()
            await load

            # a citizen who writes only now shows how many replies one "menu" gets
            control = make_twilio_form("menu", from_="whatsapp:+6281399999999")
            await _post(http, server, control, up)
            inbox = await _settled(db_url, SENDERS * EACH + 1)
            async with http.get(server.base + "/healthz") as r:
                assert r.status == 200, await r.text()
        finally:
            server.stop()

    assert 0 < sent_before < len(fake.messages), "the blow came after the load was done"
    sids = [f["MessageSid"] for p in phones for f in forms[p]] + [control["MessageSid"]]
    assert sorted(r.provider_id for r in inbox) == sorted(sids)  # each stored once
    order = {f["MessageSid"]: i for p in phones for i, f in enumerate(forms[p])}
    for phone in phones:
        mine = sorted((r for r in inbox if r.sender == phone), key=lambda r: r.done_at)
        assert [order[r.provider_id] for r in mine] == list(range(EACH)), phone
    per = Counter(m["To"].removeprefix("whatsapp:") for m in fake.messages)
    k = per["+6281399999999"]
    assert k >= 1
    for phone in phones:  # none lost; a duplicate only for the one reply in flight
        assert EACH * k <= per[phone] <= EACH * k + 1, (phone, per[phone], k)


async def test_kill_9_under_load_loses_nothing_and_keeps_each_senders_order(
        db_url, tmp_path, fake_twilio):
    server = Server(db_url, tmp_path / "data", fake_twilio, tmp_path / "serve.log")

    async def kill_and_restart(http: aiohttp.ClientSession) -> None:
        server.kill()
        await server.start(http)

    await _under_load(server, fake_twilio, db_url, kill_and_restart)


PG_BIN = Path("/usr/lib/postgresql/15/bin")


class Cluster:
    """A throwaway PostgreSQL cluster of this test's own (never the shared server)."""

    def __init__(self, root: Path):
        self.root, self.port = root, _port()
        self.data = root / "data"
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"
        # PostgreSQL refuses to run as root: as root, run it as the postgres user
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_user, *args], check=True, capture_output=True, timeout=60)

    def _ctl(self, action: str, *extra: str) -> None:
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l",
                  str(self.root / "pg.log"), "-w", *extra, "-o",
                  f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                  "-c fsync=off", action)

    def init(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        if self.as_user:
            shutil.chown(self.root, "postgres")
        self._run(str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U",
                  "postgres", "-E", "UTF8", "--no-sync")
        self._ctl("start")

    def restart(self) -> None:
        self._ctl("restart", "-m", "fast")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._ctl("stop", "-m", "immediate")


@pytest.fixture
def cluster(tmp_path_factory):
    if not (PG_BIN / "initdb").exists():
        pytest.skip(f"no PostgreSQL server binaries in {PG_BIN}")
    root = Path(tempfile.mkdtemp(prefix="ptsp-pg-"))  # short: the socket path is limited
    c = Cluster(root)
    c.init()
    try:
        yield c
    finally:
        c.stop()
        shutil.rmtree(root, ignore_errors=True)


async def test_a_postgresql_restart_under_load_loses_nothing(cluster, tmp_path, fake_twilio):
    from storage.migrate import upgrade

    upgrade(cluster.url)
    server = Server(cluster.url, tmp_path / "data", fake_twilio, tmp_path / "serve.log")

    async def restart_postgres(http: aiohttp.ClientSession) -> None:
        await asyncio.to_thread(cluster.restart)  # every connection of the server is cut

    await _under_load(server, fake_twilio, cluster.url, restart_postgres)


@pytest.mark.parametrize(("point", "twice"), [
    ("after_claim", False),  # claimed, nothing done yet: handled once after the restart
    ("before_commit", False),  # the reply was never committed: it is written again, once
    ("after_send", True),  # Twilio has the reply, our mark has not: the one allowed double
])
async def test_a_crash_at_a_named_point_gives_only_the_duplicate_the_rule_allows(
        point, twice, tmp_path, fake_twilio):
    url = f"sqlite:///{tmp_path / 'ptsp.db'}"
    server = Server(url, tmp_path / "data", fake_twilio, tmp_path / "serve.log")
    phone = "+6281377777777"
    first, second = (make_twilio_form(t, from_="whatsapp:" + phone) for t in ("menu", "2"))
    up = asyncio.Event()
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as http:
        try:
            server.env["PTSP_FAULT"] = point
            await server.start(http)
            up.set()
            # it may die before answering this webhook (the claim follows the commit at
            # once): then Twilio posts it again later, as below
            await _post_once(http, server, first)
            await asyncio.to_thread(server.proc.wait, 60)  # it dies at the point
            assert server.proc.returncode == 137, server.log.read_text()[-2000:]
            assert len(fake_twilio.messages) == (1 if twice else 0)
            del server.env["PTSP_FAULT"]
            await server.start(http)
            await _post(http, server, first, up)  # Twilio's retry: stored once, not redone
            await _post(http, server, second, up)
            inbox = await _settled(url, 2)
        finally:
            server.stop()
    bodies = [m["Body"] for m in fake_twilio.messages]
    menu = bodies[0]
    assert "1. Informasi layanan" in menu
    # the first message's reply once (twice only after_send), then the second's, in order
    assert bodies[:-1] == [menu] * (2 if twice else 1), bodies
    assert bodies[-1] != menu and inbox[0].done_at < inbox[1].done_at
