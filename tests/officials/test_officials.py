"""The officials' side: linking, permohonan flow, authorisation, complaints, relay."""

from __future__ import annotations

from domain import commands as c
from tests.chat import Chat
from tests.dialogs.test_flows import PDF, legalisir, register
from tests.officials.harness import Office

CS, KAKANWIL, KASUBAG, KASI, KOOR = 501, 502, 503, 504, 505


def add_petugas(k, nama, role, jabatan=None, tugas=()):
    with k.uow() as uow:
        p = k.bus.handle(c.TambahPetugas(nama=nama, role=role, jabatan=jabatan,
                                         tugas=tuple(tugas)), uow)
    return p.kode_tautan


async def staff(office):
    k = office.k
    for uid, args in [(CS, ("Ani", "cs", None, ("layanan", "aduan_skm"))),
                      (KAKANWIL, ("Pak Kakanwil", "pejabat", "kakanwil")),
                      (KASUBAG, ("Bu Kasubag", "pejabat", "kasubag_umum")),
                      (KASI, ("Pak Kasi", "pejabat", "kasi_umrah")),
                      (KOOR, ("Wati", "koordinator"))]:
        kode = add_petugas(k, *args)
        await office.tg_send(uid, f"/start {kode}")
        assert any("terhubung" in m.get("text", "") for m in office.to(uid))


async def audiensi(chat, waktu="besok jam 10"):
    await register(chat)
    await chat.send("sy mau audiensi dengan kakanwil")
    await chat.send("1")
    await chat.send("Koordinasi kegiatan MTQ tingkat provinsi")
    await chat.send(waktu)
    await chat.send(files=[(PDF, "pdf")])
    await chat.send("selesai")
    out = await chat.send("ya")
    assert "Bukti Pengajuan" in out


async def kantor_dengan_audiensi(app):
    """Staff linked, and a pemohon's audiensi waiting for the CS."""
    office = Office(app)
    await staff(office)
    chat = office.chat()
    await audiensi(chat)
    await office.pump()
    return office, chat


async def tindak(office, uid, tombol, teks):
    """An action that needs words: press, type the answer, Kirim."""
    await office.tg_send(uid, button=office.button(uid, tombol))
    await office.tg_send(uid, teks)
    await office.tg_send(uid, button=office.button(uid, "Kirim"))


async def test_unlinked_users_are_refused_and_codes_are_one_time(sqlite_app):
    office = Office(sqlite_app)
    await office.tg_send(999, "/tugas")
    assert "belum terhubung" in office.last_text(999)
    kode = add_petugas(sqlite_app, "Ani", "cs")
    await office.tg_send(998, "/start SALAHKODE")
    assert "tidak valid" in office.last_text(998)
    await office.tg_send(998, f"/start {kode}")
    assert "terhubung" in office.last_text(998)
    await office.tg_send(997, f"/start {kode}")
    assert "tidak valid" in office.last_text(997)


async def test_audiensi_from_whatsapp_to_a_time_and_place(app_container):
    office, chat = await kantor_dengan_audiensi(app_container)
    assert "Permohonan baru" in office.last_text(CS) and "PTSP-261124-0001" in office.last_text(CS)
    # the kakanwil cannot act on the CS prompt
    await office.tg_send(KAKANWIL, button=office.button(CS, "Lengkap"))
    assert any("bukan untuk Anda" in a for a in office.answers(KAKANWIL))
    await office.tg_send(CS, button=office.button(CS, "Lengkap"))
    out = chat._replies()
    assert any("Tanda terima" in t or "lengkap" in t for t in out)
    assert "konfirmasi" in office.last_text(KAKANWIL).lower()
    # a Kasi (not the confirming jabatan) pressing Disposisi on a forwarded copy is refused
    await office.tg_send(KAKANWIL, button=office.button(KAKANWIL, "Disposisi"))
    await office.tg_send(KAKANWIL, button=office.button(KAKANWIL, "Kepala Bagian Tata Usaha"))
    await tindak(office, KAKANWIL, "Proses lebih lanjut", "mohon diterima dan dijadwalkan")
    assert "tersimpan" in office.last_text(KAKANWIL)
    with app_container.uow() as uow:
        p = uow.permohonan.get("PTSP-261124-0001")
        assert p.status == "proses" and p.pemegang == "kabag_tu"


async def test_disposisi_to_kasubag_and_schedule_in_one_line(app_container):
    office = Office(app_container)
    await staff(office)
    kode = add_petugas(app_container, "Pak Kabag", "pejabat", "kabag_tu")
    await office.tg_send(506, f"/start {kode}")
    chat = office.chat()
    await audiensi(chat)
    await office.pump()
    await office.tg_send(CS, button=office.button(CS, "Lengkap"))
    # kakanwil → kabag_tu → kasubag_umum (a further disposisi in proses)
    for uid, target in [(KAKANWIL, "Kepala Bagian Tata Usaha"), (506, "Kepala Subbagian Umum")]:
        await office.tg_send(uid, button=office.button(uid, "Disposisi"))
        await office.tg_send(uid, button=office.button(uid, target))
        await office.tg_send(uid, button=office.button(uid, "Proses lebih lanjut"))
        await office.tg_send(uid, "-")
        await office.tg_send(uid, button=office.button(uid, "Kirim"))
    assert "Disposisi untuk Anda" in office.last_text(KASUBAG)
    await office.tg_send(KASUBAG, button=office.button(KASUBAG, "Jadwalkan"))
    await office.tg_send(KASUBAG, "27/11/2026 pukul 10.00 di Ruang Rapat Lt. 2",
                         reply_to=office.ask_ref(KASUBAG))
    assert "Ruang Rapat Lt. 2" in office.last_text(KASUBAG)
    await office.tg_send(KASUBAG, button=office.button(KASUBAG, "Kirim"))
    replies = "\n".join(chat._replies())
    assert "Jadwal audiensi" in replies and "Ruang Rapat Lt. 2" in replies
    assert "27 November 2026 pukul 10.00" in replies
    with app_container.uow() as uow:
        p = uow.permohonan.get("PTSP-261124-0001")
    assert p.status == "selesai" and p.data["jadwal"]["tempat"] == "Ruang Rapat Lt. 2"
    # every copy of the earlier prompts now says who handled it
    edits = [m for m in office.to(CS) if "edit" in m]
    assert edits and edits[-1]["buttons"] == []


async def test_incomplete_permohonan_is_returned_with_its_checklist_and_completed(sqlite_app):
    office, chat = await kantor_dengan_audiensi(sqlite_app)
    await office.tg_send(CS, button=office.button(CS, "Tidak lengkap"))
    await office.tg_send(CS, button=office.button(CS, "Surat permohonan audiensi kepada Kepala"))
    await tindak(office, CS, "Lanjut", "Surat belum ditandatangani dan belum berkop")
    replies = "\n".join(chat._replies())
    assert "belum lengkap" in replies and "ditandatangani" in replies
    out = await chat.send(files=[(PDF, "pdf")])
    assert "PTSP-261124-0001" in out
    out = await chat.send("selesai")
    assert "sudah kami terima" in out
    with sqlite_app.uow() as uow:
        assert uow.permohonan.get("PTSP-261124-0001").status == "menunggu"


async def test_a_rejection_needs_and_relays_a_reason(sqlite_app):
    office, chat = await kantor_dengan_audiensi(sqlite_app)
    await office.tg_send(CS, button=office.button(CS, "Lengkap"))
    await tindak(office, KAKANWIL, "Tolak", "Jadwal pimpinan penuh sampai akhir bulan")
    replies = "\n".join(chat._replies())
    assert "ditolak" in replies and "Jadwal pimpinan penuh" in replies


async def test_a_plt_acts_for_an_absent_kakanwil(sqlite_app):
    from datetime import date

    from domain.model import Delegasi

    office = Office(sqlite_app)
    await staff(office)
    with sqlite_app.uow() as uow:
        kasi = next(p for p in uow.petugas.list() if p.jabatan == "kasi_umrah")
        uow.petugas.add_delegasi(Delegasi(jabatan="kakanwil", petugas_id=kasi.id,
                                          sampai=date(2026, 12, 31)))
        uow.commit()
    chat = office.chat()
    await audiensi(chat)
    await office.pump()
    await office.tg_send(CS, button=office.button(CS, "Lengkap"))
    assert "konfirmasi" in office.last_text(KASI).lower()  # the Plt gets the prompt too
    await office.tg_send(KASI, button=office.button(KASI, "Disposisi"))
    await office.tg_send(KASI, button=office.button(KASI, "Kepala Bagian Tata Usaha"))
    await tindak(office, KASI, "Untuk diketahui", "-")
    with sqlite_app.uow() as uow:
        p = uow.permohonan.get("PTSP-261124-0001")
    assert p.status == "proses" and "a.n. kakanwil" in p.riwayat[-1].oleh


async def test_complaint_classified_answered_and_closed(sqlite_app):
    office = Office(sqlite_app)
    await staff(office)
    chat = office.chat()
    await register(chat)
    await chat.send("saya mau mengadu")
    await chat.send("1")
    await chat.send("Antrian di loket legalisir sangat lama, lebih dari 3 jam")
    await chat.send("lewati")
    await chat.send("lewati")
    await chat.send("tidak")
    out = await chat.send("ya")
    assert "ADU-261124-0001" in out
    await office.pump()
    assert "Pengaduan baru" in office.last_text(CS) and "Pengaduan baru" in office.last_text(KOOR)
    await office.tg_send(CS, button=office.button(CS, "Klasifikasi"))
    await office.tg_send(CS, button=office.button(CS, "Normatif"))
    await office.tg_send(CS, button=office.button(CS, "Pelayanan lambat"))
    # setting the tier tells the pemohon the deadline
    assert "ADU-261124-0001* telah kami verifikasi. Batas waktu penyelesaian" in "\n".join(
        chat._replies())
    await tindak(office, CS, "Tutup dengan penyelesaian",
                 "Loket legalisir ditambah satu petugas mulai besok")
    replies = "\n".join(chat._replies())
    assert "selesai" in replies and "ditambah satu petugas" in replies
    with sqlite_app.uow() as uow:
        a = uow.pengaduan.get("ADU-261124-0001")
    assert a.status == "selesai" and a.tier == "normatif" and a.topik == "pelayanan_lambat"


async def test_relay_conversation_both_ways(sqlite_app):
    office = Office(sqlite_app)
    await staff(office)
    chat = office.chat()
    await register(chat)
    out = await chat.send("saya mau bicara dengan petugas")
    assert "petugas" in out.lower()
    await office.pump()
    assert "ingin bicara" in office.last_text(CS)
    await chat.send("Apakah legalisir bisa diwakilkan?")
    await office.pump()
    assert "diwakilkan" in office.last_text(CS)
    await office.tg_send(CS, "Bisa, dengan surat kuasa bermeterai.")
    assert "surat kuasa" in "\n".join(chat._replies())
    await office.tg_send(CS, "/tutup")
    assert "mengakhiri" in "\n".join(chat._replies())


async def test_commands_tugas_status_rekap(sqlite_app):
    office, chat = await kantor_dengan_audiensi(sqlite_app)
    await office.tg_send(CS, "/tugas")
    assert "PTSP-261124-0001" in office.last_text(CS)
    await office.tg_send(CS, "/status ptsp 261124 1")
    assert "Menunggu pemeriksaan" in office.last_text(CS)
    await office.tg_send(CS, "/rekap")
    assert "khusus untuk koordinator" in office.last_text(CS)
    await office.tg_send(KOOR, "/rekap")
    assert "1 permohonan" in office.last_text(KOOR)


async def test_a_final_status_is_archived_automatically_after_the_configured_days(sqlite_app):
    from sqlmodel import Session, select

    from bot.jobs import make_job_handler
    from bot.workers import QueueWorker
    from storage.tables import JobRow

    office, chat = await kantor_dengan_audiensi(sqlite_app)
    await office.tg_send(CS, button=office.button(CS, "Lengkap"))
    await tindak(office, KAKANWIL, "Tolak", "Di luar kewenangan kanwil")
    with Session(sqlite_app.db.engine) as s:
        job = s.exec(select(JobRow).where(JobRow.kind == "arsip_otomatis")).one()
        assert (job.next_at - sqlite_app.clock.now()).days == 30
        job.next_at = job.created_at
        s.add(job)
        s.commit()
    await QueueWorker(sqlite_app.db, "job", make_job_handler(sqlite_app),
                      self_completing=True).drain()
    with sqlite_app.uow() as uow:
        p = uow.permohonan.get("PTSP-261124-0001")
    assert p.status == "diarsipkan" and p.riwayat[-1].oleh == "Sistem"


async def test_minta_info_pauses_the_sla_and_the_answer_reaches_the_official(sqlite_app):
    office, chat = await kantor_dengan_audiensi(sqlite_app)
    await office.tg_send(CS, button=office.button(CS, "Lengkap"))
    await tindak(office, KAKANWIL, "Minta info", "Berapa orang peserta audiensi?")
    assert "Berapa orang peserta" in "\n".join(chat._replies())
    with sqlite_app.uow() as uow:
        p = uow.permohonan.get("PTSP-261124-0001")
        assert p.menunggu_pemohon and p.sla_jeda_sejak is not None
    out = await chat.send("Lima orang pengurus LPTQ")
    assert "teruskan kepada petugas" in out
    await office.pump()
    assert "Lima orang pengurus" in office.last_text(KAKANWIL)
    with sqlite_app.uow() as uow:
        p = uow.permohonan.get("PTSP-261124-0001")
        assert not p.menunggu_pemohon and p.sla_jeda_sejak is None and p.status == "konfirmasi"


async def _scheduled(app_container):
    office, chat = await kantor_dengan_audiensi(app_container)
    await office.tg_send(CS, button=office.button(CS, "Lengkap"))
    await office.tg_send(KAKANWIL, button=office.button(KAKANWIL, "Disposisi"))
    await office.tg_send(KAKANWIL, button=office.button(KAKANWIL, "Kepala Bagian Tata Usaha"))
    await tindak(office, KAKANWIL, "Proses lebih lanjut", "-")
    return office, chat


async def test_the_pemohon_confirms_the_audiensi_time(sqlite_app):
    kode = add_petugas(sqlite_app, "Pak Kabag", "pejabat", "kabag_tu")
    office, chat = await _scheduled(sqlite_app)
    await office.tg_send(506, f"/start {kode}")
    await office.tg_send(506, "/tugas")
    await tindak(office, 506, "Jadwalkan", "besok jam 13.30 di Aula Kanwil")
    assert "Aula Kanwil" in "\n".join(chat._replies())
    out = await chat.send("ya")
    assert "kehadiran Anda" in out
    await office.pump()
    assert "mengonfirmasi kehadiran" in office.last_text(506)


async def test_the_pemohon_asks_another_time_and_the_holder_reschedules(sqlite_app):
    kode = add_petugas(sqlite_app, "Pak Kabag", "pejabat", "kabag_tu")
    office, chat = await _scheduled(sqlite_app)
    await office.tg_send(506, f"/start {kode}")
    await tindak(office, 506, "Jadwalkan", "besok jam 13.30 di Aula Kanwil")
    out = await chat.send("mohon ubah jadwal, saya berhalangan karena ada acara keluarga")
    assert "jadwal lain" in out
    await office.pump()
    assert "meminta jadwal lain" in office.last_text(506)
    await tindak(office, 506, "Jadwal ulang", "Pemohon berhalangan")
    with sqlite_app.uow() as uow:
        assert uow.permohonan.get("PTSP-261124-0001").status == "proses"
    await tindak(office, 506, "Jadwalkan", "27/11/2026 pukul 09.00 di Ruang Rapat Lt. 2")
    assert "Ruang Rapat Lt. 2" in "\n".join(chat._replies())


async def test_a_complaint_forwarded_to_an_official_is_answered_by_them(sqlite_app):
    office = Office(sqlite_app)
    await staff(office)
    chat = office.chat()
    await register(chat)
    await chat.send("saya mau mengadu")
    await chat.send("1")
    await chat.send("Informasi syarat paspor umrah di website berbeda dengan di loket")
    await chat.send("lewati")
    await chat.send("lewati")
    await chat.send("tidak")
    await chat.send("ya")
    await office.pump()
    await office.tg_send(CS, button=office.button(CS, "Teruskan ke pejabat"))
    await tindak(office, CS, "Kepala Seksi Pembinaan Umrah", "Mohon diklarifikasi")
    assert "diteruskan kepada pejabat" in "\n".join(chat._replies())
    assert "diteruskan kepada Anda" in office.last_text(KASI)
    # the Kakanwil, not a recipient, cannot answer it
    await office.tg_send(KAKANWIL, button=office.button(KASI, "Jawab"))
    assert any("tidak berwenang" in a or "bukan untuk" in a for a in office.answers(KAKANWIL))
    await tindak(office, KASI, "Tutup dengan penyelesaian",
                 "Informasi di website sudah diperbarui sesuai SOP")
    assert "sudah diperbarui" in "\n".join(chat._replies())
    with sqlite_app.uow() as uow:
        assert uow.pengaduan.get("ADU-261124-0001").status == "selesai"


async def test_a_result_document_is_sent_as_an_information_copy(sqlite_app):
    office = Office(sqlite_app)
    await staff(office)
    kode = add_petugas(sqlite_app, "Rudi", "bo")
    await office.tg_send(507, f"/start {kode}")
    inbound = sqlite_app.extras["inbox_handler"]
    inbound.fetchers["telegram"] = inbound.fetchers["sandbox"]  # officials' files, stored
    chat = office.chat()
    await register(chat)
    await legalisir(chat)
    await office.pump()
    await office.tg_send(CS, button=office.button(CS, "Lengkap"))
    holder = 507 if office.button_or_none(507, "Selesai") else KASI
    await office.tg_send(holder, button=office.button(holder, "Selesai"))
    sha = sqlite_app.extras["files"].put(PDF, "pdf")
    await office.tg_send(holder, "Asli dapat diambil di loket C mulai besok",
                         media=f"store:{sha}.pdf")
    assert "Salinan hasil" in office.last_text(holder)
    await office.tg_send(holder, button=office.button(holder, "Kirim"))
    replies = "\n".join(chat._replies())
    assert "Salinan informasi dokumen hasil" in replies and "/media/" in replies
    assert "loket C" in replies
    with sqlite_app.uow() as uow:
        p = uow.permohonan.get("PTSP-261124-0001")
    assert p.status == "selesai" and p.berkas[-1].persyaratan == "hasil"


async def test_queue_numbers_are_taken_called_and_shown_without_names(sqlite_app, aiohttp_client):
    from bot.server import create_app

    office = Office(sqlite_app)
    await staff(office)
    a = office.chat("+6281200000001")
    b = office.chat("+6281200000002")
    out = await a.send("mau ambil nomor antrian")
    assert "loket mana" in out
    out = await a.send("1")
    assert "A-001" in out and "di depan Anda: 0" in out
    await b.send("antrian")
    out = await b.send("1")
    assert "A-002" in out and "di depan Anda: 1" in out
    assert "A-001" in await a.send("antrian") + await a.send("1")  # keeps the same number
    await office.tg_send(CS, "/panggil A")
    assert "A-001 dipanggil" in office.last_text(CS)
    assert "dipanggil" in "\n".join(a._replies())
    client = await aiohttp_client(create_app(sqlite_app, run_workers=False))
    page = await (await client.get("/antrian")).text()
    assert "A-001" in page and "Budi" not in page and "+62812" not in page
    data = await (await client.get("/antrian?format=json")).json()
    assert data["loket"][0] == {"loket": "A", "nama": "Loket Layanan", "dilayani": "A-001",
                                "menunggu": 1}
    await office.tg_send(KAKANWIL, "/panggil A")
    assert "tidak" in office.last_text(KAKANWIL).lower()


async def test_no_queue_number_outside_service_hours(sqlite_app, clock):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    clock.current = datetime(2026, 11, 28, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))  # Saturday
    chat = Chat(sqlite_app)
    await chat.send("antrian")
    out = await chat.send("1")
    assert "jam layanan" in out and "Senin, 30 November 2026 pukul 08.00" in out


async def test_a_pungli_complaint_reaches_only_the_koordinator_and_apip(sqlite_app):
    office = Office(sqlite_app)
    await staff(office)
    next(k for k in sqlite_app.settings.kantor).apip_telegram_chat_id = 777
    chat = office.chat()
    await register(chat)
    await chat.send("saya mau mengadu")
    await chat.send("1")
    await chat.send("Petugas loket meminta uang tambahan Rp50.000 agar legalisir cepat")
    await chat.send("lewati")
    await chat.send("lewati")
    await chat.send("ya")
    out = await chat.send("ya")
    assert "ADU-261124-0001" in out
    await office.pump()
    assert any("Pengaduan baru" in m.get("text", "") for m in office.to(KOOR))
    assert not any("ADU-261124-0001" in m.get("text", "") for m in office.to(CS))
    assert "APIP" in office.last_text(777) and "uang tambahan" in office.last_text(777)
    assert "Budi Santoso" not in office.last_text(777)  # anonymous: only the koordinator knows
    assert any("Identitas pelapor" in m.get("text", "") and "Budi Santoso" in m["text"]
               for m in office.to(KOOR))
    with sqlite_app.uow() as uow:
        assert uow.pengaduan.get("ADU-261124-0001").topik == "pungli_gratifikasi"


async def test_the_holder_can_pick_one_of_the_next_free_slots(sqlite_app):
    kode = add_petugas(sqlite_app, "Pak Kabag", "pejabat", "kabag_tu")
    office, chat = await _scheduled(sqlite_app)
    await office.tg_send(506, f"/start {kode}")
    await office.tg_send(506, button=office.button(506, "Jadwalkan"))
    # Tuesday 24 Nov 2026 09:00: the first free slot more than an hour ahead is 13:30 today
    await office.tg_send(506, button=office.button(506, "Selasa, 24 November 2026, 13.30"))
    assert "tempat" in office.last_text(506).lower()
    await office.tg_send(506, "Ruang Kabag TU")
    assert "Ruang Kabag TU" in office.last_text(506)
    await office.tg_send(506, button=office.button(506, "Kirim"))
    replies = "\n".join(chat._replies())
    assert "24 November 2026 pukul 13.30" in replies and "Ruang Kabag TU" in replies
