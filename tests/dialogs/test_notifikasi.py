"""STOP / MULAI: the notifications the office starts stop for a number and resume; the
answers to the citizen's own messages still go (through inbox → dialogs → outbox)."""

from __future__ import annotations

from domain import commands as c
from tests.chat import Chat
from tests.dialogs.test_flows import legalisir, register


def _status(k, nomor: str, ke: str) -> None:
    with k.uow() as uow:
        bo = k.bus.handle(c.TambahPetugas(nama="Pak Budi", role="bo"), uow)
    with k.uow() as uow:
        p = uow.permohonan.get(nomor)
        cs = k.bus.handle(c.TambahPetugas(nama="Ani", role="cs", tugas=("layanan",)), uow)
        k.bus.handle(c.PeriksaKelengkapan(nomor, cs.aktor(), {x: True for x in p.checklist}),
                     uow)
    with k.uow() as uow:
        k.bus.handle(c.UbahStatus(nomor, bo.aktor(), ke, "hasil siap"), uow)


async def test_stop_silences_notifications_until_mulai(sqlite_app):
    chat = Chat(sqlite_app)
    await register(chat)
    receipt = await legalisir(chat)
    nomor = next(w.strip("*.,") for w in receipt.split() if w.strip("*.,").startswith("PTSP-"))
    out = await chat.send("STOP")
    assert "tidak akan mengirim notifikasi" in out and "MULAI" in out
    _status(sqlite_app, nomor, "selesai")
    await chat.outbox.drain()
    assert chat._replies() == []  # nothing the office started reached the number
    # the citizen's own question is still answered
    out = await chat.send(f"cek {nomor}")
    assert nomor in out and "Selesai" in out
    out = await chat.send("mulai")
    assert "aktif kembali" in out
    with sqlite_app.uow() as uow:
        sqlite_app.bus.handle(c.UbahStatus(nomor, uow.petugas.list()[0].aktor(), "diserahkan",
                                           "diambil"), uow)
    await chat.outbox.drain()
    assert any("diserahkan" in r for r in chat._replies())


async def test_stop_inside_a_form_cancels_it_and_berhenti_notifikasi_works_anywhere(sqlite_app):
    chat = Chat(sqlite_app)
    await register(chat)
    await chat.send("2")
    out = await chat.send("stop")
    assert "dibatalkan" in out.lower() and "tidak akan mengirim notifikasi" not in out
    await chat.send("2")
    out = await chat.send("berhenti notifikasi")
    assert "tidak akan mengirim notifikasi" in out
    with sqlite_app.uow() as uow:
        assert uow.pemohon.by_kanal("sandbox", chat.phone).notifikasi_berhenti is not None


async def test_stop_from_an_unregistered_number_says_nothing_is_sent(sqlite_app):
    out = await Chat(sqlite_app, phone="+6281200000077").send("STOP")
    assert "belum terdaftar" in out
