"""The counter through `ptsp-admin`, as staff use it: walk-ins, pick-up, the complaint book.

Each command acts as the petugas named by `--oleh` (or PTSP_PETUGAS), is checked against
the same table as Telegram, is recorded in the timeline and notifies as Telegram does.
"""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session, select
from typer.testing import CliRunner

from admin_cli.main import app as admin
from bot.cli import app as ptsp
from storage.tables import OutboxRow
from tests.e2e.whatsapp_harness import jpeg, pdf

runner = CliRunner()


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("PTSP_DATABASE_URL", f"sqlite:///{tmp_path / 'ptsp.db'}")
    monkeypatch.setenv("PTSP_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("PTSP_SANDBOX", "on")
    assert runner.invoke(ptsp, ["db", "upgrade"]).exit_code == 0
    return tmp_path


def petugas(nama, role, *extra) -> int:
    out = runner.invoke(admin, ["petugas", "add", "--nama", nama, "--role", role, *extra,
                                "--json"])
    assert out.exit_code == 0, out.output
    return json.loads(out.stdout)["id"]


def ok(args, **kw):
    result = runner.invoke(admin, [*args, "--json"], **kw)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def outbox(tmp_path, channel: str) -> list[OutboxRow]:
    from sqlalchemy import create_engine

    with Session(create_engine(f"sqlite:///{tmp_path / 'ptsp.db'}")) as s:
        return list(s.exec(select(OutboxRow).where(OutboxRow.channel == channel)))


def test_a_walk_in_applies_at_the_counter_and_gets_a_printed_receipt(env):
    ani = petugas("Ani Lestari", "cs", "--tugas", "layanan")
    surat = env / "surat.pdf"
    surat.write_bytes(pdf("Surat permohonan legalisir"))
    cetak = env / "bukti.pdf"
    data = ok(["permohonan", "ajukan", "--layanan", "legalisir", "--nama", "Siti Aminah",
               "--hp", "0812-3456-7890", "--berkas", str(surat), "--cetak", str(cetak),
               "--oleh", str(ani)])
    assert data["status"] == "menunggu" and data["nomor"].startswith("PTSP-")
    assert data["pemohon"] == {"nama": "Siti Aminah", "hp": "+6281234567890"}
    assert data["lampiran"] == 1 and data["berkas"][0]["mime"] == "application/pdf"
    assert data["timeline"][0]["oleh"] == "Ani Lestari (cs) di loket"
    from pypdf import PdfReader

    printed = PdfReader(cetak).pages[0].extract_text()
    assert "BUKTI PENGAJUAN" in printed and data["nomor"] in printed and "Siti Aminah" in printed
    # with a HP the pemohon hears on WhatsApp from now on (the bukti pengajuan first)
    wa = [r for r in outbox(env, "whatsapp") if r.recipient == "+6281234567890"]
    assert wa and "Bukti Pengajuan" in wa[0].message["text"]
    # the same numbering and sequence as WhatsApp: the next one follows without a gap
    nomor2 = ok(["permohonan", "ajukan", "--layanan", "legalisir", "--nama", "Budi",
                 "--oleh", str(ani)])["nomor"]
    assert int(nomor2[-4:]) == int(data["nomor"][-4:]) + 1
    # a walk-in without a phone is not messaged at all
    assert not [r for r in outbox(env, "loket")]


def test_refusals_at_the_counter(env):
    ani = petugas("Ani Lestari", "cs", "--tugas", "layanan")
    kasi = petugas("Pak Kasi", "pejabat", "--jabatan", "kasi_umrah")
    base = ["permohonan", "ajukan", "--layanan", "legalisir", "--nama", "Siti"]
    missing = runner.invoke(admin, base)
    assert missing.exit_code == 2 and "--oleh" in missing.output
    refused = runner.invoke(admin, [*base, "--oleh", str(kasi)])
    assert refused.exit_code == 1 and "tidak berwenang" in refused.stderr
    for extra, why in [(["--nik", "317101170885000"], "NIK"),
                       (["--hp", "12345"], "HP"),
                       (["--oleh", "999"], "tidak ditemukan")]:
        args = [*base, *extra] + ([] if "--oleh" in extra else ["--oleh", str(ani)])
        result = runner.invoke(admin, args)
        assert result.exit_code == 1 and why in result.stderr, (extra, result.output)
        assert "Traceback" not in result.output
    foto = env / "ktp.txt"
    foto.write_text("bukan gambar")
    result = runner.invoke(admin, [*base, "--berkas", str(foto), "--oleh", str(ani)])
    assert result.exit_code == 1 and "bukan PDF" in result.stderr
    # PTSP_PETUGAS instead of --oleh
    assert ok(base, env={"PTSP_PETUGAS": str(ani)})["status"] == "menunggu"


def test_the_pick_up_desk_hands_over_and_asks_for_the_survey(env, monkeypatch):
    ani = petugas("Ani Lestari", "cs", "--tugas", "layanan")
    bo = petugas("Pak BO", "bo")
    foto = env / "ijazah.jpg"
    foto.write_bytes(jpeg())
    nomor = ok(["permohonan", "ajukan", "--layanan", "legalisir", "--nama", "Siti Aminah",
                "--hp", "081234567890", "--berkas", str(foto), "--oleh", str(ani)])["nomor"]
    # the office processes it (Telegram's path, driven through the same domain commands)
    from bot.bootstrap import bootstrap
    from bot.settings import load_settings
    from domain import commands as c

    k = bootstrap(load_settings())
    with k.uow() as uow:
        p = uow.permohonan.get(nomor)
        cs = uow.petugas.get(ani).aktor()
        k.bus.handle(c.PeriksaKelengkapan(nomor, cs, {x: True for x in p.checklist}), uow)
    with k.uow() as uow:
        k.bus.handle(c.UbahStatus(nomor, uow.petugas.get(bo).aktor(), "selesai",
                                  "hasil siap di loket C"), uow)
    k.db.dispose()
    kasi = petugas("Pak Kasi", "pejabat", "--jabatan", "kasi_umrah")
    refused = runner.invoke(admin, ["permohonan", "serahkan", nomor, "--diambil-oleh", "Budi",
                                    "--oleh", str(kasi)])
    assert refused.exit_code == 1
    data = ok(["permohonan", "serahkan", nomor.lower().replace("-", " "), "--diambil-oleh",
               "Budi Santoso", "--hubungan", "suami", "--oleh", str(ani)])
    assert data["status"] == "diserahkan"
    assert data["data"]["pengambilan"]["diambil_oleh"] == "Budi Santoso"
    assert "diambil oleh Budi Santoso (suami)" in data["timeline"][-1]["catatan"]
    assert data["timeline"][-1]["oleh"] == "Ani Lestari (cs)"
    texts = [r.message["text"] for r in outbox(env, "whatsapp")]
    assert "Survei Kepuasan" in texts[-1]


def test_the_complaint_log_book(env):
    ani = petugas("Ani Lestari", "cs", "--tugas", "aduan_skm")
    wati = petugas("Wati", "koordinator")
    kasi = petugas("Pak Kasi", "pejabat", "--jabatan", "kasi_umrah")
    data = ok(["pengaduan", "catat", "--kanal", "telepon", "--isi",
               "Antrian legalisir lama sekali, petugas tidak ramah", "--nama", "Budi Santoso",
               "--hp", "081234567890", "--oleh", str(ani)])
    assert data["nomor"].startswith("ADU-") and data["kanal"] == "telepon"
    assert data["pelapor"] == {"nama": "Budi Santoso", "hp": "+6281234567890"}
    assert data["tier"] == "belum_ditentukan" and data["status"] == "diterima"
    assert data["tindak_lanjut"] == [] and data["ditutup"] is None
    # the reporter hears the number and deadline on WhatsApp, as for a WhatsApp complaint
    assert any(data["nomor"] in r.message["text"] for r in outbox(env, "whatsapp"))
    anon = ok(["pengaduan", "catat", "--kanal", "kotak_saran", "--isi",
               "Ada pungutan liar di loket pengambilan", "--anonim", "--oleh", str(ani)])
    assert anon["pelapor"] is None
    named_anon = ok(["pengaduan", "catat", "--kanal", "langsung", "--isi",
                     "Petugas meminta uang tambahan", "--nama", "Siti", "--hp",
                     "085700000001", "--anonim", "--oleh", str(wati)])
    shown = ok(["pengaduan", "show", named_anon["nomor"], "--oleh", str(wati)])
    assert shown["pelapor"]["nama"] == "Siti"  # the koordinator sees who it is
    assert ok(["pengaduan", "show", named_anon["nomor"], "--oleh", str(ani)])["pelapor"] is None
    assert ok(["pengaduan", "show", named_anon["nomor"]])["pelapor"] is None
    for args, code in [(["--kanal", "telepon", "--isi", "x" * 20, "--oleh", str(kasi)], 1),
                       (["--kanal", "merpati", "--isi", "x" * 20, "--oleh", str(ani)], 1),
                       (["--kanal", "telepon", "--isi", "x" * 20, "--terkait",
                         "PTSP-261124-0099", "--oleh", str(ani)], 1)]:
        result = runner.invoke(admin, ["pengaduan", "catat", *args])
        assert result.exit_code == code and "Traceback" not in result.output, result.output
    listed = json.loads(runner.invoke(admin, ["pengaduan", "list", "--json"]).stdout)
    assert len(listed) == 3


def test_queue_numbers_at_the_counter(env):
    ani = petugas("Ani Lestari", "cs", "--tugas", "layanan")
    kasi = petugas("Pak Kasi", "pejabat", "--jabatan", "kasi_umrah")
    # at the desk a number is given whenever staff give it (outside service hours too:
    # the petugas is there); WhatsApp refuses outside hours
    first = runner.invoke(admin, ["antrian", "ambil", "A", "--oleh", str(ani), "--json"])
    assert first.exit_code == 0, first.output
    a1 = json.loads(first.stdout)
    a2 = ok(["antrian", "ambil", "A", "--hp", "081234567890", "--oleh", str(ani)])
    assert (a1["nomor"], a2["nomor"]) == ("A-001", "A-002") and a2["menunggu_di_depan"] == 1
    assert runner.invoke(admin, ["antrian", "panggil", "A", "--oleh", str(kasi)]).exit_code == 1
    assert ok(["antrian", "panggil", "A", "--oleh", str(ani)])["nomor"] == "A-001"
    assert ok(["antrian", "panggil", "A", "--oleh", str(ani)])["nomor"] == "A-002"
    empty = runner.invoke(admin, ["antrian", "panggil", "A", "--oleh", str(ani)])
    assert empty.exit_code == 1 and "tidak ada antrian" in empty.stderr
    called = [r for r in outbox(env, "whatsapp") if r.recipient == "+6281234567890"]
    assert any("dipanggil" in r.message["text"] for r in called)


def test_a_logged_complaint_is_classified_forwarded_and_closed_from_the_cli(env):
    ani = petugas("Ani Lestari", "cs", "--tugas", "aduan_skm")
    kabag = petugas("Pak Kabag", "pejabat", "--jabatan", "kabag_tu")
    kasi = petugas("Pak Kasi", "pejabat", "--jabatan", "kasi_umrah")
    nomor = ok(["pengaduan", "catat", "--kanal", "surat", "--isi",
                "Toilet ruang tunggu rusak sejak sebulan", "--nama", "Budi Santoso", "--hp",
                "081234567890", "--oleh", str(ani)])["nomor"]
    refused = runner.invoke(admin, ["pengaduan", "klasifikasi", nomor, "--tier", "normatif",
                                    "--topik", "sarana", "--oleh", str(kasi)])
    assert refused.exit_code == 1 and "tidak berwenang" in refused.stderr
    data = ok(["pengaduan", "klasifikasi", nomor, "--tier", "normatif", "--topik", "sarana",
               "--oleh", str(ani)])
    assert (data["tier"], data["topik"], data["status"]) == ("normatif", "sarana", "diverifikasi")
    # the Kabag cannot close it before it is forwarded to him; then he can
    early = runner.invoke(admin, ["pengaduan", "jawab", nomor, "--teks", "sudah", "--tutup",
                                  "--oleh", str(kabag)])
    assert early.exit_code == 1
    assert ok(["pengaduan", "teruskan", nomor, "--ke", "kabag_tu", "--catatan",
               "mohon perbaikan", "--oleh", str(ani)])["status"] == "diteruskan"
    done = ok(["pengaduan", "jawab", nomor, "--teks", "Toilet sudah diperbaiki hari ini.",
               "--tutup", "--oleh", str(kabag)])
    assert done["status"] == "selesai"
    assert done["penyelesaian"] == "Toilet sudah diperbaiki hari ini."
    assert done["ditutup"] is not None
    assert [t["oleh"] for t in done["tindak_lanjut"]] == [
        "Ani Lestari (cs)", "Ani Lestari (cs)", "Pak Kabag (pejabat)"]
    # the reporter heard each step on WhatsApp
    texts = [r.message["text"] for r in outbox(env, "whatsapp")]
    assert any("diperbaiki" in t for t in texts)


def test_the_counter_prints_the_bukti_then_the_tanda_terima_of_a_walk_in(env):
    """Without a phone the walk-in gets paper: the bukti pengajuan, and once the file is
    found complete the tanda terima — the same receipt (signed QR) WhatsApp gets."""
    from pypdf import PdfReader

    ani = petugas("Ani Lestari", "cs", "--tugas", "layanan")
    bo = petugas("Pak BO", "bo")
    nomor = ok(["permohonan", "ajukan", "--layanan", "legalisir", "--nama", "Siti Aminah",
                "--oleh", str(ani)])["nomor"]
    kertas = env / "cetak.pdf"
    out = runner.invoke(admin, ["permohonan", "cetak", nomor.lower(), str(kertas)])
    assert out.exit_code == 0, out.output
    assert "Bukti pengajuan" in out.stdout
    assert "BUKTI PENGAJUAN" in PdfReader(kertas).pages[0].extract_text()

    from bot.bootstrap import bootstrap
    from bot.receipt import data_tanda_terima, render_tanda_terima
    from bot.settings import load_settings
    from domain import commands as c

    k = bootstrap(load_settings())
    with k.uow() as uow:
        p = uow.permohonan.get(nomor)
        k.bus.handle(c.PeriksaKelengkapan(nomor, uow.petugas.get(ani).aktor(),
                                          {x: True for x in p.checklist}), uow)
    out = runner.invoke(admin, ["permohonan", "cetak", nomor, str(kertas)])
    assert out.exit_code == 0, out.output
    assert "Tanda terima" in out.stdout
    [gambar] = PdfReader(kertas).pages[0].images
    with k.uow() as uow:
        p = uow.permohonan.get(nomor)
        lengkap = next(r.waktu for r in p.riwayat if r.status == p.status)
        png = render_tanda_terima(data_tanda_terima(k, uow, p, lengkap),
                                  k.settings.signing_key())
    from io import BytesIO

    from PIL import Image, ImageChops

    with Image.open(BytesIO(png)) as expected:
        assert ImageChops.difference(gambar.image.convert("RGB"),
                                     expected.convert("RGB")).getbbox() is None
    # a rejected file has no receipt; an unknown number is one line
    with k.uow() as uow:
        k.bus.handle(c.UbahStatus(nomor, uow.petugas.get(bo).aktor(), "ditolak",
                                  "bukan kewenangan kantor ini"), uow)
    k.db.dispose()
    for args, why in [([nomor], "ditolak"), (["PTSP-261124-9999"], "tidak ditemukan")]:
        out = runner.invoke(admin, ["permohonan", "cetak", *args, str(kertas)])
        assert out.exit_code == 1 and why in out.stderr, out.output
        assert len(out.stderr.strip().splitlines()) == 1
