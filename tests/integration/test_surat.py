"""Tata persuratan: surat masuk agenda, lembar disposisi PDF, surat keluar numbers."""

from __future__ import annotations

import hashlib
import json
import re
import zlib
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from admin_cli.main import app as admin
from bot.cli import app as ptsp
from domain import commands as c
from domain.errors import DataTidakValid, TidakBerwenang
from domain.surat import CatatSuratMasuk, NomorSuratKeluar
from domain.wewenang import Pelaku
from storage.files import FileStore

runner = CliRunner()
WIB = ZoneInfo("Asia/Jakarta")
# standards-id.md §5, the reference's tolerant parser
NASKAH = re.compile(r"^(?:(SR|R|T|P|B)-)?\s*(\d+)/([A-Za-z]{1,4}\.[\d.]+)(?:/\d+)?/"
                    r"([A-Z]{2}(?:\.\d{1,2}){0,2})/(\d{2})/(\d{4})$")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _hari_ini() -> date:
    return datetime.now(UTC).astimezone(WIB).date()


def _teks_pdf(data: bytes) -> str:
    """The text shown by the PDF's content streams (fpdf2 core fonts: `(…) Tj`)."""
    out = b""
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            out += zlib.decompress(m.group(1))
        except zlib.error:
            out += m.group(1)
    return " ".join(t.decode("latin-1").replace("\\(", "(").replace("\\)", ")")
                    for t in re.findall(rb"\(((?:[^()\\]|\\.)*)\) Tj", out))


# -- through the CLI, on SQLite ----------------------------------------------------------


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("PTSP_DATABASE_URL", f"sqlite:///{tmp_path / 'ptsp.db'}")
    monkeypatch.setenv("PTSP_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("PTSP_PETUGAS", raising=False)
    result = runner.invoke(ptsp, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    return tmp_path


def _petugas(role: str, tugas: str = "", jabatan: str | None = None) -> str:
    args = ["petugas", "add", "--nama", f"Petugas {role} {tugas}", "--role", role,
            "--tugas", tugas, "--json"]
    if jabatan:
        args += ["--jabatan", jabatan]
    result = runner.invoke(admin, args)
    assert result.exit_code == 0, result.output
    return str(json.loads(result.output)["id"])


def _catat(oleh: str, *extra: str, perihal: str = "Undangan rapat koordinasi") -> object:
    return runner.invoke(admin, ["surat", "masuk", "catat", "--dari", "Kankemenag Kab. Contoh",
                                 "--nomor", "B-45/Kk.18.05/HM.00/11/2026", "--tanggal",
                                 "2026-01-02", "--perihal", perihal, "--oleh", oleh,
                                 "--json", *extra])


def test_surat_masuk_gets_gapless_agenda_numbers_and_prints_the_contract_object(env):
    cs = _petugas("cs", "surat")
    tahun = _hari_ini().year
    first = _catat(cs, "--sifat", "segera")
    assert first.exit_code == 0, first.output
    data = json.loads(first.output)
    assert set(data) == {"agenda", "dari", "nomor", "tanggal", "perihal", "sifat", "diterima"}
    assert data["agenda"] == f"0001/{tahun}" and data["sifat"] == "segera"
    assert data["tanggal"] == "2026-01-02" and data["nomor"] == "B-45/Kk.18.05/HM.00/11/2026"
    assert datetime.fromisoformat(data["diterima"]).utcoffset() == timedelta(hours=7)
    bad = _catat(cs, "--sifat", "kilat")  # refused: no number is used up
    assert bad.exit_code == 1 and "sifat" in bad.output and "Traceback" not in bad.output
    besok = (_hari_ini() + timedelta(days=2)).isoformat()
    future = runner.invoke(admin, ["surat", "masuk", "catat", "--dari", "X", "--nomor", "1",
                                   "--tanggal", besok, "--perihal", "P", "--oleh", cs])
    assert future.exit_code == 1 and "belum tiba" in future.output
    second = json.loads(_catat(cs).output)
    assert second["agenda"] == f"0002/{tahun}" and second["sifat"] == "biasa"
    view = runner.invoke(admin, ["surat", "masuk", "catat", "--dari", "Ponpes Al-Ikhlas",
                                 "--nomor", "7/PP/2026", "--tanggal", "02/01/2026",
                                 "--perihal", "Permohonan rekomendasi", "--oleh", cs],
                         env={"COLUMNS": "200"})
    assert view.exit_code == 0 and f"0003/{tahun}" in view.output
    bad_date = runner.invoke(admin, ["surat", "masuk", "catat", "--dari", "X", "--nomor", "1",
                                     "--tanggal", "kemarin", "--perihal", "P", "--oleh", cs])
    assert bad_date.exit_code == 2


def test_the_scan_is_kept_in_the_file_store_and_wrong_files_are_refused(env):
    cs = _petugas("cs", "surat")
    scan = env / "pindaian.png"
    scan.write_bytes(PNG)
    ok = _catat(cs, "--scan", str(scan))
    assert ok.exit_code == 0, ok.output
    assert FileStore(env / "var").exists(hashlib.sha256(PNG).hexdigest(), "png")
    teks = env / "surat.txt"
    teks.write_text("bukan pindaian")
    bad = _catat(cs, "--scan", str(teks))
    assert bad.exit_code == 1 and "PDF, JPEG atau PNG" in bad.output
    palsu = env / "surat.pdf"
    palsu.write_bytes(PNG)  # a PNG named .pdf
    bad = _catat(cs, "--scan", str(palsu))
    assert bad.exit_code == 1 and "bukan PDF" in bad.output
    besar = env / "besar.pdf"
    with besar.open("wb") as fh:
        fh.write(b"%PDF-1.4\n")
        fh.truncate(11 * 1024 * 1024)
    bad = _catat(cs, "--scan", str(besar))
    assert bad.exit_code == 1 and "10 MB" in bad.output
    later = json.loads(_catat(cs).output)  # the refusals used no agenda number
    assert later["agenda"].startswith("0002/")


def test_the_lembar_disposisi_is_a_pdf_with_every_field(env):
    cs = _petugas("cs", "surat")
    perihal = "Permohonan narasumber “Moderasi Beragama” — Ḥalaqah ✓"
    data = json.loads(_catat(cs, "--sifat", "rahasia", perihal=perihal).output)
    out = env / "lembar.pdf"
    result = runner.invoke(admin, ["surat", "masuk", "lembar-disposisi", data["agenda"],
                                   str(out)])
    assert result.exit_code == 0, result.output
    pdf = out.read_bytes()
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    teks = _teks_pdf(pdf)
    for bagian in ("KEMENTERIAN AGAMA REPUBLIK INDONESIA",
                   "KANTOR WILAYAH KEMENTERIAN AGAMA PROVINSI CONTOH",
                   "Jl. Contoh Raya No. 1", "LEMBAR DISPOSISI", "Kankemenag Kab. Contoh",
                   "B-45/Kk.18.05/HM.00/11/2026", "2 Januari 2026", data["agenda"],
                   "Diterima tanggal", "Sifat", "Rahasia",
                   'Permohonan narasumber "Moderasi Beragama" - Halaqah ?',
                   "Diteruskan kepada", "Kepala Bagian Tata Usaha", "Kepala Seksi Pembinaan Umrah",
                   "Dengan hormat harap", "Isi disposisi / Catatan", "Paraf"):
        assert bagian in teks, bagian
    short = runner.invoke(admin, ["surat", "masuk", "lembar-disposisi", "1", str(out)])
    assert short.exit_code == 0  # "1" is this year's agenda 1
    missing = runner.invoke(admin, ["surat", "masuk", "lembar-disposisi", "0099/2026",
                                    str(env / "x.pdf")])
    assert missing.exit_code == 1 and "tidak ditemukan" in missing.output
    assert not (env / "x.pdf").exists()


def test_surat_keluar_numbers_follow_the_naskah_dinas_format(env):
    bo = _petugas("cs", "surat")
    hari = _hari_ini()
    bulan_tahun = f"{hari:%m}/{hari:%Y}"

    def nomor(*args: str) -> object:
        return runner.invoke(admin, ["surat", "keluar", "nomor", *args, "--oleh", bo, "--json"])

    first = nomor("--jabatan", "kabag_tu", "--klasifikasi", "KP.01.2", "--perihal",
                  "Undangan rapat")
    assert first.exit_code == 0, first.output
    data = json.loads(first.output)
    assert data == {"nomor": f"B-1/Kw.18.1/KP.01.2/{bulan_tahun}",
                    "tanggal": hari.isoformat(), "perihal": "Undangan rapat"}
    assert NASKAH.match(data["nomor"])
    head = json.loads(nomor("--jabatan", "kakanwil", "--klasifikasi", "hm.00", "--perihal",
                            "Nota", "--sifat", "rahasia").output)
    assert head["nomor"] == f"R-2/Kw.18/HM.00/{bulan_tahun}"
    seksi = json.loads(nomor("--jabatan", "kasi_umrah", "--klasifikasi", "HJ.02", "--perihal",
                             "Rekomendasi paspor", "--sifat", "sangat_rahasia").output)
    assert seksi["nomor"] == f"SR-3/Kw.18.3/HJ.02/{bulan_tahun}"  # its bidang: kabid_phu
    assert all(NASKAH.match(n["nomor"]) for n in (head, seksi))
    for args, kata in ((("--jabatan", "presiden", "--klasifikasi", "KP.01"), "jabatan"),
                       (("--jabatan", "kabag_tu", "--klasifikasi", "KP 01!"), "klasifikasi"),
                       (("--jabatan", "kabag_tu", "--klasifikasi", ""), "klasifikasi"),
                       (("--jabatan", "kabag_tu", "--klasifikasi", "KP.01", "--sifat", "x"),
                        "sifat")):
        bad = nomor(*args, "--perihal", "P")
        assert bad.exit_code == 1 and kata in bad.output and "Traceback" not in bad.output
    view = runner.invoke(admin, ["surat", "keluar", "nomor", "--jabatan", "kabag_tu",
                                 "--klasifikasi", "OT.01", "--perihal", "SK", "--oleh", bo])
    assert view.exit_code == 0 and f"B-4/Kw.18.1/OT.01/{bulan_tahun}" in view.output


def test_a_cs_without_the_surat_desk_is_refused_and_oleh_is_required(env):
    cs_layanan = _petugas("cs", "layanan")
    bad = _catat(cs_layanan)
    assert bad.exit_code == 1 and bad.output.count("\n") == 1 and "Traceback" not in bad.output
    bad = runner.invoke(admin, ["surat", "keluar", "nomor", "--jabatan", "kabag_tu",
                                "--klasifikasi", "KP.01", "--perihal", "P", "--oleh",
                                cs_layanan])
    assert bad.exit_code == 1
    pejabat = _petugas("pejabat", jabatan="kasi_umrah")
    assert _catat(pejabat).exit_code == 1
    no_oleh = runner.invoke(admin, ["surat", "masuk", "catat", "--dari", "X", "--nomor", "1",
                                    "--tanggal", "2026-01-02", "--perihal", "P"])
    assert no_oleh.exit_code == 2 and "--oleh" in no_oleh.output
    no_oleh = runner.invoke(admin, ["surat", "keluar", "nomor", "--jabatan", "kabag_tu",
                                    "--klasifikasi", "KP.01", "--perihal", "P"])
    assert no_oleh.exit_code == 2
    arsiparis = _petugas("arsiparis")
    ok = _catat(arsiparis)
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.output)["agenda"].startswith("0001/")  # the refusals used none


# -- the repository and the sequences, on SQLite and PostgreSQL --------------------------


def _pelaku(k, role: str = "koordinator", tugas: tuple[str, ...] = ()) -> Pelaku:
    with k.uow() as uow:
        p = k.bus.handle(c.TambahPetugas(nama=f"Bu {role}", role=role, tugas=tugas), uow)
    return Pelaku.dari(p, [], k.clock.now().date())


def _masuk(k, pl: Pelaku, perihal: str = "Undangan", tanggal: date = date(2026, 11, 20)):
    with k.uow() as uow:
        return k.bus.handle(CatatSuratMasuk(pelaku=pl, dari="Pemda", nomor="005/1",
                                            tanggal=tanggal, perihal=perihal), uow)


def test_agenda_numbers_are_gapless_per_year_and_stored(container, clock):
    k = container
    pl = _pelaku(k)
    assert [_masuk(k, pl, f"surat {i}").agenda for i in range(1, 4)] == [1, 2, 3]
    with k.uow() as uow:  # a registration rolled back leaves no gap
        k.bus.handle(CatatSuratMasuk(pelaku=pl, dari="X", nomor="1", tanggal=date(2026, 11, 1),
                                     perihal="batal"), uow, commit=False)
        uow.rollback()
    with pytest.raises(DataTidakValid):
        _masuk(k, pl, tanggal=date(2026, 11, 25))  # tomorrow, in the office's timezone
    s4 = _masuk(k, pl, "surat 4")
    assert (s4.agenda, s4.tahun, s4.nomor_agenda) == (4, 2026, "0004/2026")
    with k.uow() as uow:
        got = uow.surat.masuk(2, 2026)
        listed = uow.surat.list_masuk(2026)
    assert got is not None and got.perihal == "surat 2" and got.oleh == "Bu koordinator " \
        "(koordinator)" and got.diterima == clock.now() and got.sifat == "biasa"
    assert [s.agenda for s in listed] == [1, 2, 3, 4]
    clock.current = datetime(2027, 1, 4, 9, 0, tzinfo=WIB)
    s = _masuk(k, pl, "tahun baru", tanggal=date(2026, 12, 30))
    assert s.nomor_agenda == "0001/2027"
    with k.uow() as uow:
        assert uow.surat.masuk(1, 2026).perihal == "surat 1"
        assert uow.surat.masuk(1, 2027).perihal == "tahun baru"


def test_surat_keluar_numbers_are_exact_gapless_and_refused_outside_the_role(container, clock):
    k = container
    pl = _pelaku(k)
    with k.uow() as uow:
        s = k.bus.handle(NomorSuratKeluar(pelaku=pl, jabatan="kabag_tu", klasifikasi="KP.01.2",
                                          perihal="Undangan"), uow)
    assert s.nomor == "B-1/Kw.18.1/KP.01.2/11/2026" and s.tanggal == date(2026, 11, 24)
    cs = _pelaku(k, "cs", ("layanan",))
    with pytest.raises(TidakBerwenang), k.uow() as uow:
        k.bus.handle(NomorSuratKeluar(pelaku=cs, jabatan="kabag_tu", klasifikasi="KP.01",
                                      perihal="P"), uow)
    with pytest.raises(DataTidakValid), k.uow() as uow:
        k.bus.handle(NomorSuratKeluar(pelaku=pl, jabatan="raja", klasifikasi="KP.01",
                                      perihal="P"), uow)
    clock.current = datetime(2026, 12, 31, 16, 0, tzinfo=WIB)
    with k.uow() as uow:
        s2 = k.bus.handle(NomorSuratKeluar(pelaku=pl, jabatan="kabid_pendma",
                                           klasifikasi="PP.00", perihal="Edaran"), uow)
    assert s2.nomor == "B-2/Kw.18.2/PP.00/12/2026"
    clock.current = datetime(2027, 1, 1, 0, 30, tzinfo=WIB)  # 31 Dec 17:30 UTC: 2027 in WIB
    with k.uow() as uow:
        s3 = k.bus.handle(NomorSuratKeluar(pelaku=pl, jabatan="kakanwil", klasifikasi="OT.01",
                                           perihal="Keputusan"), uow)
    assert s3.nomor == "B-1/Kw.18/OT.01/01/2027"
    with k.uow() as uow:
        assert [x.urut for x in uow.surat.list_keluar(2026)] == [1, 2]


def test_concurrent_surat_keluar_numbers_are_distinct_and_consecutive(container):
    k = container
    if not k.db.is_postgres:
        pytest.skip("concurrency is the PostgreSQL deployment's case")
    pl = _pelaku(k)

    def ambil(i: int) -> int:
        with k.uow() as uow:
            return k.bus.handle(NomorSuratKeluar(pelaku=pl, jabatan="kabag_tu",
                                                 klasifikasi="KP.01", perihal=f"#{i}"), uow).urut

    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(ambil, range(50)))
    assert sorted(got) == list(range(1, 51))
    with k.uow() as uow:
        nomor = [x.nomor for x in uow.surat.list_keluar(2026)]
    assert len(set(nomor)) == 50 and nomor[49] == "B-50/Kw.18.1/KP.01/11/2026"
