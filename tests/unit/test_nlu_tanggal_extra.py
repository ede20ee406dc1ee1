"""Dates followed by a time are dates, durations stay durations."""

from datetime import datetime
from zoneinfo import ZoneInfo

from nlu.entities.tanggal import TanggalExtractor
from nlu.normalize import normalize

NOW = datetime(2026, 12, 23, 15, 30, tzinfo=ZoneInfo("Asia/Jakarta"))


def values(text):
    return [f.value for f in TanggalExtractor("Asia/Jakarta").find(normalize(text), NOW)]


def test_a_numeric_date_followed_by_jam_is_a_date_and_time():
    assert values("28/12 jam 10") == ["2026-12-28T10:00:00+07:00"]
    assert values("28-12 jam 10") == ["2026-12-28T10:00:00+07:00"]
    assert values("tgl 28/12/2026 pukul 09.30") == ["2026-12-28T09:30:00+07:00"]


def test_a_range_of_hours_is_not_a_date():
    assert values("prosesnya 1-2 jam") == []
