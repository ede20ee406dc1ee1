"""A flood from one number gets one polite reply, not hundreds; a draft keeps 20 files.

Driven through the signed Twilio webhook as Twilio would post them.
"""

from __future__ import annotations

import asyncio

from tests.e2e.whatsapp_harness import pdf

BUDI, SITI = "+6281234567890", "+6285700000001"


async def test_a_flood_in_a_minute_gets_its_first_answers_then_one_slow_down(wa):
    forms = [wa.form(BUDI, f"halo {i}") for i in range(150)]
    await asyncio.gather(*(wa.deliver(f) for f in forms))
    await wa.settle([f["MessageSid"] for f in forms], timeout=120)
    replies = wa.take(BUDI)
    limit = wa.container.settings.conversation.batas_pesan_per_menit
    slow = wa.container.pesan("pesan_terlalu_cepat")
    assert replies.count(slow) == 1
    assert len(replies) <= limit * 2 + 1  # at most the first ones' answers and one notice
    # another citizen is not slowed down by it
    assert "selamat datang" in (await wa.send(SITI, "halo")).lower()


async def test_a_draft_keeps_at_most_twenty_files(wa):
    budi = wa.citizen(BUDI)
    for text in ("saya mau daftar", "1", "Budi Santoso", "3171011708850003", "ya",
                 "Jl. Merdeka No. 1", "setuju"):
        await budi.say(text)
    assert (await budi.say("2")).startswith("Layanan apa yang ingin Anda ajukan?")
    assert "untuk siapa" in await budi.say("narasumber")
    assert "Kirim dokumen" in await budi.say("1")
    for start in (0, 10, 20):  # 30 different files, ten per message
        batch = [wa.media(f"b{start + i}.pdf", pdf(f"berkas {start + i}"), "application/pdf")
                 for i in range(10)]
        out = await budi.say(media=batch)
    assert wa.container.pesan("berkas_terlalu_banyak", maks=20, jumlah=10) in out
    assert "Lampiran: 20 file" in await budi.say("selesai")
