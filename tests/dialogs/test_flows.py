"""Conversations end to end through inbox → NLU → dialogs → domain → outbox (sandbox channel)."""

from __future__ import annotations

from tests.chat import Chat


def jpeg(color: str = "white") -> bytes:
    from tests.gambar import dokumen

    return dokumen((600, 800), color)


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


async def register(chat: Chat) -> None:
    await chat.send("daftar")
    await chat.send("1")
    await chat.send("Budi Santoso")
    await chat.send("3171011708850003")
    await chat.send("ya")
    await chat.send("Jl. Merdeka No. 1, Kel. Gambir, Jakarta Pusat")
    out = await chat.send("setuju")
    assert "tersimpan" in out


async def legalisir(chat: Chat) -> str:
    """A registered pemohon submits a legalisir for themself with two photos."""
    await chat.send("2")
    await chat.send("legalisir")
    await chat.send("1")
    await chat.send("1")
    await chat.send(files=[(jpeg(), "jpg"), (jpeg("gray"), "jpg")])  # two pages
    await chat.send("selesai")
    return await chat.send("ya")


async def test_greeting_by_time_of_day_and_menu(sqlite_app):
    out = await Chat(sqlite_app).send("assalamualaikum")
    assert out.startswith("Wa'alaikumsalam warahmatullahi wabarakatuh. Selamat pagi")
    assert "1. Informasi layanan" in out
    out = await Chat(sqlite_app, phone="+6281234567001").send("halo min")
    assert out.startswith("Selamat pagi") and "Wa'alaikumsalam" not in out


async def test_registration_with_a_wrong_then_a_right_nik(sqlite_app):
    chat = Chat(sqlite_app)
    await chat.send("saya mau daftar")
    await chat.send("1")
    await chat.send("Siti Aminah")
    out = await chat.send("317101170885000")  # 15 digits
    assert "NIK tidak valid" in out and "16" in out
    out = await chat.send("3171015708850003")
    assert "+6281234567890" in out
    await chat.send("ya")
    out = await chat.send("Jl. Kenanga 5 Depok")
    assert "SETUJU" in out and "Siti Aminah" in out
    out = await chat.send("3")  # edit the name
    assert "nama lengkap" in out
    out = await chat.send("Siti Aminah Lestari")
    assert "Siti Aminah Lestari" in out
    out = await chat.send("setuju")
    assert "tersimpan" in out
    with sqlite_app.uow() as uow:
        p = uow.pemohon.by_kanal("sandbox", "+6281234567890")
    assert p.nama == "Siti Aminah Lestari" and p.nik == "3171015708850003"


async def test_audiensi_request_with_a_pdf_gets_a_bukti_pengajuan(sqlite_app):
    chat = Chat(sqlite_app)
    out = await chat.send("sy mau audiensi dengan kakanwil")
    assert "mendaftarkan data" in out
    await chat.send("1")
    await chat.send("Budi Santoso")
    await chat.send("3171011708850003")
    await chat.send("ya")
    await chat.send("Jl. Merdeka No. 1, Jakarta")
    out = await chat.send("setuju")
    assert "untuk siapa" in out
    out = await chat.send("1")
    assert "tujuan" in out.lower()
    await chat.send("Silaturahmi dan koordinasi kegiatan MTQ")
    out = await chat.send("sabtu jam 10")
    assert "di luar jam layanan" in out
    out = await chat.send("besok jam 10")
    assert "Kirim dokumen" in out
    out = await chat.send(files=[(PDF, "pdf")])
    assert "1 file" in out
    out = await chat.send("selesai")
    assert "Ringkasan" in out and "Kepala Kantor Wilayah" in out
    out = await chat.send("ya")
    assert "PTSP-261124-0001" in out and "Bukti Pengajuan" in out
    with sqlite_app.uow() as uow:
        p = uow.permohonan.get("PTSP-261124-0001")
    assert p.layanan == "audiensi" and p.data["pejabat"] == "kakanwil"
    assert len(p.berkas) == 1 and p.berkas[0].mime == "application/pdf"
    assert p.sla_tenggat is not None


async def test_status_by_number_by_permohonan_saya_and_someone_elses_number(sqlite_app):
    chat = Chat(sqlite_app)
    await register(chat)
    await chat.send("2")
    await chat.send("legalisir")
    await chat.send("2")  # legalisir ijazah
    await chat.send("1")
    await chat.send(files=[(jpeg(), "jpg")])
    out = await chat.send("selesai")
    assert "kekurangannya" in out  # fewer files than required documents: warned once
    out = await chat.send("selesai")
    assert "Ringkasan" in out
    out = await chat.send("ya")
    assert "PTSP-261124-0001" in out
    out = await chat.send("cek status ptsp 261124 1")
    assert "Menunggu pemeriksaan" in out and "Legalisir Ijazah" in out
    out = await chat.send("3")
    out = await chat.send("semua")
    assert "PTSP-261124-0001" in out
    other = Chat(sqlite_app, phone="+6285700000001")
    await register(other)
    nope = await other.send("cek PTSP-261124-0001")
    missing = await other.send("cek PTSP-261124-0099")
    assert nope.replace("0001", "0099") == missing
    assert "tidak ditemukan" in nope


async def test_an_interruption_mid_form_is_answered_and_the_form_offered_again(sqlite_app):
    chat = Chat(sqlite_app)
    await chat.send("daftar")
    await chat.send("1")
    out = await chat.send("cek status PTSP-261124-0005")
    assert "tidak ditemukan" in out and "Lanjutkan pendaftaran" in out
    out = await chat.send("ya")
    assert "nama lengkap" in out


async def test_menu_batal_and_kembali_work_at_every_step(sqlite_app):
    chat = Chat(sqlite_app)
    await chat.send("daftar")
    await chat.send("1")
    out = await chat.send("kembali")
    assert "Perorangan" in out
    out = await chat.send("batal")
    assert "dibatalkan" in out and "1. Informasi" in out
    out = await chat.send("menu")
    assert "1. Informasi" in out


async def test_an_expired_conversation_says_so_and_shows_the_menu(sqlite_app, clock):
    chat = Chat(sqlite_app)
    await chat.send("daftar")
    clock.advance(minutes=45)
    out = await chat.send("1")
    assert "Sesi sebelumnya telah berakhir" in out and "1. Informasi" in out


async def test_a_voice_note_gets_a_specific_reply(sqlite_app):
    out = await Chat(sqlite_app).send(None, kind="audio")
    assert "pesan suara belum bisa kami proses" in out


async def test_complaint_with_a_photo_gets_an_adu_number(sqlite_app):
    chat = Chat(sqlite_app)
    await register(chat)
    out = await chat.send("saya mau mengadu")
    assert "Pengaduan" in out
    await chat.send("1")
    out = await chat.send("Petugas loket meminta uang tambahan saat saya mengurus legalisir")
    assert "foto" in out.lower()
    out = await chat.send(files=[(jpeg(), "jpg")])
    assert "1 file" in out
    await chat.send("lewati")
    await chat.send("lewati")
    out = await chat.send("ya")  # anonim
    assert "Anonim: Ya" in out
    out = await chat.send("ya")
    assert "ADU-261124-0001" in out
    out = await chat.send("cek ADU-261124-0001")
    assert "Pengaduan" in out and "Diterima" in out


async def test_bad_files_are_explained(sqlite_app):
    chat = Chat(sqlite_app)
    await register(chat)
    await chat.send("2")
    await chat.send("legalisir")
    await chat.send("1")
    await chat.send("1")
    out = await chat.send(files=[(b"OggS\x00\x02" + b"\x00" * 100, "ogg")])
    assert "belum bisa kami terima" in out or "jenis file" in out.lower()
    out = await chat.send(files=[(b"\xff\xd8\xff\xe0" + b"\x00" * 50, "jpg")])
    assert "tidak dapat dibuka" in out or "foto ulang" in out


async def test_jam_layanan_and_lokasi(sqlite_app):
    chat = Chat(sqlite_app)
    out = await chat.send("jam buka kantor kapan ya")
    assert "Jumat" in out and "sedang buka" in out
    out = await chat.send("alamat kantornya dimana")
    assert sqlite_app.profil().alamat in out


async def test_a_pemohon_withdraws_their_own_application_but_not_anothers(sqlite_app):
    chat = Chat(sqlite_app)
    await register(chat)
    assert "PTSP-261124-0001" in await legalisir(chat)
    other = Chat(sqlite_app, phone="+6285700000001")
    await register(other)
    out = await other.send("tolong batalkan permohonan PTSP-261124-0001")
    assert "Batalkan" in out
    nope = await other.send("ya")
    await other.send("batalkan permohonan PTSP-261124-0099")
    missing = await other.send("ya")
    assert nope.replace("0001", "0099") == missing and "tidak ditemukan" in nope
    out = await chat.send("batalkan permohonan ptsp 261124 1")
    assert "Batalkan permohonan *PTSP-261124-0001*" in out
    out = await chat.send("ya")
    assert "dibatalkan" in out
    with sqlite_app.uow() as uow:
        assert uow.permohonan.get("PTSP-261124-0001").status == "dibatalkan"


async def test_a_stuck_pemohon_is_told_how_to_leave_and_cek_returns_to_the_menu(sqlite_app):
    chat = Chat(sqlite_app)
    await chat.send("daftar")
    await chat.send("9")
    out = await chat.send("9")
    assert "*menu*" in out and "*batal*" in out
    await chat.send("menu")
    await chat.send("cek")
    await chat.send("asdfgh")
    out = await chat.send("qwerty")
    assert "1. Informasi layanan" in out  # back at the menu after a second miss
    out = await chat.send("5")
    assert "Jam layanan" in out


async def test_asking_for_news_without_a_number_lists_the_pemohons_own(sqlite_app):
    chat = Chat(sqlite_app)
    out = await chat.send("udh seminggu kok blm ada kabar")
    assert "nomor registrasi" in out.lower()  # not registered: asked for the number
    await chat.send("menu")
    await register(chat)
    out = await chat.send("udh seminggu kok blm ada kabar")
    assert "Belum ada permohonan" in out


async def test_the_same_photo_sent_twice_is_attached_once(sqlite_app):
    chat = Chat(sqlite_app)
    await register(chat)
    await chat.send("2")
    await chat.send("legalisir")
    await chat.send("1")
    await chat.send("1")
    photo = jpeg()
    assert "(1 file)" in await chat.send(files=[(photo, "jpg")])
    assert "(1 file)" in await chat.send(files=[(photo, "jpg")])  # a double send
    assert "(2 file)" in await chat.send(files=[(PDF, "pdf")])


async def test_a_follow_up_question_is_about_the_layanan_just_discussed(sqlite_app, clock):
    chat = Chat(sqlite_app)
    out = await chat.send("syarat legalisir ijazah apa aja")
    assert "Legalisir Ijazah" in out and "Persyaratan" in out
    out = await chat.send("brp biayanya")
    assert "Legalisir Ijazah" in out and "Biaya" in out and "Layanan apa" not in out
    out = await chat.send("brp lama prosesnya")
    assert "Legalisir Ijazah" in out and "Waktu penyelesaian" in out
    clock.advance(minutes=45)  # a question after the conversation went quiet is a new one
    out = await chat.send("brp biayanya")
    assert "Layanan apa yang ingin Anda ketahui" in out


async def test_a_clear_request_replaces_a_one_question_step(sqlite_app):
    chat = Chat(sqlite_app)
    out = await chat.send("brp biayanya")
    assert "Layanan apa yang ingin Anda ketahui" in out
    # not the answer "audiensi" to "which layanan?", but a request to submit one
    out = await chat.send("sy mau ngajuin audiensi dgn pak kakanwil")
    assert "mendaftarkan data Anda" in out and "Biaya" not in out
    await chat.send("batal")
    await chat.send("cek status")
    out = await chat.send("mau lapor ada pungli di loket")
    assert "mendaftarkan data Anda" in out and "tidak dikenali" not in out


async def test_a_bare_name_or_number_still_answers_the_one_question_step(sqlite_app):
    chat = Chat(sqlite_app)
    await chat.send("brp biayanya")
    out = await chat.send("audiensi")
    assert "Permohonan Audiensi" in out and "Biaya" in out
    out = await chat.send("brp lama prosesnya")  # still about audiensi
    assert "Permohonan Audiensi" in out and "Waktu penyelesaian" in out
    await chat.send("menu")
    await chat.send("1")  # Informasi layanan: which one?
    out = await chat.send("2")
    assert "Legalisir" in out and "Persyaratan" in out
    await chat.send("cek status")
    out = await chat.send("ptsp 261124 7")
    assert "PTSP-261124-0007 tidak ditemukan" in out


async def test_the_survey_records_nine_answers_without_calling_the_pemohon_stuck(sqlite_app):
    from sqlmodel import Session, select

    from storage.tables import SurveiSkmRow

    chat = Chat(sqlite_app)
    out = await chat.send("mau isi survei")
    assert "(1/9)" in out
    for i, jawaban in enumerate(["4", "4", "3", "4", "4", "4", "4", "3"], start=2):
        out = await chat.send(jawaban)
        assert f"({i}/9)" in out and "*batal* untuk berhenti" not in out
    out = await chat.send("4")
    assert "Terima kasih atas penilaian Anda" in out
    with Session(sqlite_app.db.engine) as s:
        [row] = s.exec(select(SurveiSkmRow)).all()
    assert list(row.nilai) == [4, 4, 3, 4, 4, 4, 4, 3, 4]


async def test_a_wrong_survey_answer_twice_says_how_to_leave(sqlite_app):
    chat = Chat(sqlite_app)
    await chat.send("mau isi survei")
    await chat.send("9")
    out = await chat.send("9")
    assert "*batal* untuk berhenti" in out and "(1/9)" in out
