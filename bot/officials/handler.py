"""What an official sends on Telegram: /start linking, commands, button presses, typed answers.

Every action is checked against role, jabatan and assignment (the transition table) before
anything changes; a refused press changes nothing and says why. Actions that need words
ask with a ForceReply prompt and echo the answer with Kirim / Ubah / Batal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.officials import actions, perintah
from bot.officials.prompts import prompt_by_kode
from bot.types import IncomingMessage
from domain.errors import DomainError
from domain.model import Petugas

if TYPE_CHECKING:
    from bot.bootstrap import Container


class Officials:
    """The Telegram side of the inbox worker, one message per call, inside one transaction."""

    def __init__(self, container: Container, nlu: Any):
        self.c, self.nlu = container, nlu

    def process(self, uow: Any, msg: IncomingMessage, state: dict[str, Any], *,
                files: list[Any] = (), errors: list[str] = ()) -> dict[str, Any]:
        """Handle one update; returns the petugas's new conversation state."""
        chat = str(msg.raw.get("chat_id") or msg.sender_id)
        ctx = actions.Ctx(c=self.c, uow=uow, chat=chat, state=state, msg=msg, nlu=self.nlu,
                          files=list(files))
        for err in errors:
            ctx.say(err)
        text = (msg.text or "").strip()
        if text.startswith("/start"):
            return self._link(ctx, text.partition(" ")[2].strip())
        petugas = uow.petugas.by_telegram(int(msg.sender_id)) if msg.sender_id.isdigit() else None
        if petugas is None:
            if msg.button_payload:
                ctx.answer(self.c.pesan("tg_belum_tertaut"), alert=True)
            else:
                ctx.say(self.c.pesan("tg_belum_tertaut"))
            return state
        ctx.petugas = petugas
        try:
            if msg.button_payload:
                self._button(ctx, msg.button_payload)
            elif text.startswith("/"):
                perintah.command(ctx, text)
            elif ctx.files:
                actions.file_hasil(ctx, text)
            elif text:
                actions.typed(ctx, text)
            else:
                ctx.say(self.c.pesan("tg_bantuan"))
        except DomainError as exc:
            actions.refuse(ctx, exc)
        return ctx.state

    def _link(self, ctx: actions.Ctx, kode: str) -> dict[str, Any]:
        uow, c = ctx.uow, self.c
        petugas: Petugas | None = uow.petugas.by_kode_tautan(kode.upper()) if kode else None
        now = c.clock.now()
        if petugas is None or not petugas.aktif or (
                petugas.kode_kedaluwarsa and petugas.kode_kedaluwarsa < now):
            ctx.say(c.pesan("tg_kode_salah"))
            return ctx.state
        uow.petugas.tautkan(petugas, int(ctx.msg.sender_id))  # one account, one petugas
        profil = c.profil(uow.kantor_id)
        ctx.say(c.pesan("tg_tertaut", nama=petugas.nama, role=str(petugas.role),
                        jabatan=profil.nama_jabatan(petugas.jabatan) if petugas.jabatan else "-"))
        ctx.petugas = petugas
        perintah.salin_tugas(ctx)  # items already waiting for this jabatan
        return ctx.state

    def _button(self, ctx: actions.Ctx, data: str) -> None:
        kode, _, aksi = data.partition(":")
        if kode == "tanya":  # which open question a kept text answers
            if aksi.isdigit():
                actions.pilih_tertunda(ctx, int(aksi))
            else:
                ctx.answer(self.c.pesan("tg_prompt_tidak_ada"), alert=True)
            return
        row = prompt_by_kode(ctx.uow, kode)
        if row is None:
            ctx.answer(self.c.pesan("tg_prompt_tidak_ada"), alert=True)
            return
        if row.status != "open":
            ctx.answer(self.c.pesan("tg_sudah_ditangani", oleh=row.done_by or "-"), alert=True)
            return
        if row.penerima and str(ctx.petugas.id) not in row.penerima and not actions.is_admin(ctx):
            ctx.answer(self.c.pesan("tg_bukan_penerima"), alert=True)
            return
        actions.button(ctx, row, aksi)
