from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.skm import (
    UNSUR,
    BarisSKM,
    HasilIKM,
    Jawaban,
    SKMImportError,
    hitung_ikm,
    mutu_dari_ikm,
    parse_csv_skm,
)


def semua(n: int) -> Jawaban:
    return Jawaban((n,) * 9)


def test_unsur_are_the_nine_of_permenpanrb_14_2017_in_order():
    assert len(UNSUR) == 9
    assert UNSUR[0] == "Persyaratan"
    assert UNSUR[3] == "Biaya/Tarif"
    assert UNSUR[7] == "Penanganan Pengaduan, Saran dan Masukan"
    assert UNSUR[8] == "Sarana dan Prasarana"


@pytest.mark.parametrize(
    ("ikm", "mutu", "kinerja"),
    [
        ("100.00", "A", "Sangat Baik"),
        ("88.31", "A", "Sangat Baik"),
        ("88.30", "B", "Baik"),
        ("76.61", "B", "Baik"),
        ("76.60", "C", "Kurang Baik"),
        ("65.00", "C", "Kurang Baik"),
        ("64.99", "D", "Tidak Baik"),
        ("25.00", "D", "Tidak Baik"),
        ("88.305", "A", "Sangat Baik"),  # rounded half-up to 88.31 first
        ("88.304", "B", "Baik"),
    ],
)
def test_mutu_boundaries(ikm, mutu, kinerja):
    assert mutu_dari_ikm(Decimal(ikm)) == (mutu, kinerja)


def test_mutu_rejects_values_outside_the_scale():
    with pytest.raises(ValueError):
        mutu_dari_ikm(Decimal("24.99"))
    with pytest.raises(ValueError):
        mutu_dari_ikm(Decimal("100.01"))


@pytest.mark.parametrize(
    ("n", "ikm", "mutu", "kinerja"),
    [
        (4, "100.00", "A", "Sangat Baik"),
        (3, "75.00", "C", "Kurang Baik"),
        (2, "50.00", "D", "Tidak Baik"),
        (1, "25.00", "D", "Tidak Baik"),
    ],
)
def test_uniform_answers(n, ikm, mutu, kinerja):
    hasil = hitung_ikm([semua(n)] * 5)
    assert hasil.responden == 5
    assert hasil.nrr == (Decimal(n),) * 9
    assert hasil.ikm == Decimal(ikm)
    assert (hasil.mutu, hasil.kinerja) == (mutu, kinerja)


def test_all_fours_give_exactly_100_not_99_90():
    assert hitung_ikm([semua(4)]).to_json()["ikm"] == 100.0


def test_mixed_set_computed_by_hand():
    hasil = hitung_ikm(
        [
            Jawaban((4, 4, 4, 4, 4, 4, 4, 4, 4)),
            Jawaban((3, 3, 3, 4, 3, 3, 3, 2, 3)),
            Jawaban((2, 3, 4, 4, 3, 3, 4, 3, 2)),
        ]
    )
    # Sums per unsur 9,10,11,12,10,10,11,9,9 = 91; IKM = 91/27 × 25 = 84.259… → 84.26.
    assert hasil.responden == 3
    assert [str(x) for x in hasil.nrr] == [
        "3.000",
        "3.333",
        "3.667",
        "4.000",
        "3.333",
        "3.333",
        "3.667",
        "3.000",
        "3.000",
    ]
    assert hasil.ikm == Decimal("84.26")
    assert (hasil.mutu, hasil.kinerja) == ("B", "Baik")
    assert hasil.to_json() == {
        "responden": 3,
        "nrr": [3.0, 3.333, 3.667, 4.0, 3.333, 3.333, 3.667, 3.0, 3.0],
        "ikm": 84.26,
        "mutu": "B",
        "kinerja": "Baik",
    }


def test_rounding_is_half_up_not_half_even():
    # 7 × all-3 + 1 × all-4: every NRR = 25/8 = 3.125, IKM = 78.125 → 78.13 (not 78.12).
    hasil = hitung_ikm([semua(3)] * 7 + [semua(4)])
    assert hasil.nrr == (Decimal("3.125"),) * 9
    assert hasil.ikm == Decimal("78.13")
    # 15 × all-3 + 1 × all-4: NRR = 49/16 = 3.0625 → 3.063 (not 3.062).
    assert hitung_ikm([semua(3)] * 15 + [semua(4)]).nrr[0] == Decimal("3.063")


def test_no_respondents():
    hasil = hitung_ikm([])
    assert hasil == HasilIKM(0, None, None, None, None)
    assert hasil.to_json() == {
        "responden": 0,
        "nrr": None,
        "ikm": None,
        "mutu": None,
        "kinerja": None,
    }


def test_hitung_ikm_accepts_a_generator():
    assert hitung_ikm(semua(4) for _ in range(3)).responden == 3


@pytest.mark.parametrize("nilai", [(4,) * 8, (4,) * 10, (4,) * 8 + (5,), (0,) * 9, (True,) * 9])
def test_jawaban_validates_its_values(nilai):
    with pytest.raises(ValueError):
        Jawaban(nilai)


# ---------------------------------------------------------------- CSV


def test_csv_with_bom_semicolons_any_order_and_optional_columns():
    text = (
        "\ufeffTanggal;U9;u8;u7;u6;u5;u4;u3;u2;u1;Layanan\r\n"
        "2026-03-02;1;2;3;4;4;3;2;1;4;legalisir_ijazah\r\n"
        "\r\n"
        ";4;4;4;4;4;4;4;4;4;\r\n"
    )
    rows = parse_csv_skm(text, layanan_dikenal={"legalisir_ijazah"})
    assert rows == [
        BarisSKM(2, date(2026, 3, 2), "legalisir_ijazah", Jawaban((4, 1, 2, 3, 4, 4, 3, 2, 1))),
        BarisSKM(4, None, None, Jawaban((4,) * 9)),
    ]


def test_csv_with_commas_and_only_the_answers():
    rows = parse_csv_skm("u1,u2,u3,u4,u5,u6,u7,u8,u9\n3,3,3,3,3,3,3,3,3\n4,4,4,4,4,4,4,4,4\n")
    assert [r.baris for r in rows] == [2, 3]
    assert hitung_ikm(r.jawaban for r in rows).ikm == Decimal("87.50")


def test_csv_header_only_gives_no_rows():
    assert parse_csv_skm("u1;u2;u3;u4;u5;u6;u7;u8;u9\n") == []


HEADER = "u1,u2,u3,u4,u5,u6,u7,u8,u9,tanggal,layanan\n"
OK = "4,4,4,4,4,4,4,4,4,2026-03-02,audiensi\n"


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("4,4,4,5,4,4,4,4,4,,\n", "baris 3: u4 harus 1–4, bukan '5'"),
        ("4,4,4,x,4,4,4,4,4,,\n", "baris 3: u4 harus 1–4, bukan 'x'"),
        ("4,4,4,3.5,4,4,4,4,4,,\n", "baris 3: u4 harus 1–4, bukan '3.5'"),
        ("4,4,4,,4,4,4,4,4,,\n", "baris 3: u4 kosong (harus 1–4)"),
        ("4,4,4,4,4,4,4,4,,\n", "baris 3: ada 10 kolom, seharusnya 11"),
        (
            "4,4,4,4,4,4,4,4,4,02/03/2026,\n",
            "baris 3: tanggal harus berformat YYYY-MM-DD, bukan '02/03/2026'",
        ),
        (
            "4,4,4,4,4,4,4,4,4,2026-02-30,\n",
            "baris 3: tanggal harus berformat YYYY-MM-DD, bukan '2026-02-30'",
        ),
        ("4,4,4,4,4,4,4,4,4,,paspor\n", "baris 3: layanan 'paspor' tidak dikenal"),
    ],
)
def test_a_bad_row_is_reported_with_its_line_number(bad, message):
    with pytest.raises(SKMImportError) as exc:
        parse_csv_skm(HEADER + OK + bad + OK, layanan_dikenal={"audiensi"})
    assert str(exc.value) == message
    assert isinstance(exc.value, ValueError)


def test_unknown_layanan_is_accepted_without_a_catalog():
    rows = parse_csv_skm(HEADER + "4,4,4,4,4,4,4,4,4,,paspor\n")
    assert rows[0].layanan == "paspor"


def test_every_error_is_collected_and_nothing_is_returned():
    text = HEADER + "5,4,4,4,4,4,4,4,4,,\n" + OK + "\n" + "4,4,4,4,4,4,4,4,0,,\n"
    with pytest.raises(SKMImportError) as exc:
        parse_csv_skm(text)
    assert str(exc.value) == "baris 2: u1 harus 1–4, bukan '5' (dan 1 kesalahan lain)"
    assert exc.value.kesalahan == (
        "baris 2: u1 harus 1–4, bukan '5'",
        "baris 5: u9 harus 1–4, bukan '0'",
    )


def test_missing_header_columns_raise():
    with pytest.raises(SKMImportError, match=r"^baris 1: kolom wajib tidak ada: u8, u9$"):
        parse_csv_skm("u1;u2;u3;u4;u5;u6;u7\n4;4;4;4;4;4;4\n")


def test_duplicate_header_columns_raise():
    with pytest.raises(SKMImportError, match="kolom ganda: u1"):
        parse_csv_skm("u1,u1,u2,u3,u4,u5,u6,u7,u8,u9\n")


def test_empty_file_raises():
    with pytest.raises(SKMImportError, match="baris 1"):
        parse_csv_skm("\ufeff\n  \n")
