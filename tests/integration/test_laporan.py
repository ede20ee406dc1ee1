"""`ptsp-admin laporan …` and `skm report` as the koordinator runs them, on SQLite and
PostgreSQL: one office's November, built through the same domain commands as Telegram
and WhatsApp, then reported through Typer's runner."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from admin_cli.main import app as admin
from domain import commands as c
from tests.conftest import make_container

runner = CliRunner()
HP = "+6281234567890"


@pytest.fixture
def office(db_url, tmp_path, clock, monkeypatch):
    """Tuesday 24 November 2026, 09:00 WIB: three legalisir and one audiensi. The CS finds
    two complete; the BO finishes one at 10:00 (within its 2 working hours) and one at
    14:00 (late); the third legalisir waits. Five complaints on one topic, one closed.
    One survey on WhatsApp after the result, one on paper."""
    monkeypatch.setenv("PTSP_DATABASE_URL", db_url)
    monkeypatch.setenv("PTSP_DATA_DIR", str(tmp_path / "data"))
    k = make_container(db_url, tmp_path / "data", clock)
    with k.uow() as uow:
        pid = k.bus.handle(c.DaftarPemohon(kanal="whatsapp", kanal_id=HP, nama="Siti Aminah",
                                           hp=HP, nik="3171011708850003", persetujuan=True),
                           uow).id
        ani = k.bus.handle(c.TambahPetugas(nama="Ani Lestari", role="cs",
                                           tugas=("layanan", "aduan_skm")), uow)
        bo = k.bus.handle(c.TambahPetugas(nama="Pak Budi", role="bo"), uow)
        koor = k.bus.handle(c.TambahPetugas(nama="Bu Koor", role="koordinator"), uow)
    nomor = []
    for layanan in ("legalisir", "legalisir", "legalisir", "audiensi"):
        with k.uow() as uow:
            nomor.append(k.bus.handle(c.AjukanPermohonan(
                pemohon_id=pid, layanan=layanan, atas_nama="Siti Aminah",
                data={"tujuan": "silaturahmi"}), uow))
    for n in nomor[:2]:
        with k.uow() as uow:
            p = uow.permohonan.get(n)
            k.bus.handle(c.PeriksaKelengkapan(n, uow.petugas.get(ani.id).aktor(),
                                              {x: True for x in p.checklist}), uow)
    for n, jam in ((nomor[0], 1), (nomor[1], 4)):
        clock.advance(hours=jam)
        with k.uow() as uow:
            k.bus.handle(c.UbahStatus(n, uow.petugas.get(bo.id).aktor(), "selesai",
                                      "hasil siap"), uow)
    aduan = []
    for i in range(5):
        with k.uow() as uow:
            aduan.append(k.bus.handle(c.AjukanPengaduan(
                kategori="pengaduan", teks=f"antrean lama sekali ({i})", pelapor_id=pid), uow))
    for n in aduan:
        with k.uow() as uow:
            k.bus.handle(c.KlasifikasiPengaduan(n, uow.petugas.get(koor.id).aktor(), "ringan",
                                                "pelayanan_lambat"), uow)
    with k.uow() as uow:
        k.bus.handle(c.TanggapiPengaduan(aduan[0], uow.petugas.get(koor.id).aktor(),
                                         "Loket kedua dibuka.", selesai=True), uow)
    with k.uow() as uow:  # answered on WhatsApp: no nomor typed, the latest result counts
        k.bus.handle(c.CatatSurvei(nilai=(4, 4, 4, 4, 4, 4, 4, 4, 4), kanal="whatsapp",
                                   kanal_id=HP), uow)
    csv = tmp_path / "skm.csv"
    csv.write_text("u1,u2,u3,u4,u5,u6,u7,u8,u9,tanggal,layanan\n"
                   "3,3,3,3,3,3,3,2,2,2026-11-25,legalisir\n")
    assert runner.invoke(admin, ["skm", "import", str(csv)]).exit_code == 0
    yield {"k": k, "nomor": nomor, "aduan": aduan, "koor": koor.id, "ani": ani.id,
           "tmp": tmp_path}
    k.db.dispose()


def ok(args):
    result = runner.invoke(admin, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_months_recap_counts_per_layanan_with_the_sla_and_the_ikm(office):
    data = ok(["laporan", "bulanan", "--bulan", "2026-11"])
    assert data["periode"] == "November 2026"
    assert data["permohonan"] == 4 and data["selesai"] == 2 and data["dalam_proses"] == 2
    assert data["tepat_waktu_persen"] == 50.0
    assert data["pengaduan"] == 5 and data["pengaduan_ditutup"] == 1
    assert data["skm_responden"] == 2 and data["mutu"] in ("A", "B")
    legalisir = next(r for r in data["per_layanan"] if r["kode"] == "legalisir")
    assert (legalisir["masuk"], legalisir["selesai"], legalisir["proses"]) == (3, 2, 1)
    assert legalisir["layanan"] == "Legalisir Dokumen" or "Legalisir" in legalisir["layanan"]
    other = ok(["laporan", "bulanan", "--bulan", "2026-10"])
    assert other["permohonan"] == 0 and other["per_layanan"] == [] and other["ikm"] is None
    bad = runner.invoke(admin, ["laporan", "bulanan", "--bulan", "November"])
    assert bad.exit_code == 2 and "YYYY-MM" in bad.output and "Traceback" not in bad.output


def test_sla_report_splits_on_time_late_and_overdue_by_layanan_jabatan_and_petugas(office):
    data = ok(["laporan", "sla", "--bulan", "2026-11"])
    row = next(r for r in data["per_layanan"] if r["kode"] == "legalisir")
    # legalisir's clock starts once the file is complete: the unchecked one has none yet
    assert (row["tepat"], row["terlambat"], row["lewat"], row["tanpa"]) == (1, 1, 0, 1)
    assert row["tepat_persen"] == 50.0
    # the audiensi's 65 working minutes, counted from its submission, are long gone
    assert data["jumlah"]["lewat"] == 1
    petugas = {r["nama"]: r for r in data["per_petugas"]}
    assert petugas["Pak Budi (bo)"]["selesai"] == 2 and petugas["Pak Budi (bo)"]["terlambat"] == 1
    same = ok(["laporan", "sla", "--from", "2026-11-24", "--to", "2026-11-24"])
    assert same["jumlah"] == data["jumlah"]


def test_kinerja_gives_each_petugas_the_median_working_time_and_on_time_rate(office):
    data = ok(["laporan", "kinerja", "--tahun", "2026", "--semester", "2"])
    by = {r["petugas"]: r for r in data["per_petugas"]}
    assert by["Ani Lestari (cs)"]["ditangani"] == 2
    bo = by["Pak Budi (bo)"]
    # reached the BO at 09:00; finished at 10:00 and at 14:00: 60 and 300 working minutes
    assert bo["ditangani"] == 2 and bo["selesai"] == 2 and bo["median_jam"] == 3.0
    assert bo["tepat_persen"] == 50.0
    assert "Pemohon" not in by and "Sistem" not in by


def test_complaint_recap_flags_the_topic_until_its_root_cause_action_is_recorded(office):
    data = ok(["laporan", "pengaduan", "--bulan", "2026-11"])
    assert data["jumlah"] == 5 and data["ditutup"] == 1
    assert {r["kode"]: r["jumlah"] for r in data["per_topik"]} == {"pelayanan_lambat": 5}
    assert data["per_kanal"][0]["kode"] == "whatsapp"
    assert data["ambang_topik"] == [{"topik": "Pelayanan lambat", "jumlah": 5,
                                     "tindakan": None, "diberitahu": None, "oleh": None,
                                     "waktu": None}]
    table = runner.invoke(admin, ["laporan", "pengaduan", "--bulan", "2026-11"],
                          env={"COLUMNS": "200"})
    assert "belum dicatat" in " ".join(table.output.split())
    args = ["pengaduan", "akar-masalah", "--bulan", "2026-11", "--topik", "pelayanan_lambat",
            "--tindakan", "Loket kedua dibuka pada jam sibuk",
            "--diberitahu", "Kabag TU (penanggung jawab), Kakanwil (pengarah)"]
    refused = runner.invoke(admin, [*args, "--oleh", str(office["ani"])])
    assert refused.exit_code == 1 and "Traceback" not in refused.output
    done = ok([*args, "--oleh", str(office["koor"])])
    assert done["oleh"] == "Bu Koor (koordinator)"
    data = ok(["laporan", "pengaduan", "--bulan", "2026-11"])
    assert data["ambang_topik"][0]["tindakan"] == "Loket kedua dibuka pada jam sibuk"
    assert "pengarah" in data["ambang_topik"][0]["diberitahu"]


def test_skm_counts_whatsapp_and_paper_per_layanan_with_the_minimum_sample(office):
    data = ok(["laporan", "skm", "--from", "2026-11-01", "--to", "2026-11-30"])
    assert data["responden"] == 2
    row = next(r for r in data["per_layanan"] if r["kode"] == "legalisir")
    assert (row["responden"], row["whatsapp"], row["kertas"]) == (2, 1, 1)
    assert row["populasi"] == 3 and row["sampel_minimum"] == 3
    assert data["sampel_cukup"] is False and data["populasi"] == 4
    u8 = data["unsur"][7]
    # U8 answered 4 and 2: NRR 3.0, ×25 = 75.00 — below B's 76.61
    assert u8["nrr"] == 3.0 and u8["nilai"] == 75.0 and u8["mutu"] == "C"
    assert u8["perlu_perbaikan"] is True and data["unsur"][0]["perlu_perbaikan"] is False
    # the CONTRACT's shape is kept for `skm report --json`, per layanan too
    kontrak = ok(["skm", "report", "--layanan", "legalisir"])
    assert set(kontrak) == {"responden", "nrr", "ikm", "mutu", "kinerja"}
    assert kontrak["responden"] == 2 and len(kontrak["nrr"]) == 9


def test_every_report_writes_xlsx_pdf_and_chart(office):
    from openpyxl import load_workbook
    from PIL import Image
    from pypdf import PdfReader

    tmp = office["tmp"]
    for jenis, extra in (("bulanan", ["--bulan", "2026-11"]), ("sla", ["--bulan", "2026-11"]),
                         ("semester", ["--tahun", "2026", "--semester", "2"]),
                         ("skm", ["--from", "2026-11-01", "--to", "2026-11-30"])):
        xlsx, pdf, png = tmp / f"{jenis}.xlsx", tmp / f"{jenis}.pdf", tmp / f"{jenis}.png"
        result = runner.invoke(admin, ["laporan", jenis, *extra, "--xlsx", str(xlsx),
                                       "--pdf", str(pdf), "--chart", str(png)])
        assert result.exit_code == 0, result.output
        ws = load_workbook(xlsx).active
        values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
        assert any(isinstance(v, str) and "Kantor Wilayah" in v for v in values)
        text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
        assert "Kantor Wilayah" in text and "Koordinator" in text and "Bu Koor" in text
        assert Image.open(png).format == "PNG"
    wb = load_workbook(tmp / "bulanan.xlsx")
    cells = [c for row in wb.active.iter_rows() for c in row]
    legalisir = next(c for c in cells if isinstance(c.value, str) and "Legalisir" in c.value)
    masuk = wb.active.cell(row=legalisir.row, column=legalisir.column + 1)
    assert masuk.value == 3 and masuk.data_type == "n"


def test_a_survey_before_dawn_is_dated_in_the_offices_day(container, clock):
    from datetime import UTC, date, datetime

    # the server's clock is in UTC: 23:30 UTC is 06:30 WIB the next day
    clock.current = datetime(2026, 11, 24, 23, 30, tzinfo=UTC)
    with container.uow() as uow:
        container.bus.handle(c.CatatSurvei(nilai=(3,) * 9, kanal="whatsapp",
                                           kanal_id="+6281200000009"), uow)
    with container.uow() as uow:
        (row,) = uow.skm.list()
    assert row.tanggal == date(2026, 11, 25) and row.layanan is None


def test_a_province_pools_every_response_and_ranks_its_offices(db_url, tmp_path, clock,
                                                                monkeypatch):
    """Ten all-4 answers in the Kanwil, two all-3 in the Kota office: the province's IKM
    is 95.83 from the twelve responses, not 87.5, the average of the two offices' IKM."""
    from openpyxl import load_workbook

    from tests.province import FIRST, kota, use_config

    kantor = [FIRST, kota()]
    k = make_container(db_url, tmp_path / "data", clock, kantor=kantor)
    use_config(tmp_path, monkeypatch, db_url, kantor)
    for kode, nilai, n in (("kanwil_contoh", 4, 10), ("kankemenag_kota", 3, 2)):
        with k.uow(k.kantor_id_of(kode)) as uow:
            for _ in range(n):
                k.bus.handle(c.CatatSurvei(nilai=(nilai,) * 9, sumber="kertas"), uow)
    k.db.dispose()
    data = ok(["laporan", "skm", "--provinsi"])
    assert data["responden"] == 12 and data["ikm"] == 95.83 and data["mutu"] == "A"
    assert [(r["peringkat"], r["ikm"]) for r in data["peringkat"]] == [(1, 100.0), (2, 75.0)]
    assert [x["kantor"] for x in data["per_kantor"]] == [
        "Kantor Wilayah Kementerian Agama Provinsi Contoh", "Kantor Kemenag Kota Contoh"]
    assert ok(["skm", "report", "--provinsi"])["ikm"] == 95.83
    assert ok(["skm", "report", "--kantor", "kankemenag_kota"])["ikm"] == 75.0
    both = runner.invoke(admin, ["laporan", "skm", "--provinsi", "--kantor", "kanwil_contoh"])
    assert both.exit_code == 2
    xlsx = tmp_path / "provinsi.xlsx"
    assert runner.invoke(admin, ["laporan", "bulanan", "--bulan", "2026-11", "--provinsi",
                                 "--xlsx", str(xlsx)]).exit_code == 0
    wb = load_workbook(xlsx)
    assert len(wb.sheetnames) == 3  # the side-by-side table, then one sheet per office
    assert any("Kota" in name for name in wb.sheetnames)


def test_the_daily_recap_as_a_report_and_on_an_empty_day(office):
    data = ok(["laporan", "harian", "--tanggal", "2026-11-24"])
    assert data["jumlah"] == 4
    assert {(r["layanan"], r["status"], r["jumlah"]) for r in data["per_layanan"]} == {
        ("legalisir", "selesai", 2), ("legalisir", "menunggu", 1), ("audiensi", "menunggu", 1)}
    assert data["lewat_tenggat"] == [office["nomor"][3]]  # the audiensi's 65 minutes
    empty = ok(["laporan", "harian", "--tanggal", "2026-11-23"])
    assert empty["jumlah"] == 0 and empty["per_layanan"] == []
    table = runner.invoke(admin, ["laporan", "harian", "--tanggal", "2026-11-24"],
                          env={"COLUMNS": "160"})
    assert table.exit_code == 0 and "Legalisir" in table.output and "Lewat tenggat" in table.output
