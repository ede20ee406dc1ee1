"""`ptsp shell`: the pemohon's chat in a terminal, through the same inbox, dialogs and outbox."""

from __future__ import annotations

import asyncio
import sys
import uuid

from sqlmodel import Session, select

from bot.app import build_container
from bot.inbox import store_incoming
from bot.outbox import LocalSender
from bot.server import build_workers
from bot.types import IncomingMessage, MediaRef
from storage.files import ext_of
from storage.repositories import utcnow
from storage.tables import OutboxRow


async def run_shell(phone: str, *, kantor: str | None = None, stdin=None,
                    stdout=None) -> None:
    """Read lines, answer like WhatsApp would; `/file PATH` sends a file; Ctrl-D ends.

    `kantor` (a code from config) is the office written to; the first by default.
    """
    from bot.settings import load_settings
    from storage.migrate import ensure_schema

    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout  # as they are now, not at import

    settings = load_settings()
    ensure_schema(settings.database_url)
    c = build_container(settings)
    kantor_id = c.kantor_id_of(kantor)
    workers = build_workers(c, {"shell": LocalSender(), "sandbox": LocalSender()},
                            c.extras["inbox_handler"])
    inbox = next(w for w in workers if w.queue == "inbox")
    outbox = next(w for w in workers if w.queue == "outbox")
    seen = _last_id(c)
    print(f"PTSP shell — Anda menulis sebagai {phone}. Ketik pesan; /file PATH untuk mengirim "
          "file; Ctrl-D untuk keluar.", file=stdout)
    loop = asyncio.get_running_loop()
    while True:
        print("> ", end="", file=stdout, flush=True)
        line = await loop.run_in_executor(None, stdin.readline)
        if not line:
            break
        line = line.strip()
        if not line:
            continue
        media: tuple[MediaRef, ...] = ()
        text: str | None = line
        if line.startswith("/file "):
            path = line[6:].strip()
            try:
                data = open(path, "rb").read()  # noqa: SIM115 - small, read once
            except OSError as exc:
                print(f"(tidak dapat membaca file: {exc})", file=stdout)
                continue
            ext = ext_of(path)
            media = (MediaRef(url=f"store:{c.extras['files'].put(data, ext)}.{ext}"),)
            text = None
        msg = IncomingMessage(channel="shell", sender_id=phone, message_id=uuid.uuid4().hex,
                              received_at=utcnow(), text=text, media=media,
                              kind="media" if media else "text")
        await asyncio.to_thread(store_incoming, c.db, kantor_id, msg)
        await inbox.drain()
        await outbox.drain()
        with Session(c.db.engine) as s:
            rows = s.exec(select(OutboxRow).where(
                OutboxRow.channel == "shell", OutboxRow.recipient == phone,
                OutboxRow.kantor_id == kantor_id, OutboxRow.id > seen)
                .order_by(OutboxRow.id)).all()
        for r in rows:
            print("\n" + r.message.get("text", "") + "\n", file=stdout)
            seen = max(seen, r.id or 0)
    c.db.dispose()


def _last_id(c) -> int:  # noqa: ANN001
    with Session(c.db.engine) as s:
        row = s.exec(select(OutboxRow).order_by(OutboxRow.id.desc()).limit(1)).first()
    return row.id if row else 0
