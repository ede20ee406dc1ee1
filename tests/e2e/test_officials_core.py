"""Issue 15's defects, met as officials and citizens meet them: real webhooks both ways.

Citizens write through signed Twilio webhooks, officials through Telegram updates; what
each received is read back from the fake Twilio REST API and the fake Bot API.
"""

from __future__ import annotations

from domain.status import LABEL, Status
from tests.e2e.officials_harness import (
    Office,
    ajukan_audiensi,
    fake_bot_api,  # noqa: F401 - a fixture, used by name
    register,
)
from tests.e2e.whatsapp_harness import pdf

BUDI, SITI = "+6281234567890", "+6285700000001"
NOMOR = "PTSP-261124-0001"
CS, KAKANWIL, KABAG, KASUBAG, KASI, KOOR = 7200001, 7200003, 7200004, 7200005, 7200006, 7200007


def texts(office: Office, phone: str) -> str:
    return "\n".join(office.wa.take(phone))


async def mengadu(c, teks: str) -> None:
    """File a complaint on WhatsApp: kind, words, no photo, no related number, not anonymous."""
    await c.say("saya mau mengadu")
    await c.say("1")
    await c.say(teks)
    await c.say("lewati")
    await c.say("lewati")
    await c.say("tidak")
    assert "ADU-261124-0001" in await c.say("ya")


async def cs_of(office: Office):
    return await office.hire(CS, "Ani Lestari", "cs", tugas=("layanan", "aduan_skm"))


# -- the relay --------------------------------------------------------------------------------

async def test_an_unregistered_citizen_gets_the_cs_reply_on_whatsapp_and_leaving_ends_it(
        office: Office):
    cs = await cs_of(office)
    siti = office.citizen(SITI)
    await siti.say("saya mau bicara dengan petugas")
    assert any(office.pesan("tg_relay_baru") in t for t in cs.texts())
    office.wa.take(SITI)

    out = await cs.say("Selamat siang, ada yang bisa kami bantu?")
    assert len(out) == 1 and out[0].startswith("Terkirim ke ") and SITI in out[0]
    assert "ada yang bisa kami bantu" in texts(office, SITI)  # on WhatsApp, not the sandbox

    await siti.say("menu")
    await office.settle()
    assert any("mengakhiri percakapan" in t and SITI in t for t in cs.texts())
    # the CS's later words were meant for someone else: they reach nobody
    for note in ("Pak Kasubag, berkas sudah saya taruh di meja", "jangan lupa rapat jam 2"):
        out = await cs.say(note)
        assert out == [office.pesan("tg_bantuan")]
    assert texts(office, SITI) == ""
    await office.assert_clean()


async def test_two_open_relays_make_the_cs_choose_and_the_text_reaches_only_that_citizen(
        office: Office):
    cs = await cs_of(office)
    budi, siti = office.citizen(BUDI), office.citizen(SITI)
    await register(budi)
    await register(siti, "Siti Aminah", "3171014506900002")
    for c in (budi, siti):
        await c.say("saya mau bicara dengan petugas")
        office.wa.take(c.phone)

    out = await cs.say("Berkasnya bisa dikirim lewat chat ini.")
    assert out[0].startswith("Anda sedang menunggu beberapa isian")
    assert texts(office, BUDI) == "" and texts(office, SITI) == ""  # nothing sent yet
    msg, _ = cs.find("Siti Aminah")
    labels = [b["text"] for row in msg["reply_markup"]["inline_keyboard"] for b in row]
    assert any("Budi Santoso" in label for label in labels)

    p = await cs.press("Siti Aminah")
    assert p.texts == [office.pesan("tg_relay_terkirim", nama="Siti Aminah", hp=SITI)]
    assert "lewat chat ini" in texts(office, SITI)
    assert texts(office, BUDI) == ""
    # a reply to a forwarded message needs no choice
    await budi.say("Saya mau tanya legalisir")
    forwarded = cs.last_message()
    out = await cs.say("Silakan, Pak.", reply_to=forwarded)
    assert out == [office.pesan("tg_relay_terkirim", nama="Budi Santoso", hp=BUDI)]
    assert "Silakan, Pak." in texts(office, BUDI) and texts(office, SITI) == ""
    await office.assert_clean()


# -- minta info -------------------------------------------------------------------------------

async def test_minta_info_a_side_question_is_answered_and_the_real_answer_reaches_the_official(
        office: Office):
    cs = await cs_of(office)
    kakanwil = await office.hire(KAKANWIL, "Pak Kakanwil", "pejabat", "kakanwil")
    budi = office.citizen(BUDI)
    assert await ajukan_audiensi(budi) == NOMOR
    await cs.press("Lengkap")
    office.wa.take(BUDI)
    await kakanwil.press("Minta info")
    await kakanwil.reply("Berapa orang yang akan hadir?")
    await kakanwil.press("Kirim")
    assert "Berapa orang" in texts(office, BUDI)
    kakanwil.take()

    out = await budi.say("jam buka kantor jam berapa ya")
    assert "Senin" in out or "08" in out  # the hours, answered
    assert office.pesan("info_masih_ditunggu", nomor=NOMOR) in out
    await office.settle()
    assert not any("Jawaban pemohon" in t for t in kakanwil.texts())

    await budi.say("Kami datang berlima, Pak")
    await office.settle()
    assert any("Jawaban pemohon" in t and "berlima" in t for t in kakanwil.texts())
    await office.assert_clean()


# -- authorisation ------------------------------------------------------------------------------

async def test_an_unrelated_kasi_can_neither_balas_nor_see_another_jabatans_file(office: Office):
    cs = await cs_of(office)
    await office.hire(KAKANWIL, "Pak Kakanwil", "pejabat", "kakanwil")
    kasi = await office.hire(KASI, "Pak Kasi", "pejabat", "kasi_umrah")
    budi = office.citizen(BUDI)
    await ajukan_audiensi(budi)
    await cs.press("Lengkap")
    office.wa.take(BUDI)

    out = await kasi.say(f"/balas {NOMOR} Pak, permohonan Anda saya tolak saja")
    assert out == [office.pesan("tg_tidak_berwenang", aksi="Balas pemohon", nomor=NOMOR)]
    out = await kasi.say(f"/status {NOMOR}")
    assert out == [office.pesan("tg_nomor_tidak_ada", nomor=NOMOR)]
    await office.settle()
    assert texts(office, BUDI) == ""

    # the CS of the desk may, and the confirmation names the citizen
    out = await cs.say(f"/balas {NOMOR} Berkas Bapak sudah kami teruskan.")
    assert out == [office.pesan("tg_terkirim", nama="Budi Santoso", nomor=NOMOR)]
    assert "sudah kami teruskan" in texts(office, BUDI)
    assert "Menunggu konfirmasi" in (await cs.say(f"/status {NOMOR}"))[0]


async def test_status_of_a_complaint_for_the_koordinator_and_not_for_a_kasi(office: Office):
    koor = await office.hire(KOOR, "Wati", "koordinator")
    kasi = await office.hire(KASI, "Pak Kasi", "pejabat", "kasi_umrah")
    budi = office.citizen(BUDI)
    await register(budi)
    await mengadu(budi, "Pelayanan legalisir sangat lambat, sudah dua minggu belum selesai")
    await office.settle()
    out = await koor.say("/status ADU-261124-0001")
    assert "ADU-261124-0001" in out[0] and "sangat lambat" in out[0]
    assert (await kasi.say("/status ADU-261124-0001")) == [
        office.pesan("tg_nomor_tidak_ada", nomor="ADU-261124-0001")]


# -- nothing held by nobody ---------------------------------------------------------------------

async def test_an_item_for_a_jabatan_with_nobody_reaches_the_koordinator_with_a_warning(
        office: Office):
    cs = await cs_of(office)
    kakanwil = await office.hire(KAKANWIL, "Pak Kakanwil", "pejabat", "kakanwil")
    koor = await office.hire(KOOR, "Wati", "koordinator")
    await ajukan_audiensi(office.citizen(BUDI))
    await cs.press("Lengkap")
    await kakanwil.press("Disposisi")
    await kakanwil.press("Kepala Bagian Tata Usaha")  # nobody holds it
    await kakanwil.press("Proses lebih lanjut")
    await kakanwil.reply("-")
    p = await kakanwil.press("Kirim")
    assert office.pesan("tg_kepada_jabatan_kosong", jabatan="Kepala Bagian Tata Usaha") in \
        p.texts[-1]
    warning = office.pesan("tg_jabatan_kosong", jabatan="Kepala Bagian Tata Usaha")
    msg, _ = koor.find("Jadwalkan", containing=warning)
    assert NOMOR in msg["text"]


async def test_a_complaint_filed_before_the_koordinator_linked_waits_in_their_tugas(
        office: Office):
    _, kode = office.add_petugas("Wati", "koordinator")
    budi = office.citizen(BUDI)
    await register(budi)
    await mengadu(budi, "Petugas loket meminta uang tambahan untuk mempercepat")
    await office.settle()
    koor = office.official(KOOR, "Wati")
    out = await koor.say(f"/start {kode}")
    assert any("terhubung" in t for t in out)
    msg, _ = koor.find("Klasifikasi")
    assert "ADU-261124-0001" in msg["text"]
    out = await koor.say("/tugas")
    assert "ADU-261124-0001" in out[0]


# -- seed 000 ---------------------------------------------------------------------------------

async def test_seed_000_audiensi_with_a_kasubag_takes_at_most_two_taps_per_official(
        office: Office):
    cs = await cs_of(office)
    kakanwil = await office.hire(KAKANWIL, "Pak Kakanwil", "pejabat", "kakanwil")
    kasubag = await office.hire(KASUBAG, "Bu Kasubag", "pejabat", "kasubag_umum")
    budi = office.citizen(BUDI)
    await register(budi)
    out = await budi.say("sy mau audiensi dengan kasubag umum")
    assert "untuk siapa" in out
    await budi.say("1")
    await budi.say("Koordinasi peminjaman aula untuk manasik haji")
    await budi.say("besok jam 10")
    await budi.send_file("surat.pdf", pdf("Surat permohonan audiensi"), "application/pdf")
    await budi.say("selesai")
    assert "Bukti Pengajuan" in await budi.say("ya")

    await cs.press("Lengkap")  # CS: one tap
    p = await kakanwil.press("Disposisi ke Kepala Subbagian Umum · Proses lebih lanjut")
    assert p.texts == [office.pesan(  # Kakanwil: one tap, the confirmation names the holder
        "tg_berhasil", aksi="Disposisi", nomor=NOMOR, status=LABEL[Status.PROSES],
        kepada=office.pesan("tg_kepada_jabatan", jabatan="Kepala Subbagian Umum",
                            nama="Bu Kasubag"))]
    msg, _ = kasubag.find("Jadwalkan")
    assert "Disposisi Kepala Kantor Wilayah → Kepala Subbagian Umum: Proses lebih lanjut" \
        in msg["text"]
    office.wa.take(BUDI)
    await kasubag.press("Jadwalkan Rabu, 25 November 2026, 10.00")  # the wished time
    await kasubag.press("Kirim")  # Kasubag: two taps
    got = texts(office, BUDI)
    assert "Jadwal audiensi" in got and "25 November 2026 pukul 10.00" in got
    assert "Ruang Rapat PTSP" in got
    assert office.status(NOMOR) == "selesai"
    await office.assert_clean()


async def test_the_kasubag_sees_the_kakanwils_note_on_a_direct_disposisi(office: Office):
    cs = await cs_of(office)
    kakanwil = await office.hire(KAKANWIL, "Pak Kakanwil", "pejabat", "kakanwil")
    kasubag = await office.hire(KASUBAG, "Bu Kasubag", "pejabat", "kasubag_umum")
    await ajukan_audiensi(office.citizen(BUDI))
    await cs.press("Lengkap")
    await kakanwil.press("Disposisi")
    await kakanwil.press("Kepala Subbagian Umum")  # straight down two levels (seed 000)
    await kakanwil.press("Proses lebih lanjut")
    await kakanwil.reply("Tolong diterima, beliau tokoh masyarakat")
    await kakanwil.press("Kirim")
    msg, _ = kasubag.find("Jadwalkan")
    assert "tokoh masyarakat" in msg["text"] and "Proses lebih lanjut" in msg["text"]


async def test_the_kakanwil_receives_the_pemohon_himself(office: Office):
    cs = await cs_of(office)
    kakanwil = await office.hire(KAKANWIL, "Pak Kakanwil", "pejabat", "kakanwil")
    budi = office.citizen(BUDI)
    await ajukan_audiensi(budi)
    await cs.press("Lengkap")
    office.wa.take(BUDI)
    await kakanwil.press("Terima sendiri · Jadwalkan")
    await kakanwil.reply("26/11/2026 pukul 13.30 di Ruang Kakanwil")
    await kakanwil.press("Kirim")
    assert "Ruang Kakanwil" in texts(office, BUDI)
    assert office.status(NOMOR) == "selesai"


# -- schedules --------------------------------------------------------------------------------

async def test_a_reschedule_tells_the_citizen_the_old_time_is_off_and_terlaksana_waits(
        office: Office):
    cs = await cs_of(office)
    kakanwil = await office.hire(KAKANWIL, "Pak Kakanwil", "pejabat", "kakanwil")
    budi = office.citizen(BUDI)
    await ajukan_audiensi(budi)
    await cs.press("Lengkap")
    await kakanwil.press("Terima sendiri · Jadwalkan")
    await kakanwil.reply("26/11/2026 pukul 13.30 di Ruang Kakanwil")
    await kakanwil.press("Kirim")
    office.wa.take(BUDI)

    p = await kakanwil.press("Audiensi terlaksana")  # the time has not come
    assert p.alert and "setelah waktunya" in p.answer
    assert office.status(NOMOR) == "selesai" and texts(office, BUDI) == ""

    await kakanwil.press("Jadwal ulang")
    await kakanwil.reply("Pimpinan dipanggil rapat ke Jakarta")
    await kakanwil.press("Kirim")
    got = texts(office, BUDI)
    assert "tidak berlaku lagi" in got and "Kamis, 26 November 2026 pukul 13.30" in got
    assert "dipanggil rapat ke Jakarta" in got
    await kakanwil.press("Jadwalkan")
    await kakanwil.reply("30/11/2026 pukul 09.00 di Ruang Kakanwil")
    await kakanwil.press("Kirim")
    got = texts(office, BUDI)
    assert "Jadwal baru audiensi" in got and "30 November 2026 pukul 09.00" in got


# -- smaller ones -------------------------------------------------------------------------------

async def test_a_complaint_naming_a_number_goes_on_and_its_photo_opens_for_the_desk(
        office: Office):
    from tests.e2e.whatsapp_harness import jpeg

    cs = await cs_of(office)
    budi = office.citizen(BUDI)
    assert await ajukan_audiensi(budi) == NOMOR
    await budi.say("saya mau mengadu")
    await budi.say("1")
    await budi.say(f"Permohonan {NOMOR} saya sudah lama sekali belum ada kabar")
    await budi.send_file("loket.jpg", jpeg(), "image/jpeg")
    await budi.say("selesai")
    out = await budi.say(NOMOR)  # the related number, not a status check
    assert "anonim" in out.lower() or "nama" in out.lower(), out
    await budi.say("tidak")
    assert "ADU-261124-0001" in await budi.say("ya")
    await office.settle()
    msg, _ = cs.find("Klasifikasi")
    assert f"Terkait: {NOMOR}" in msg["text"] and "/media/" in msg["text"]
    link = next(w for w in msg["text"].split() if "/media/" in w)
    resp = await office.client.get("/media/" + link.split("/media/")[1])
    assert resp.status == 200 and resp.content_type == "image/jpeg"


async def test_ticking_the_missing_items_edits_one_checklist(office: Office):
    cs = await cs_of(office)
    await ajukan_audiensi(office.citizen(BUDI))
    p = await cs.press("Tidak lengkap")
    [checklist] = [m for m in cs.messages() if "KURANG" in m.get("text", "")]
    sent = len(cs.calls("sendMessage"))
    first = next(b["text"] for row in checklist["reply_markup"]["inline_keyboard"] for b in row
                 if b["text"].startswith("☐"))
    await cs.press(first.removeprefix("☐ "), on=cs)
    assert len(cs.calls("sendMessage")) == sent  # edited in place, not posted again
    now = next(m for m in cs.messages() if m["message_id"] == checklist["message_id"])
    assert any(b["text"].startswith("☒") for row in now["reply_markup"]["inline_keyboard"]
               for b in row)
    assert p.answer


# -- ptsp shell beside a running server -------------------------------------------------------

async def test_an_audiensi_through_ptsp_shell_beside_the_server_reaches_the_cs_with_buttons(
        office: Office, tmp_path, monkeypatch, clock):
    import asyncio
    import io

    from bot.shell import run_shell

    cs = await cs_of(office)
    db_url = office.container.settings.database_url
    monkeypatch.setenv("PTSP_DATABASE_URL", db_url)
    monkeypatch.setenv("PTSP_DATA_DIR", str(tmp_path / "shell-data"))
    monkeypatch.setattr("bot.bootstrap.SystemClock.now", lambda self: clock.now())
    surat = tmp_path / "surat.pdf"
    surat.write_bytes(pdf("Surat permohonan audiensi kepada Kakanwil"))
    lines = ["saya mau daftar", "1", "Budi Santoso", "3171011708850003", "ya",
             "Jl. Merdeka No. 1", "setuju", "sy mau audiensi dengan kakanwil", "1",
             "Silaturahmi dan koordinasi kegiatan MTQ", "besok jam 10", f"/file {surat}",
             "selesai", "ya"]
    out = io.StringIO()
    await run_shell(BUDI, stdin=io.StringIO("\n".join(lines) + "\n"), stdout=out)
    assert "Bukti Pengajuan" in out.getvalue() and NOMOR in out.getvalue()
    # the shell has no Telegram bot: its prompt waits for the server, which delivers it
    deadline = asyncio.get_running_loop().time() + 15
    while True:
        try:
            msg, _ = cs.find("Lengkap", containing=NOMOR)
            break
        except AssertionError:
            assert asyncio.get_running_loop().time() < deadline, "the CS never got the prompt"
            await asyncio.sleep(0.2)
    assert "Pemohon: Budi Santoso" in msg["text"]
    p = await cs.press("Lengkap")
    assert p.answer == "Berkas lengkap"
    assert office.status(NOMOR) == "konfirmasi"
