"""A numbered choice also takes the option's words, synonyms and close typos (issue 11).

Before, "kurikulum" (for Kasi Kurikulum), "sangat baik" (a survey answer) and "instansi"
or "yayasan" (for Instansi/lembaga) got "Mohon ketik angka pilihan" again and again.
Driven through the signed Twilio webhook.
"""

from __future__ import annotations

import pytest

from dialogs.base import Turn, pilihan
from tests.conftest import WIB
from tests.e2e.whatsapp_harness import pdf

BUDI = "+6281234567890"


async def test_registration_as_a_yayasan_and_an_audiensi_with_the_kasi_kurikulum(wa):
    budi = wa.citizen(BUDI)
    assert "Perorangan" in await budi.say("saya mau daftar")
    assert "nama instansi" in await budi.say("yayasan")  # not "ketik angka"
    await budi.say("Yayasan Al-Hikmah")
    for text in ("Budi Santoso", "3171011708850003", "ya", "Jl. Merdeka No. 1", "setuju"):
        await budi.say(text)
    out = await budi.say("sy mau audiensi dengan kasi")
    assert "untuk siapa" in out
    await budi.say("sendiri")
    out = await budi.say("kurikulum")
    assert "Mohon ketik angka" not in out and "tujuan" in out.lower(), out
    await budi.say("Konsultasi kurikulum madrasah")
    await budi.say("besok jam 10")
    await budi.send_file("surat.pdf", pdf("Surat permohonan audiensi"), "application/pdf")
    out = await budi.say("selesai")
    assert "Pejabat dituju: Kepala Seksi Kurikulum" in out


def turn(text: str) -> Turn:
    from datetime import datetime

    return Turn(channel="whatsapp", sender=BUDI, now=datetime(2026, 11, 24, 9, tzinfo=WIB),
                text=text)


@pytest.mark.parametrize(("text", "expected"), [
    ("4", 4), ("empat", 4), ("sangat baik", 4), ("Sangat Baik!", 4), ("baik", 3),
    ("kurang", 2), ("tidak baik", 1), ("sngat baik", 4), ("lumayan", None), ("5", None),
])
def test_a_survey_answer_in_words(text, expected):
    assert pilihan(turn(text), 4, ["Tidak baik", "Kurang baik", "Baik", "Sangat baik"]) \
        == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("instansi", 2), ("instnsi", 2), ("madrasah", 2), ("perorangan", 1), ("pribadi", 1),
    ("entahlah", None),
])
def test_the_registration_kind_in_words(text, expected):
    from dialogs.daftar import JENIS

    assert pilihan(turn(text), 2, JENIS) == expected


async def test_questions_answered_directly(wa):
    budi = wa.citizen(BUDI)
    out = await budi.say("hari sabtu buka?")
    assert out.startswith("Sabtu, 28 November 2026: kantor *tutup*"), out
    assert "Senin, 30 November 2026" in out
    out = await budi.say("kamis buka jam berapa?")
    assert "Kamis, 26 November 2026: kantor *buka*, pukul" in out
    out = await budi.say("layanan apa aja yg ada?")
    assert "Legalisir" in out and "Audiensi" in out  # the catalog's list, not the menu
    out = await budi.say("syart legalisr bku nikah")  # the child, not its parent
    assert out.startswith("*Legalisir Buku Nikah*"), out


async def test_a_past_wished_time_is_refused(wa):
    budi = wa.citizen(BUDI)
    for text in ("saya mau daftar", "1", "Budi Santoso", "3171011708850003", "ya",
                 "Jl. Merdeka No. 1", "setuju", "sy mau audiensi dengan kakanwil", "1",
                 "Silaturahmi dan koordinasi kegiatan"):
        await budi.say(text)
    out = await budi.say("kemarin jam 10")
    assert out == wa.container.pesan("ajukan_waktu_lampau")


async def test_kembali_in_the_survey_asks_the_previous_question_again(wa):
    budi = wa.citizen(BUDI)
    assert "(1/9)" in await budi.say("mau isi survei")
    assert "(2/9)" in await budi.say("sangat baik")
    assert "(3/9)" in await budi.say("baik")
    out = await budi.say("kembali")  # at the third question: the second again
    assert "(2/9)" in out and "langkah pertama" not in out
    assert "(3/9)" in await budi.say("4")
