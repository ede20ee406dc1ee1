"""The officials' side of the store: prompts, the outbox as a handle, conversation states."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import Session, select

from domain.model import PesanKeluar, Prompt
from domain.ports import PercakapanRepository, PromptRepository
from storage.repositories import SqlOutbox, utcnow
from storage.tables import OutboxRow, PercakapanRow, PromptRow


def _prompt(row: PromptRow) -> Prompt:
    return Prompt(kode=row.kode, jenis=row.jenis, nomor=row.nomor, pesan=dict(row.pesan),
                  penerima=dict(row.penerima), status=row.status, created_at=row.created_at,
                  done_at=row.done_at, done_by=row.done_by, id=row.id)


class SqlPromptRepository(PromptRepository):
    def __init__(self, session: Session, kantor_id: int):
        self.s, self.kantor_id = session, kantor_id

    def add(self, prompt: Prompt) -> Prompt:
        row = PromptRow(kantor_id=self.kantor_id, kode=prompt.kode, jenis=prompt.jenis,
                        nomor=prompt.nomor, pesan=prompt.pesan, penerima=prompt.penerima,
                        status=prompt.status, created_at=prompt.created_at or utcnow())
        self.s.add(row)
        self.s.flush()
        prompt.id, prompt.created_at = row.id, row.created_at
        return prompt

    def by_kode(self, kode: str, *, for_update: bool = False) -> Prompt | None:
        q = select(PromptRow).where(PromptRow.kantor_id == self.kantor_id, PromptRow.kode == kode)
        if for_update:
            q = q.with_for_update().execution_options(populate_existing=True)
        row = self.s.exec(q).first()
        return _prompt(row) if row else None

    def terbuka(self, *, nomor: str | None = None, jenis: str | None = None) -> list[Prompt]:
        q = select(PromptRow).where(PromptRow.kantor_id == self.kantor_id,
                                    PromptRow.status == "open")
        if nomor is not None:
            q = q.where(PromptRow.nomor == nomor)
        if jenis is not None:
            q = q.where(PromptRow.jenis == jenis)
        return [_prompt(r) for r in self.s.exec(q.order_by(PromptRow.created_at, PromptRow.id))]

    def save(self, prompt: Prompt) -> None:
        row = self.s.get(PromptRow, prompt.id)
        if row is None:
            raise LookupError(f"prompt {prompt.kode} tidak ada")
        row.status, row.done_at, row.done_by = prompt.status, prompt.done_at, prompt.done_by
        row.penerima, row.pesan = dict(prompt.penerima), dict(prompt.pesan)
        flag_modified(row, "penerima")
        flag_modified(row, "pesan")
        self.s.add(row)


def _pesan(row: OutboxRow) -> PesanKeluar:
    return PesanKeluar(id=int(row.id), channel=row.channel, recipient=row.recipient,
                       message=dict(row.message), provider_id=row.provider_id)


class SqlOutboxHandle(SqlOutbox):
    """The outbox, also handing back the rows the officials' side refers to."""

    def kirim(self, channel: str, recipient: str, message: dict[str, Any]) -> int:
        now = utcnow()
        row = OutboxRow(kantor_id=self.kantor_id, channel=channel, recipient=recipient,
                        message=message, next_at=now, created_at=now)
        self.s.add(row)
        self.s.flush()
        self.added += 1
        return int(row.id)

    def get(self, outbox_id: int) -> PesanKeluar | None:
        row = self.s.get(OutboxRow, outbox_id)
        return _pesan(row) if row else None

    def lepaskan_tertahan(self, channel: str, recipient: str, bungkus: Any) -> int:
        rows = list(self.s.exec(select(OutboxRow).where(
            OutboxRow.channel == channel, OutboxRow.recipient == recipient,
            OutboxRow.status == "jendela").order_by(OutboxRow.id)))  # type: ignore[arg-type]
        now = utcnow()
        for row in rows:
            message = {k: v for k, v in row.message.items() if k != "ulang_dari"}
            row.message = {**message, "text": bungkus(str(message.get("text") or ""))}
            row.status, row.next_at, row.attempts = "pending", now, 0
            row.delivery_status, row.provider_id = None, None
            self.s.add(row)
        if rows:
            self.added += len(rows)  # wakes the outbox worker after the commit
        return len(rows)

    def terkirim(self, channel: str, recipient: str, *, provider_id: str | None = None,
                 sejak: datetime | None = None) -> list[PesanKeluar]:
        q = select(OutboxRow).where(OutboxRow.channel == channel,
                                    OutboxRow.recipient == recipient)
        if provider_id is not None:
            q = q.where(OutboxRow.provider_id == provider_id)
        if sejak is not None:
            q = q.where(OutboxRow.created_at >= sejak)
        return [_pesan(r) for r in self.s.exec(q.order_by(OutboxRow.id))]


class SqlPercakapanRepository(PercakapanRepository):
    def __init__(self, session: Session, kantor_id: int):
        self.s, self.kantor_id = session, kantor_id

    def milik(self, sender: str) -> dict[str, dict[str, Any]]:
        rows = self.s.exec(select(PercakapanRow).where(
            PercakapanRow.kantor_id == self.kantor_id, PercakapanRow.sender == sender))
        return {r.channel: dict(r.state) for r in rows}

    def simpan(self, channel: str, sender: str, state: dict[str, Any]) -> None:
        row = self.s.exec(select(PercakapanRow).where(
            PercakapanRow.kantor_id == self.kantor_id, PercakapanRow.channel == channel,
            PercakapanRow.sender == sender)).first()
        if row is None:
            row = PercakapanRow(kantor_id=self.kantor_id, channel=channel, sender=sender,
                                state={}, updated_at=utcnow())
        row.state, row.updated_at = dict(state), utcnow()
        flag_modified(row, "state")
        self.s.add(row)
