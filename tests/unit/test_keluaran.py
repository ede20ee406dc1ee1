"""The renderers of a Laporan: the terminal, XLSX, PDF and the PNG chart.

Each output is read back with another library (openpyxl, pypdf, Pillow) and checked value
by value: the typed spreadsheet cells, the text on the printed pages, the picture.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader
from rich.console import Console

from admin_cli.keluaran import (
    Kop,
    Pengesahan,
    cetak_rich,
    grafik_png,
    tanggal_id,
    tulis_grafik,
    tulis_pdf,
    tulis_xlsx,
)
from domain.laporan import Grafik, Kolom, Laporan, Tabel

WIB = ZoneInfo("Asia/Jakarta")
KANTOR = "Kantor Kementerian Agama Kabupaten Sleman"
DIAJUKAN = datetime(2026, 12, 2, 14, 5, 37, 123456, tzinfo=WIB)
KOP = Kop(nama="KANTOR KEMENTERIAN AGAMA KABUPATEN SLEMAN",
          alamat="Jl. Magelang KM 10, Sleman, Yogyakarta 55511",
          telepon="(0274) 868111", email="sleman@kemenag.go.id")
SAH = Pengesahan(jabatan="Koordinator PTSP", nama="Dra. Siti Aminah, M.Pd.", tempat="Sleman",
                 tanggal=date(2026, 12, 2))

PERMOHONAN = Tabel(
    judul="Daftar Permohonan",
    kolom=(Kolom("nomor", "Nomor"), Kolom("pemohon", "Pemohon"),
           Kolom("hp", "Nomor HP", "hp"), Kolom("diajukan", "Diajukan", "waktu"),
           Kolom("tenggat", "Tenggat", "tanggal"), Kolom("hari", "Lama (hari)", "angka")),
    baris=(
        {"nomor": "PTSP-261202-0001", "pemohon": "=SUM(A1)", "hp": "+6281234567890",
         "diajukan": DIAJUKAN, "tenggat": date(2026, 12, 9), "hari": 3},
        {"nomor": "PTSP-261202-0002", "pemohon": "Budi Santoso", "hp": None,
         "diajukan": None, "tenggat": None, "hari": None},
    ),
)
LAYANAN = Tabel(
    judul="Capaian per Layanan",
    kolom=(Kolom("layanan", "Layanan"), Kolom("jumlah", "Jumlah", "angka"),
           Kolom("tepat", "Tepat Waktu", "persen"), Kolom("rerata", "Rerata (hari)", "desimal")),
    baris=(
        {"layanan": "Legalisir Ijazah", "jumlah": 1234, "tepat": 87.5,
         "rerata": Decimal("2.345")},
        {"layanan": "Rekomendasi Paspor Umrah", "jumlah": 8, "tepat": Decimal("100"),
         "rerata": 1.5},
    ),
)
GRAFIK = Grafik(jenis="batang", judul="Ketepatan Waktu per Layanan",
                label=("Legalisir Ijazah", "Rekomendasi Paspor Umrah"),
                seri=(("Tepat waktu (%)", (87.5, 100.0)),), sumbu_y="Persen",
                ambang=((90.0, "Target 90%"),), y_min=0, y_maks=110)


def laporan(kantor: str = KANTOR, **kw) -> Laporan:
    base = dict(jenis="bulanan", judul="Rekapitulasi Bulanan Permohonan", kantor=kantor,
                periode="Desember 2026", tabel=(PERMOHONAN, LAYANAN),
                ringkasan=(("Jumlah permohonan", "1.242"), ("Tepat waktu", "87,6%")),
                catatan=("2 permohonan melewati tenggat.",), grafik=GRAFIK)
    return Laporan(**{**base, **kw})


def baris_dengan(ws, teks: str) -> int:
    """The row whose column A holds `teks`."""
    for (cell,) in ws.iter_rows(min_col=1, max_col=1):
        if cell.value == teks:
            return cell.row
    raise AssertionError(f"{teks!r} not in column A")


# -- the Indonesian formats -----------------------------------------------------------------


def test_tanggal_id_writes_the_indonesian_month_name():
    assert tanggal_id(date(2026, 12, 2)) == "2 Desember 2026"
    assert tanggal_id(date(2027, 1, 31)) == "31 Januari 2027"
    assert tanggal_id(date(2026, 8, 17)) == "17 Agustus 2026"


# -- XLSX -----------------------------------------------------------------------------------


def test_xlsx_stores_typed_cells(tmp_path):
    path = tmp_path / "lap.xlsx"
    tulis_xlsx(path, [laporan()])
    wb = load_workbook(path)
    assert len(wb.worksheets) == 1
    ws = wb.worksheets[0]
    assert ws.title == KANTOR[:31].rstrip()
    assert [ws.cell(r, 1).value for r in (1, 2, 3)] == [
        "Rekapitulasi Bulanan Permohonan", KANTOR, "Desember 2026"]
    assert ws.cell(1, 1).font.b

    r = baris_dengan(ws, "Jumlah permohonan")
    assert ws.cell(r, 2).value == "1.242"
    assert (ws.cell(r + 1, 1).value, ws.cell(r + 1, 2).value) == ("Tepat waktu", "87,6%")

    # the first table: its title, the header labels, then the typed rows
    t = baris_dengan(ws, "Daftar Permohonan")
    assert ws.cell(t, 1).font.b
    kepala = [ws.cell(t + 1, c).value for c in range(1, 7)]
    assert kepala == ["Nomor", "Pemohon", "Nomor HP", "Diajukan", "Tenggat", "Lama (hari)"]
    assert all(ws.cell(t + 1, c).font.b for c in range(1, 7))
    r = t + 2
    nomor, pemohon, hp, diajukan, tenggat, hari = (ws.cell(r, c) for c in range(1, 7))
    assert nomor.value == "PTSP-261202-0001" and nomor.data_type == "s"
    assert pemohon.value == "=SUM(A1)"
    assert pemohon.data_type == "s"  # text, not "f": never evaluated
    assert hp.value == "+6281234567890"
    assert hp.data_type == "s"
    assert isinstance(diajukan.value, datetime)
    # the office's local time, naive, no microseconds
    assert diajukan.value == datetime(2026, 12, 2, 14, 5, 37)
    assert diajukan.value.tzinfo is None and diajukan.value.microsecond == 0
    assert diajukan.number_format == "DD-MM-YYYY HH:MM"
    # openpyxl reads any date cell back as a datetime at midnight
    assert tenggat.is_date and tenggat.value.date() == date(2026, 12, 9)
    assert (tenggat.value.hour, tenggat.value.minute) == (0, 0)
    assert tenggat.number_format == "DD-MM-YYYY"
    assert type(hari.value) is int and hari.value == 3
    # None: an empty cell
    assert all(ws.cell(r + 1, c).value is None for c in (3, 4, 5, 6))
    assert ws.cell(r + 1, 2).value == "Budi Santoso"
    assert ws.cell(r + 2, 1).value is None  # a blank row between the tables

    t = baris_dengan(ws, "Capaian per Layanan")
    assert t == r + 3
    assert [ws.cell(t + 1, c).value for c in range(1, 5)] == [
        "Layanan", "Jumlah", "Tepat Waktu", "Rerata (hari)"]
    jumlah, tepat, rerata = (ws.cell(t + 2, c) for c in (2, 3, 4))
    assert type(jumlah.value) is int and jumlah.value == 1234
    assert type(tepat.value) is float and tepat.value == 87.5
    assert tepat.number_format == '0.0"%"'
    assert type(rerata.value) is float and rerata.value == pytest.approx(2.345)
    assert rerata.number_format == "0.00"
    assert ws.cell(t + 3, 3).value == 100.0  # a Decimal persen stays 0..100

    c = baris_dengan(ws, "Catatan")
    assert ws.cell(c + 1, 1).value == "2 permohonan melewati tenggat."

    # widths follow the longest shown value, capped at 60
    assert ws.column_dimensions["A"].width >= len("Rekomendasi Paspor Umrah")
    assert ws.column_dimensions["D"].width >= len("02-12-2026 14:05")
    assert all(d.width <= 60 for d in ws.column_dimensions.values() if d.width)


def test_xlsx_text_that_looks_like_a_formula_stays_text(tmp_path):
    nilai = ["=HYPERLINK(\"http://x\")", "+1+1", "-2", "@SUM(A1)", "#N/A", "=1"]
    tabel = Tabel(judul="Teks", kolom=(Kolom("t", "Teks"),),
                  baris=tuple({"t": v} for v in nilai))
    path = tmp_path / "teks.xlsx"
    tulis_xlsx(path, [laporan(tabel=(tabel,), ringkasan=(("=1+1", "=2"),), catatan=())])
    ws = load_workbook(path).worksheets[0]
    t = baris_dengan(ws, "Teks")
    for i, v in enumerate(nilai):
        cell = ws.cell(t + 2 + i, 1)
        assert (cell.value, cell.data_type) == (v, "s")
    r = baris_dengan(ws, "=1+1")
    assert ws.cell(r, 1).data_type == "s" and ws.cell(r, 2).value == "=2"
    assert ws.cell(r, 2).data_type == "s"
    # nothing was written as a formula in the file itself
    import zipfile

    with zipfile.ZipFile(path) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml


def test_xlsx_one_sheet_per_office_with_valid_unique_names(tmp_path):
    panjang = "Kantor Kementerian Agama Kota Yogyakarta: Seksi [PHU] / Bimas?*"
    daftar = [laporan(KANTOR), laporan("Kantor Kementerian Agama Kabupaten Bantul"),
              laporan(panjang), laporan(panjang), laporan("")]
    path = tmp_path / "provinsi.xlsx"
    tulis_xlsx(path, daftar)
    wb = load_workbook(path)
    names = wb.sheetnames
    assert len(names) == 5
    assert len({n.casefold() for n in names}) == 5
    for n in names:
        assert 0 < len(n) <= 31
        assert not set(n) & set("[]:*?/\\")
    assert names[0] == "Kantor Kementerian Agama Kabupa"
    assert names[2].startswith("Kantor Kementerian Agama Kota")
    assert names[3].endswith("(2)")
    # each sheet holds its own office
    for ws, lap in zip(wb.worksheets, daftar, strict=True):
        assert ws.cell(2, 1).value == (lap.kantor or None)
        assert ws.cell(1, 1).value == lap.judul


def test_xlsx_needs_a_report(tmp_path):
    with pytest.raises(ValueError):
        tulis_xlsx(tmp_path / "kosong.xlsx", [])


# -- the chart ------------------------------------------------------------------------------


def _png(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


def test_grafik_one_seri_is_a_png_of_8_by_4_5_inches(tmp_path):
    path = tmp_path / "grafik.png"
    tulis_grafik(path, GRAFIK)
    img = _png(path.read_bytes())
    assert img.format == "PNG"
    assert img.size == (960, 540)  # 8 x 4.5 in at 120 dpi
    assert path.read_bytes() == grafik_png(GRAFIK)
    # something is drawn: not a blank page
    assert len(img.convert("RGB").getcolors(maxcolors=1 << 24)) > 10


def test_grafik_three_seri_grouped_bars_and_lines():
    label = tuple(f"Layanan nomor {i}" for i in range(1, 15))  # long and many: rotated
    seri = tuple((f"Seri {s}", tuple(float(i * s) for i in range(14))) for s in (1, 2, 3))
    for jenis in ("batang", "garis"):
        g = Grafik(jenis=jenis, judul="Tiga seri", label=label, seri=seri,
                   ambang=((10.0, "Batas bawah"), (30.0, "Target")))
        img = _png(grafik_png(g))
        assert img.format == "PNG" and img.size == (960, 540)


def test_grafik_without_data_still_draws():
    img = _png(grafik_png(Grafik(jenis="garis", judul="Kosong", label=(), seri=())))
    assert img.size == (960, 540)


def test_grafik_rejects_a_seri_of_the_wrong_length_and_an_unknown_jenis():
    with pytest.raises(ValueError):
        grafik_png(Grafik(jenis="batang", judul="x", label=("a", "b"), seri=(("s", (1.0,)),)))
    with pytest.raises(ValueError):
        grafik_png(Grafik(jenis="pai", judul="x", label=("a",), seri=(("s", (1.0,)),)))


# -- PDF ------------------------------------------------------------------------------------


def _teks_pdf(path) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(path).pages]


def test_pdf_has_the_letterhead_title_tables_chart_and_sign_off(tmp_path):
    path = tmp_path / "lap.pdf"
    tulis_pdf(path, laporan(), KOP, SAH)
    reader = PdfReader(path)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 portrait
    semua = " ".join(_teks_pdf(path))
    for teks in (KOP.nama, "Jl. Magelang KM 10", "sleman@kemenag.go.id",
                 "Rekapitulasi Bulanan Permohonan", "Periode: Desember 2026",
                 "Jumlah permohonan", "Daftar Permohonan", "PTSP-261202-0001",
                 "+6281234567890", "02-12-2026 14:05", "09-12-2026", "1.234", "87,5%",
                 "2,35", "Capaian per Layanan", "2 permohonan melewati tenggat.",
                 "Sleman, 2 Desember 2026", "Koordinator PTSP", "Dra. Siti Aminah, M.Pd."):
        assert teks in semua, teks
    # the chart is embedded as an image
    assert any(p.images for p in reader.pages)


def test_pdf_without_a_name_leaves_a_dotted_line_and_wide_tables_go_landscape(tmp_path):
    lebar = Tabel(judul="Lebar", kolom=tuple(Kolom(f"k{i}", f"Kolom {i}") for i in range(8)),
                  baris=({f"k{i}": f"nilai {i}" for i in range(8)},))
    path = tmp_path / "lebar.pdf"
    tulis_pdf(path, laporan(tabel=(lebar,), grafik=None), Kop(nama="PTSP Sleman"),
              Pengesahan(jabatan="Kepala Kantor"))
    reader = PdfReader(path)
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)
    semua = " ".join(_teks_pdf(path))
    assert "Kepala Kantor" in semua and "(....................)" in semua
    assert "nilai 7" in semua
    assert not any(p.images for p in reader.pages)


def test_pdf_long_table_breaks_pages_and_repeats_the_header(tmp_path):
    baris = tuple({"no": i, "nama": f"Pemohon ke-{i}", "ket": "x" * (i % 5) * 40}
                  for i in range(1, 201))
    panjang = Tabel(judul="Daftar Panjang",
                    kolom=(Kolom("no", "No. Urut", "angka"), Kolom("nama", "Nama Pemohon"),
                           Kolom("ket", "Keterangan")),
                    baris=baris)
    path = tmp_path / "panjang.pdf"
    tulis_pdf(path, laporan(tabel=(panjang,)), KOP, SAH)
    halaman = _teks_pdf(path)
    assert len(halaman) >= 4
    # every page that carries table rows starts them with the header row
    dengan_baris = [h for h in halaman if "Pemohon ke-" in h]
    assert len(dengan_baris) >= 3
    for h in dengan_baris:
        assert "No. Urut" in h and "Nama Pemohon" in h and "Keterangan" in h
    assert "Pemohon ke-1 " in halaman[0] and "Pemohon ke-200" in " ".join(halaman)
    assert "Koordinator PTSP" in halaman[-1]
    # the footer counts the pages
    assert f"Halaman 1 dari {len(halaman)}" in halaman[0]


def test_pdf_text_outside_latin1_and_very_long_words_do_not_fail(tmp_path):
    tabel = Tabel(judul="Aneh — “kutip”", kolom=(Kolom("a", "A"), Kolom("b", "B")),
                  baris=({"a": "Ω" * 10 + "ábc", "b": "y" * 2000},))
    path = tmp_path / "aneh.pdf"
    tulis_pdf(path, laporan(tabel=(tabel,), catatan=("⚠ awas",), grafik=None),
              Kop(nama="Kantor ✓"), Pengesahan())
    semua = " ".join(_teks_pdf(path))
    assert 'Aneh - "kutip"' in semua and "ábc" in semua


def test_pdf_page_one_renders_as_an_image(tmp_path):
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed: page 1 cannot be rasterised")
    path = tmp_path / "lap.pdf"
    tulis_pdf(path, laporan(), KOP, SAH)
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(path),
                    str(tmp_path / "hal")], check=True, timeout=60)
    (png,) = tmp_path.glob("hal*.png")
    img = Image.open(png)
    assert img.format == "PNG"
    w, h = img.size
    assert (round(w / 50 * 25.4), round(h / 50 * 25.4)) == (210, 297)  # A4 in mm
    assert len(img.convert("L").getcolors()) > 2


# -- the terminal ---------------------------------------------------------------------------


def test_cetak_rich_formats_the_values_the_indonesian_way():
    console = Console(record=True, width=120, color_system=None)
    cetak_rich(console, laporan())
    out = console.export_text()
    assert "Rekapitulasi Bulanan Permohonan · " + KANTOR + " · Desember 2026" in out
    assert "Jumlah permohonan" in out and "1.242" in out
    for teks in ("Daftar Permohonan", "Capaian per Layanan", "Nomor HP", "Tepat Waktu",
                 "87,5%", "100,0%", "2,35", "1,50", "1.234", "02-12-2026 14:05",
                 "09-12-2026", "+6281234567890", "=SUM(A1)",
                 "⚠ 2 permohonan melewati tenggat."):
        assert teks in out, teks
    baris_budi = next(line for line in out.splitlines() if "Budi Santoso" in line)
    assert baris_budi.count(" - ") >= 3  # hp, diajukan, tenggat, lama: all None
    # numbers are right-aligned: "8" ends where "1.234" ends
    a = next(line for line in out.splitlines() if "Legalisir Ijazah" in line)
    b = next(line for line in out.splitlines() if "Rekomendasi Paspor Umrah" in line)
    assert a.index("1.234") + len("1.234") == b.index(" 8 ") + 2


def test_cetak_rich_takes_markup_in_values_literally():
    tabel = Tabel(judul="[bold]x[/bold]", kolom=(Kolom("a", "A"),),
                  baris=({"a": "[red]merah[/red]"},))
    console = Console(record=True, width=120, color_system=None)
    cetak_rich(console, laporan(tabel=(tabel,), ringkasan=(), catatan=()))
    out = console.export_text()
    assert "[red]merah[/red]" in out and "[bold]x[/bold]" in out


# -- an empty table and values that are no numbers ----------------------------------------

KOSONG = Tabel(judul="Pengaduan", kolom=(Kolom("a", "Perihal"), Kolom("n", "Jumlah", "angka")),
               baris=())
ANEH = Tabel(judul="Nilai Aneh",
             kolom=(Kolom("n", "Rerata", "desimal"), Kolom("p", "Persen", "persen"),
                    Kolom("t", "Kapan", "tanggal"), Kolom("w", "Waktu", "waktu")),
             baris=({"n": float("nan"), "p": Decimal("99.95"), "t": DIAJUKAN,
                     "w": date(2026, 12, 3)},))


def test_an_empty_table_and_odd_values_in_every_output(tmp_path):
    lap = laporan(tabel=(KOSONG, ANEH), ringkasan=(), catatan=(), grafik=None)

    console = Console(record=True, width=120, color_system=None)
    cetak_rich(console, lap)
    out = console.export_text()
    assert "Tidak ada data." in out
    aneh = next(line for line in out.splitlines() if "02-12-2026" in line)
    assert "100,0%" in aneh  # a Decimal's half rounds up: 99,95 -> 100,0
    assert "02-12-2026 14:05" not in aneh and "03-12-2026" in aneh
    assert aneh.split("│")[1].strip() == "-"  # NaN is no number

    path = tmp_path / "aneh.xlsx"
    tulis_xlsx(path, [lap])
    ws = load_workbook(path).worksheets[0]
    t = baris_dengan(ws, "Pengaduan")
    assert [ws.cell(t + 1, c).value for c in (1, 2)] == ["Perihal", "Jumlah"]
    assert ws.cell(t + 2, 1).value is None
    t = baris_dengan(ws, "Nilai Aneh")
    n, p, tgl, w = (ws.cell(t + 2, c) for c in range(1, 5))
    assert n.value is None
    assert p.value == pytest.approx(99.95)
    assert tgl.value == datetime(2026, 12, 2) and tgl.number_format == "DD-MM-YYYY"
    assert w.value == datetime(2026, 12, 3) and w.number_format == "DD-MM-YYYY"

    pdf = tmp_path / "aneh.pdf"
    tulis_pdf(pdf, lap, KOP, Pengesahan())
    semua = " ".join(_teks_pdf(pdf))
    assert "Pengaduan" in semua and "Tidak ada data." in semua and "100,0%" in semua
    assert "(....................)" in semua and "...................." in semua
