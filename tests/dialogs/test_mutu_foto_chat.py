"""Photo quality at the door, in the conversation: a blurred or dark page gets a specific
reply at once and is kept only if the pemohon insists ("tetap"); a sharp one goes on."""

from __future__ import annotations

import io

from PIL import Image, ImageEnhance, ImageFilter

from tests.chat import Chat
from tests.dialogs.test_flows import jpeg, register
from tests.gambar import dokumen


def _rusak(f) -> bytes:
    img = f(Image.open(io.BytesIO(dokumen((1200, 1600)))).convert("RGB"))
    buf = io.BytesIO()
    img.save(buf, "JPEG")
    return buf.getvalue()


BURAM = _rusak(lambda im: im.filter(ImageFilter.GaussianBlur(6)))
GELAP = _rusak(lambda im: ImageEnhance.Brightness(im).enhance(0.12))


async def _sampai_unggah(chat: Chat) -> None:
    await register(chat)
    await chat.send("2")
    await chat.send("legalisir")
    await chat.send("1")
    await chat.send("1")


async def test_a_blurred_page_is_held_until_the_pemohon_insists(sqlite_app):
    chat = Chat(sqlite_app)
    await _sampai_unggah(chat)
    out = await chat.send(files=[(BURAM, "jpg")])
    assert "Foto terlalu buram" in out and "*tetap*" in out
    out = await chat.send("selesai")
    assert "baru 0 file" in out  # the held photo was not taken
    out = await chat.send(files=[(BURAM, "jpg")])
    out = await chat.send("tetap")
    assert "Foto terlalu buram" not in out and "1 file" in out
    with sqlite_app.uow() as uow:
        state = uow.percakapan.milik(chat.phone)["sandbox"]
    assert len(state["data"]["berkas"]) == 1 and "foto_ragu" not in state


async def test_a_dark_page_beside_a_good_one_only_the_good_one_is_taken(sqlite_app):
    chat = Chat(sqlite_app)
    await _sampai_unggah(chat)
    out = await chat.send(files=[(jpeg(), "jpg"), (GELAP, "jpg")])
    assert "Foto terlalu gelap" in out and "1 file" in out
    out = await chat.send(files=[(jpeg("gray"), "jpg")])  # a better photo instead
    assert "2 file" in out and "gelap" not in out
