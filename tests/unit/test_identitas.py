from __future__ import annotations

from datetime import date

import pytest

from domain.identitas import (
    PROVINSI,
    NikTidakValid,
    normalize_hp,
    normalize_nomor,
    validate_nik,
)

TODAY = date(2026, 6, 1)


# ---------------------------------------------------------------- nomor registrasi


@pytest.mark.parametrize(
    "typed",
    [
        "PTSP-261120-0042",
        "ptsp 261120 0042",
        "PTSP2611200042",
        "Ptsp-261120-42",
        "ptsp 261120 42",
        "  PTSP.261120.042 ",
        "ptsp261120-42",
    ],
)
def test_typed_forms_of_one_number_normalise_to_the_canonical_form(typed):
    assert normalize_nomor(typed) == "PTSP-261120-0042"


def test_number_without_dashes_splits_after_the_six_date_digits():
    assert normalize_nomor("PTSP2611190009") == "PTSP-261119-0009"


def test_pengaduan_and_tamu_prefixes_are_recognised():
    assert normalize_nomor("adu 261118 7") == "ADU-261118-0007"
    assert normalize_nomor("TMU-261124-0003") == "TMU-261124-0003"


def test_five_digit_sequence_past_9999_is_kept():
    assert normalize_nomor("PTSP-261120-12345") == "PTSP-261120-12345"
    assert normalize_nomor("ptsp 261120 10000") == "PTSP-261120-10000"


@pytest.mark.parametrize(
    "typed",
    [
        "PTSP-261320-0042",  # month 13
        "PTSP-260230-0001",  # 30 February
        "PTSP-261120-0000",  # sequence zero
        "PTSP-261120-123456",  # six-digit sequence
        "XYZ-261120-0042",
        "PTSP-2611-0042",
        "",
        "cek PTSP-261120-0042",  # not the whole text
    ],
)
def test_malformed_numbers_give_none(typed):
    assert normalize_nomor(typed) is None


# ---------------------------------------------------------------------------- NIK


def test_man_nik_decodes_province_birth_date_and_sex():
    info = validate_nik("6171011708450001", TODAY)
    assert info.nik == "6171011708450001"
    assert info.provinsi_kode == "61"
    assert info.provinsi == "Kalimantan Barat"
    assert info.tanggal_lahir == date(1945, 8, 17)
    assert info.jenis_kelamin == "L"


def test_woman_nik_has_day_plus_forty():
    info = validate_nik("6171015708450001", TODAY)
    assert info.tanggal_lahir == date(1945, 8, 17)
    assert info.jenis_kelamin == "P"


def test_separators_are_ignored():
    assert validate_nik("61.7101.570845.0001", TODAY).nik == "6171015708450001"
    assert validate_nik("6171 0157 0845 0001", TODAY).nik == "6171015708450001"
    assert validate_nik("6171-0157-0845-0001", TODAY).nik == "6171015708450001"


def test_leap_day_of_2000_is_valid():
    assert validate_nik("3171012902001234", TODAY).tanggal_lahir == date(2000, 2, 29)


def test_kalimantan_utara_code_65_is_valid():
    info = validate_nik("6571011501900001", TODAY)
    assert info.provinsi == "Kalimantan Utara"
    assert info.tanggal_lahir == date(1990, 1, 15)


def test_papua_barat_daya_code_96_is_valid_for_a_woman():
    info = validate_nik("9601015501900001", TODAY)
    assert info.provinsi == "Papua Barat Daya"
    assert info.jenis_kelamin == "P"
    assert info.tanggal_lahir == date(1990, 1, 15)


def test_the_38_provinces_are_known_and_97_is_not():
    assert len(PROVINSI) == 38
    assert {"65", "92", "93", "94", "95", "96"} <= set(PROVINSI)
    assert "97" not in PROVINSI


def test_century_is_the_latest_not_in_the_future():
    assert validate_nik("3171011506260001", TODAY).tanggal_lahir == date(1926, 6, 15)
    assert validate_nik("3171011505260001", TODAY).tanggal_lahir == date(2026, 5, 15)
    assert validate_nik("3171011506250001", TODAY).tanggal_lahir == date(2025, 6, 15)


@pytest.mark.parametrize(
    ("nik", "reason_word"),
    [
        ("3171013002001234", "Tanggal"),  # 30 February
        ("6171013201900001", "Tanggal"),  # day 32
        ("6171017201900001", "Tanggal"),  # 72 - 40 = 32
        ("6171011513900001", "Bulan"),  # month 13
        ("9971011708450001", "provinsi"),
        ("9771011708450001", "provinsi"),
        ("617101150190001", "16 digit"),
        ("61710115019000012", "16 digit"),
        ("6171011501X00001", "angka"),
        ("6100011501900001", "kabupaten"),
        ("6171000101900001", "kecamatan"),
        ("6171011501900000", "urut"),
    ],
)
def test_invalid_niks_raise_with_an_indonesian_reason(nik, reason_word):
    with pytest.raises(NikTidakValid) as err:
        validate_nik(nik, TODAY)
    assert reason_word in str(err.value)


# ------------------------------------------------------------------------- phones


@pytest.mark.parametrize(
    "typed",
    [
        "081234567890",
        "0812-3456-7890",
        "+62 812 3456 7890",
        "62 812 3456 7890",
        "6281234567890",
        "0062 812 3456 7890",
        "+62 0812 3456 7890",
        "+62 0812-3456-7890",
        "whatsapp:+6281234567890",
        "(0812) 3456 7890",
    ],
)
def test_mobile_number_forms_normalise_to_e164(typed):
    assert normalize_hp(typed) == "+6281234567890"


def test_shortest_valid_mobile_number():
    assert normalize_hp("0812345678") == "+62812345678"


def test_other_operators_are_accepted():
    assert normalize_hp("0895 1053 2718") == "+6289510532718"


@pytest.mark.parametrize(
    "typed",
    [
        "0561 736541",  # landline, Pontianak
        "62561736541",  # landline with 62 and no plus
        "(021) 555-0100",
        "08123456",
        "08134567890123",
        "0802 1234 5678",
        "0840 1234 5678",
        "hubungi 0812 3456 7890",
        "0812+3456",
        "",
    ],
)
def test_landlines_and_malformed_numbers_are_rejected(typed):
    assert normalize_hp(typed) is None


def test_a_foreign_number_with_its_country_code_is_never_rewritten_as_indonesian():
    from domain.identitas import normalize_hp

    for foreign in ("+85291234567", "+821012345678", "+819012345678", "+886912345678",
                    "whatsapp:+14155550123", "0085291234567"):
        assert normalize_hp(foreign) is None, foreign
    assert normalize_hp("+62 0812-3456-7890") == "+6281234567890"
    assert normalize_hp("0062 812 3456 7890") == "+6281234567890"
