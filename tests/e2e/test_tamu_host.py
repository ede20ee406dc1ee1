"""Seed 004 end to end: a guest registers on WhatsApp, the host answers on Telegram with
Terima / Jadwalkan ulang / Tolak, the guest hears it on WhatsApp, and the desk checks the
guest in and out with `ptsp-admin`.

Before, the host only got a notice with no buttons: nobody could receive, move or decline
a guest, and the guest never heard back.
"""

from __future__ import annotations

import re

from typer.testing import CliRunner

from tests.e2e.officials_harness import (
    Office,
    fake_bot_api,  # noqa: F401 - a fixture, used by name
    register,
)

BUDI = "+6281234567890"
KABAG, KASI, CS, KOOR = 7300001, 7300002, 7300003, 7300004
runner = CliRunner()


def petugas_id(office: Office, uid: int) -> str:
    with office.container.uow() as uow:
        return str(uow.petugas.by_telegram(uid).id)


async def bertamu(office: Office, tujuan: str = "kabag tu", waktu: str = "besok jam 10") -> str:
    budi = office.citizen(BUDI)
    await register(budi)
    assert "Siapa yang ingin Anda temui" in await budi.say("saya mau bertamu")
    await budi.say(tujuan)
    await budi.say("Koordinasi kegiatan MTQ tingkat provinsi")
    await budi.say(waktu)
    [nomor] = re.findall(r"TMU-\d{6}-\d{4}", await budi.say("ya"))
    office.wa.take(BUDI)
    return nomor


async def test_the_host_accepts_on_telegram_and_the_guest_checks_in_and_out(office, desk):
    kabag = await office.hire(KABAG, "Pak Kabag", "pejabat", "kabag_tu")
    await office.hire(CS, "Ani Lestari", "cs", tugas=("layanan",))
    nomor = await bertamu(office)
    prompt, terima = kabag.find("Terima")
    assert nomor in prompt["text"] and "Budi Santoso" in prompt["text"]
    assert "Koordinasi kegiatan MTQ" in prompt["text"] and "25 November 2026" in prompt["text"]
    labels = [b["text"] for row in prompt["reply_markup"]["inline_keyboard"] for b in row]
    assert labels == ["Terima", "Jadwalkan ulang", "Tolak"]

    tugas = "\n".join(await kabag.say("/tugas"))
    assert f"{nomor} (tamu Budi Santoso) — kunjungan Rabu, 25 November 2026" in tugas

    p = await kabag.press("Terima")
    assert p.texts == [office.pesan(
        "tg_berhasil", aksi="Terima tamu", nomor=nomor, status="Diterima",
        kepada=office.pesan("tg_kepada_tamu", nama="Budi Santoso"))]
    got = "\n".join(office.wa.take(BUDI))
    assert nomor in got and "diterima" in got and "Kepala Bagian Tata Usaha" in got
    assert "25 November 2026 pukul 10.00" in got
    closed = kabag.edits()[-1]["params"]  # the prompt now says who answered, no buttons
    assert "Diterima — Pak Kabag" in closed["text"]
    assert not (closed.get("reply_markup") or {}).get("inline_keyboard")
    again = await kabag.press_data(terima, prompt)  # a second tap on the old keyboard
    assert again.alert and "Sudah ditangani" in again.answer
    assert not office.wa.take(BUDI)

    cs = petugas_id(office, CS)
    masuk = desk.json("tamu", "checkin", nomor, "--oleh", cs)
    assert masuk["status"] == "hadir"
    await office.settle()
    assert any("sudah hadir" in t for t in kabag.take())
    assert desk.json("tamu", "checkout", nomor, "--oleh", cs)["status"] == "selesai"
    await office.assert_clean()


async def test_the_host_reschedules_in_words_and_the_guest_gets_the_new_time(office, desk):
    kabag = await office.hire(KABAG, "Pak Kabag", "pejabat", "kabag_tu")
    nomor = await bertamu(office)
    p = await kabag.press("Jadwalkan ulang")
    assert any("waktu kunjungan baru" in t for t in p.texts)
    out = await kabag.reply("hari sabtu jam 10")  # the office is closed on Saturday
    assert "Periksa sebelum dikirim" in out[-1] and "Tamu: Budi Santoso" in out[-1]
    refused = await kabag.press("Kirim")
    assert any("kantor tutup" in t for t in refused.texts), refused
    assert not office.wa.take(BUDI)
    out = await kabag.reply("26/11/2026 pukul 13.30")
    assert "Kamis, 26 November 2026 pukul 13.30" in out[-1]
    done = await kabag.press("Kirim")
    assert any("Dijadwalkan ulang" in t and "Budi Santoso" in t for t in done.texts), done
    got = "\n".join(office.wa.take(BUDI))
    assert "dijadwalkan ulang" in got and "Kamis, 26 November 2026 pukul 13.30" in got
    with office.container.uow() as uow:
        t = uow.tamu.get(nomor)
    assert t.status == "dijadwalkan_ulang" and str(t.tanggal) == "2026-11-26"
    assert [r.status for r in t.riwayat] == ["terdaftar", "dijadwalkan_ulang"]
    await office.assert_clean()


async def test_a_refusal_needs_a_reason_and_only_the_guest_reads_it(office, desk):
    kabag = await office.hire(KABAG, "Pak Kabag", "pejabat", "kabag_tu")
    nomor = await bertamu(office)
    await kabag.press("Tolak")
    out = await kabag.reply("ok")  # too short to be a reason
    assert any("alasan" in t for t in out)
    await kabag.reply("Pak Kabag dinas luar kota sepekan; silakan bertemu Kasubag Umum")
    await kabag.press("Kirim")
    got = "\n".join(office.wa.take(BUDI))
    assert "belum dapat menerima" in got and "dinas luar kota" in got
    cs_id, _ = office.add_petugas("Ani Lestari", "cs")
    refused = desk("tamu", "checkin", nomor, "--oleh", str(cs_id), code=1)
    assert "ditolak" in refused and len(refused.strip().splitlines()) == 1
    await office.assert_clean()


async def test_only_the_host_answers_and_the_desk_answers_as_the_host_with_ptsp_admin(
        office, desk):
    kabag = await office.hire(KABAG, "Pak Kabag", "pejabat", "kabag_tu")
    kasi = await office.hire(KASI, "Pak Kasi", "pejabat", "kasi_umrah")
    nomor = await bertamu(office)
    message, data = kabag.find("Terima")
    p = await kasi.press_data(data, message)  # a forwarded prompt, pressed by another
    assert p.alert and not office.wa.take(BUDI)
    cs_id, _ = office.add_petugas("Ani Lestari", "cs")
    refused = desk("tamu", "jawab", nomor, "--jawaban", "terima", "--oleh", str(cs_id), code=1)
    assert "tidak berwenang" in refused.lower() and len(refused.strip().splitlines()) == 1
    koor_id, _ = office.add_petugas("Wati", "koordinator")
    t = desk.json("tamu", "jawab", nomor, "--jawaban", "jadwal_ulang",
             "--waktu", "2026-11-26T14:00:00+07:00", "--alasan", "Rapat pimpinan pagi ini",
             "--oleh", str(koor_id))
    assert t["status"] == "dijadwalkan_ulang" and t["waktu"] == "2026-11-26T14:00:00+07:00"
    await office.settle()
    got = "\n".join(office.wa.take(BUDI))
    assert "Kamis, 26 November 2026 pukul 14.00" in got and "Rapat pimpinan" in got
    # the host's prompt shows who answered, and its buttons are gone
    edited = [e for e in kabag.edits() if nomor in e["params"].get("text", "")]
    assert edited and "Wati" in edited[-1]["params"]["text"]
    late = await kabag.press_data(data, message)
    assert late.alert and "Sudah ditangani" in late.answer
    await office.assert_clean()


async def test_a_desk_guest_without_whatsapp_is_answered_and_the_host_is_told_so(
        office, desk):
    kabag = await office.hire(KABAG, "Pak Kabag", "pejabat", "kabag_tu")
    cs_id, _ = office.add_petugas("Ani Lestari", "cs")
    t = desk.json("tamu", "daftar", "--nama", "Siti Rahma", "--tujuan", "kabag_tu",
             "--keperluan", "Mengantar undangan", "--oleh", str(cs_id))
    await office.settle()
    p = await kabag.press("Terima", containing=t["nomor"])
    assert p.texts == [office.pesan(
        "tg_berhasil", aksi="Terima tamu", nomor=t["nomor"], status="Diterima",
        kepada=office.pesan("tg_kepada_tamu_tanpa_hp", nama="Siti Rahma"))]
    await office.assert_clean()
