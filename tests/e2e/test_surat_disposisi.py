"""Tata persuratan end to end (seeds 001–002): a surat masuk registered at the counter is
disposed on Telegram down the hierarchy and followed up, its lembar disposisi PDF carries
every field and every step; a surat permohonan sent on WhatsApp enters the agenda book
by itself.

Before, a surat masuk was a row in the agenda book and a blank form: nobody was prompted,
the disposisi ran on paper only, and letters arriving with a WhatsApp permohonan were in
no agenda at all.
"""

from __future__ import annotations

import json

from pypdf import PdfReader
from typer.testing import CliRunner

from tests.e2e.officials_harness import (
    ajukan_audiensi,
    fake_bot_api,  # noqa: F401 - a fixture, used by name
    )
from tests.e2e.whatsapp_harness import pdf

KAKANWIL, KASUBAG, KASI, CS = 7400001, 7400002, 7400003, 7400004
runner = CliRunner()


def catat(desk, oleh: str, tmp_path, *extra: str) -> dict:
    scan = tmp_path / "undangan.pdf"
    scan.write_bytes(pdf("Undangan rapat koordinasi MTQ"))
    return json.loads(desk(
        "surat", "masuk", "catat", "--dari", "Pemprov Kalimantan Barat",
        "--nomor", "005/123/Kesra", "--tanggal", "2026-11-20",
        "--perihal", "Undangan rapat koordinasi MTQ tingkat provinsi", "--sifat", "segera",
        "--scan", str(scan), "--oleh", oleh, *extra, "--json"))


async def test_a_letter_is_disposed_down_on_telegram_and_its_lembar_shows_every_step(
        office, desk, tmp_path):
    kakanwil = await office.hire(KAKANWIL, "Pak Kakanwil", "pejabat", "kakanwil")
    kasubag = await office.hire(KASUBAG, "Bu Kasubag", "pejabat", "kasubag_umum")
    cs_id, _ = office.add_petugas("Ani Loket", "cs", tugas=("surat",))
    s = catat(desk, str(cs_id), tmp_path)
    assert s["agenda"] == "0001/2026"
    await office.settle()
    prompt, _ = kakanwil.find("Disposisi")
    for shown in ("Agenda 0001/2026", "Pemprov Kalimantan Barat", "005/123/Kesra",
                  "Undangan rapat koordinasi MTQ", "Segera", "undangan.pdf"):
        assert shown in prompt["text"], shown
    assert "/media/" in prompt["text"]  # the scan, behind a signed link

    await kakanwil.press("Disposisi")
    await kakanwil.press("Kepala Subbagian Umum")
    await kakanwil.press("Proses lebih lanjut")
    out = await kakanwil.reply("Mohon disiapkan aula dan konsumsi")
    assert "Kepada: Kepala Subbagian Umum" in out[-1] and "Instruksi: Proses lebih lanjut" \
        in out[-1] and "Surat dari: Pemprov Kalimantan Barat" in out[-1]
    done = await kakanwil.press("Kirim")
    assert any("Disposisi surat untuk surat agenda 0001/2026" in t and "Bu Kasubag" in t
               for t in done.texts), done
    got, _ = kasubag.find("Selesai ditindaklanjuti")
    assert "Disposisi Kepala Kantor Wilayah → Kepala Subbagian Umum: Proses lebih lanjut" \
        in got["text"] and "Mohon disiapkan aula" in got["text"]
    closed = [e["params"]["text"] for e in kakanwil.edits()]
    assert any("Didisposisikan ke Kepala Subbagian Umum" in t for t in closed)

    await kasubag.press("Selesai ditindaklanjuti")
    await kasubag.reply("Aula lantai 2 dan konsumsi 40 orang sudah disiapkan")
    await kasubag.press("Kirim")
    with office.container.uow() as uow:
        surat = uow.surat.masuk(1, 2026)
    assert surat.status == "selesai" and surat.pemegang == "kasubag_umum"
    assert [d.instruksi for d in surat.disposisi] == ["proses", "selesai"]

    [listed] = json.loads(desk("surat", "masuk", "list", "--cari", "mtq", "--json"))
    assert (listed["agenda"], listed["status"], listed["pemegang"]) == (
        "0001/2026", "selesai", "kasubag_umum")
    assert [(d["ke"], d["instruksi"]) for d in listed["disposisi"]] == [
        ("kasubag_umum", "proses"), (None, "selesai")]
    assert json.loads(desk("surat", "masuk", "list", "--cari", "paspor", "--json")) == []
    lembar = tmp_path / "lembar.pdf"
    desk("surat", "masuk", "lembar-disposisi", "0001/2026", str(lembar))
    teks = " ".join(PdfReader(lembar).pages[0].extract_text().split())
    for field in ("LEMBAR DISPOSISI", "Pemprov Kalimantan Barat", "005/123/Kesra",
                  "20 November 2026", "0001/2026", "Undangan rapat koordinasi MTQ",
                  "Diteruskan kepada", "Kepala Subbagian Umum", "Proses lebih lanjut",
                  "Mohon disiapkan aula dan konsumsi", "Pak Kakanwil",
                  "Aula lantai 2 dan konsumsi 40 orang sudah disiapkan"):
        assert field in teks, field
    await office.assert_clean()


async def test_only_the_holder_disposes_and_a_finished_letter_is_closed(office, desk,
                                                                        tmp_path):
    kakanwil = await office.hire(KAKANWIL, "Pak Kakanwil", "pejabat", "kakanwil")
    kasi = await office.hire(KASI, "Pak Kasi", "pejabat", "kasi_umrah")
    cs_id, _ = office.add_petugas("Ani Loket", "cs", tugas=("surat",))
    catat(desk, str(cs_id), tmp_path)
    await office.settle()
    message, data = kakanwil.find("Disposisi")
    p = await kasi.press_data(data, message)  # a prompt not meant for the Kasi
    assert p.alert
    await kakanwil.press("Selesai ditindaklanjuti")
    await kakanwil.reply("Sudah dihadiri langsung oleh Kakanwil")
    await kakanwil.press("Kirim")
    late = await kakanwil.press_data(data, message)
    assert late.alert and "Sudah ditangani" in late.answer
    await office.assert_clean()


async def test_a_letter_named_for_a_jabatan_goes_there_first(office, desk, tmp_path):
    kasubag = await office.hire(KASUBAG, "Bu Kasubag", "pejabat", "kasubag_umum")
    cs_id, _ = office.add_petugas("Ani Loket", "cs", tugas=("surat",))
    catat(desk, str(cs_id), tmp_path, "--kepada", "kasubag_umum")
    await office.settle()
    prompt, _ = kasubag.find("Selesai ditindaklanjuti")
    assert "Agenda 0001/2026" in prompt["text"]
    bad = desk("surat", "masuk", "catat", "--dari", "X", "--nomor", "1", "--tanggal",
               "2026-11-20", "--perihal", "P", "--kepada", "bupati", "--oleh", str(cs_id),
               code=1)
    assert "bupati" in bad and len(bad.strip().splitlines()) == 1


async def test_a_surat_permohonan_sent_on_whatsapp_enters_the_agenda_book(office, desk,
                                                                         tmp_path):
    await office.hire(CS, "Ani Lestari", "cs", tugas=("layanan",))
    await ajukan_audiensi(office.citizen("+6281234567890"))
    with office.container.uow() as uow:
        [surat] = uow.surat.list_masuk(2026)
    assert (surat.agenda, surat.nomor, surat.status) == (1, "PTSP-261124-0001", "permohonan")
    assert surat.dari == "Budi Santoso" and surat.scan is not None
    assert surat.tanggal.isoformat() == "2026-11-24" and "Audiensi" in surat.perihal
    lembar = tmp_path / "lembar.pdf"
    desk("surat", "masuk", "lembar-disposisi", "1", str(lembar))
    assert "PTSP-261124-0001" in PdfReader(lembar).pages[0].extract_text()
    # a letter counter staff register next takes the next agenda number
    cs_id, _ = office.add_petugas("Ani Loket", "cs", tugas=("surat",))
    assert catat(desk, str(cs_id), tmp_path)["agenda"] == "0002/2026"
    await office.assert_clean()

