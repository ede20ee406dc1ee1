"""Validators and normalisers for the identifiers citizens type.

Pure functions shared by the NLU, the dialogs, the storage layer and the admin CLI:
registration numbers (``PTSP-YYMMDD-NNNN``, ``ADU-…``, ``TMU-…``), the 16-digit NIK and
Indonesian mobile numbers in E.164. No I/O; only the standard library and
``phonenumbers``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

import phonenumbers

__all__ = [
    "PREFIX_NOMOR",
    "PROVINSI",
    "NikInfo",
    "NikTidakValid",
    "normalize_hp",
    "normalize_nomor",
    "validate_nik",
]

#: Prefixes of the numbers the system hands out (permohonan, pengaduan, tamu).
PREFIX_NOMOR: tuple[str, ...] = ("PTSP", "ADU", "TMU")

_NOMOR_RE = re.compile(
    r"(?P<prefix>PTSP|ADU|TMU)\s*[-_./:#]?\s*(?P<tanggal>\d{6})\s*[-_./]?\s*(?P<urut>\d{1,5})",
    re.IGNORECASE,
)


def normalize_nomor(text: str) -> str | None:
    """Return the canonical ``PREFIX-YYMMDD-NNNN`` form of a typed number, or None.

    Tolerates lower case, spaces or dots instead of dashes, missing dashes and dropped
    leading zeros of the sequence: ``ptsp 261120 42``, ``PTSP2611200042`` and
    ``Ptsp-261120-42`` all give ``PTSP-261120-0042``. A 5-digit sequence (past 9999) is
    kept; the date part must be a real date and the sequence must not be zero.
    """
    m = _NOMOR_RE.fullmatch(text.strip())
    if m is None:
        return None
    tanggal = m["tanggal"]
    try:
        date(2000 + int(tanggal[:2]), int(tanggal[2:4]), int(tanggal[4:]))
    except ValueError:
        return None
    urut = int(m["urut"])
    if urut == 0:
        return None
    return f"{m['prefix'].upper()}-{tanggal}-{urut:04d}"


# Kemendagri province codes (38 provinces), standards-id.md §2.1. 93–96 are the new
# Papua provinces (UU 14, 15, 16 and 29/2022); there is no 97.
PROVINSI: dict[str, str] = {
    "11": "Aceh",
    "12": "Sumatera Utara",
    "13": "Sumatera Barat",
    "14": "Riau",
    "15": "Jambi",
    "16": "Sumatera Selatan",
    "17": "Bengkulu",
    "18": "Lampung",
    "19": "Kepulauan Bangka Belitung",
    "21": "Kepulauan Riau",
    "31": "DKI Jakarta",
    "32": "Jawa Barat",
    "33": "Jawa Tengah",
    "34": "DI Yogyakarta",
    "35": "Jawa Timur",
    "36": "Banten",
    "51": "Bali",
    "52": "Nusa Tenggara Barat",
    "53": "Nusa Tenggara Timur",
    "61": "Kalimantan Barat",
    "62": "Kalimantan Tengah",
    "63": "Kalimantan Selatan",
    "64": "Kalimantan Timur",
    "65": "Kalimantan Utara",
    "71": "Sulawesi Utara",
    "72": "Sulawesi Tengah",
    "73": "Sulawesi Selatan",
    "74": "Sulawesi Tenggara",
    "75": "Gorontalo",
    "76": "Sulawesi Barat",
    "81": "Maluku",
    "82": "Maluku Utara",
    "91": "Papua",
    "92": "Papua Barat",
    "93": "Papua Selatan",
    "94": "Papua Tengah",
    "95": "Papua Pegunungan",
    "96": "Papua Barat Daya",
}


class NikTidakValid(ValueError):
    """A NIK that cannot be right; the message is an Indonesian reason for the citizen."""


@dataclass(frozen=True, slots=True)
class NikInfo:
    """What a valid NIK tells: place of first registration, birth date and sex."""

    nik: str
    provinsi_kode: str
    provinsi: str
    tanggal_lahir: date
    jenis_kelamin: Literal["L", "P"]


_NIK_SEPARATORS = re.compile(r"[\s.\-]")


def validate_nik(text: str, today: date) -> NikInfo:
    """Check a NIK (``PP KK CC DDMMYY SSSS``) and decode it.

    Spaces, dots and dashes are ignored. Women's birth day is stored +40. The century
    is the latest one that does not put the birth date after ``today``. KK, CC and the
    serial must not be all zeros (a heuristic, not a regulation).

    Raises:
        NikTidakValid: with the reason in Indonesian.
    """
    nik = _NIK_SEPARATORS.sub("", text)
    if not nik.isascii() or not nik.isdigit():
        raise NikTidakValid("NIK hanya boleh berisi angka.")
    if len(nik) != 16:
        raise NikTidakValid(f"NIK harus 16 digit, yang dikirim {len(nik)} digit.")
    kode = nik[:2]
    if kode not in PROVINSI:
        raise NikTidakValid(f"Kode provinsi {kode} pada NIK tidak dikenal.")
    if nik[2:4] == "00":
        raise NikTidakValid("Kode kabupaten/kota pada NIK tidak boleh 00.")
    if nik[4:6] == "00":
        raise NikTidakValid("Kode kecamatan pada NIK tidak boleh 00.")
    if nik[12:] == "0000":
        raise NikTidakValid("Nomor urut pada NIK tidak boleh 0000.")
    hari, bulan, tahun = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    jenis_kelamin: Literal["L", "P"] = "L"
    if hari > 40:
        hari -= 40
        jenis_kelamin = "P"
    lahir = _tanggal_lahir(hari, bulan, tahun, today)
    return NikInfo(
        nik=nik,
        provinsi_kode=kode,
        provinsi=PROVINSI[kode],
        tanggal_lahir=lahir,
        jenis_kelamin=jenis_kelamin,
    )


def _tanggal_lahir(hari: int, bulan: int, tahun: int, today: date) -> date:
    if not 1 <= bulan <= 12:
        raise NikTidakValid(f"Bulan lahir {bulan:02d} pada NIK tidak valid.")
    for abad in (2000, 1900):
        try:
            lahir = date(abad + tahun, bulan, hari)
        except ValueError:
            continue
        if lahir <= today:
            return lahir
    raise NikTidakValid(f"Tanggal lahir {hari:02d}-{bulan:02d}-{tahun:02d} pada NIK tidak valid.")


_HP_SCHEME = re.compile(r"^\s*(?:whatsapp|wa|tel)\s*:\s*", re.IGNORECASE)
_HP_ALLOWED = re.compile(r"[\d+\s.\-()/]+")
_HP_NSN = re.compile(r"8[1-35-9]\d{7,10}")


def normalize_hp(text: str) -> str | None:
    """Return an Indonesian mobile number in E.164 (``+628…``), or None.

    Accepts ``0812…``, ``62812…``, ``0062 812…``, ``+62 812-…``, the common typo
    ``+62 0812…`` and ``whatsapp:+62812…``. Landlines (``0561 736541``) and anything
    that is not a mobile number pattern give None. The leading ``62`` is stripped by
    hand because ``phonenumbers`` mis-reads a bare ``62`` + landline as national.
    """
    raw = _HP_SCHEME.sub("", text).strip()
    if not raw or not _HP_ALLOWED.fullmatch(raw) or raw.count("+") > 1:
        return None
    if "+" in raw and not raw.startswith("+"):
        return None
    digits = re.sub(r"\D", "", raw)
    international = raw.startswith("+") or digits.startswith("00")
    if not raw.startswith("+") and digits.startswith("00"):
        digits = digits[2:]
    if international and not digits.startswith("62"):
        return None  # another country's number (+852…, +886…): never rewrite it as +62
    if digits.startswith("62"):
        nsn = digits[2:]
    elif digits.startswith("0"):
        nsn = digits[1:]
    else:
        nsn = digits
    if nsn.startswith("0"):
        nsn = nsn[1:]
    if not _HP_NSN.fullmatch(nsn):
        return None
    number = phonenumbers.parse("+62" + nsn)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
