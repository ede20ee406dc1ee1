"""The lembar disposisi of a surat masuk: one printable A4 page (fpdf2, core fonts).

Fields as the common template has them (standards-id.md §5, seeds 001–002: the FO prints
it for letters the Kepala Kantor / Kabag TU disposes): the office's letterhead, surat
dari, nomor and tanggal surat, diterima, nomor agenda, sifat, perihal; then boxes the
official fills by hand: diteruskan kepada (the office's jabatan, with check boxes),
instruksi, isi disposisi / catatan, paraf and tanggal.

fpdf2 ships no TrueType font, so the page uses the core Helvetica (Latin-1): any other
character is transliterated where there is a plain equivalent and shown as `?`
otherwise, never an error.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

from fpdf import FPDF

from domain.kantor import ProfilKantor
from domain.konteks import fmt_waktu
from domain.surat import LABEL_SIFAT, SuratMasuk, langkah

__all__ = ["lembar_disposisi", "teks_aman"]

BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
         "September", "Oktober", "November", "Desember")
INSTRUKSI = ("Tanggapan dan saran", "Proses lebih lanjut", "Koordinasi / konfirmasikan",
             "Untuk diketahui", "Untuk dihadiri / diwakili", "Siapkan jawaban",
             "Arsipkan", "Lainnya: ......................")
#: the instruksi given on Telegram (`domain.model.INSTRUKSI`) → its box on the form
KOTAK_INSTRUKSI = {"tanggapan": INSTRUKSI[0], "proses": INSTRUKSI[1],
                   "koordinasi": INSTRUKSI[2], "diketahui": INSTRUKSI[3]}
_GANTI = {"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201c": '"', "\u201d": '"',
          "\u201e": '"', "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2026": "...",
          "\u2022": "-", "\u00a0": " ", "\u2192": "->", "\u00b7": "-"}
TEPI, LEBAR = 15.0, 180.0  # mm: A4 is 210 wide


def teks_aman(teks: str) -> str:
    """`teks` in Latin-1 for the core fonts.

    Look-alikes are replaced, accents kept where Latin-1 has them and dropped where it does
    not; anything else becomes `?`.
    """
    out = []
    for ch in "".join(_GANTI.get(c, c) for c in teks or ""):
        if ord(ch) < 256:
            out.append(ch)
            continue
        dasar = "".join(c for c in unicodedata.normalize("NFKD", ch) if ord(c) < 128
                        and not unicodedata.combining(c))
        out.append(dasar or "?")
    return "".join(out).replace("\r", "").replace("\t", " ")


def _tanggal(d: date) -> str:
    return f"{d.day} {BULAN[d.month - 1]} {d.year}"


class _Lembar(FPDF):
    def tulis(self, teks: str, *, ukuran: float = 10, tebal: bool = False, tinggi: float = 5,
              align: str = "L", w: float = 0) -> None:
        self.set_font("Helvetica", "B" if tebal else "", ukuran)
        self.multi_cell(w or LEBAR, tinggi, teks_aman(teks), align=align,
                        new_x="LMARGIN", new_y="NEXT")

    def pas(self, teks: str, lebar: float) -> str:
        """The text cut (with `...`) to fit `lebar` mm in the current font."""
        teks = teks_aman(teks)
        if self.get_string_width(teks) <= lebar:
            return teks
        while teks and self.get_string_width(teks + "...") > lebar:
            teks = teks[:-1]
        return teks + "..."

    def kotak(self, x: float, y: float, isi: bool = False) -> None:
        self.rect(x, y + 0.8, 3.4, 3.4)
        if isi:
            self.line(x + 0.5, y + 1.3, x + 2.9, y + 3.7)
            self.line(x + 2.9, y + 1.3, x + 0.5, y + 3.7)


def _tujuan(profil: ProfilKantor) -> list[str]:
    """The jabatan a letter may be sent on to: all but the head(s) of office."""
    bawahan = {b for j in profil.jabatan.values() for b in j.bawahan}
    semua = list(profil.jabatan.values())
    tujuan = [j for j in semua if j.kode in bawahan] or semua
    return [j.nama for j in tujuan]


def lembar_disposisi(surat: SuratMasuk, profil: ProfilKantor,
                     dicetak: datetime | None = None) -> bytes:
    """The lembar disposisi of `surat` as PDF bytes (A4 portrait, one page for a usual office).

    Args:
        surat: the registered surat masuk.
        profil: its office (letterhead and the jabatan of "Diteruskan kepada").
        dicetak: when it is printed (shown in the footer); none: no footer time.

    Returns:
        The PDF document.
    """
    pdf = _Lembar(orientation="P", unit="mm", format="A4")
    pdf.set_margins(TEPI, 12, TEPI)
    pdf.set_auto_page_break(True, margin=12)
    pdf.set_title(teks_aman(f"Lembar Disposisi {surat.nomor_agenda}"))
    pdf.set_author(teks_aman(profil.nama))
    pdf.set_creator("PTSP")
    if dicetak is not None:
        pdf.set_creation_date(dicetak)
    pdf.add_page()

    # kop surat
    pdf.tulis("KEMENTERIAN AGAMA REPUBLIK INDONESIA", ukuran=13, tebal=True, align="C",
              tinggi=6)
    pdf.tulis(profil.nama.upper(), ukuran=12, tebal=True, align="C", tinggi=6)
    pdf.tulis(profil.alamat, ukuran=9, align="C", tinggi=4.5)
    kontak = " - ".join(x for x in (f"Telepon {profil.telepon}" if profil.telepon else "",
                                    f"Email {profil.email}" if profil.email else "") if x)
    if kontak:
        pdf.tulis(kontak, ukuran=9, align="C", tinggi=4.5)
    y = pdf.get_y() + 1.5
    pdf.set_line_width(0.8)
    pdf.line(TEPI, y, TEPI + LEBAR, y)
    pdf.set_line_width(0.2)
    pdf.line(TEPI, y + 1.2, TEPI + LEBAR, y + 1.2)
    pdf.set_y(y + 4)
    pdf.tulis("LEMBAR DISPOSISI", ukuran=14, tebal=True, align="C", tinggi=8)
    pdf.ln(1)

    # the letter
    tz = profil.timezone
    label_w = 38.0
    half = LEBAR / 2

    def baris(pasangan: list[tuple[str, str]]) -> None:
        y0 = pdf.get_y()
        w = LEBAR / len(pasangan)
        tinggi = 7.0
        pdf.set_font("Helvetica", "", 10)
        for i, (label, nilai) in enumerate(pasangan):
            x = TEPI + i * w
            pdf.set_xy(x, y0)
            pdf.set_font("Helvetica", "B", 9)
            pdf.cell(label_w if len(pasangan) == 1 else 30, tinggi, teks_aman(label))
            pdf.set_font("Helvetica", "", 10)
            isi_w = w - (label_w if len(pasangan) == 1 else 30) - 2
            pdf.cell(isi_w, tinggi, pdf.pas(": " + nilai, isi_w))
            pdf.rect(x, y0, w, tinggi)
        pdf.set_xy(TEPI, y0 + tinggi)

    baris([("Surat dari", surat.dari)])
    baris([("Nomor surat", surat.nomor), ("Tanggal surat", _tanggal(surat.tanggal))])
    diterima = fmt_waktu(surat.diterima, tz).split(", ", 1)[-1].replace(" pukul ", ", ")
    baris([("Nomor agenda", surat.nomor_agenda), ("Diterima tanggal", diterima)])

    # sifat: the four boxes, the letter's own marked
    y0 = pdf.get_y()
    pdf.set_font("Helvetica", "B", 9)
    pdf.set_xy(TEPI, y0)
    pdf.cell(label_w, 7, "Sifat")
    x = TEPI + label_w
    pdf.set_font("Helvetica", "", 10)
    for s in ("sangat_segera", "segera", "rahasia", "biasa"):
        pdf.kotak(x, y0 + 1, isi=s == surat.sifat)
        pdf.set_xy(x + 5, y0)
        label = LABEL_SIFAT[s]
        pdf.cell(30, 7, label)
        x += 35
    pdf.rect(TEPI, y0, LEBAR, 7)
    pdf.set_xy(TEPI, y0 + 7)

    # perihal: may wrap
    y0 = pdf.get_y()
    pdf.set_xy(TEPI, y0 + 1)
    pdf.set_font("Helvetica", "B", 9)
    pdf.cell(label_w, 5, "Perihal")
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(LEBAR - label_w - 2, 5, teks_aman(": " + surat.perihal),
                   new_x="LMARGIN", new_y="NEXT")
    y1 = max(pdf.get_y() + 1, y0 + 7)
    pdf.rect(TEPI, y0, LEBAR, y1 - y0)
    pdf.set_xy(TEPI, y1 + 3)

    # diteruskan kepada: two columns of check boxes
    def daftar_kotak(judul: str, isi: list[str], dicentang: set[str] = frozenset()) -> None:
        y0 = pdf.get_y()
        pdf.set_xy(TEPI + 2, y0 + 1)
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(LEBAR - 4, 6, teks_aman(judul))
        pdf.set_font("Helvetica", "", 9)
        kolom = half - 4
        rows = (len(isi) + 1) // 2
        for i, nama in enumerate(isi):
            x = TEPI + 2 + (i // rows) * half if rows else TEPI + 2
            y = y0 + 7.5 + (i % rows) * 5.5
            if y > pdf.h - 25:
                break  # an unusually long list: the last boxes stay on the page
            pdf.kotak(x, y, isi=nama in dicentang)
            pdf.set_xy(x + 5, y)
            for ukuran in (9, 8, 7.5):  # a long unit name gets smaller type before it is cut
                pdf.set_font("Helvetica", "", ukuran)
                if pdf.get_string_width(teks_aman(nama)) <= kolom - 6:
                    break
            pdf.cell(kolom - 6, 5, pdf.pas(nama, kolom - 6))
        tinggi = 8.5 + rows * 5.5
        pdf.rect(TEPI, y0, LEBAR, tinggi)
        pdf.set_xy(TEPI, y0 + tinggi + 3)

    diteruskan = [d for d in surat.disposisi if d.instruksi != "selesai"]
    daftar_kotak("Diteruskan kepada:", _tujuan(profil),
                 {profil.nama_jabatan(d.ke_jabatan) for d in diteruskan})
    daftar_kotak("Dengan hormat harap:", list(INSTRUKSI),
                 {KOTAK_INSTRUKSI[d.instruksi] for d in diteruskan
                  if d.instruksi in KOTAK_INSTRUKSI})

    # isi disposisi / catatan, then paraf: what is left of the page
    y0 = pdf.get_y()
    bawah = pdf.h - 12 - 6
    paraf_h = 22.0
    tinggi = max(30.0, bawah - y0 - paraf_h - 3)
    pdf.set_xy(TEPI + 2, y0 + 1)
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(LEBAR - 4, 6, "Isi disposisi / Catatan:")
    pdf.set_xy(TEPI + 2, y0 + 7)
    pdf.set_font("Helvetica", "", 9)
    for baris_langkah in langkah(surat, profil):
        if pdf.get_y() > y0 + tinggi - 5:
            break  # a very long chain: the first steps are on the page, all are on Telegram
        pdf.multi_cell(LEBAR - 4, 4.5, teks_aman(baris_langkah), new_x="LMARGIN",
                       new_y="NEXT")
        pdf.set_x(TEPI + 2)
    pdf.rect(TEPI, y0, LEBAR, tinggi)
    y0 += tinggi + 3
    if y0 + paraf_h > pdf.h - 12:
        pdf.add_page()
        y0 = pdf.get_y()
    pdf.rect(TEPI + half, y0, half, paraf_h)
    pdf.set_xy(TEPI + half + 2, y0 + 1)
    pdf.set_font("Helvetica", "B", 9)
    pdf.cell(half - 4, 5, "Paraf dan tanggal disposisi:")
    if diteruskan:  # given on Telegram: who disposed, and when
        pdf.set_font("Helvetica", "", 8)
        for i, d in enumerate(diteruskan[-3:]):
            waktu = fmt_waktu(d.waktu, tz).split(", ", 1)[-1].replace(" pukul ", " ")
            pdf.set_xy(TEPI + half + 2, y0 + 6 + i * 4.5)
            pdf.cell(half - 4, 4.5, pdf.pas(f"{d.oleh} - {waktu}", half - 4))
    else:
        pdf.set_xy(TEPI + half + 2, y0 + paraf_h - 6)
        pdf.set_font("Helvetica", "", 9)
        pdf.cell(half - 4, 5, "Tanggal: ....................................")
    pdf.set_xy(TEPI, y0)
    pdf.set_font("Helvetica", "", 8)
    catatan = f"Dicatat oleh: {surat.oleh}"
    if surat.scan is not None:
        catatan += f"\nPindaian: {surat.scan.nama}"
    if dicetak is not None:
        catatan += f"\nDicetak: {fmt_waktu(dicetak, tz)}"
    pdf.multi_cell(half - 4, 4, teks_aman(catatan), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
