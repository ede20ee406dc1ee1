from __future__ import annotations

from datetime import date

from nlu.entities.numbers import find_nik_and_hp, find_nomor_registrasi

TODAY = date(2026, 11, 24)


def spans(text, found):
    return [(f.entity, f.value, text[f.start : f.end]) for f in found]


def test_registration_number_with_spaces_and_dropped_zeros():
    text = "cek status ptsp 261120 42"
    assert spans(text, find_nomor_registrasi(text)) == [
        ("nomor_registrasi", "PTSP-261120-0042", "ptsp 261120 42")
    ]


def test_registration_number_without_dashes():
    text = "status PTSP2611190009 gimana?"
    assert spans(text, find_nomor_registrasi(text)) == [
        ("nomor_registrasi", "PTSP-261119-0009", "PTSP2611190009")
    ]


def test_pengaduan_and_tamu_numbers():
    text = "aduan adu-261118-7 dan tmu 261124 0003"
    assert [f.value for f in find_nomor_registrasi(text)] == [
        "ADU-261118-0007",
        "TMU-261124-0003",
    ]


def test_five_digit_sequence_is_kept():
    assert [f.value for f in find_nomor_registrasi("PTSP-261120-10001 ya")] == [
        "PTSP-261120-10001"
    ]


def test_a_phone_number_after_ptsp_is_not_a_registration_number():
    assert find_nomor_registrasi("wa ptsp 0812 3456 7890") == []
    assert find_nomor_registrasi("ptsp 081234567890") == []


def test_registration_number_inside_a_word_is_ignored():
    assert find_nomor_registrasi("xptsp2611200042") == []


def test_nik_with_separators():
    text = "NIK saya 3273 1105 1288 0004 ya"
    assert spans(text, find_nik_and_hp(text, TODAY)) == [
        ("nik", "3273110512880004", "3273 1105 1288 0004")
    ]


def test_womans_nik_is_found():
    text = "nik 5271034403920002"
    assert [f.value for f in find_nik_and_hp(text, TODAY)] == ["5271034403920002"]


def test_kaltara_and_papua_barat_daya_niks_are_valid():
    found = find_nik_and_hp("6571011501900001 dan 9601015501900001", TODAY)
    assert [f.value for f in found] == ["6571011501900001", "9601015501900001"]


def test_invalid_niks_are_not_entities():
    assert find_nik_and_hp("nik 9971011708450001", TODAY) == []  # province 99
    assert find_nik_and_hp("nik 9771011708450001", TODAY) == []  # province 97
    assert find_nik_and_hp("nik 3171013002001234", TODAY) == []  # 30 February


def test_phone_with_plus_62_and_a_leading_zero():
    text = "hp +62 0812 3456 7890"
    assert spans(text, find_nik_and_hp(text, TODAY)) == [
        ("nomor_hp", "+6281234567890", "+62 0812 3456 7890")
    ]


def test_whatsapp_prefixed_phone():
    text = "whatsapp:+6281234567890"
    assert [f.value for f in find_nik_and_hp(text, TODAY)] == ["+6281234567890"]


def test_landline_is_not_a_mobile_number():
    assert find_nik_and_hp("telp kantor 0561 736541", TODAY) == []


def test_nik_and_phone_next_to_each_other_are_both_found():
    text = "3171011708850003 081277889900"
    assert [(f.entity, f.value) for f in find_nik_and_hp(text, TODAY)] == [
        ("nik", "3171011708850003"),
        ("nomor_hp", "+6281277889900"),
    ]


def test_dashed_phone():
    text = "nomor 0852-1133-4455"
    assert [f.value for f in find_nik_and_hp(text, TODAY)] == ["+6285211334455"]
