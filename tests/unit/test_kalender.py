from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest

from domain.kalender import JamLayanan, KalenderKerja, PeriodeKhusus

WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")

# The hours of config.yml (kantor[0]).
JAM_CONFIG = {
    "senin": [["08:00", "16:00"]],
    "selasa": [["08:00", "16:00"]],
    "rabu": [["08:00", "16:00"]],
    "kamis": [["08:00", "16:00"]],
    "jumat": [["08:00", "11:30"], ["13:30", "16:30"]],
    "sabtu": [],
    "minggu": [],
}
RAMADAN_CONFIG = {
    "nama": "Ramadan 1447 H",
    "mulai": "2026-02-18",
    "selesai": "2026-03-19",
    "jam_layanan": {
        "senin": [["08:00", "15:00"]],
        "selasa": [["08:00", "15:00"]],
        "rabu": [["08:00", "15:00"]],
        "kamis": [["08:00", "15:00"]],
        "jumat": [["08:00", "11:30"], ["13:00", "15:30"]],
        "sabtu": [],
        "minggu": [],
    },
}


def wib(*args: int) -> datetime:
    return datetime(*args, tzinfo=WIB)


def make_kalender(tz: str = "Asia/Jakarta", **kwargs) -> KalenderKerja:
    return KalenderKerja(
        tz,
        JamLayanan.from_config(JAM_CONFIG),
        [PeriodeKhusus.from_config(RAMADAN_CONFIG)],
        **kwargs,
    )


@pytest.fixture
def kal() -> KalenderKerja:
    return make_kalender()


# ---------------------------------------------------------------- JamLayanan


def test_jam_layanan_from_config_reads_weekdays_and_friday_break():
    jam = JamLayanan.from_config(JAM_CONFIG)
    assert jam.ranges[0] == ((time(8), time(16)),)
    assert jam.ranges[4] == ((time(8), time(11, 30)), (time(13, 30), time(16, 30)))
    assert jam.ranges[5] == () and jam.ranges[6] == ()


def test_jam_layanan_missing_day_is_closed():
    jam = JamLayanan.from_config({"senin": [["08:00", "12:00"]]})
    assert jam.ranges[1] == ()


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({"jumaat": []}, "unknown day 'jumaat'"),
        ({"senin": [["08:00"]]}, "jam_layanan.senin[0]"),
        ({"senin": [["8.00", "16:00"]]}, "'HH:MM'"),
        ({"senin": [["08:00", 810]]}, "quote the time"),
        ({"senin": [["16:00", "08:00"]]}, "must start before it ends"),
        ({"senin": [["08:00", "12:00"], ["11:00", "16:00"]]}, "overlap"),
        ({"senin": "08:00-16:00"}, "list of [start, end] pairs"),
    ],
)
def test_jam_layanan_bad_config_raises_clear_value_error(data, fragment):
    with pytest.raises(ValueError, match=fragment.replace("[", r"\[").replace("(", r"\(")):
        JamLayanan.from_config(data)


def test_periode_khusus_rejects_end_before_start():
    with pytest.raises(ValueError, match="before"):
        PeriodeKhusus("x", date(2026, 3, 2), date(2026, 3, 1), JamLayanan.from_config({}))


def test_overlapping_special_periods_are_rejected():
    p = PeriodeKhusus.from_config(RAMADAN_CONFIG)
    with pytest.raises(ValueError, match="overlap"):
        KalenderKerja("Asia/Jakarta", JamLayanan.from_config(JAM_CONFIG), [p, p])


def test_unknown_timezone_is_a_value_error():
    with pytest.raises(ValueError, match="timezone"):
        KalenderKerja("Asia/Atlantis", JamLayanan.from_config(JAM_CONFIG))


def test_from_config_reads_a_kantor_entry():
    kal = KalenderKerja.from_config(
        {
            "timezone": "Asia/Makassar",
            "jam_layanan": JAM_CONFIG,
            "periode_khusus": [RAMADAN_CONFIG],
            "libur_tambahan": [{"tanggal": date(2026, 12, 31), "nama": "Kegiatan akhir tahun"}],
            "hari_kerja_tambahan": ["2026-12-24"],
        }
    )
    assert kal.tz == WITA
    assert kal.libur(date(2026, 12, 31)) == "Kegiatan akhir tahun"
    assert kal.is_working_day(date(2026, 12, 24))


# ---------------------------------------------------------------- days


def test_national_holidays_and_cuti_bersama_come_from_holidays_package(kal):
    assert kal.libur(date(2026, 12, 25)) == "Hari Raya Natal"
    assert kal.libur(date(2026, 12, 24)) == "Cuti Bersama Hari Raya Natal"
    assert kal.libur(date(2026, 3, 19)) == "Hari Suci Nyepi"
    assert kal.libur(date(2026, 3, 18)) == "Cuti Bersama Hari Suci Nyepi"
    for d in (date(2026, 3, 20), date(2026, 3, 23), date(2026, 3, 24)):
        assert kal.libur(d) == "Cuti Bersama Hari Raya Idul Fitri"
    assert kal.libur(date(2026, 3, 21)) == "Hari Raya Idul Fitri"
    assert kal.libur(date(2026, 11, 27)) is None


def test_weekend_and_holiday_are_not_working_days(kal):
    assert kal.is_working_day(date(2026, 11, 27))  # Friday
    assert not kal.is_working_day(date(2026, 11, 28))  # Saturday, no hours
    assert kal.libur(date(2026, 11, 28)) is None  # closed, but not a holiday
    assert not kal.is_working_day(date(2026, 12, 25))
    assert not kal.is_working_day(date(2026, 3, 23))


def test_holidays_work_for_any_year(kal):
    assert kal.libur(date(2027, 1, 1)) == "Tahun Baru Masehi"
    assert kal.libur(date(2031, 8, 17)) == "Hari Kemerdekaan Republik Indonesia"


def test_ranges_on_uses_normal_and_ramadan_hours(kal):
    assert kal.ranges_on(date(2026, 11, 27)) == [
        (wib(2026, 11, 27, 8), wib(2026, 11, 27, 11, 30)),
        (wib(2026, 11, 27, 13, 30), wib(2026, 11, 27, 16, 30)),
    ]
    assert kal.ranges_on(date(2026, 2, 23)) == [(wib(2026, 2, 23, 8), wib(2026, 2, 23, 15))]
    assert kal.ranges_on(date(2026, 2, 27)) == [
        (wib(2026, 2, 27, 8), wib(2026, 2, 27, 11, 30)),
        (wib(2026, 2, 27, 13), wib(2026, 2, 27, 15, 30)),
    ]
    assert kal.ranges_on(date(2026, 3, 25)) == [(wib(2026, 3, 25, 8), wib(2026, 3, 25, 16))]
    assert kal.ranges_on(date(2026, 12, 25)) == []
    assert kal.ranges_on(date(2026, 11, 29)) == []


def test_libur_tambahan_closes_an_ordinary_day():
    kal = make_kalender(libur_tambahan={date(2026, 12, 31): "Kegiatan akhir tahun"})
    assert kal.libur(date(2026, 12, 31)) == "Kegiatan akhir tahun"
    assert not kal.is_working_day(date(2026, 12, 31))
    # Wed 30 Dec 15:00 + 2 h: 1 h on Wed, Thu 31 closed, Fri 1 Jan 2027 New Year → Mon 4 Jan.
    assert kal.add_working_minutes(wib(2026, 12, 30, 15), 120) == wib(2027, 1, 4, 9)


def test_hari_kerja_tambahan_overrides_cuti_bersama():
    kal = make_kalender(hari_kerja_tambahan=[date(2026, 12, 24)])
    assert kal.libur(date(2026, 12, 24)) is None
    assert kal.is_working_day(date(2026, 12, 24))
    assert kal.add_working_minutes(wib(2026, 12, 23, 15), 120) == wib(2026, 12, 24, 9)


def test_hari_kerja_tambahan_does_not_open_a_weekend():
    kal = make_kalender(hari_kerja_tambahan=[date(2026, 3, 21)])  # Saturday, Idul Fitri
    assert kal.libur(date(2026, 3, 21)) is None
    assert not kal.is_working_day(date(2026, 3, 21))


def test_a_date_cannot_be_both_closed_and_worked():
    with pytest.raises(ValueError, match="both"):
        make_kalender(
            libur_tambahan={date(2026, 12, 31): "x"}, hari_kerja_tambahan=[date(2026, 12, 31)]
        )


# ---------------------------------------------------------------- moments


def test_is_open_uses_half_open_ranges_and_the_friday_break(kal):
    assert kal.is_open(wib(2026, 11, 27, 8))
    assert kal.is_open(wib(2026, 11, 27, 11, 29))
    assert not kal.is_open(wib(2026, 11, 27, 11, 30))
    assert not kal.is_open(wib(2026, 11, 27, 12))
    assert kal.is_open(wib(2026, 11, 27, 13, 30))
    assert not kal.is_open(wib(2026, 11, 26, 16))
    assert not kal.is_open(wib(2026, 12, 25, 10))


def test_next_open(kal):
    assert kal.next_open(wib(2026, 11, 26, 10)) == wib(2026, 11, 26, 10)
    assert kal.next_open(wib(2026, 11, 26, 6)) == wib(2026, 11, 26, 8)
    assert kal.next_open(wib(2026, 11, 27, 12)) == wib(2026, 11, 27, 13, 30)
    assert kal.next_open(wib(2026, 11, 27, 16, 30)) == wib(2026, 11, 30, 8)
    assert kal.next_open(wib(2026, 12, 23, 17)) == wib(2026, 12, 28, 8)


def test_add_working_minutes_across_a_weekend(kal):
    # Fri 15:30 → 16:30 is 60 min, the other 60 on Monday.
    assert kal.add_working_minutes(wib(2026, 11, 27, 15, 30), 120) == wib(2026, 11, 30, 9)


def test_add_working_minutes_across_christmas_and_cuti_bersama(kal):
    # Wed 23 Dec: 60 min; Thu 24 cuti bersama; Fri 25 Natal; weekend; Mon 28: 60 min.
    assert kal.add_working_minutes(wib(2026, 12, 23, 15), 120) == wib(2026, 12, 28, 9)


def test_add_working_minutes_across_nyepi_and_idul_fitri_cuti_bersama(kal):
    # Tue 17 Mar (Ramadan, closes 15:00): 60 min; 18 cuti, 19 Nyepi, 20 cuti, 21-22 Idul
    # Fitri/weekend, 23-24 cuti; Wed 25 Mar has normal hours again: 60 min.
    assert kal.add_working_minutes(wib(2026, 3, 17, 14), 120) == wib(2026, 3, 25, 9)


def test_add_working_minutes_skips_the_friday_break(kal):
    assert kal.add_working_minutes(wib(2026, 11, 27, 11), 60) == wib(2026, 11, 27, 14)


def test_add_working_minutes_on_a_ramadan_day(kal):
    assert kal.add_working_minutes(wib(2026, 2, 23, 14, 30), 60) == wib(2026, 2, 24, 8, 30)


def test_add_working_minutes_result_at_closing_stays_at_closing(kal):
    assert kal.add_working_minutes(wib(2026, 11, 26, 15), 60) == wib(2026, 11, 26, 16)
    assert kal.add_working_minutes(wib(2026, 11, 27, 11), 30) == wib(2026, 11, 27, 11, 30)


def test_add_working_minutes_from_outside_hours_starts_at_next_opening(kal):
    assert kal.add_working_minutes(wib(2026, 11, 28, 10), 65) == wib(2026, 11, 30, 9, 5)
    assert kal.add_working_minutes(wib(2026, 11, 26, 20), 0) == wib(2026, 11, 27, 8)


def test_add_working_minutes_rejects_negative(kal):
    with pytest.raises(ValueError):
        kal.add_working_minutes(wib(2026, 11, 26, 10), -1)


def test_add_working_days_across_holidays_matches_holidays_reference(kal):
    ref = holidays.country_holidays(
        "ID", years=2026, categories=("public", "government"), language="id"
    )
    assert ref.get_nth_working_day(date(2026, 3, 17), 5) == date(2026, 3, 31)
    # 10:00 on a Ramadan day is 120 min after opening → 10:00 on a normal Tuesday.
    assert kal.add_working_days(wib(2026, 3, 17, 10), 5) == wib(2026, 3, 31, 10)


def test_add_working_days_keeps_elapsed_minutes_and_clamps_to_closing(kal):
    assert kal.add_working_days(wib(2026, 11, 23, 10), 1) == wib(2026, 11, 24, 10)
    # Mon 12:00 = 240 min after opening; Friday has 210 before the break → 13:30 + 30.
    assert kal.add_working_days(wib(2026, 11, 23, 12), 4) == wib(2026, 11, 27, 14)
    # Thu 15:30 = 450 min; a Friday has only 390 → its closing time.
    assert kal.add_working_days(wib(2026, 11, 26, 15, 30), 1) == wib(2026, 11, 27, 16, 30)
    # Ramadan Thu 14:50 = 410 min; a Ramadan Friday has 360 and closes at 15:30.
    assert kal.add_working_days(wib(2026, 2, 26, 14, 50), 1) == wib(2026, 2, 27, 15, 30)
    # Ramadan Thu closes at 15:00, so 15:00 already counts from Friday's opening.
    assert kal.add_working_days(wib(2026, 2, 26, 15), 1) == wib(2026, 3, 2, 8)


def test_add_working_days_from_outside_hours_starts_at_next_opening(kal):
    assert kal.add_working_days(wib(2026, 11, 28, 10), 0) == wib(2026, 11, 30, 8)
    assert kal.add_working_days(wib(2026, 11, 26, 16), 1) == wib(2026, 11, 30, 8)


def test_sixty_working_days_are_computed_efficiently():
    class Counting(KalenderKerja):
        calls = 0

        def libur(self, d):
            Counting.calls += 1
            return super().libur(d)

    kal = Counting(
        "Asia/Jakarta",
        JamLayanan.from_config(JAM_CONFIG),
        [PeriodeKhusus.from_config(RAMADAN_CONFIG)],
    )
    ref = holidays.country_holidays(
        "ID", years=2026, categories=("public", "government"), language="id"
    )
    expected_day = ref.get_nth_working_day(date(2026, 1, 5), 60)
    assert expected_day == date(2026, 4, 10)
    assert kal.add_working_days(wib(2026, 1, 5, 9), 60) == wib(2026, 4, 10, 9)
    assert Counting.calls < 400


def test_add_working_minutes_over_a_long_span_is_the_inverse_of_counting(kal):
    start = wib(2026, 1, 5, 9, 17)
    for minutes in (1, 59, 480, 2_311, 60 * 480):
        end = kal.add_working_minutes(start, minutes)
        assert kal.working_minutes_between(start, end) == minutes


def test_working_minutes_between_across_a_weekend(kal):
    assert kal.working_minutes_between(wib(2026, 11, 27, 15, 30), wib(2026, 11, 30, 9, 30)) == 150
    # A whole ordinary week: 4 × 480 + 390.
    assert kal.working_minutes_between(wib(2026, 11, 23), wib(2026, 11, 30)) == 2310
    assert kal.working_minutes_between(wib(2026, 11, 30), wib(2026, 11, 23)) == 0
    assert kal.working_minutes_between(wib(2026, 12, 24, 9), wib(2026, 12, 25, 12)) == 0


def test_naive_datetimes_are_rejected(kal):
    naive = datetime(2026, 11, 27, 10)
    for call in (
        lambda: kal.is_open(naive),
        lambda: kal.next_open(naive),
        lambda: kal.add_working_minutes(naive, 10),
        lambda: kal.add_working_days(naive, 1),
        lambda: kal.working_minutes_between(naive, wib(2026, 11, 28)),
    ):
        with pytest.raises(ValueError, match="timezone-aware"):
            call()


def test_other_timezones_convert_input_and_answer_in_the_office_zone():
    kal = make_kalender("Asia/Makassar")
    # 07:30 WIB = 08:30 WITA: open in Makassar.
    assert kal.is_open(wib(2026, 11, 27, 7, 30))
    result = kal.next_open(wib(2026, 11, 30, 6))  # 07:00 WITA
    assert result == datetime(2026, 11, 30, 8, tzinfo=WITA)
    assert result.tzinfo == WITA and result.utcoffset() == timedelta(hours=8)
    assert kal.add_working_minutes(datetime(2026, 11, 27, 15, 30, tzinfo=WITA), 120) == (
        datetime(2026, 11, 30, 9, tzinfo=WITA)
    )


def test_a_calendar_without_any_hours_fails_instead_of_looping():
    kal = KalenderKerja("Asia/Jakarta", JamLayanan.from_config({}))
    with pytest.raises(ValueError, match="no opening hours"):
        kal.next_open(wib(2026, 1, 1))


def test_the_bulk_minute_counter_agrees_with_working_minutes_between():
    """The performance report's counter gives exactly the minutes of the one-pair method,
    across nights, weekends, Friday's break and a holiday."""
    import random
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from bot.settings import load_settings
    from domain.kalender import KalenderKerja

    kal = KalenderKerja.from_config(load_settings().kantor[0].model_dump())
    wib = ZoneInfo("Asia/Jakarta")
    awal, akhir = datetime(2026, 12, 1, tzinfo=wib), datetime(2027, 1, 15, tzinfo=wib)
    ukur = kal.jam_kerja(awal, akhir).menit
    rnd = random.Random(7)
    span = int((akhir - awal).total_seconds())
    for _ in range(2000):
        a = awal + timedelta(seconds=rnd.randrange(span), microseconds=rnd.randrange(10**6))
        b = a + timedelta(seconds=rnd.randrange(0, 10 * 86400))
        b = min(b, akhir)
        assert ukur(a, b) == kal.working_minutes_between(a, b), (a, b)
    assert ukur(akhir, awal) == 0
