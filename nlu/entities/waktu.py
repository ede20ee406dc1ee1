"""Indonesian calendar words and time-of-day rules used by the tanggal extractor.

Choices (documented because a citizen rarely says AM/PM):

- A part of day alone after a date means a fixed hour: ``pagi`` 09:00, ``siang``
  12:00, ``sore`` 15:00, ``malam`` 19:00 ("lusa pagi" → the day after tomorrow, 09:00).
- With an hour: ``siang`` moves 1–5 to the afternoon ("jam 2 siang" 14:00), ``sore``
  moves 1–11 ("jam 4 sore" 16:00), ``malam`` moves 6–11 ("jam 10 malam" 22:00) and
  12 to midnight; ``pagi`` keeps the hour.
- An hour without part of day is read in office hours: 1–6 are afternoon
  ("besok jam 2" 14:00), 7–12 and 0, 13–23 as written.
"""

from __future__ import annotations

__all__ = [
    "BAGIAN_HARI",
    "BULAN",
    "HARI",
    "ANGKA",
    "SATUAN",
    "SKOR",
    "jam_24",
]

HARI: dict[str, int] = {
    "senin": 0,
    "selasa": 1,
    "rabu": 2,
    "kamis": 3,
    "jumat": 4,
    "sabtu": 5,
    "minggu": 6,
    "ahad": 6,
}

BULAN: dict[str, int] = {}
for _nomor, _nama in enumerate(
    (
        "januari jan",
        "februari feb pebruari peb",
        "maret mar",
        "april apr",
        "mei",
        "juni jun",
        "juli jul",
        "agustus agu agt ags aug",
        "september sep sept",
        "oktober okt oct",
        "november nov nop",
        "desember des dec",
    ),
    start=1,
):
    for _kata in _nama.split():
        BULAN[_kata] = _nomor

#: Words after a number that make it a quantity ("1-2 hari", "3 orang"), not a date.
SATUAN: frozenset[str] = frozenset(
    "hari minggu pekan bulan tahun jam menit lembar orang kali rangkap eksemplar berkas".split()
)
#: Words before "10/10" that make it a score, not a date.
SKOR: frozenset[str] = frozenset("nilai nilainya skor skornya score rating poin bintang".split())

#: Part of day → the hour used when no hour is given.
BAGIAN_HARI: dict[str, int] = {"pagi": 9, "siang": 12, "sore": 15, "petang": 18, "malam": 19}

ANGKA: dict[str, int] = {
    "satu": 1,
    "dua": 2,
    "tiga": 3,
    "empat": 4,
    "lima": 5,
    "enam": 6,
    "tujuh": 7,
    "delapan": 8,
    "sembilan": 9,
    "sepuluh": 10,
    "sebelas": 11,
}


def jam_24(jam: int, bagian: str | None) -> int | None:
    """The 24-hour clock hour for an hour as said plus an optional part of day."""
    if not 0 <= jam <= 24:
        return None
    if jam == 24:
        return 0
    if bagian == "siang":
        return jam + 12 if 1 <= jam <= 5 else jam
    if bagian in ("sore", "petang"):
        return jam + 12 if 1 <= jam <= 11 else jam
    if bagian == "malam":
        if jam == 12:
            return 0
        return jam + 12 if 6 <= jam <= 11 else jam
    if bagian == "pagi":
        return 0 if jam == 12 else jam
    return jam + 12 if 1 <= jam <= 6 else jam
