from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from nlu.entities.tanggal import TanggalExtractor
from nlu.normalize import normalize

JAKARTA = ZoneInfo("Asia/Jakarta")
TUESDAY = datetime(2026, 11, 24, 9, 0, tzinfo=JAKARTA)  # the data's reference time
THURSDAY = datetime(2026, 11, 26, 10, 0, tzinfo=JAKARTA)
FRIDAY_EVENING = datetime(2026, 11, 27, 19, 30, tzinfo=JAKARTA)


def tanggal(text: str, now: datetime = TUESDAY, tz: str = "Asia/Jakarta") -> list[str]:
    return [f.value for f in TanggalExtractor(tz).find(normalize(text), now)]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("besok jam 10", "2026-11-25T10:00:00+07:00"),
        ("besok jam 10 malam", "2026-11-25T22:00:00+07:00"),
        ("lusa", "2026-11-26"),
        ("lusa pagi", "2026-11-26T09:00:00+07:00"),
        ("besok sore", "2026-11-25T15:00:00+07:00"),
        ("kamis depan", "2026-12-03"),
        ("rabu depan", "2026-12-02"),
        ("kamis", "2026-11-26"),
        ("hari kamis", "2026-11-26"),
        ("kamis minggu depan", "2026-12-03"),
        ("27/11 pukul 13.30", "2026-11-27T13:30:00+07:00"),
        ("tgl 3 des", "2026-12-03"),
        ("tanggal 7 desember", "2026-12-07"),
        ("3 desember 2026", "2026-12-03"),
        ("senin 30 november jam 9 pagi", "2026-11-30T09:00:00+07:00"),
        ("jumat 4 desember pukul 09.30", "2026-12-04T09:30:00+07:00"),
        ("8 des jam 13.00", "2026-12-08T13:00:00+07:00"),
        ("lusa jam 10.00", "2026-11-26T10:00:00+07:00"),
        ("hari ini", "2026-11-24"),
        ("minggu depan", "2026-11-30"),
        ("pekan depan", "2026-11-30"),
        ("hari minggu", "2026-11-29"),
        ("jam 2 siang", "2026-11-24T14:00:00+07:00"),
        ("besok jam 2 siang", "2026-11-25T14:00:00+07:00"),
        ("besok pukul 10:00 WIB", "2026-11-25T10:00:00+07:00"),
        ("besok jam setengah 10", "2026-11-25T09:30:00+07:00"),
        ("27-11-2026", "2026-11-27"),
        ("tgl 30", "2026-11-30"),
    ],
)
def test_indonesian_date_expressions(text, value):
    assert tanggal(text) == [value]


def test_entity_span_covers_date_and_time_in_the_original_text():
    text = "mau ketemu Besok Jam 10 ya"
    found = TanggalExtractor("Asia/Jakarta").find(normalize(text), TUESDAY)
    assert [text[f.start : f.end] for f in found] == ["Besok Jam 10"]


def test_abbreviated_forms_are_understood():
    assert tanggal("bsk jm 10") == ["2026-11-25T10:00:00+07:00"]


def test_kamis_depan_on_a_thursday_is_seven_days_later():
    assert tanggal("kamis depan", THURSDAY) == ["2026-12-03"]


def test_bare_weekday_excludes_today():
    assert tanggal("kamis", THURSDAY) == ["2026-12-03"]
    assert tanggal("jumat", THURSDAY) == ["2026-11-27"]


def test_besok_on_a_friday_evening_is_saturday():
    assert tanggal("besok", FRIDAY_EVENING) == ["2026-11-28"]


def test_past_date_without_a_year_rolls_to_next_year():
    assert tanggal("20/11") == ["2027-11-20"]
    assert tanggal("3 januari") == ["2027-01-03"]


def test_today_without_a_year_is_today():
    assert tanggal("24/11") == ["2026-11-24"]


def test_time_alone_that_has_passed_is_tomorrow():
    assert tanggal("jam 8") == ["2026-11-25T08:00:00+07:00"]
    assert tanggal("jam 10") == ["2026-11-24T10:00:00+07:00"]


def test_hour_without_part_of_day_is_read_in_office_hours():
    assert tanggal("besok jam 2") == ["2026-11-25T14:00:00+07:00"]
    assert tanggal("besok jam 9") == ["2026-11-25T09:00:00+07:00"]


def test_offset_follows_the_office_timezone():
    now = datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo("Asia/Makassar"))
    assert tanggal("besok jam 10", now, "Asia/Makassar") == ["2026-11-25T10:00:00+08:00"]


def test_now_in_another_timezone_is_converted_to_the_office_timezone():
    utc_late = datetime(2026, 11, 24, 20, 0, tzinfo=ZoneInfo("UTC"))  # 03:00 WIB on the 25th
    assert tanggal("besok", utc_late) == ["2026-11-26"]


def test_naive_now_is_taken_as_office_time():
    assert tanggal("besok", datetime(2026, 11, 24, 9, 0)) == ["2026-11-25"]


@pytest.mark.parametrize(
    "text",
    [
        "prosesnya 1-2 hari",
        "sudah 1 minggu belum jadi",
        "saya butuh minggu ini",
        "nilainya 10/10",
        "jam layanan berapa",
        "tanggal merah buka?",
        "selamat pagi",
        "31/11",
        "pas jumatan tutup ya",
    ],
)
def test_things_that_are_not_dates(text):
    assert tanggal(text) == []


def test_two_separate_dates():
    assert tanggal("besok atau lusa") == ["2026-11-25", "2026-11-26"]
