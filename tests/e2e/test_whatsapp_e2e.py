"""WhatsApp end to end: the running app (webhook, inbox worker, NLU, dialogs, domain,
outbox worker, TwilioSender) driven by signed Twilio webhooks; replies read from the fake
Twilio REST API, media served by its media endpoints. Only Twilio is fake."""

from __future__ import annotations

import asyncio
import io
import re
from pathlib import Path

import pytest
from sqlmodel import Session, select

from admin_cli.views import pengaduan_json, permohonan_json
from bot.app import wire
from bot.server import create_app
from storage.tables import InboxRow, OutboxRow, PemohonRow, PercakapanRow
from tests.conftest import make_container
from tests.e2e.factories import sign
from tests.e2e.whatsapp_harness import (
    HOOK,
    PUBLIC_URL,
    SEP,
    Citizen,
    WhatsApp,
    jpeg,
    pdf,
    png,
    sha256,
    twilio_settings,
)

CITIZEN = "+6281234567890"
OTHER = "+6285700000001"
NIK = "3171011708850003"
TZ = "Asia/Jakarta"


# -- fixtures ------------------------------------------------------------------------------

@pytest.fixture
def serve(tmp_path, clock, nlu_parser, fake_twilio, aiohttp_client):
    """Start the app (workers running) on a database URL; SQLite by default."""

    async def start(url: str | None = None) -> WhatsApp:
        url = url or f"sqlite:///{tmp_path / 'ptsp.db'}"
        c = wire(make_container(url, tmp_path / "data", clock, **twilio_settings(fake_twilio)),
                 nlu=nlu_parser)
        assert c.settings.twilio_enabled and not c.settings.sandbox_enabled
        client = await aiohttp_client(create_app(c))  # the app's cleanup disposes the db
        return WhatsApp(client, c, fake_twilio)

    return start


@pytest.fixture
async def wa(serve) -> WhatsApp:
    return await serve()


@pytest.fixture
async def wa_any(db_url, serve) -> WhatsApp:
    """Both backends; `db_url` first so that its database outlives the app."""
    return await serve(db_url)


# -- helpers -------------------------------------------------------------------------------

def pesan(wa: WhatsApp, key: str, **kw: str) -> str:
    return wa.container.pesan(key, **kw)


async def register(c: Citizen, nama: str = "Budi Santoso", *, instansi: str | None = None,
                   nik: str = NIK) -> None:
    out = await c.say("saya mau daftar")
    assert "Perorangan" in out and "Instansi/lembaga" in out
    if instansi:
        assert "nama instansi" in await c.say("2")
        assert "nama lengkap" in await c.say(instansi)
    else:
        assert "nama lengkap" in await c.say("1")
    assert "NIK" in await c.say(nama)
    assert c.phone in await c.say(nik)
    assert "alamat" in await c.say("ya")
    out = await c.say("Jl. Merdeka No. 1, Kel. Gambir, Jakarta Pusat")
    assert "SETUJU" in out and nama in out
    assert await c.say("setuju") == pesan(c.wa, "daftar_berhasil", nama=nama)


def permohonan(wa: WhatsApp, nomor: str) -> dict:
    """`ptsp-admin permohonan show NOMOR --json`, read through the same view."""
    with wa.container.uow() as uow:
        p = uow.permohonan.get(nomor)
        assert p is not None, f"{nomor} not stored"
        return permohonan_json(p, uow, TZ, detail=True)


def rows(wa: WhatsApp, table):
    with Session(wa.container.db.engine) as s:
        return list(s.exec(select(table)))


def stored_files(wa: WhatsApp) -> list[Path]:
    root = Path(wa.container.settings.data_dir) / "files"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def fake_media_fetched(wa: WhatsApp, name: str) -> bool:
    """The worker downloaded the file from Twilio with the account's credentials."""
    return any(r["name"] == name and r["authorized"] for r in wa.fake.media_requests)


# -- scenarios -----------------------------------------------------------------------------

async def test_registration_explains_a_15_digit_nik_then_accepts_the_right_one(wa):
    siti = wa.citizen(CITIZEN)
    assert "Perorangan" in await siti.say("saya mau daftar")
    assert await siti.say("1") == pesan(wa, "daftar_nama")
    assert await siti.say("Siti Aminah") == pesan(wa, "daftar_nik")
    out = await siti.say("317101570885000")  # 15 digits
    assert out.startswith("NIK tidak valid: NIK harus 16 digit, yang dikirim 15 digit.")
    assert ".." not in out and out.endswith("ketik 16 digit NIK sesuai KTP.")
    out = await siti.say("3171 0157 0885 0003")  # as printed on the KTP: accepted
    assert out == pesan(wa, "daftar_hp", hp_wa=CITIZEN)
    assert await siti.say("ya") == pesan(wa, "daftar_alamat")
    out = await siti.say("Jl. Kenanga 5, Beji, Depok")
    assert "Siti Aminah" in out and "3171015708850003" in out and "SETUJU" in out
    assert await siti.say("setuju") == pesan(wa, "daftar_berhasil", nama="Siti Aminah")
    with wa.container.uow() as uow:
        p = uow.pemohon.by_kanal("whatsapp", CITIZEN)
    assert (p.nama, p.nik, p.hp, p.jenis) == ("Siti Aminah", "3171015708850003", CITIZEN,
                                              "perorangan")
    assert p.alamat == "Jl. Kenanga 5, Beji, Depok" and p.persetujuan_at is not None


async def test_a_complaint_with_a_photo_gets_an_adu_number_and_keeps_the_photo(wa):
    budi = wa.citizen(CITIZEN)
    await register(budi)
    out = await budi.say("saya mau mengadu")
    assert out == pesan(wa, "aduan_kategori")
    assert await budi.say("1") == pesan(wa, "aduan_teks")
    foto = jpeg((640, 480), "gray")
    out = await budi.send_file("bukti.jpg", foto, "image/jpeg", caption=(
        "Petugas loket meminta uang tambahan saat saya mengurus legalisir kemarin"))
    assert out == pesan(wa, "aduan_lampiran")
    assert await budi.say("lewati") == pesan(wa, "aduan_nomor")
    assert await budi.say("lewati") == pesan(wa, "aduan_anonim")
    out = await budi.say("tidak")
    assert "Lampiran: 1 file" in out and "Anonim: Tidak" in out
    out = await budi.say("ya")
    [nomor] = set(re.findall(r"ADU-\d{6}-\d{4}", out))
    assert nomor == "ADU-261124-0001"
    assert out.startswith("*Pengaduan Anda kami terima*") and "cek ADU-261124-0001" in out

    with wa.container.uow() as uow:
        a = uow.pengaduan.get(nomor)
        view = pengaduan_json(a, TZ)
    assert (view["kategori"], view["tier"], view["status"]) == (
        "pengaduan", "belum_ditentukan", "diterima")
    assert view["teks"].startswith("Petugas loket meminta uang tambahan")
    assert view["tenggat"] is not None
    [berkas] = a.berkas
    assert (berkas.mime, berkas.bytes, berkas.sha256) == ("image/jpeg", len(foto), sha256(foto))

    out = await budi.say("cek ADU-261124-0001")
    assert "ADU-261124-0001" in out and "Diterima" in out


async def test_an_audiensi_request_with_a_pdf_letter_gets_a_bukti_pengajuan(wa_any):
    wa = wa_any
    budi = wa.citizen(CITIZEN)
    out = await budi.say("sy mau audiensi dengan kakanwil")
    assert out.startswith(pesan(wa, "daftar_perlu")) and "Perorangan" in out
    await budi.say("1")
    await budi.say("Budi Santoso")
    await budi.say(NIK)
    await budi.say("ya")
    await budi.say("Jl. Merdeka No. 1, Jakarta")
    out = await budi.say("setuju")
    assert "Permohonan Audiensi ini untuk siapa" in out
    assert await budi.say("1") == pesan(wa, "ajukan_tujuan")  # kakanwil already named
    assert await budi.say("Silaturahmi dan koordinasi kegiatan MTQ tingkat provinsi") == (
        pesan(wa, "ajukan_waktu"))
    out = await budi.say("besok jam 10")
    assert "Kirim dokumen" in out and "Surat permohonan audiensi" in out
    letter = pdf("Surat permohonan audiensi kepada Kakanwil")
    out = await budi.send_file("surat.pdf", letter, "application/pdf")
    assert out == pesan(wa, "ajukan_berkas_diterima", jumlah="1")
    out = await budi.say("selesai")
    assert "Ringkasan permohonan" in out and "Kepala Kantor Wilayah" in out
    assert "Rabu, 25 November 2026 pukul 10.00 WIB" in out and "Lampiran: 1 file" in out
    out = await budi.say("ya")
    assert out.startswith("*Bukti Pengajuan Permohonan*")
    assert "Nomor registrasi: *PTSP-261124-0001*" in out
    assert "Layanan: Permohonan Audiensi" in out and "Atas nama: Budi Santoso" in out
    assert "Status: Menunggu pemeriksaan kelengkapan" in out

    p = permohonan(wa, "PTSP-261124-0001")
    assert (p["layanan"], p["status"], p["atas_nama"], p["lampiran"]) == (
        "audiensi", "menunggu", "Budi Santoso", 1)
    assert p["pemohon"] == {"nama": "Budi Santoso", "hp": CITIZEN}
    assert p["diajukan"] == "2026-11-24T09:00:00+07:00"
    assert p["berkas"] == [{"nama": p["berkas"][0]["nama"], "mime": "application/pdf",
                            "bytes": len(letter), "sha256": sha256(letter)}]
    assert p["data"]["pejabat"] == "kakanwil"
    assert p["data"]["tujuan"] == "Silaturahmi dan koordinasi kegiatan MTQ tingkat provinsi"
    assert p["data"]["waktu"].startswith("2026-11-25T10:00:00")
    assert [t["status"] for t in p["timeline"]] == ["menunggu"]
    assert fake_media_fetched(wa, "surat.pdf")


async def test_three_files_sent_at_once_for_an_institution_all_reach_one_permohonan(wa_any):
    wa = wa_any
    ahmad = wa.citizen(CITIZEN)
    await register(ahmad, "Ahmad Fauzi", instansi="MTs Negeri 1 Kota Contoh")
    out = await ahmad.say("2")
    assert out.startswith("Layanan apa yang ingin Anda ajukan?")
    out = await ahmad.say("narasumber")
    assert "Permohonan Narasumber/Rohaniwan ini untuk siapa" in out
    assert await ahmad.say("2") == pesan(wa, "ajukan_atas_nama")
    out = await ahmad.say("Yayasan Pendidikan Islam Al-Hikmah")
    assert "Kirim dokumen" in out and "Surat permohonan/undangan narasumber" in out

    files = {"undangan-1.jpg": (jpeg((800, 600), "white"), "image/jpeg"),
             "undangan-2.png": (png((600, 800), "yellow"), "image/png"),
             "tor.pdf": (pdf("Kerangka acuan kegiatan"), "application/pdf")}
    forms = [wa.form(CITIZEN, media=[wa.media(name, data, ct)])
             for name, (data, ct) in files.items()]
    assert len({f["MessageSid"] for f in forms}) == 3
    await asyncio.gather(*(wa.deliver(f) for f in forms))  # three webhooks at once
    await wa.settle([f["MessageSid"] for f in forms])
    replies = wa.take(CITIZEN)
    assert replies == [pesan(wa, "ajukan_berkas_diterima", jumlah=str(n)) for n in (1, 2, 3)]

    out = await ahmad.say("selesai")
    assert "Lampiran: 3 file" in out and "Atas nama: Yayasan Pendidikan Islam Al-Hikmah" in out
    out = await ahmad.say("ya")
    assert "Nomor registrasi: *PTSP-261124-0001*" in out
    assert "Atas nama: Yayasan Pendidikan Islam Al-Hikmah" in out

    p = permohonan(wa, "PTSP-261124-0001")
    assert p["layanan"] == "narasumber" and p["lampiran"] == 3
    assert p["atas_nama"] == "Yayasan Pendidikan Islam Al-Hikmah"
    assert p["pemohon"] == {"nama": "Ahmad Fauzi", "hp": CITIZEN}
    assert sorted((b["mime"], b["sha256"], b["bytes"]) for b in p["berkas"]) == sorted(
        (ct, sha256(data), len(data)) for data, ct in files.values())
    with wa.container.uow() as uow:
        pemohon = uow.pemohon.by_kanal("whatsapp", CITIZEN)
    assert (pemohon.jenis, pemohon.instansi) == ("instansi", "MTs Negeri 1 Kota Contoh")
    assert all(fake_media_fetched(wa, name) for name in files)
    handled = [r for r in rows(wa, InboxRow) if r.provider_id in {f["MessageSid"] for f in forms}]
    assert len(handled) == 3 and all(r.status == "done" and r.attempts == 1 for r in handled)


async def submit_legalisir(c: Citizen) -> str:
    """Register and submit a Legalisir Ijazah with one photo; the number received."""
    await register(c)
    await c.say("2")
    assert "untuk keperluan apa" in await c.say("legalisir")
    assert "untuk siapa" in await c.say("2")  # Legalisir Ijazah Madrasah
    assert "Kirim dokumen" in await c.say("1")
    assert "1 file" in await c.send_file("ijazah.jpg", jpeg(), "image/jpeg")
    assert "kekurangannya" in await c.say("selesai")  # one of two documents: warned once
    assert "Ringkasan permohonan" in await c.say("selesai")
    [nomor] = set(re.findall(r"PTSP-\d{6}-\d{4}", await c.say("ya")))
    return nomor


async def test_status_by_number_by_permohonan_saya_and_never_someone_elses(wa):
    budi = wa.citizen(CITIZEN)
    assert await submit_legalisir(budi) == "PTSP-261124-0001"

    out = await budi.say("cek ptsp 261124 1 sdh sampai mana ya")
    assert out.startswith("*PTSP-261124-0001* — Legalisir Ijazah Madrasah")
    assert "Status: *Menunggu pemeriksaan kelengkapan*" in out
    assert "Atas nama: Budi Santoso" in out
    assert await budi.say("Ptsp261124-0001") == out  # typed without the dashes

    out = await budi.say("permohonan saya")
    assert out.startswith("Permohonan Anda (1 terbaru)") and "*PTSP-261124-0001*" in out

    siti = wa.citizen(OTHER)
    await register(siti, "Siti Aminah", nik="3171015708850003")
    someone_elses = await siti.say("cek ptsp 261124 1")
    missing = await siti.say("cek ptsp 261124 99")
    assert "tidak ditemukan" in missing
    assert someone_elses.replace("PTSP-261124-0001", "PTSP-261124-0099") == missing
    assert "Legalisir" not in someone_elses and "Budi" not in someone_elses
    assert await siti.say("permohonan saya") == pesan(wa, "permohonan_saya_kosong")


async def test_a_repeated_message_sid_is_answered_200_and_handled_once(wa):
    first = wa.form(CITIZEN, "halo")
    await asyncio.gather(wa.deliver(first), wa.deliver(first))  # Twilio's retry, racing
    await wa.settle([first["MessageSid"]])
    [greeting] = wa.take(CITIZEN)
    assert greeting.startswith("Selamat pagi") and greeting.endswith(pesan(wa, "menu"))
    await wa.deliver(first)  # and a late one, after it was handled
    # a new message from the same citizen is handled after anything stored before it
    assert await wa.citizen(CITIZEN).say("menu") == pesan(wa, "menu")
    assert len(wa.sent_to(CITIZEN)) == 2
    assert [r.provider_id for r in rows(wa, InboxRow)].count(first["MessageSid"]) == 1
    assert len(rows(wa, OutboxRow)) == 2


async def test_a_forged_signature_gets_403_and_nothing_is_stored_or_sent(wa):
    form = wa.form(CITIZEN, "saya mau daftar")
    assert (await wa.post(form, token="not-the-auth-token")).status == 403
    assert (await wa.post(form, signature="")).status == 403
    other_account = dict(form, AccountSid="AC" + "2" * 32)  # not ours, whatever its token
    assert (await wa.post(other_account, token="token-of-another-account")).status == 403
    genuine = wa.form(CITIZEN, "halo")
    tampered = dict(genuine, Body="saya mau daftar")
    signature = sign(PUBLIC_URL + HOOK, genuine, wa.fake.auth_token)
    assert (await wa.post(tampered, signature=signature)).status == 403
    assert rows(wa, InboxRow) == [] and rows(wa, OutboxRow) == []
    assert rows(wa, PercakapanRow) == [] and rows(wa, PemohonRow) == []
    assert wa.fake.messages == [] and wa.fake.media_requests == []
    # a genuine message afterwards is answered, and only it
    out = await wa.citizen(CITIZEN).say("halo")
    assert out.startswith("Selamat pagi")
    assert len(wa.sent_to(CITIZEN)) == 1 and len(rows(wa, InboxRow)) == 1


async def start_narasumber(c: Citizen) -> None:
    """Register and reach the documents step of a Narasumber request."""
    await register(c)
    await c.say("2")
    assert "untuk siapa" in await c.say("narasumber")
    assert "Kirim dokumen" in await c.say("1")


async def test_a_20_mb_file_is_refused_with_the_size_limit_and_nothing_attached(wa):
    budi = wa.citizen(CITIZEN)
    await start_narasumber(budi)
    big = b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024) + b"\n%%EOF\n"
    out = await budi.send_file("besar.pdf", big, "application/pdf")
    assert [r["name"] for r in wa.fake.media_requests] == ["besar.pdf"]  # tried, given up
    assert out == pesan(wa, "media_terlalu_besar", mb="16 MB", untuk="")
    assert "16 MB" in out
    out = await budi.say("selesai")
    assert "baru 0 file" in out  # nothing was attached
    assert all(f.stat().st_size < 1024 * 1024 for f in stored_files(wa))


async def test_a_decompression_bomb_png_is_refused_with_the_image_message(wa):
    from PIL import Image

    buf = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buf, "PNG", compress_level=9)
    bomb = buf.getvalue()
    assert len(bomb) < 100_000  # a few KB on the wire, 400 megapixels once decoded
    budi = wa.citizen(CITIZEN)
    out = await budi.send_file("ktp.png", bomb, "image/png")
    assert out == pesan(wa, "media_gambar_tidak_valid")
    assert stored_files(wa) == []
    assert rows(wa, PercakapanRow)[0].state.get("flow") is None


async def test_a_voice_note_is_answered_with_the_voice_note_message(wa):
    ogg = b"OggS\x00\x02" + bytes(200)
    out = await wa.citizen(CITIZEN).say(media=[wa.media("vn.ogg", ogg, "audio/ogg")],
                                        MessageType="audio")
    assert out == pesan(wa, "non_teks_audio")
    assert out.startswith("Maaf, pesan suara belum bisa kami proses")


async def test_an_interruption_mid_form_is_answered_and_the_form_resumes(wa):
    budi = wa.citizen(CITIZEN)
    await budi.say("daftar")
    assert await budi.say("1") == pesan(wa, "daftar_nama")
    out = await budi.say("cek status PTSP-261124-0005")
    assert out.split(SEP) == [pesan(wa, "status_tidak_ditemukan", nomor="PTSP-261124-0005"),
                              pesan(wa, "lanjutkan", judul="pendaftaran")]
    assert await budi.say("ya") == pesan(wa, "daftar_nama")
    assert await budi.say("Budi Santoso") == pesan(wa, "daftar_nik")


async def test_an_expired_conversation_says_so_and_shows_the_menu(wa, clock):
    budi = wa.citizen(CITIZEN)
    await budi.say("daftar")
    assert await budi.say("1") == pesan(wa, "daftar_nama")
    expire = wa.container.settings.conversation.expire_minutes
    assert expire == 30
    clock.advance(minutes=expire - 1)  # still in time
    assert await budi.say("Budi Santoso") == pesan(wa, "daftar_nik")
    clock.advance(minutes=expire + 1)
    out = await budi.say(NIK)
    assert out.split(SEP) == [pesan(wa, "sesi_berakhir"), pesan(wa, "menu")]
    with wa.container.uow() as uow:
        assert uow.pemohon.by_kanal("whatsapp", CITIZEN) is None


async def test_a_twilio_500_on_the_first_send_is_retried_and_the_replies_keep_their_order(wa):
    budi = wa.citizen(CITIZEN)
    await budi.say("daftar")
    assert await budi.say("1") == pesan(wa, "daftar_nama")
    wa.fake.fail_next(1, 500)
    out = await budi.say("cek status PTSP-261124-0005")  # two replies; the first one fails once
    assert out.split(SEP) == [pesan(wa, "status_tidak_ditemukan", nomor="PTSP-261124-0005"),
                              pesan(wa, "lanjutkan", judul="pendaftaran")]
    first, second = rows(wa, OutboxRow)[-2:]
    assert (first.status, first.attempts, first.delivery_status) == ("done", 2, "sent")
    assert (second.status, second.attempts) == ("done", 1)
    assert [first.provider_id, second.provider_id] == [m["sid"] for m in wa.sent_to(CITIZEN)[-2:]]
    assert len(wa.sent_to(CITIZEN)) == 4  # each reply exactly once


async def test_a_twilio_400_21211_is_not_retried(wa):
    wa.fake.fail_next(3, 400, code=21211)
    assert await wa.citizen(CITIZEN).say("halo") == ""  # nothing reached the citizen
    [row] = rows(wa, OutboxRow)
    assert (row.status, row.attempts) == ("failed", 1) and "21211" in row.last_error
    await asyncio.sleep(1.5)  # past the first retry's backoff (1 s)
    [row] = rows(wa, OutboxRow)
    assert (row.status, row.attempts) == ("failed", 1)
    assert wa.fake._fail.remaining == 2  # Twilio was asked once
    wa.fake._fail = None
    out = await wa.citizen(CITIZEN).say("menu")  # later replies are not held up
    assert out == pesan(wa, "menu")


async def test_status_callbacks_update_the_delivery_of_a_reply(wa):
    await wa.citizen(CITIZEN).say("halo")
    [sent] = wa.sent_to(CITIZEN)
    callback = sent["StatusCallback"]
    assert callback == PUBLIC_URL + "/webhooks/twilio/status"
    for state in ("sent", "delivered", "read", "delivered"):
        form = {"MessageSid": sent["sid"], "SmsSid": sent["sid"], "MessageStatus": state,
                "AccountSid": wa.fake.account_sid, "From": sent["From"], "To": sent["To"],
                "ApiVersion": "2010-04-01"}
        resp = await wa.client.post("/webhooks/twilio/status", data=form, headers={
            "X-Twilio-Signature": sign(callback, form, wa.fake.auth_token)})
        assert resp.status == 200
    [row] = rows(wa, OutboxRow)
    assert (row.provider_id, row.delivery_status) == (sent["sid"], "read")


async def test_two_citizens_submitting_at_the_same_time_get_different_numbers(wa):
    budi, siti = wa.citizen(CITIZEN), wa.citizen(OTHER)

    async def up_to_summary(c: Citizen, nama: str, nik: str) -> None:
        await register(c, nama, nik=nik)
        await c.say("2")
        await c.say("narasumber")
        await c.say("1")
        await c.send_file("undangan.pdf", pdf(f"Undangan {nama}"), "application/pdf")
        assert "Ringkasan permohonan" in await c.say("selesai")

    await asyncio.gather(up_to_summary(budi, "Budi Santoso", NIK),
                         up_to_summary(siti, "Siti Aminah", "3171015708850003"))
    yes = [wa.form(CITIZEN, "ya"), wa.form(OTHER, "ya")]
    await asyncio.gather(*(wa.deliver(f) for f in yes))
    await wa.settle([f["MessageSid"] for f in yes])
    numbers = {phone: set(re.findall(r"PTSP-\d{6}-\d{4}", SEP.join(wa.take(phone))))
               for phone in (CITIZEN, OTHER)}
    assert sorted(n for ns in numbers.values() for n in ns) == [
        "PTSP-261124-0001", "PTSP-261124-0002"]
    for phone, [nomor] in numbers.items():
        assert permohonan(wa, nomor)["pemohon"]["hp"] == phone


HONG_KONG = "+85291234567"  # an Indonesian migrant worker's Hong Kong number


async def test_replies_to_a_foreign_number_go_to_that_number(wa):
    out = await wa.citizen(HONG_KONG).say("halo")
    assert wa.sent_to("+62" + HONG_KONG[1:]) == []  # a stranger's number
    assert out.startswith("Selamat pagi")
    with Session(wa.container.db.engine) as s:
        assert s.exec(select(InboxRow)).one().sender == HONG_KONG


US_NUMBER = "+14155550123"


async def test_a_foreign_whatsapp_number_is_not_refused_after_the_consent(wa):
    tourist = wa.citizen(US_NUMBER)
    await tourist.say("saya mau daftar")
    await tourist.say("1")
    await tourist.say("Budi Santoso")
    out = await tourist.say(NIK)
    # a foreign WhatsApp number cannot be the contact number: an Indonesian one is asked
    assert out == pesan(wa, "daftar_hp_tanya")
    assert await tourist.say("ya") == pesan(wa, "daftar_hp_tanya")
    assert await tourist.say("081234567890") == pesan(wa, "daftar_alamat")
    assert "SETUJU" in await tourist.say("Jl. Merdeka No. 1, Jakarta")
    assert await tourist.say("setuju") == pesan(wa, "daftar_berhasil", nama="Budi Santoso")
