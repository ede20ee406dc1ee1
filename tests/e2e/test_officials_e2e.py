"""Officials on Telegram, end to end: the running app with BOTH channels (a fake Twilio
and a fake Telegram Bot API on loopback, python-telegram-bot pointed at it through the
base URLs). Citizens post signed Twilio webhooks; officials post real-shaped Telegram
Updates (messages, button presses with the callback data the bot sent them, replies to
ForceReply questions) to `/webhooks/telegram` with the secret header. What officials
receive is read from the fake Bot API's calls, what citizens receive from the fake
Twilio. Only Twilio and Telegram are fake."""

from __future__ import annotations

import asyncio
import io
import json
from datetime import date

import pytest
from PIL import Image
from sqlmodel import Session, select
from typer.testing import CliRunner

from admin_cli.main import app as admin
from bot.app import wire
from bot.server import create_app
from domain.konteks import fmt_waktu
from domain.model import Delegasi
from domain.status import LABEL, Status
from storage.tables import InboxRow
from tests.conftest import WIB, make_container
from tests.e2e.officials_harness import (
    TG_SECRET,
    TZ,
    Office,
    Official,
    ajukan_audiensi,
    fake_bot_api,  # noqa: F401 - a fixture, used by name
    office_settings,
    register,
)
from tests.e2e.whatsapp_harness import PUBLIC_URL, Citizen, WhatsApp, jpeg, pdf

CITIZEN = "+6281234567890"
OTHER = "+6285700000001"
NOMOR = "PTSP-261124-0001"
# Telegram user ids of the officials
CS, CS2, KAKANWIL, KABAG, KASUBAG, KASI, KOOR, STRANGER = (
    7100001, 7100002, 7100003, 7100004, 7100005, 7100006, 7100007, 7199999)
JADWAL = "27/11/2026 pukul 10.00 di Ruang Rapat Lt. 2"
WAKTU = "Jumat, 27 November 2026 pukul 10.00 WIB"


# -- fixtures ------------------------------------------------------------------------------

@pytest.fixture
def serve(tmp_path, clock, nlu_parser, fake_twilio, fake_bot_api, aiohttp_client):  # noqa: F811
    """Start the app with both channels (workers running) on a database URL."""

    async def start(url: str | None = None) -> Office:
        url = url or f"sqlite:///{tmp_path / 'ptsp.db'}"
        c = wire(make_container(url, tmp_path / "data", clock,
                                **office_settings(fake_twilio, fake_bot_api, sandbox="off")),
                 nlu=nlu_parser)
        s = c.settings
        assert s.twilio_enabled and s.telegram_enabled and not s.sandbox_enabled
        assert s.telegram_transport == "webhook"
        client = await aiohttp_client(create_app(c))  # the app's cleanup disposes the db
        return Office(client, c, WhatsApp(client, c, fake_twilio), fake_bot_api)

    return start


@pytest.fixture
async def office(serve) -> Office:
    return await serve()


@pytest.fixture
async def office_any(db_url, serve) -> Office:
    """Both backends; `db_url` first so that its database outlives the app."""
    return await serve(db_url)


# -- helpers -------------------------------------------------------------------------------

def pesan(office: Office, key: str, **kw) -> str:
    return office.pesan(key, **kw)


async def cs_of(office: Office) -> Official:
    return await office.hire(CS, "Ani Lestari", "cs", tugas=("layanan", "aduan_skm"))


async def kakanwil_of(office: Office) -> Official:
    return await office.hire(KAKANWIL, "Pak Kakanwil", "pejabat", "kakanwil")


def prompt_of(o: Official, judul: str, nomor: str = NOMOR) -> dict:
    """The newest message in `o`'s chat that is a prompt `judul` about `nomor`."""
    for m in reversed(o.messages()):
        if m.get("text", "").startswith(judul) and nomor in m["text"]:
            return m
    raise AssertionError(f"{o.first_name} got no prompt {judul!r} for {nomor}: "
                         f"{[m.get('text', '')[:60] for m in o.messages()]}")


def labels(message: dict) -> list[str]:
    return [b["text"] for row in (message.get("reply_markup") or {}).get("inline_keyboard", [])
            for b in row]


def assert_closed(o: Official, message: dict, *, by: str | None) -> None:
    """The prompt copy was edited: its keyboard removed and who handled it appended."""
    edits = [c["params"] for c in o.edits() if c["params"]["message_id"] == message["message_id"]]
    assert edits, f"{o.first_name}'s prompt #{message['message_id']} was never edited"
    last = edits[-1]
    assert not (last.get("reply_markup") or {}).get("inline_keyboard")  # keyboard removed
    assert last["text"].startswith(message["text"].split("\n\n✅")[0])
    assert "✅" in last["text"]
    if by is not None:
        assert last["text"].endswith(f" — {by}"), last["text"]
    now = next(m for m in o.messages() if m["message_id"] == message["message_id"])
    assert "reply_markup" not in now and now["text"] == last["text"]


def data_of(message: dict, label: str) -> str:
    """The callback data of the button `label` on `message`."""
    return next(b["callback_data"] for row in message["reply_markup"]["inline_keyboard"]
                for b in row if b["text"] == label)


def berhasil(office: Office, aksi: str, status: Status, nomor: str = NOMOR,
             kepada: str | None = None) -> str:
    """The confirmation, naming whom it reached (the pemohon Budi unless told otherwise)."""
    kepada = kepada or pesan(office, "tg_kepada_pemohon", nama="Budi Santoso")
    return pesan(office, "tg_berhasil", aksi=aksi, nomor=nomor, status=LABEL[status],
                 kepada=kepada)


HOLDERS = {"Kepala Bagian Tata Usaha": "Pak Kabag", "Kepala Subbagian Umum": "Bu Kasubag"}


async def dispose(o: Official, ke: str, instruksi: str, catatan: str, *, on: dict) -> None:
    """Disposisi → jabatan → instruksi → catatan (ForceReply) → Kirim, from prompt `on`."""
    office = o.tg.office
    p = await o.press_data(data_of(on, "Disposisi"), on)
    assert (p.answer, p.alert) == ("Disposisi", False), p
    assert p.texts == [pesan(office, "tg_pilih_jabatan", nomor=NOMOR)], p
    keyboard, _ = o.find(ke)
    p = await o.press(ke)
    # the same keyboard is edited in place to ask the instruksi (no new message)
    assert p.answer == ke and p.texts == [], p
    edited, _ = o.find(instruksi)
    assert edited["message_id"] == keyboard["message_id"]
    assert edited["text"] == pesan(office, "tg_pilih_instruksi", nomor=NOMOR)
    p = await o.press(instruksi)
    assert p.answer == instruksi, p
    closed = next(m for m in o.messages() if m["message_id"] == keyboard["message_id"])
    assert "reply_markup" not in closed and instruksi in closed["text"]  # choice kept, no keys
    assert p.texts == [pesan(office, "tg_tanya_catatan_disposisi", nomor=NOMOR)], p
    ask = [c for c in o.calls("sendMessage") if not office.is_scheduled(c["params"]["text"])][-1]
    assert ask["params"]["reply_markup"]["force_reply"] is True
    out = await o.reply(catatan)
    [echo] = out
    assert echo.startswith("Periksa sebelum dikirim:") and f"Kepada: {ke}" in echo
    assert f"Instruksi: {instruksi}" in echo
    assert ("Catatan:" in echo) == (catatan != "-")
    assert labels(o.find("Kirim")[0]) == ["Kirim", "Ubah", "Batal"]
    p = await o.press("Kirim")
    kepada = pesan(office, "tg_kepada_jabatan", jabatan=ke, nama=HOLDERS[ke])
    assert p.answer == "Dikirim" and p.texts == [berhasil(office, "Disposisi", Status.PROSES,
                                                          kepada=kepada)], p


# -- 1. the audiensi, from WhatsApp to a time and place ------------------------------------

@pytest.mark.parametrize("typed_as", ["reply", "plain"])
async def test_an_audiensi_goes_from_whatsapp_through_disposisi_to_a_time_and_place(
        office_any: Office, typed_as: str):
    office = office_any
    cs = await cs_of(office)
    cs2 = await office.hire(CS2, "Rina Marlina", "cs", tugas=("layanan",))
    kakanwil = await kakanwil_of(office)
    kabag = await office.hire(KABAG, "Pak Kabag", "pejabat", "kabag_tu")
    kasubag = await office.hire(KASUBAG, "Bu Kasubag", "pejabat", "kasubag_umum")
    budi = office.citizen(CITIZEN)
    assert await ajukan_audiensi(budi) == NOMOR

    # both CS of the desk get the prompt: who, what, attachments, SLA, the checklist
    periksa = {o.uid: prompt_of(o, pesan(office, "tg_prompt_periksa")) for o in (cs, cs2)}
    text = periksa[CS]["text"]
    assert f"{NOMOR} · Permohonan Audiensi" in text
    assert f"Pemohon: Budi Santoso ({CITIZEN})" in text
    assert "Pejabat dituju: Kepala Kantor Wilayah" in text and "Batas SLA:" in text
    assert "Berkas (1):" in text and PUBLIC_URL + "/media/" in text
    assert "Persyaratan:\n☐ Surat permohonan audiensi" in text
    assert labels(periksa[CS]) == labels(periksa[CS2])
    assert {"Lengkap", "Tidak lengkap"} <= set(labels(periksa[CS]))
    assert kakanwil.texts()[-1].startswith("Selamat datang")  # nothing for him yet

    p = await cs.press("Lengkap")
    assert (p.answer, p.alert) == ("Berkas lengkap", False), p
    assert p.texts == [berhasil(office, "Berkas lengkap", Status.KONFIRMASI)]
    # the citizen is told it is complete and gets the tanda terima with a receipt image
    lengkap, tanda = office.wa.take(CITIZEN)
    assert lengkap.startswith(f"Permohonan *{NOMOR}* dinyatakan *lengkap* dan diteruskan "
                              "kepada Kepala Kantor Wilayah")
    sent = office.wa.sent_to(CITIZEN)[-1]
    assert sent["Body"] == tanda
    assert sent["Body"].startswith(f"*Tanda terima berkas* — permohonan *{NOMOR}*")
    [url] = sent["MediaUrl"]
    assert url.startswith(PUBLIC_URL + "/media/") and url in sent["Body"]
    resp = await office.client.get(url.removeprefix(PUBLIC_URL))
    assert resp.status == 200 and resp.content_type == "image/png"
    image = Image.open(io.BytesIO(await resp.read()))
    assert image.format == "PNG" and image.width > 300
    # every CS copy now says who handled it, without buttons
    for o in (cs, cs2):
        assert_closed(o, periksa[o.uid], by="Ani Lestari (cs)")

    konfirmasi = prompt_of(kakanwil, pesan(office, "tg_prompt_konfirmasi"))
    assert {"Disposisi", "Minta info", "Tolak"} <= set(labels(konfirmasi))
    await dispose(kakanwil, "Kepala Bagian Tata Usaha", "Proses lebih lanjut",
                  "mohon diterima dan dijadwalkan", on=konfirmasi)
    [proses] = office.wa.take(CITIZEN)
    assert proses.startswith(f"Permohonan *{NOMOR}* sedang *diproses* oleh Kepala Bagian "
                             "Tata Usaha.")
    assert_closed(kakanwil, konfirmasi, by="Pak Kakanwil (pejabat)")
    assert (office.permohonan(NOMOR)["status"], office.permohonan(NOMOR)["pemegang"]) == (
        "proses", "kabag_tu")

    dispo_kabag = prompt_of(kabag, pesan(office, "tg_prompt_disposisi"))
    assert {"Disposisi", "Jadwalkan", "Tolak"} <= set(labels(dispo_kabag))  # has units below
    await dispose(kabag, "Kepala Subbagian Umum", "Tanggapan dan saran", "-", on=dispo_kabag)
    assert office.wa.take(CITIZEN) == []  # a further disposisi is not a status change
    assert_closed(kabag, dispo_kabag, by=None)  # who: see the xfail test below

    dispo = prompt_of(kasubag, pesan(office, "tg_prompt_disposisi"))
    assert {"Jadwalkan", "Tolak"} <= set(labels(dispo)) and "Disposisi" not in labels(dispo)
    p = await kasubag.press("Jadwalkan")
    assert p.answer == "Jadwalkan audiensi"
    # the one-line question, and the next free slots as buttons
    assert p.texts == [pesan(office, "tg_tanya_jadwal", nomor=NOMOR),
                       pesan(office, "tg_pilih_slot")]
    if typed_as == "reply":
        out = await kasubag.reply(JADWAL)
    else:
        out = await kasubag.say(JADWAL)
    assert out == [pesan(office, "tg_konfirmasi", rincian="\n".join([
        f"Jadwalkan audiensi — {NOMOR}", "Pemohon: Budi Santoso", f"Waktu: {WAKTU}",
        "Tempat: Ruang Rapat Lt. 2"]))]
    assert office.wa.take(CITIZEN) == []  # nothing new yet
    p = await kasubag.press("Kirim")
    assert p.texts[-1] == berhasil(office, "Jadwalkan audiensi", Status.SELESAI), p

    [jadwal] = office.wa.take(CITIZEN)
    assert jadwal == pesan(office, "audiensi_dijadwalkan", nomor=NOMOR, waktu=WAKTU,
                           tempat="Ruang Rapat Lt. 2")
    assert_closed(kasubag, dispo, by="Bu Kasubag (pejabat)")
    selesai = prompt_of(kasubag, pesan(office, "tg_prompt_selesai"))
    assert {"Audiensi terlaksana", "Jadwal ulang"} <= set(labels(selesai))

    view = office.permohonan(NOMOR)
    assert view["status"] == "selesai"
    # the further disposisi is recorded in the timeline without a status change
    assert [(t["status"], t["oleh"]) for t in view["timeline"]] == [
        ("menunggu", "Pemohon"), ("konfirmasi", "Ani Lestari (cs)"),
        ("proses", "Pak Kakanwil (pejabat)"), ("proses", "Pak Kabag (pejabat)"),
        ("selesai", "Bu Kasubag (pejabat)")]
    assert "Kepala Subbagian Umum" in view["timeline"][3]["catatan"]
    assert view["data"]["jadwal"]["tempat"] == "Ruang Rapat Lt. 2"
    assert view["data"]["jadwal"]["waktu"].startswith("2026-11-27T10:00:00")
    await office.assert_clean()


async def test_a_further_disposisi_closes_the_prompt_naming_who_disposed(office: Office):
    cs = await cs_of(office)
    kakanwil = await kakanwil_of(office)
    kabag = await office.hire(KABAG, "Pak Kabag", "pejabat", "kabag_tu")
    await office.hire(KASUBAG, "Bu Kasubag", "pejabat", "kasubag_umum")
    await ajukan_audiensi(office.citizen(CITIZEN))
    await cs.press("Lengkap")
    await dispose(kakanwil, "Kepala Bagian Tata Usaha", "Proses lebih lanjut", "-",
                  on=prompt_of(kakanwil, pesan(office, "tg_prompt_konfirmasi")))
    dispo_kabag = prompt_of(kabag, pesan(office, "tg_prompt_disposisi"))
    await dispose(kabag, "Kepala Subbagian Umum", "Tanggapan dan saran", "-", on=dispo_kabag)
    assert_closed(kabag, dispo_kabag, by="Pak Kabag (pejabat)")


# -- 2. an incomplete permohonan, returned and completed ------------------------------------

async def test_an_incomplete_permohonan_is_returned_with_its_checklist_and_completed(
        office: Office):
    cs = await cs_of(office)
    kakanwil = await kakanwil_of(office)
    budi = office.citizen(CITIZEN)
    await ajukan_audiensi(budi)
    first = prompt_of(cs, pesan(office, "tg_prompt_periksa"))

    p = await cs.press("Tidak lengkap")
    assert p.answer == "Berkas tidak lengkap"
    assert p.texts == [pesan(office, "tg_pilih_kurang", nomor=NOMOR)]
    checklist = cs.find("Lanjut")[0]
    assert labels(checklist)[0].startswith("☐ Surat permohonan audiensi")
    p = await cs.press("Lanjut")  # nothing ticked yet
    assert p.texts[0] == pesan(office, "tg_pilih_minimal_satu")
    p = await cs.press("☐ Surat permohonan audiensi")
    assert p.answer == "Diperbarui"
    assert labels(cs.find("Lanjut")[0])[0].startswith("☒ Surat permohonan audiensi")
    p = await cs.press("Lanjut")
    assert p.texts == [pesan(office, "tg_tanya_catatan_kurang", nomor=NOMOR)]
    [echo] = await cs.reply("Surat belum ditandatangani dan belum berkop")
    assert "Kurang: Surat permohonan audiensi" in echo
    assert "Catatan: Surat belum ditandatangani dan belum berkop" in echo
    assert office.wa.take(CITIZEN) == []  # nothing sent to the citizen yet
    p = await cs.press("Kirim")
    assert p.texts == [berhasil(office, "Berkas tidak lengkap", Status.DIKEMBALIKAN)]

    [kembali] = office.wa.take(CITIZEN)
    assert kembali.startswith(f"Mohon maaf, berkas permohonan *{NOMOR}* *belum lengkap*.")
    assert "Kurang: Surat permohonan audiensi" in kembali
    assert "Surat belum ditandatangani dan belum berkop" in kembali
    assert office.status(NOMOR) == "dikembalikan"
    assert_closed(cs, first, by="Ani Lestari (cs)")
    assert kakanwil.texts()[-1].startswith("Selamat datang")  # not forwarded

    # the citizen sends the missing letter and says selesai: back to the CS
    out = await budi.send_file("surat-ttd.pdf", pdf("Surat bertanda tangan dan berkop"),
                               "application/pdf")
    assert NOMOR in out and "1 file" in out, out
    out = await budi.say("selesai")
    assert out == pesan(office, "status_menunggu", nomor=NOMOR), out
    assert office.status(NOMOR) == "menunggu"
    again = prompt_of(cs, pesan(office, "tg_prompt_periksa"))
    assert again["message_id"] != first["message_id"]
    assert "Lengkap" in labels(again) and "Berkas (2):" in again["text"]
    p = await cs.press("Lengkap")
    assert p.texts == [berhasil(office, "Berkas lengkap", Status.KONFIRMASI)]
    assert office.wa.take(CITIZEN)[-1].startswith("*Tanda terima berkas*")
    assert [t["status"] for t in office.permohonan(NOMOR)["timeline"]] == [
        "menunggu", "dikembalikan", "menunggu", "konfirmasi"]
    prompt_of(kakanwil, pesan(office, "tg_prompt_konfirmasi"))
    await office.assert_clean()


# -- 3. a rejection with a reason ---------------------------------------------------------------

async def test_a_rejection_needs_a_reason_and_the_citizen_gets_it(office: Office):
    cs = await cs_of(office)
    kakanwil = await kakanwil_of(office)
    await ajukan_audiensi(office.citizen(CITIZEN))
    await cs.press("Lengkap")
    office.wa.take(CITIZEN)
    konfirmasi = prompt_of(kakanwil, pesan(office, "tg_prompt_konfirmasi"))

    p = await kakanwil.press("Tolak")
    assert p.answer == "Tolak"
    assert p.texts == [pesan(office, "tg_tanya_alasan_tolak", nomor=NOMOR)]
    # a reason is required: "-" is not one, the question comes again
    assert await kakanwil.reply("-") == [pesan(office, "tg_tanya_alasan_tolak", nomor=NOMOR)]
    [echo] = await kakanwil.reply("Jadwal pimpinan penuh sampai akhir bulan")
    assert "Tolak — " + NOMOR in echo and "Catatan: Jadwal pimpinan penuh" in echo
    assert office.wa.take(CITIZEN) == []
    p = await kakanwil.press("Kirim")
    assert p.texts == [berhasil(office, "Tolak", Status.DITOLAK)]

    [ditolak] = office.wa.take(CITIZEN)
    assert ditolak == pesan(office, "status_ditolak", nomor=NOMOR,
                            catatan="Jadwal pimpinan penuh sampai akhir bulan").strip()
    assert "*ditolak*" in ditolak
    view = office.permohonan(NOMOR)
    assert view["status"] == "ditolak"
    assert view["timeline"][-1]["catatan"] == "Jadwal pimpinan penuh sampai akhir bulan"
    assert_closed(kakanwil, konfirmasi, by="Pak Kakanwil (pejabat)")
    await office.assert_clean()


# -- 4. a complaint classified, answered and closed ----------------------------------------

async def test_a_complaint_is_classified_answered_and_closed(office: Office):
    cs = await cs_of(office)
    koor = await office.hire(KOOR, "Wati Koordinator", "koordinator")
    budi = office.citizen(CITIZEN)
    await register(budi)
    assert await budi.say("saya mau mengadu") == pesan(office, "aduan_kategori")
    await budi.say("1")
    await budi.say("Antrian di loket legalisir sangat lama, lebih dari 3 jam menunggu")
    await budi.say("lewati")
    await budi.say("lewati")
    await budi.say("tidak")
    out = await budi.say("ya")
    assert "ADU-261124-0001" in out
    adu = "ADU-261124-0001"

    prompts = {o.uid: prompt_of(o, pesan(office, "tg_prompt_pengaduan"), adu) for o in (cs, koor)}
    assert "Antrian di loket legalisir sangat lama" in prompts[CS]["text"]
    assert {"Klasifikasi", "Jawab", "Tutup dengan penyelesaian"} <= set(labels(prompts[CS]))

    p = await cs.press("Klasifikasi")
    assert p.texts == [pesan(office, "tg_pilih_tier", nomor=adu)]
    assert labels(cs.find("Normatif")[0]) == [
        "Ringan", "Normatif", "Tidak berkadar pengawasan", "Berkadar pengawasan"]
    p = await cs.press("Normatif")
    assert p.texts == [pesan(office, "tg_pilih_topik", nomor=adu)]
    p = await cs.press("Pelayanan lambat")
    assert p.answer == "Tersimpan" and p.texts[0].startswith("✅ Klasifikasi untuk " + adu)
    [verified] = office.wa.take(CITIZEN)
    with office.container.uow() as uow:
        tenggat = uow.pengaduan.get(adu).tenggat
    assert verified == pesan(office, "pengaduan_diklasifikasi", nomor=adu,
                             tenggat=fmt_waktu(tenggat, TZ))
    assert tenggat.astimezone(WIB).date() > date(2026, 11, 27)  # normatif: 5 working days

    p = await cs.press("Jawab")
    assert p.texts == [pesan(office, "tg_tanya_jawaban", nomor=adu)]
    await cs.reply("Mohon maaf atas antrean panjang; kami sedang menambah petugas loket.")
    p = await cs.press("Kirim")
    assert p.texts[0].startswith("✅ Tanggapan untuk " + adu)
    [jawab] = office.wa.take(CITIZEN)
    assert jawab == pesan(office, "pengaduan_ditanggapi", nomor=adu, teks=(
        "Mohon maaf atas antrean panjang; kami sedang menambah petugas loket.")).strip()

    p = await cs.press("Tutup dengan penyelesaian")
    assert p.texts == [pesan(office, "tg_tanya_penyelesaian", nomor=adu)]
    await cs.reply("Loket legalisir ditambah satu petugas mulai besok.")
    p = await cs.press("Kirim")
    assert p.texts[0].startswith("✅ Tanggapan untuk " + adu)
    [selesai] = office.wa.take(CITIZEN)
    assert selesai == pesan(office, "pengaduan_selesai", nomor=adu,
                            teks="Loket legalisir ditambah satu petugas mulai besok.").strip()
    for o in (cs, koor):
        assert_closed(o, prompts[o.uid], by="Ani Lestari")

    # `ptsp-admin pengaduan list --json` on the same database
    s = office.container.settings
    result = CliRunner().invoke(admin, ["pengaduan", "list", "--json"], env={
        "PTSP_DATABASE_URL": s.database_url, "PTSP_DATA_DIR": str(s.data_dir)})
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.output)
    assert (row["nomor"], row["tier"], row["topik"], row["status"]) == (
        adu, "normatif", "pelayanan_lambat", "selesai")
    await office.assert_clean()


# -- 5. a relay conversation both ways -------------------------------------------------------

async def test_a_relay_conversation_goes_both_ways_until_tutup(office: Office):
    cs = await cs_of(office)
    budi = office.citizen(CITIZEN)
    await register(budi)
    out = await budi.say("saya mau bicara dengan petugas")
    assert "petugas" in out.lower()
    thread = prompt_of(cs, pesan(office, "tg_relay_baru"), CITIZEN)
    assert "Budi Santoso" in thread["text"]

    await budi.say("Apakah legalisir ijazah bisa diwakilkan?")
    forwarded = cs.last_message()
    assert forwarded["text"] == pesan(office, "tg_relay_pesan", nama="Budi Santoso",
                                      teks="Apakah legalisir ijazah bisa diwakilkan?").strip()
    out = await cs.say("Bisa, dengan surat kuasa bermeterai.", reply_to=forwarded)
    assert out == [pesan(office, "tg_relay_terkirim", nama="Budi Santoso", hp=CITIZEN)]
    [answer] = office.wa.take(CITIZEN)
    assert answer == pesan(office, "pesan_petugas_relay", nama="Ani Lestari",
                           teks="Bisa, dengan surat kuasa bermeterai.").strip()

    await budi.say("Baik, terima kasih. Surat kuasanya pakai format bebas?")
    assert "format bebas" in cs.last_message()["text"]
    out = await cs.say("Format bebas, bermeterai 10.000.", reply_to=cs.last_message())
    assert out == [pesan(office, "tg_relay_terkirim", nama="Budi Santoso", hp=CITIZEN)]
    assert "bermeterai 10.000" in office.wa.take(CITIZEN)[0]

    out = await cs.say("/tutup")
    assert out == [pesan(office, "tg_relay_ditutup", jumlah=1, nama="Budi Santoso")]
    assert office.wa.take(CITIZEN) == [pesan(office, "relay_ditutup")]
    assert_closed(cs, thread, by="Ani Lestari")
    await office.assert_clean()


async def relay_closed_by_the_cs(office: Office) -> tuple[Official, Citizen]:
    cs = await cs_of(office)
    budi = office.citizen(CITIZEN)
    await register(budi)
    await budi.say("saya mau bicara dengan petugas")
    await budi.say("Apakah legalisir ijazah bisa diwakilkan?")
    await cs.say("Bisa, dengan surat kuasa bermeterai.", reply_to=cs.last_message())
    assert await cs.say("/tutup") == [pesan(office, "tg_relay_ditutup", jumlah=1,
                                            nama="Budi Santoso")]
    assert office.wa.take(CITIZEN)[-1] == pesan(office, "relay_ditutup")
    return cs, budi


async def test_after_tutup_the_citizens_messages_are_answered_by_the_bot_again(
        office: Office):
    cs, budi = await relay_closed_by_the_cs(office)
    n = len(cs.texts())
    out = await budi.say("cek status PTSP-261124-0099")
    assert out == pesan(office, "status_tidak_ditemukan", nomor="PTSP-261124-0099")
    assert cs.texts()[n:] == []  # nothing reaches the CS any more


# -- 6. refusals: outside the route, and an unlinked Telegram user ----------------------------

async def test_a_button_pressed_outside_the_route_is_refused_and_changes_nothing(
        office: Office):
    cs = await cs_of(office)
    kakanwil = await kakanwil_of(office)
    kasi = await office.hire(KASI, "Pak Kasi Umrah", "pejabat", "kasi_umrah")
    budi = office.citizen(CITIZEN)
    await ajukan_audiensi(budi)
    office.wa.take(CITIZEN)

    # a Kasi and the Kakanwil press Lengkap of the prompt sent to the CS
    for o in (kasi, kakanwil):
        p = await o.press("Lengkap", on=cs)
        assert (p.answer, p.alert) == (pesan(office, "tg_bukan_penerima"), True), p
        assert p.texts == []
    assert office.status(NOMOR) == "menunggu"
    assert office.wa.take(CITIZEN) == []
    assert "Lengkap" in labels(prompt_of(cs, pesan(office, "tg_prompt_periksa")))  # still open
    assert not any(pesan(office, "tg_prompt_konfirmasi") in t for t in kakanwil.texts())

    # after the CS's Lengkap, the Kasi presses Disposisi of the Kakanwil's prompt
    await cs.press("Lengkap")
    p = await kasi.press("Disposisi", on=kakanwil)
    assert (p.answer, p.alert) == (pesan(office, "tg_bukan_penerima"), True), p
    assert p.texts == []
    view = office.permohonan(NOMOR)
    assert (view["status"], view["pemegang"]) == ("konfirmasi", "kakanwil")
    assert len(view["timeline"]) == 2
    await office.assert_clean()


async def test_an_unlinked_telegram_user_is_refused_politely_and_learns_nothing(
        office: Office):
    cs = await cs_of(office)
    await ajukan_audiensi(office.citizen(CITIZEN))
    stranger = office.official(STRANGER, "Orang")
    refusal = pesan(office, "tg_belum_tertaut")
    for text in ("/tugas", f"/status {NOMOR}", f"/balas {NOMOR} halo", "halo pak",
                 "/rekap"):
        assert await stranger.say(text) == [refusal], text
    p = await stranger.press("Lengkap", on=cs)
    assert (p.answer, p.alert, p.texts) == (refusal, True, []), p
    assert await stranger.say("/start SALAHKODE") == [pesan(office, "tg_kode_salah")]
    everything = [c["params"] for c in office.fake_tg.calls
                  if c["params"].get("chat_id") == STRANGER
                  or c["params"].get("callback_query_id") == p.query_id]
    assert everything and not any(
        word in json.dumps(params, ensure_ascii=False)
        for params in everything for word in (NOMOR, "Budi", CITIZEN, "Audiensi", "Ani"))
    assert office.status(NOMOR) == "menunggu"
    assert office.wa.take(CITIZEN) == []
    await office.assert_clean()


# -- 7. a Plt acting for an absent Kakanwil ---------------------------------------------------

async def test_a_plt_receives_the_konfirmasi_prompt_and_disposes_for_the_kakanwil(
        office: Office):
    cs = await cs_of(office)
    kakanwil_id, _ = office.add_petugas("Pak Kakanwil", "pejabat", "kakanwil")  # on leave
    kabag = await office.hire(KABAG, "Pak Kabag", "pejabat", "kabag_tu")
    plt = await office.hire(KASI, "Pak Kasi Umrah", "pejabat", "kasi_umrah")
    with office.container.uow() as uow:
        kasi_id = next(p.id for p in uow.petugas.list() if p.jabatan == "kasi_umrah")
        uow.petugas.add_delegasi(Delegasi(jabatan="kakanwil", petugas_id=kasi_id,
                                          sampai=date(2026, 12, 31)))
        uow.commit()
    await ajukan_audiensi(office.citizen(CITIZEN))
    p = await cs.press("Lengkap")
    assert p.texts == [berhasil(office, "Berkas lengkap", Status.KONFIRMASI)]

    konfirmasi = prompt_of(plt, pesan(office, "tg_prompt_konfirmasi"))
    assert "Pejabat dituju: Kepala Kantor Wilayah" in konfirmasi["text"]
    await dispose(plt, "Kepala Bagian Tata Usaha", "Untuk diketahui", "-", on=konfirmasi)
    prompt_of(kabag, pesan(office, "tg_prompt_disposisi"))
    view = office.permohonan(NOMOR)
    assert (view["status"], view["pemegang"]) == ("proses", "kabag_tu")
    assert "Pak Kasi Umrah" in view["timeline"][-1]["oleh"]
    assert "a.n. kakanwil" in view["timeline"][-1]["oleh"]
    await office.assert_clean()


# -- 8. the first action on a shared prompt wins ---------------------------------------------

async def hold_inbox_worker(office: Office, fake_twilio) -> str:
    """Keep the inbox worker busy with a slow WhatsApp download, so that updates posted
    meanwhile are claimed in one batch and handled at the same time; the message sid."""
    fake_twilio.media_delay = 1.5
    form = office.wa.form(OTHER, media=[office.wa.media("foto.jpg", jpeg(), "image/jpeg")])
    await office.wa.deliver(form)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 5
    while not any(r["name"] == "foto.jpg" for r in fake_twilio.media_requests):
        assert loop.time() < deadline, "the slow download never started"
        await asyncio.sleep(0.01)
    return form["MessageSid"]


async def test_two_cs_pressing_lengkap_at_once_only_the_first_wins(
        office_any: Office, fake_twilio, request):
    office = office_any
    cs = await cs_of(office)
    cs2 = await office.hire(CS2, "Rina Marlina", "cs", tugas=("layanan",))
    kakanwil = await kakanwil_of(office)
    await ajukan_audiensi(office.citizen(CITIZEN))
    office.wa.take(CITIZEN)
    updates = []
    for o in (cs, cs2):
        message, data = o.find("Lengkap")
        updates.append(o.press_update(data, message))
        o.take()

    busy = await hold_inbox_worker(office, fake_twilio)
    await asyncio.gather(*(office.tg.deliver(u) for u in updates))  # both at the same time
    await office.settle(tg=[u["update_id"] for u in updates], wa=[busy])
    fake_twilio.media_delay = 0
    results = [cs.pressed(updates[0]), cs2.pressed(updates[1])]

    won = [r for r in results if r.texts == [berhasil(office, "Berkas lengkap",
                                                      Status.KONFIRMASI)]]
    lost = [r for r in results if r not in won]
    assert len(won) == 1 and len(lost) == 1, results
    [loser] = lost
    winner_name = "Ani Lestari" if won[0] is results[0] else "Rina Marlina"
    assert loser.alert and loser.texts == [], loser
    assert loser.answer in (
        pesan(office, "tg_sudah_ditangani", oleh=f"{winner_name} (cs)"),
        pesan(office, "tg_status_berubah", nomor=NOMOR, status=LABEL[Status.KONFIRMASI])), loser
    view = office.permohonan(NOMOR)
    assert view["status"] == "konfirmasi"
    assert [t["status"] for t in view["timeline"]] == ["menunggu", "konfirmasi"]
    assert sum(b.startswith("*Tanda terima") for b in office.wa.take(CITIZEN)) == 1
    assert sum(t.startswith(pesan(office, "tg_prompt_konfirmasi"))
               for t in kakanwil.texts()) == 1
    await office.assert_clean()


# -- 9. a repeated update_id, and a wrong secret ---------------------------------------------

def inbox_rows(office: Office, provider_id: int) -> list[InboxRow]:
    with Session(office.container.db.engine) as s:
        return list(s.exec(select(InboxRow).where(InboxRow.channel == "telegram",
                                                  InboxRow.provider_id == str(provider_id))))


async def test_a_repeated_update_id_is_processed_once(office: Office):
    cs = await cs_of(office)
    await kakanwil_of(office)
    await ajukan_audiensi(office.citizen(CITIZEN))
    office.wa.take(CITIZEN)
    message, data = cs.find("Lengkap")
    update = cs.press_update(data, message)
    cs.take()
    await asyncio.gather(office.tg.deliver(update), office.tg.deliver(update))  # a redelivery
    await office.settle(tg=[update["update_id"]])
    await office.tg.deliver(update)  # and a late one
    await office.settle(tg=[update["update_id"]])
    p = cs.pressed(update)  # answered once (checked inside)
    assert p.texts == [berhasil(office, "Berkas lengkap", Status.KONFIRMASI)]
    assert len(inbox_rows(office, update["update_id"])) == 1
    assert [t["status"] for t in office.permohonan(NOMOR)["timeline"]] == [
        "menunggu", "konfirmasi"]
    assert sum(b.startswith("*Tanda terima") for b in office.wa.take(CITIZEN)) == 1

    text = cs.message_update("/tugas")
    for _ in range(2):
        await office.tg.deliver(text)
    await office.settle(tg=[text["update_id"]])
    assert len(cs.take()) == 1
    await office.assert_clean()


async def test_a_wrong_secret_gets_403_and_nothing_is_stored_or_sent(office: Office):
    cs = await cs_of(office)
    calls = len(office.fake_tg.calls)
    update = cs.message_update("/bantuan")
    for secret in (None, "", "wrong", TG_SECRET + "x", TG_SECRET.upper()):
        resp = await office.tg.post(update, secret=secret)
        assert resp.status == 403, secret
    await office.settle()
    assert inbox_rows(office, update["update_id"]) == []
    assert len(office.fake_tg.calls) == calls
    # the same update with the right secret is then processed (its id was not burnt)
    assert await cs.send(update) == [pesan(office, "tg_bantuan").strip()]
    await office.assert_clean()
