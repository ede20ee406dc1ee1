"""Survei Kepuasan Masyarakat: IKM per PermenPANRB 14/2017 and the paper-survey CSV import.

IKM is computed exactly with ``Fraction`` (weight exactly 1/9 per unsur), rounded half-up
to 2 decimals, and only then classified, so that all answers 4 give 100.00, not 99.90.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

UNSUR: tuple[str, ...] = (
    "Persyaratan",
    "Sistem, Mekanisme, dan Prosedur",
    "Waktu Penyelesaian",
    "Biaya/Tarif",
    "Produk Spesifikasi Jenis Pelayanan",
    "Kompetensi Pelaksana",
    "Perilaku Pelaksana",
    "Penanganan Pengaduan, Saran dan Masukan",
    "Sarana dan Prasarana",
)
"""The 9 unsur U1..U9 in the order of PermenPANRB 14/2017."""

KOLOM_UNSUR: tuple[str, ...] = tuple(f"u{i}" for i in range(1, len(UNSUR) + 1))

# Closed lower thresholds on the 2-decimal IKM (NIK, 25..100), best first.
_MUTU: tuple[tuple[Decimal, str, str], ...] = (
    (Decimal("88.31"), "A", "Sangat Baik"),
    (Decimal("76.61"), "B", "Baik"),
    (Decimal("65.00"), "C", "Kurang Baik"),
    (Decimal("25.00"), "D", "Tidak Baik"),
)


def _bulat(value: Fraction, digits: int) -> Decimal:
    """Rounds a non-negative fraction half-up to ``digits`` decimals, exactly."""
    scaled = math.floor(value * 10**digits + Fraction(1, 2))
    return Decimal(scaled).scaleb(-digits)


@dataclass(frozen=True)
class Jawaban:
    """One respondent's answers to U1..U9, each 1..4."""

    nilai: tuple[int, ...]

    def __post_init__(self) -> None:
        nilai = tuple(self.nilai)
        if len(nilai) != len(UNSUR):
            raise ValueError(f"jawaban harus {len(UNSUR)} nilai (u1–u9), bukan {len(nilai)}")
        for kolom, v in zip(KOLOM_UNSUR, nilai, strict=True):
            if isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= 4:
                raise ValueError(f"{kolom} harus 1–4, bukan {v!r}")
        object.__setattr__(self, "nilai", nilai)


@dataclass(frozen=True)
class HasilIKM:
    """The survey result; everything but ``responden`` is None without respondents."""

    responden: int
    nrr: tuple[Decimal, ...] | None
    ikm: Decimal | None
    mutu: str | None
    kinerja: str | None

    def to_json(self) -> dict:
        """Returns the ``skm report --json`` object of CONTRACT.md."""
        return {
            "responden": self.responden,
            "nrr": None if self.nrr is None else [round(float(x), 3) for x in self.nrr],
            "ikm": None if self.ikm is None else round(float(self.ikm), 2),
            "mutu": self.mutu,
            "kinerja": self.kinerja,
        }


def mutu_dari_ikm(ikm: Decimal) -> tuple[str, str]:
    """Classifies an IKM (25..100) into (mutu, kinerja), e.g. ``("B", "Baik")``.

    The value is first rounded half-up to 2 decimals, then compared with the closed lower
    thresholds 88.31 (A), 76.61 (B) and 65.00 (C); anything lower is D.
    """
    nilai = (ikm if isinstance(ikm, Decimal) else Decimal(str(ikm))).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    if not Decimal("25") <= nilai <= Decimal("100"):
        raise ValueError(f"IKM harus antara 25 dan 100, bukan {ikm}")
    for batas, mutu, kinerja in _MUTU:
        if nilai >= batas:
            return mutu, kinerja
    raise AssertionError("unreachable")  # pragma: no cover


def hitung_ikm(jawaban: Iterable[Jawaban]) -> HasilIKM:
    """Computes NRR per unsur and the IKM of a set of questionnaires."""
    jumlah = [0] * len(UNSUR)
    responden = 0
    for j in jawaban:
        responden += 1
        for i, v in enumerate(j.nilai):
            jumlah[i] += v
    return hitung_ikm_jumlah(responden, jumlah)


def hitung_ikm_jumlah(responden: int, jumlah: Sequence[int]) -> HasilIKM:
    """The same from the respondents' count and the sum of the answers to each unsur
    (what the store adds up in SQL).
    """
    if responden == 0:
        return HasilIKM(responden=0, nrr=None, ikm=None, mutu=None, kinerja=None)
    nrr = [Fraction(s, responden) for s in jumlah]
    ikm = _bulat(sum(nrr, Fraction(0)) / len(UNSUR) * 25, 2)
    mutu, kinerja = mutu_dari_ikm(ikm)
    return HasilIKM(
        responden=responden,
        nrr=tuple(_bulat(x, 3) for x in nrr),
        ikm=ikm,
        mutu=mutu,
        kinerja=kinerja,
    )


def mutu_unsur(responden: int, jumlah: int) -> tuple[Decimal, str, str]:
    """One unsur's nilai konversi (NRR × 25, exact, half-up to 2 decimals) and its mutu."""
    nilai = _bulat(Fraction(jumlah, responden) * 25, 2)
    return (nilai, *mutu_dari_ikm(nilai))


def sampel_minimum(populasi: int) -> int:
    """Krejcie & Morgan (1970), as PermenPANRB 14/2017 allows: the smallest sample for a
    population of N at 95 % confidence and 5 % error (X² = 3.841, P = 0.5, d = 0.05),
    rounded up: 100 → 80, 1,000 → 278, 1,000,000 → 384.
    """
    if populasi <= 0:
        return 0
    x2, p, d = Fraction(3841, 1000), Fraction(1, 2), Fraction(5, 100)
    s = x2 * populasi * p * (1 - p) / (d * d * (populasi - 1) + x2 * p * (1 - p))
    return math.ceil(s)


# ------------------------------------------------------------------ CSV import


@dataclass(frozen=True)
class BarisSKM:
    """One imported questionnaire; ``tanggal``/``layanan`` are None when left empty."""

    baris: int
    tanggal: date | None
    layanan: str | None
    jawaban: Jawaban


class SKMImportError(ValueError):
    """A CSV that cannot be imported; the message names the (first) bad line, in Indonesian.

    Attributes:
        kesalahan: every problem found, each ``"baris N: ..."``.
    """

    def __init__(self, kesalahan: list[str]) -> None:
        self.kesalahan: tuple[str, ...] = tuple(kesalahan)
        pesan = kesalahan[0]
        if len(kesalahan) > 1:
            pesan += f" (dan {len(kesalahan) - 1} kesalahan lain)"
        super().__init__(pesan)


_TANGGAL_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NILAI_RE = re.compile(r"^[1-4]$")


def _baris_skm(
    no: int, sel: dict[str, str], layanan_dikenal: Collection[str] | None
) -> tuple[BarisSKM | None, list[str]]:
    salah: list[str] = []
    nilai: list[int] = []
    for kolom in KOLOM_UNSUR:
        v = sel[kolom]
        if not v:
            salah.append(f"baris {no}: {kolom} kosong (harus 1–4)")
        elif not _NILAI_RE.match(v):
            salah.append(f"baris {no}: {kolom} harus 1–4, bukan '{v}'")
        else:
            nilai.append(int(v))
    tanggal: date | None = None
    if t := sel.get("tanggal"):
        try:
            if not _TANGGAL_RE.match(t):
                raise ValueError(t)
            tanggal = date.fromisoformat(t)
        except ValueError:
            salah.append(f"baris {no}: tanggal harus berformat YYYY-MM-DD, bukan '{t}'")
    layanan = sel.get("layanan") or None
    if layanan is not None and layanan_dikenal is not None and layanan not in layanan_dikenal:
        salah.append(f"baris {no}: layanan '{layanan}' tidak dikenal")
    if salah:
        return None, salah
    return BarisSKM(no, tanggal, layanan, Jawaban(tuple(nilai))), []


def parse_csv_skm(text: str, *, layanan_dikenal: Collection[str] | None = None) -> list[BarisSKM]:
    """Parses a paper-survey CSV; all-or-nothing.

    The header (line 1) names ``u1``..``u9`` in any order and case, optionally ``tanggal``
    (ISO date) and ``layanan`` (catalog code); other columns are ignored. The delimiter
    (``,`` or ``;``) is taken from the header line. A UTF-8 BOM and blank lines (also rows
    of only empty cells) are ignored. Line numbers count physical lines, header = 1.

    Raises:
        SKMImportError: on any bad row or header, naming the line number; it lists every
            problem in ``kesalahan``.
    """
    lines = text.removeprefix("\ufeff").split("\n")
    lines = [ln.removesuffix("\r") for ln in lines]
    no_header = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    if no_header is None:
        raise SKMImportError(["baris 1: berkas kosong, header u1–u9 tidak ada"])
    header_line = lines[no_header]
    delim = ";" if header_line.count(";") > header_line.count(",") else ","

    def sel(line: str) -> list[str]:
        return [c.strip() for c in next(csv.reader([line], delimiter=delim))]

    header = [h.lower().removeprefix("\ufeff") for h in sel(header_line)]
    no = no_header + 1
    dobel = sorted({h for h in header if h and header.count(h) > 1})
    if dobel:
        raise SKMImportError([f"baris {no}: kolom ganda: {', '.join(dobel)}"])
    kurang = [k for k in KOLOM_UNSUR if k not in header]
    if kurang:
        raise SKMImportError([f"baris {no}: kolom wajib tidak ada: {', '.join(kurang)}"])

    hasil: list[BarisSKM] = []
    salah: list[str] = []
    for i in range(no_header + 1, len(lines)):
        no = i + 1
        if not lines[i].strip():
            continue
        cells = sel(lines[i])
        if not any(cells):
            continue
        if len(cells) != len(header):
            salah.append(f"baris {no}: ada {len(cells)} kolom, seharusnya {len(header)}")
            continue
        baris, masalah = _baris_skm(no, dict(zip(header, cells, strict=True)), layanan_dikenal)
        salah.extend(masalah)
        if baris is not None:
            hasil.append(baris)
    if salah:
        raise SKMImportError(salah)
    return hasil
