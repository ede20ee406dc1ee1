"""The inbox worker's handler: media → NLU → dialog step → commands, replies, state, in one commit.

Network work (media download) and NLU happen before the transaction; the dialog step,
the domain commands, the replies (outbox rows), the new conversation state and the
inbox row's completion commit together, so a crash never half-handles a message.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import func
from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import Session, select

from bot.types import IncomingMessage, MediaRef
from bot.workers import fault
from dialogs.base import (
    AkhiriRelay,
    DialogContext,
    FileInfo,
    MintaPetugas,
    PemohonInfo,
    TeruskanKePetugas,
    Turn,
)
from dialogs.engine import step
from domain.errors import DomainError
from domain.status import Status
from storage import queue as q
from storage.repositories import kantor_petugas, utcnow
from storage.tables import InboxRow, PercakapanRow

if TYPE_CHECKING:
    from bot.bootstrap import Container

log = logging.getLogger(__name__)

Fetcher = Callable[[IncomingMessage, MediaRef], Awaitable[bytes]]


@dataclass
class Inbound:
    """Everything the handler needs, built once by `bot.app`."""

    container: Container
    nlu: Any  # nlu.types.NluParser
    dialog_ctx: Mapping[int, DialogContext]
    fetchers: Mapping[str, Fetcher]
    files: Any  # storage.files.FileStore
    officials: Any = None  # bot.officials.handler.Officials
    _kedatangan: dict[tuple[str, str], deque] = field(default_factory=dict, repr=False)

    async def __call__(self, row: dict) -> None:
        msg = IncomingMessage.from_row(row)
        if msg.channel == "telegram":
            files, errors = await self._media(msg)
            await asyncio.to_thread(self._process_official, row, msg, files, errors)
            return
        if await asyncio.to_thread(self._banjir, row, msg):
            return  # a flood: not downloaded, parsed or answered one by one
        if msg.button_payload:  # a quick-reply or list press: its id, not its label, counts
            msg = dataclasses.replace(msg, text=msg.button_payload)
        files, errors = await self._media(msg)
        nlu = await self._parse(msg)
        await asyncio.to_thread(self._process, row, msg, files, errors, nlu)

    def _mungkin_banjir(self, msg: IncomingMessage, tiba: datetime, batas: int) -> bool:
        """This process's own count of the sender's arrivals in the last minute.

        Only past the limit is the database asked (several instances: each counts its share).
        """
        recent = self._kedatangan.setdefault((msg.channel, msg.sender_id),
                                             deque(maxlen=batas + 1))
        recent.append(tiba)
        if len(self._kedatangan) > 50_000:  # forget quiet senders now and then
            lama = tiba - timedelta(minutes=1)
            for key in [k for k, v in self._kedatangan.items() if v[-1] < lama]:
                del self._kedatangan[key]
        return len(recent) > batas and recent[0] > tiba - timedelta(minutes=1)

    def _banjir(self, row: dict, msg: IncomingMessage) -> bool:
        """A flood: set aside, and one polite slow-down reply per minute.

        More than `conversation.batas_pesan_per_menit` messages from one sender in the
        minute up to this one (counted by arrival, so a backlog is judged as it came).
        """
        batas = self.container.settings.conversation.batas_pesan_per_menit
        tiba = _utc(row["created_at"])
        if not self._mungkin_banjir(msg, tiba, batas):
            return False  # the usual case: no query at all
        with self.container.uow(row["kantor_id"]) as uow:
            n = uow.session.exec(select(func.count()).select_from(InboxRow).where(
                InboxRow.channel == msg.channel, InboxRow.sender == msg.sender_id,
                InboxRow.id <= row["id"], InboxRow.created_at > tiba - timedelta(minutes=1))
            ).one()
            if n <= batas:
                return False
            state_row = _state_row(uow.session, row["kantor_id"], msg)
            state = dict(state_row.state)
            sampai = state.get("pelan_sampai")
            if not sampai or datetime.fromisoformat(sampai) <= tiba:
                uow.outbox.add(msg.channel, msg.sender_id,
                               {"text": self.container.pesan("pesan_terlalu_cepat")})
                state["pelan_sampai"] = (tiba + timedelta(minutes=1)).isoformat()
            log.info("flood from %s: message set aside", msg.channel)
            _finish(uow, state_row, state, row)
        return True

    async def _parse(self, msg: IncomingMessage) -> dict:
        if not msg.text:
            return {}
        now = self.container.clock.now()
        aparse = getattr(self.nlu, "aparse", None)
        if aparse is not None:
            return await aparse(msg.text, now)
        return await asyncio.to_thread(self.nlu.parse, msg.text, now)

    async def _media(self, msg: IncomingMessage) -> tuple[list[FileInfo], list[str]]:
        from bot.media import MediaError, inspect_media

        files: list[FileInfo] = []
        errors: list[str] = []
        if msg.kind not in ("media", "text"):
            return files, errors  # voice notes, videos, stickers: answered, never downloaded
        fetch = self.fetchers.get(msg.channel)
        for ref in msg.media:
            if fetch is None:
                errors.append(self.container.pesan("non_teks_lain"))
                continue
            try:
                data = await fetch(msg, ref)
                ready = await asyncio.to_thread(inspect_media, data)
            except MediaError as exc:
                errors.append(self._media_error(exc))
                continue
            sha = await asyncio.to_thread(self.files.put, ready.data, ready.ext)
            files.append(FileInfo(nama=f"lampiran-{sha[:8]}.{ready.ext}", mime=ready.mime,
                                  bytes=len(ready.data), sha256=sha, mutu=ready.mutu))
        return files, errors

    def _media_error(self, exc: Any) -> str:
        """The catalog's wording of a media problem (the exception's own text as fallback)."""
        pesan = self.container.pesan
        if exc.kunci not in pesan:
            return exc.pesan
        batas = getattr(exc, "batas", None)
        jenis = getattr(exc, "jenis", "file")
        return pesan(exc.kunci, mb=f"{batas / 2**20:g} MB" if batas else "",
                     untuk=f" untuk {jenis}" if jenis != "file" else "")

    def _turn(self, uow: Any, msg: IncomingMessage, files: list[FileInfo], errors: list[str],
              nlu: dict) -> Turn:
        p = uow.pemohon.by_kanal(msg.channel, msg.sender_id)
        info = None
        dikembalikan: tuple[str, ...] = ()
        menunggu_info: tuple[str, ...] = ()
        jadwal_baru: tuple[str, ...] = ()
        if p is not None:
            info = PemohonInfo(id=p.id, nama=p.nama, hp=p.hp, jenis=p.jenis, instansi=p.instansi)
            own = uow.permohonan.ringkas(pengaju_id=p.id, limit=50)
            dikembalikan = tuple(x.nomor for x in own if x.status == Status.DIKEMBALIKAN)
            menunggu_info = tuple(x.nomor for x in own if x.menunggu_pemohon)
            jadwal_baru = tuple(x.nomor for x in own if x.status == Status.SELESAI
                                and (x.data.get("jadwal") or {}).get("waktu")
                                and not x.data["jadwal"].get("tanggapan"))
        kind = msg.kind
        if kind == "media" and not files and not errors:
            kind = "other"
        return Turn(channel=msg.channel, sender=msg.sender_id, now=self.container.clock.now(),
                    text=msg.text or None, kind=kind if kind not in ("media", "text") else "text",
                    nlu=nlu, files=tuple(files), file_errors=tuple(errors), pemohon=info,
                    dikembalikan=dikembalikan, menunggu_info=menunggu_info,
                    jadwal_baru=jadwal_baru)

    def _process(self, row: dict, msg: IncomingMessage, files: list[FileInfo],
                 errors: list[str], nlu: dict) -> None:
        k = self.container
        ctx = self.dialog_ctx[row["kantor_id"]]
        with k.uow(row["kantor_id"]) as uow:
            uow.menjawab = (msg.channel, msg.sender_id)  # replies go even after "STOP"
            state_row = _state_row(uow.session, row["kantor_id"], msg)
            turn = self._turn(uow, msg, files, errors, nlu)
            out = step(state_row.state, turn, ctx)
            try:
                for cmd in out.commands:
                    if isinstance(cmd, MintaPetugas | TeruskanKePetugas):
                        self._relay(uow, msg, turn, cmd)
                    elif isinstance(cmd, AkhiriRelay):
                        from bot.officials.aduan import akhiri_relay

                        akhiri_relay(k, uow, msg.sender_id, cmd.sebab)
                    else:
                        k.bus.handle(cmd, uow, commit=False)
            except DomainError as exc:
                log.info("command refused for %s: %s", msg.sender_id, exc)
                uow.rollback()
                state_row = _state_row(uow.session, row["kantor_id"], msg)
                replies = [k.pesan("perintah_ditolak", alasan=str(exc))]
                # the form that led here is over; a relay in progress stays open
                new_state = {"flow": None, "handoff": state_row.state.get("handoff"),
                             "updated_at": turn.now.isoformat()}
            else:
                replies, new_state = out.replies, out.state
            for text in replies:
                uow.outbox.add(msg.channel, msg.sender_id, {"text": text})
            # what waited for this citizen outside WhatsApp's 24-hour window goes now
            uow.outbox.lepaskan_tertahan(msg.channel, msg.sender_id,
                                         lambda teks: k.pesan("kabar_tertahan", teks=teks))
            _finish(uow, state_row, new_state, row)


    def _relay(self, uow: Any, msg: IncomingMessage, turn: Turn, cmd: Any) -> None:
        from bot.officials.aduan import buka_relay

        nama = turn.pemohon.nama if turn.pemohon else (msg.profile_name or msg.sender_id)
        buka_relay(self.container, uow, msg.channel, msg.sender_id, nama,
                   getattr(cmd, "teks", None))

    def _process_official(self, row: dict, msg: IncomingMessage, files: list[FileInfo],
                          errors: list[str]) -> None:
        kantor_id = self._kantor_petugas(msg, row["kantor_id"])
        with self.container.uow(kantor_id) as uow:
            state_row = _state_row(uow.session, kantor_id, msg)
            if self.officials is None:
                new_state = state_row.state
            else:
                new_state = self.officials.process(uow, msg, dict(state_row.state),
                                                   files=files, errors=errors)
            _finish(uow, state_row, new_state, row)


    def _kantor_petugas(self, msg: IncomingMessage, default: int) -> int:
        """The office of the official who sent a Telegram update.

        One bot serves every office: found by the code of a `/start KODE` or the linked
        account; strangers go to the first office, which answers them politely.
        """
        if len(self.container.kantor) < 2:
            return default
        text = (msg.text or "").strip()
        kode = text.removeprefix("/start").strip() if text.startswith("/start ") else None
        uid = int(msg.sender_id) if msg.sender_id.isdigit() else None
        with Session(self.container.db.engine) as s:
            kid = kantor_petugas(s, telegram_user_id=uid, kode_tautan=kode)
        return kid if kid is not None else default


def _finish(uow: Any, state_row: PercakapanRow, state: dict, row: dict) -> None:
    """Save the conversation state, mark the inbox row done, commit — all or nothing."""
    state_row.state = state
    flag_modified(state_row, "state")
    state_row.updated_at = utcnow()
    uow.session.add(state_row)
    q.complete(uow.session, "inbox", row["id"], attempts=row["attempts"])
    fault("before_commit")
    uow.commit()


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _state_row(session: Session, kantor_id: int, msg: IncomingMessage) -> PercakapanRow:
    row = session.exec(select(PercakapanRow).where(
        PercakapanRow.kantor_id == kantor_id, PercakapanRow.channel == msg.channel,
        PercakapanRow.sender == msg.sender_id)).first()
    if row is None:
        row = PercakapanRow(kantor_id=kantor_id, channel=msg.channel, sender=msg.sender_id,
                            state={}, updated_at=utcnow())
    return row
