"""`ptsp-admin` and `ptsp db upgrade` as staff run them."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from admin_cli.main import app as admin
from bot.cli import app as ptsp

runner = CliRunner()


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("PTSP_DATABASE_URL", f"sqlite:///{tmp_path / 'ptsp.db'}")
    monkeypatch.setenv("PTSP_DATA_DIR", str(tmp_path / "var"))
    result = runner.invoke(ptsp, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    return tmp_path


def test_layanan_list_shows_the_catalog_with_contoh_marks(env):
    result = runner.invoke(admin, ["layanan", "list"], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "audiensi" in result.output and "legalisir" in result.output
    assert "contoh — sesuaikan dengan SK/SOP kantor" in result.output
    data = json.loads(runner.invoke(admin, ["layanan", "list", "--json"]).output)
    by = {d["kode"]: d for d in data}
    assert by["audiensi"]["status"] == "resmi" and by["legalisir"]["status"] == "contoh"


def test_layanan_show_audiensi_is_its_standar_pelayanan_in_indonesian(env):
    result = runner.invoke(admin, ["layanan", "show", "audiensi"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for part in ("Persyaratan", "Jangka Waktu Penyelesaian", "65", "Biaya/Tarif",
                 "Evaluasi Kinerja Pelaksana"):
        assert part in result.output
    bad = runner.invoke(admin, ["layanan", "show", "tidak_ada"])
    assert bad.exit_code == 1 and "tidak ada" in bad.output


def test_petugas_add_prints_a_link_code_and_refuses_a_wrong_role(env):
    result = runner.invoke(admin, ["petugas", "add", "--nama", "Ani", "--role", "cs",
                                   "--tugas", "layanan", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["role"] == "cs" and len(data["kode_tautan"]) == 8
    bad = runner.invoke(admin, ["petugas", "add", "--nama", "X", "--role", "raja"])
    assert bad.exit_code == 1 and "role" in bad.output and "Traceback" not in bad.output
    bad = runner.invoke(admin, ["petugas", "add", "--nama", "X", "--role", "pejabat",
                                "--jabatan", "presiden"])
    assert bad.exit_code == 1 and "jabatan" in bad.output


def test_skm_import_and_report(env):
    csv = env / "skm.csv"
    csv.write_text("\ufeffu1;u2;u3;u4;u5;u6;u7;u8;u9;tanggal\n"
                   "4;4;4;4;4;4;4;4;4;2026-11-02\n3;3;3;3;3;3;3;3;3;2026-11-03\n",
                   encoding="utf-8")
    result = runner.invoke(admin, ["skm", "import", str(csv)])
    assert result.exit_code == 0, result.output
    report = json.loads(runner.invoke(admin, ["skm", "report", "--json"]).output)
    assert report["responden"] == 2 and report["ikm"] == 87.5 and report["mutu"] == "B"
    empty = json.loads(runner.invoke(admin, ["skm", "report", "--from", "2027-01-01",
                                             "--json"]).output)
    assert empty == {"responden": 0, "nrr": None, "ikm": None, "mutu": None, "kinerja": None}


def test_a_bad_skm_row_imports_nothing_and_names_the_line(env):
    csv = env / "bad.csv"
    csv.write_text("u1,u2,u3,u4,u5,u6,u7,u8,u9\n4,4,4,4,4,4,4,4,4\n4,4,4,5,4,4,4,4,4\n")
    result = runner.invoke(admin, ["skm", "import", str(csv)])
    assert result.exit_code == 1 and "baris 3" in result.output
    report = json.loads(runner.invoke(admin, ["skm", "report", "--json"]).output)
    assert report["responden"] == 0


def test_permohonan_and_pengaduan_lists_are_json_arrays(env):
    assert json.loads(runner.invoke(admin, ["permohonan", "list", "--json"]).output) == []
    assert json.loads(runner.invoke(admin, ["pengaduan", "list", "--json"]).output) == []
    missing = runner.invoke(admin, ["permohonan", "show", "ptsp 261124 1", "--json"])
    assert missing.exit_code == 1 and "tidak ditemukan" in missing.output


def test_a_wrong_status_or_layanan_filter_is_an_error_not_an_empty_list(env):
    bad = runner.invoke(admin, ["permohonan", "list", "--status", "bogus", "--json"])
    assert bad.exit_code == 1 and "status tidak dikenal" in bad.output
    bad = runner.invoke(admin, ["permohonan", "list", "--layanan", "tidak_ada", "--json"])
    assert bad.exit_code == 1 and "tidak dikenal" in bad.output
    ok = runner.invoke(admin, ["permohonan", "list", "--layanan", "legalisir", "--json"])
    assert ok.exit_code == 0 and json.loads(ok.output) == []


def test_petugas_link_code_wakil_and_deactivate(env):
    data = json.loads(runner.invoke(admin, ["petugas", "add", "--nama", "Pak Kasi", "--role",
                                            "pejabat", "--jabatan", "kasi_umrah",
                                            "--json"]).output)
    pid = str(data["id"])
    again = json.loads(runner.invoke(admin, ["petugas", "link-code", pid, "--json"]).output)
    assert again["kode_tautan"] != data["kode_tautan"]
    ok = runner.invoke(admin, ["petugas", "wakil", "--jabatan", "kakanwil", "--petugas", pid,
                               "--sampai", "2026-12-31"])
    assert ok.exit_code == 0 and "Plt/Plh" in ok.output
    bad = runner.invoke(admin, ["petugas", "wakil", "--jabatan", "raja", "--petugas", pid,
                                "--sampai", "2026-12-31"])
    assert bad.exit_code == 1
    assert runner.invoke(admin, ["petugas", "deactivate", pid]).exit_code == 0
    listed = json.loads(runner.invoke(admin, ["petugas", "list", "--json"]).stdout)
    assert [p["aktif"] for p in listed] == [False]
    gone = runner.invoke(admin, ["petugas", "link-code", "999"])
    assert gone.exit_code == 1 and "tidak ditemukan" in gone.output


def test_the_admin_cli_works_on_a_database_never_migrated(tmp_path, monkeypatch):
    monkeypatch.setenv("PTSP_DATABASE_URL", f"sqlite:///{tmp_path / 'fresh.db'}")
    monkeypatch.setenv("PTSP_DATA_DIR", str(tmp_path / "var"))
    result = runner.invoke(admin, ["permohonan", "list", "--json"])
    assert result.exit_code == 0 and json.loads(result.output) == []


def test_migrating_postgres_twice_at_once_is_safe(pg_url):
    from concurrent.futures import ThreadPoolExecutor

    from storage.migrate import ensure_schema

    with ThreadPoolExecutor(3) as pool:
        list(pool.map(lambda _: ensure_schema(pg_url), range(3)))


# -- the koordinator's reports ------------------------------------------------------------

@pytest.fixture
def office(env, clock):
    """The same database as the CLI, with a legalisir and an audiensi submitted on
    Tuesday 24 Nov 2026 09:00 WIB and two queue numbers taken at loket A."""
    from domain import commands as c
    from domain.antrian import AmbilAntrian
    from tests.conftest import make_container

    k = make_container(f"sqlite:///{env / 'ptsp.db'}", env / "var", clock)
    with k.uow() as uow:
        p = k.bus.handle(c.DaftarPemohon(kanal="whatsapp", kanal_id="+6281234567890",
                                         nama="=HYPERLINK(\"x\")", hp="+6281234567890",
                                         nik="3171011708850003", persetujuan=True), uow)
    for layanan in ("legalisir", "audiensi"):
        with k.uow() as uow:
            k.bus.handle(c.AjukanPermohonan(pemohon_id=p.id, layanan=layanan,
                                            atas_nama="Budi", data={"tujuan": "silaturahmi"}),
                         uow)
    for phone in ("+6281200000001", "+6281200000002"):
        with k.uow() as uow:
            k.bus.handle(AmbilAntrian(kanal="whatsapp", kanal_id=phone, loket="A"), uow)
    yield k
    k.db.dispose()


def test_rekap_counts_the_days_permohonan_and_what_is_overdue(office):
    out = runner.invoke(admin, ["rekap", "--tanggal", "2026-11-24", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["jumlah"] == 2
    assert {(r["layanan"], r["status"], r["jumlah"]) for r in data["per_layanan"]} == {
        ("legalisir", "menunggu", 1), ("audiensi", "menunggu", 1)}
    # audiensi's 65 working minutes from 09:00 WIB that Tuesday are long gone
    assert data["lewat_tenggat"] == ["PTSP-261124-0002"]
    empty = json.loads(runner.invoke(admin, ["rekap", "--tanggal", "2026-11-23",
                                             "--json"]).output)
    assert empty["jumlah"] == 0 and empty["per_layanan"] == []
    bad = runner.invoke(admin, ["rekap", "--tanggal", "24-11-2026"])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output


def test_antrian_list_shows_the_days_numbers(office):
    out = runner.invoke(admin, ["antrian", "list", "--tanggal", "2026-11-24", "--json"])
    assert out.exit_code == 0, out.output
    assert [(a["nomor"], a["status"]) for a in json.loads(out.output)] == [
        ("A-001", "menunggu"), ("A-002", "menunggu")]
    bad = runner.invoke(admin, ["antrian", "list", "--loket", "Z"])
    assert bad.exit_code == 1 and "loket 'Z' tidak ada" in bad.output


def test_exports_are_csv_for_a_spreadsheet_without_formulas(office, tmp_path):
    import csv

    target = tmp_path / "permohonan.csv"
    out = runner.invoke(admin, ["permohonan", "export", str(target), "--from", "2026-11-24",
                                "--to", "2026-11-24"])
    assert out.exit_code == 0 and "2 permohonan" in out.output, out.output
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM: Excel reads UTF-8
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert [r["nomor"] for r in rows] == ["PTSP-261124-0002", "PTSP-261124-0001"]
    assert rows[0]["pemohon"] == "'=HYPERLINK(\"x\")"  # text, not a formula
    assert rows[0]["hp"] == "+6281234567890"  # a phone number, no visible apostrophe
    assert rows[0]["layanan"] == "Audiensi" or rows[0]["kode_layanan"] == "audiensi"
    assert rows[0]["kode_layanan"] == "audiensi" and rows[0]["status"] != "menunggu"
    assert rows[0]["diajukan"] == "2026-11-24 09:00"  # local minutes, no microseconds
    none = runner.invoke(admin, ["permohonan", "export", str(target), "--from", "2026-11-25"])
    assert "0 permohonan" in none.output and target.read_text(encoding="utf-8-sig").count(
        "\n") == 1
    aduan = tmp_path / "pengaduan.csv"
    assert runner.invoke(admin, ["pengaduan", "export", str(aduan)]).exit_code == 0
    assert aduan.read_text(encoding="utf-8-sig").splitlines() == [
        "nomor,kategori,tier,topik,status,diterima,tenggat,kanal"]


def test_petugas_list_warns_about_jabatan_nobody_holds(env):
    runner.invoke(admin, ["petugas", "add", "--nama", "Pak Kakanwil", "--role", "pejabat",
                          "--jabatan", "kakanwil"])
    result = runner.invoke(admin, ["petugas", "list", "--json"])
    assert result.exit_code == 0 and len(json.loads(result.stdout)) == 1
    assert "jabatan tanpa petugas aktif" in result.stderr
    assert "Kepala Bagian Tata Usaha" in result.stderr
    assert "Kepala Kantor Wilayah" not in result.stderr


def test_ptsp_init_writes_an_editable_profile_that_is_then_read(tmp_path, monkeypatch):
    folder = tmp_path / "kantor"
    result = runner.invoke(ptsp, ["init", str(folder)])
    assert result.exit_code == 0, result.output
    assert "Profil kantor ditulis" in result.output
    config = folder / "config.yml"
    config.write_text(config.read_text().replace(
        "Kantor Wilayah Kementerian Agama Provinsi Contoh",
        "Kantor Wilayah Kementerian Agama Provinsi Maluku Utara"))
    monkeypatch.setenv("PTSP_CONFIG", str(config))
    from bot.settings import load_settings

    s = load_settings()
    assert s.kantor[0].nama == "Kantor Wilayah Kementerian Agama Provinsi Maluku Utara"
    assert s.catalog_dir == folder / "catalog" and (s.catalog_dir / "audiensi.yml").exists()
    again = runner.invoke(ptsp, ["init", str(folder)])  # nothing is overwritten unasked
    assert again.exit_code == 1 and "--timpa" in again.output
    assert "Maluku Utara" in config.read_text()


@pytest.mark.parametrize(("url", "expected"), [
    ("postgresql+psycopg://postgres:geheim@127.0.0.1:9/x", "tidak dapat dihubungi"),
    ("mysql://kantor/ptsp", "tidak didukung"),
    ("bukan url", "bukan URL basis data yang sah"),
])
@pytest.mark.parametrize("command", [["serve"], ["db", "upgrade"]])
def test_a_database_that_cannot_be_used_is_one_line_naming_it(url, expected, command,
                                                              tmp_path, monkeypatch):
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {**os.environ, "PTSP_DATABASE_URL": url, "PTSP_DATA_DIR": str(tmp_path / "var")}
    done = subprocess.run([str(Path(sys.executable).with_name("ptsp")), *command], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    lines = (done.stdout + done.stderr).strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Galat: ") and expected in lines[0], lines
    assert "geheim" not in lines[0]
