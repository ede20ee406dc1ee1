"""How a `Laporan` leaves `ptsp-admin laporan`: a Rich table, XLSX, PDF and a PNG chart.

Every renderer reads the same `domain.laporan.Laporan` (tables of typed columns, key
figures, notes and one chart) and formats its values the Indonesian way: `1.234`,
`87,5%`, `3,25`, `02-12-2026`, `02-12-2026 14:05`, `-` for nothing. Dates and times are
shown as they come (the aware datetimes are already in the office's zone).

openpyxl, matplotlib and fpdf2 are imported inside the functions: `ptsp-admin` starts
without them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from admin_cli.cetak import _latin1

if TYPE_CHECKING:
    from rich.console import Console

    from domain.laporan import Grafik, Laporan, Tabel

__all__ = ["Kop", "Pengesahan", "cetak_rich", "grafik_png", "tanggal_id", "tulis_grafik",
           "tulis_pdf", "tulis_xlsx"]

_NUMERIK = ("angka", "desimal", "persen")
_FMT_XLSX = {"desimal": "0.00", "persen": '0.0"%"', "tanggal": "DD-MM-YYYY",
             "waktu": "DD-MM-YYYY HH:MM"}
_SHEET_TERLARANG = str.maketrans("", "", "[]:*?/\\")
_SEL_MAKS = 300  # characters of one PDF cell; longer text is cut with "..."


@dataclass(frozen=True)
class Kop:
    """The letterhead of the printed report."""

    nama: str
    alamat: str = ""
    telepon: str = ""
    email: str = ""


@dataclass(frozen=True)
class Pengesahan:
    """The signed-off block at the bottom right of the printed report."""

    jabatan: str = "Koordinator PTSP"
    nama: str | None = None  # none: a dotted line to sign over
    tempat: str = ""
    tanggal: date | None = None  # none: a dotted line to date by hand


# -- formatting -----------------------------------------------------------------------------


def tanggal_id(d: date) -> str:
    """`2 Desember 2026`: a date as the office writes it (domain.konteks.fmt_tanggal)."""
    from domain.konteks import fmt_tanggal

    return fmt_tanggal(d)


def _angka(v: float | int | Decimal, desimal: int = 0) -> str:
    """`1.234,56`: thousands with a dot, the decimals after a comma (half rounds up)."""
    if isinstance(v, Decimal) and v.is_finite():
        v = v.quantize(Decimal(1).scaleb(-desimal), rounding=ROUND_HALF_UP)
    s = f"{v:,.{desimal}f}"
    return s.replace(",", "\0").replace(".", ",").replace("\0", ".")


def _ringkas(v: float) -> str:
    """A number with at most two decimals and no trailing zeros (`87,5`, `100`)."""
    return _angka(v, 2).rstrip("0").rstrip(",")


def _bilangan(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _kosong(value: Any) -> bool:
    """None, or a number that is not one (NaN, infinity): shown as `-`, an empty cell."""
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, Decimal):
        return not value.is_finite()
    return value is None


def _teks(value: Any, jenis: str) -> str:
    """A cell as text: how the terminal and the PDF show it (and what sizes a column)."""
    if _kosong(value):
        return "-"
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if _bilangan(value) and jenis in _NUMERIK:
        if jenis == "persen":
            return f"{_angka(value, 1)}%"
        if jenis == "desimal" or value != int(value):
            return _angka(value, 2)
        return _angka(value, 0)
    if isinstance(value, datetime):
        return value.strftime("%d-%m-%Y" if jenis == "tanggal" else "%d-%m-%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    return str(value)


# -- the terminal ---------------------------------------------------------------------------


def cetak_rich(console: Console, lap: Laporan) -> None:
    """Print `lap` on `console`: title, key figures, one table per Tabel, the notes."""
    from rich.table import Table
    from rich.text import Text

    judul = " · ".join(x for x in (lap.judul, lap.kantor, lap.periode) if x)
    console.print(Text(judul, style="bold"))
    if lap.ringkasan:
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold")
        grid.add_column()
        for label, teks in lap.ringkasan:
            grid.add_row(Text(label), Text(teks))
        console.print(grid)
    for tabel in lap.tabel:
        t = Table(title=Text(tabel.judul, style="bold"), title_justify="left",
                  caption=None if tabel.baris else "Tidak ada data.")
        for k in tabel.kolom:
            t.add_column(Text(k.label), justify="right" if k.jenis in _NUMERIK else "left",
                         no_wrap=k.jenis != "teks")
        for baris in tabel.baris:
            t.add_row(*(Text(_teks(baris.get(k.kunci), k.jenis)) for k in tabel.kolom))
        console.print()
        console.print(t)
    if lap.catatan:
        console.print()
        for c in lap.catatan:
            console.print(Text(f"⚠ {c}", style="yellow"))


# -- the spreadsheet ------------------------------------------------------------------------


def _nama_sheet(kantor: str, dipakai: set[str]) -> str:
    """A valid, unique sheet title: none of Excel's forbidden characters, at most 31."""
    dasar = " ".join(kantor.translate(_SHEET_TERLARANG).split()).strip("'").strip()
    dasar = dasar or "Laporan"
    nama, n = dasar[:31].rstrip(), 1
    while nama.casefold() in dipakai or nama.casefold() == "history":
        n += 1
        akhiran = f" ({n})"
        nama = dasar[:31 - len(akhiran)].rstrip() + akhiran
    dipakai.add(nama.casefold())
    return nama


def _nilai_xlsx(value: Any, jenis: str) -> tuple[Any, str | None]:
    """The typed cell value of `value` in a `jenis` column and its number format."""
    if _kosong(value):
        return None, None
    if _bilangan(value) and jenis in _NUMERIK:
        if jenis == "angka":
            if value == int(value):
                return int(value), None
            return float(value), "0.00"
        return float(value), _FMT_XLSX[jenis]
    if isinstance(value, datetime) and jenis in ("tanggal", "waktu"):
        if jenis == "tanggal":
            return value.date(), _FMT_XLSX["tanggal"]
        # already the office's local time: only the zone and the microseconds go
        return value.replace(tzinfo=None, microsecond=0), _FMT_XLSX["waktu"]
    if isinstance(value, date) and not isinstance(value, datetime) and jenis in (
            "tanggal", "waktu"):
        return value, _FMT_XLSX["tanggal"]
    return _teks(value, jenis), None


def _lembar(ws: Any, lap: Laporan) -> None:
    """Fill one worksheet with `lap`."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    tebal = Font(bold=True)
    arsir = PatternFill("solid", fgColor="DDDDDD")
    lebar: dict[int, int] = {}

    def tulis(r: int, c: int, value: Any, fmt: str | None = None, *, font: Any = None,
              ukur: str | None = None) -> Any:
        cell = ws.cell(row=r, column=c)
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)[:32767]
            cell.value = value
            # openpyxl takes "=..." for a formula and "#N/A" for an error: text stays text
            cell.data_type = "s"
            if value[:1] in ("=", "+", "-", "@"):
                cell.quotePrefix = True  # and Excel shows it as typed, never evaluates it
        else:
            cell.value = value
        if fmt:
            cell.number_format = fmt
        if font is not None:
            cell.font = font
        if ukur is not None:
            lebar[c] = max(lebar.get(c, 0), len(ukur))
        return cell

    tulis(1, 1, lap.judul, font=Font(bold=True, size=14))
    tulis(2, 1, lap.kantor)
    tulis(3, 1, lap.periode)
    r = 5
    if lap.ringkasan:
        for label, teks in lap.ringkasan:
            tulis(r, 1, label, font=tebal, ukur=label)
            tulis(r, 2, teks, ukur=teks)
            r += 1
        r += 1
    baris_judul: list[int] = []
    for tabel in lap.tabel:
        tulis(r, 1, tabel.judul, font=tebal)
        r += 1
        for j, k in enumerate(tabel.kolom, start=1):
            tulis(r, j, k.label, font=tebal, ukur=k.label).fill = arsir
        baris_judul.append(r)
        r += 1
        for baris in tabel.baris:
            for j, k in enumerate(tabel.kolom, start=1):
                value = baris.get(k.kunci)
                tulis(r, j, *_nilai_xlsx(value, k.jenis), ukur=_teks(value, k.jenis))
            r += 1
        r += 1
    if lap.catatan:
        tulis(r, 1, "Catatan", font=tebal)
        for c in lap.catatan:
            r += 1
            tulis(r, 1, c)
    for c, n in lebar.items():
        ws.column_dimensions[get_column_letter(c)].width = min(60, max(8, n + 2))
    if len(baris_judul) == 1:
        ws.freeze_panes = ws.cell(row=baris_judul[0] + 1, column=1)


def tulis_xlsx(path: Path, daftar: list[Laporan]) -> None:
    """Write `daftar` to `path`: one sheet per Laporan, named after its office.

    Raises:
        ValueError: `daftar` is empty.
    """
    if not daftar:
        raise ValueError("tidak ada laporan untuk ditulis")
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    dipakai: set[str] = set()
    for lap in daftar:
        _lembar(wb.create_sheet(_nama_sheet(lap.kantor, dipakai)), lap)
    wb.save(path)


# -- the chart ------------------------------------------------------------------------------


def grafik_png(grafik: Grafik) -> bytes:
    """The chart as PNG bytes (8 x 4.5 in at 120 dpi), drawn off-screen with Agg.

    Raises:
        ValueError: an unknown `jenis`, or a seri without one value per label.
    """
    if grafik.jenis not in ("batang", "garis"):
        raise ValueError(f"jenis grafik tidak dikenal: {grafik.jenis!r}")
    n = len(grafik.label)
    for nama, nilai in grafik.seri:
        if len(nilai) != n:
            raise ValueError(f"seri {nama!r}: {len(nilai)} nilai untuk {n} label")
    from io import BytesIO

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter
    from matplotlib.transforms import blended_transform_factory

    fig = Figure(figsize=(8, 4.5), dpi=120, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.set_title(grafik.judul)
    if grafik.sumbu_y:
        ax.set_ylabel(grafik.sumbu_y)
    x = list(range(n))
    if not n or not grafik.seri:
        ax.text(0.5, 0.5, "Tidak ada data", ha="center", va="center", transform=ax.transAxes)
        ax.set_xticks([])
        ax.set_yticks([])
    elif grafik.jenis == "garis":
        for nama, nilai in grafik.seri:
            ax.plot(x, [float(v) for v in nilai], marker="o", label=nama)
    else:
        k = len(grafik.seri)
        w = 0.8 / k
        for i, (nama, nilai) in enumerate(grafik.seri):
            batang = ax.bar([xi + (i - (k - 1) / 2) * w for xi in x],
                            [float(v) for v in nilai], w, label=nama)
            if n * k <= 24:
                ax.bar_label(batang, labels=[_ringkas(float(v)) for v in nilai], fontsize=7,
                             padding=2)
    if n and grafik.seri:
        miring = max(len(s) for s in grafik.label) * n > 70  # ~ what 8 in hold at 10 pt
        ax.set_xticks(x, grafik.label, rotation=35 if miring else 0,
                      ha="right" if miring else "center",
                      rotation_mode="anchor" if miring else "default")
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: _ringkas(v)))
        ax.grid(axis="y", alpha=0.3)
        ax.set_axisbelow(True)
        kanan = blended_transform_factory(ax.transAxes, ax.transData)
        for i, (nilai, teks) in enumerate(grafik.ambang):
            warna = ("#c0392b", "#7f8c8d", "#8e44ad")[i % 3]
            ax.axhline(float(nilai), linestyle="--", linewidth=1.2, color=warna)
            ax.text(0.995, float(nilai), teks, transform=kanan, ha="right", va="bottom",
                    fontsize=8, color=warna, clip_on=True,
                    bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none", "pad": 1})
        if grafik.y_min is not None or grafik.y_maks is not None:
            ax.set_ylim(bottom=grafik.y_min, top=grafik.y_maks)
        if len(grafik.seri) > 1:
            ax.legend(fontsize=8)
    buf = BytesIO()
    fig.savefig(buf, format="png", dpi=120)
    return buf.getvalue()


def tulis_grafik(path: Path, grafik: Grafik) -> None:
    """Write the chart to `path` as PNG."""
    Path(path).write_bytes(grafik_png(grafik))


# -- the printed report ---------------------------------------------------------------------


def _potong(teks: str, maks: int = _SEL_MAKS) -> str:
    return teks if len(teks) <= maks else teks[:maks - 3] + "..."


def _lebar_kolom(alami: list[float], total: float) -> list[float]:
    """Widths in proportion to the content that fill `total`.

    When the content is wider than the page, the narrow columns (numbers, dates) keep their
    width and only the widest ones are capped and wrap.
    """
    jumlah = sum(alami)
    if jumlah <= total:
        return [w * total / jumlah for w in alami]
    sisa, n = total, len(alami)
    batas = total / n
    for i, w in enumerate(sorted(alami)):
        if w * (n - i) > sisa:
            batas = sisa / (n - i)
            break
        sisa -= w
    return [min(w, batas) for w in alami]


def _tabel_pdf(pdf: Any, tabel: Tabel) -> None:
    from fpdf.fonts import FontFace

    ukuran = 8 if len(tabel.kolom) > 6 else 9
    pdf.set_font("Helvetica", "B", 10)
    if pdf.will_page_break(25):
        pdf.add_page()
    pdf.multi_cell(0, 6, _latin1(tabel.judul), new_x="LMARGIN", new_y="NEXT")
    if not tabel.kolom:
        return
    kepala = [_latin1(_potong(k.label, 80)) for k in tabel.kolom]
    isi = [[_latin1(_potong(_teks(b.get(k.kunci), k.jenis))) for k in tabel.kolom]
           for b in tabel.baris]
    tepi = 2.0  # mm: the cell's padding left and right, and some air
    pdf.set_font("Helvetica", "B", ukuran)
    alami = [pdf.get_string_width(h) + 2 * tepi + 1 for h in kepala]
    pdf.set_font("Helvetica", "", ukuran)
    for baris in isi:
        for j, teks in enumerate(baris):
            alami[j] = max(alami[j], pdf.get_string_width(teks) + 2 * tepi + 1)
    lebar = _lebar_kolom(alami, pdf.epw)
    rata = tuple("RIGHT" if k.jenis in _NUMERIK else "LEFT" for k in tabel.kolom)
    with pdf.table(width=pdf.epw, col_widths=lebar, text_align=rata,
                   headings_style=FontFace(emphasis="BOLD", fill_color=(220, 220, 220)),
                   line_height=pdf.font_size * 1.5, padding=(1, tepi), repeat_headings=1) as t:
        row = t.row()
        for h in kepala:
            row.cell(h, align="C")
        for baris in isi:
            row = t.row()
            for teks in baris:
                row.cell(teks)
        if not isi:
            t.row().cell("Tidak ada data.", colspan=len(kepala), align="C",
                         style=FontFace(emphasis="ITALICS"))
    pdf.ln(4)


def tulis_pdf(path: Path, lap: Laporan, kop: Kop, pengesahan: Pengesahan) -> None:
    """Write `lap` as a printed report (A4, landscape when a table has over 6 columns).

    The letterhead, title and period, key figures, the tables (headers repeat on each
    page), the notes, the chart, and the signed-off block at the bottom right.
    """
    from io import BytesIO

    from fpdf import FPDF

    kaki = _latin1(_potong(" - ".join(x for x in (lap.judul, lap.kantor, lap.periode) if x),
                           140))

    class _Halaman(FPDF):
        def footer(self) -> None:
            self.set_y(-10)
            self.set_font("Helvetica", "I", 7)
            self.cell(0, 5, f"{kaki} - Halaman {self.page_no()} dari {{nb}}", align="C")

    lanskap = any(len(t.kolom) > 6 for t in lap.tabel)
    pdf = _Halaman(orientation="L" if lanskap else "P", unit="mm", format="A4")
    pdf.set_margins(15, 12, 15)
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_title(_latin1(lap.judul))
    pdf.set_author(_latin1(kop.nama))
    pdf.set_creator("PTSP")
    pdf.add_page()

    def tulis(teks: str, ukuran: float, gaya: str = "", tinggi: float = 5,
              align: str = "C") -> None:
        pdf.set_font("Helvetica", gaya, ukuran)
        pdf.multi_cell(0, tinggi, _latin1(teks), align=align, new_x="LMARGIN", new_y="NEXT")

    # the letterhead
    tulis(kop.nama, 13, "B", 6.5)
    if kop.alamat:
        tulis(kop.alamat, 9, tinggi=4.5)
    kontak = " - ".join(x for x in (f"Telepon {kop.telepon}" if kop.telepon else "",
                                    f"Email {kop.email}" if kop.email else "") if x)
    if kontak:
        tulis(kontak, 9, tinggi=4.5)
    y = pdf.get_y() + 1.5
    pdf.set_line_width(0.8)
    pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
    pdf.set_line_width(0.2)
    pdf.line(pdf.l_margin, y + 1.2, pdf.w - pdf.r_margin, y + 1.2)
    pdf.set_y(y + 5)

    tulis(lap.judul, 12, "B", 6.5)
    if lap.kantor and lap.kantor != kop.nama:
        tulis(lap.kantor, 10)
    if lap.periode:
        tulis(f"Periode: {lap.periode}", 10)
    pdf.ln(4)

    if lap.ringkasan:
        pdf.set_font("Helvetica", "", 9)
        label = [_latin1(_potong(a, 120)) for a, _ in lap.ringkasan]
        wl = min(max(pdf.get_string_width(a) for a in label) + 4, pdf.epw * 0.45)
        with pdf.table(width=pdf.epw, col_widths=(wl, pdf.epw - wl), align="LEFT",
                       borders_layout="NONE", first_row_as_headings=False,
                       line_height=pdf.font_size * 1.5) as t:
            for a, (_, teks) in zip(label, lap.ringkasan, strict=True):
                row = t.row()
                row.cell(a)
                row.cell(_latin1(_potong(f": {teks}", 600)))
        pdf.ln(4)

    for tabel in lap.tabel:
        _tabel_pdf(pdf, tabel)

    if lap.catatan:
        pdf.set_font("Helvetica", "B", 9)
        if pdf.will_page_break(12):
            pdf.add_page()
        pdf.cell(0, 5, "Catatan:", new_x="LMARGIN", new_y="NEXT")
        for c in lap.catatan:
            tulis(f"- {c}", 9, tinggi=4.5, align="L")
        pdf.ln(3)

    if lap.grafik is not None:
        w = min(pdf.epw, 160.0)
        h = w * 4.5 / 8
        if pdf.will_page_break(h + 2):
            pdf.add_page()
        pdf.image(BytesIO(grafik_png(lap.grafik)), x=pdf.l_margin + (pdf.epw - w) / 2, w=w)
        pdf.ln(4)

    # the signed-off block: date, jabatan, room to sign, the name
    lebar = pdf.epw * (0.35 if lanskap else 0.42)
    x0 = pdf.w - pdf.r_margin - lebar
    if pdf.will_page_break(45):
        pdf.add_page()
    pdf.ln(4)
    tgl = tanggal_id(pengesahan.tanggal) if pengesahan.tanggal else "...................."
    for teks, gaya in ((f"{pengesahan.tempat}, {tgl}" if pengesahan.tempat else tgl, ""),
                       (pengesahan.jabatan, "")):
        pdf.set_x(x0)
        pdf.set_font("Helvetica", gaya, 10)
        pdf.multi_cell(lebar, 5, _latin1(teks), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(20)
    pdf.set_x(x0)
    if pengesahan.nama:
        pdf.set_font("Helvetica", "BU", 10)
        pdf.multi_cell(lebar, 5, _latin1(pengesahan.nama), align="C", new_x="LMARGIN",
                       new_y="NEXT")
    else:
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(lebar, 5, "(....................)", align="C", new_x="LMARGIN",
                       new_y="NEXT")
    Path(path).write_bytes(bytes(pdf.output()))
