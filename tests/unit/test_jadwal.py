from datetime import datetime

from dialogs.jadwal import baca_jadwal


def nlu(value, start, end):
    return {"entities": [{"entity": "tanggal", "value": value, "start": start, "end": end}]}


def test_one_line_schedule_gives_time_and_place():
    text = "27/11/2026 pukul 10.00 di Ruang Rapat Lt. 2"
    j = baca_jadwal(text, nlu("2026-11-27T10:00:00+07:00", 0, 22))
    assert j.waktu == datetime.fromisoformat("2026-11-27T10:00:00+07:00")
    assert j.tempat == "Ruang Rapat Lt. 2" and j.lengkap


def test_place_first_then_time():
    text = "Aula Lt. 3, besok jam 9"
    j = baca_jadwal(text, nlu("2026-11-25T09:00:00+07:00", 11, 23))
    assert j.tempat == "Aula Lt. 3"


def test_a_date_without_time_or_no_place_is_incomplete():
    assert not baca_jadwal("27/11/2026", {"entities": [
        {"entity": "tanggal", "value": "2026-11-27", "start": 0, "end": 10}]}).lengkap
    assert not baca_jadwal("besok jam 10", nlu("2026-11-25T10:00:00+07:00", 0, 12)).lengkap
    j = baca_jadwal("di ruang kakanwil", {"entities": []})
    assert j.waktu is None and j.tempat == "ruang kakanwil"
