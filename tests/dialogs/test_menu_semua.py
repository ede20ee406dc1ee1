"""`menu` inside a half-filled form asks first; `kembali` outside a form is the menu;
"ketik *semua*" is understood wherever it is offered."""

from __future__ import annotations

from tests.chat import Chat
from tests.dialogs.test_flows import register


async def test_menu_asks_before_dropping_answers_and_tidak_carries_on(sqlite_app):
    chat = Chat(sqlite_app)
    await register(chat)
    await chat.send("2")
    await chat.send("legalisir")
    out = await chat.send("menu")
    assert "belum selesai" in out and "1. Informasi" not in out
    out = await chat.send("tidak")
    assert "Legalisir Ijazah Madrasah" in out  # the same question again
    await chat.send("menu")
    out = await chat.send("ya")
    assert "1. Informasi layanan" in out
    # a form with no answer yet is left at once
    await chat.send("2")
    assert "1. Informasi layanan" in await chat.send("menu")


async def test_kembali_outside_a_form_and_semua_after_a_number_not_found(sqlite_app):
    chat = Chat(sqlite_app)
    assert "1. Informasi layanan" in await chat.send("kembali")
    out = await chat.send("semua")  # not registered: asked for the number instead
    assert "nomor registrasi" in out.lower()
    await chat.send("menu")
    await register(chat)
    out = await chat.send("cek PTSP-261124-9999")
    assert "tidak ditemukan" in out and "*semua*" in out
    assert "Belum ada permohonan" in await chat.send("semua")
