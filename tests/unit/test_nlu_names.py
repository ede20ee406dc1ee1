from __future__ import annotations

from pathlib import Path

import pytest

from nlu.entities.names import LayananExtractor, PejabatExtractor
from nlu.lexicon import Lexicon
from nlu.normalize import normalize

ROOT = Path(__file__).resolve().parents[2]

LAYANAN = {
    "legalisir": ["Legalisir Dokumen", "legalisir", "legalisasi"],
    "legalisir.ijazah": ["Legalisir Ijazah Madrasah", "legalisir ijazah", "ijazah"],
    "legalisir.buku_nikah": ["Legalisir Buku Nikah", "legalisir buku nikah", "buku nikah"],
    "surat_rekomendasi": ["Surat Rekomendasi", "rekomendasi", "rekom"],
    "surat_rekomendasi.paspor_umrah": ["Rekomendasi Paspor Umrah", "rekom umroh"],
    "surat_izin": ["Surat Izin", "izin"],
    "surat_izin.pendirian_madrasah": ["Izin Pendirian Madrasah"],
    "surat_keputusan": ["Surat Keputusan", "sk"],
    "audiensi": ["Permohonan Audiensi", "audiensi"],
    "tamu": ["Pendataan Tamu", "buku tamu"],
}
JABATAN = {
    "kakanwil": ("kakanwil", ["Kepala Kantor Wilayah", "kakanwil", "kepala kanwil"]),
    "kabag_tu": ("kabag", ["Kepala Bagian Tata Usaha", "kabag tu", "kabag"]),
    "kasubag_umum": ("kasubag", ["Kepala Subbagian Umum", "kasubag umum", "ka. subbag umum"]),
    "kasubag_hukum_kub": ("kasubag", ["Kepala Subbagian Hukum", "kasubag hukum"]),
    "kabid_phu": ("kabid", ["Kepala Bidang Haji", "kabid haji"]),
    "kabid_pendma": ("kabid", ["Kepala Bidang Madrasah", "kabid madrasah"]),
    "kasi_umrah": ("kasi", ["Kepala Seksi Umrah", "kasi umrah", "kasi umroh"]),
    "kasi_kurikulum": ("kasi", ["Kepala Seksi Kurikulum", "kasi kurikulum"]),
}
LEXICON = Lexicon(LAYANAN, JABATAN)


def layanan(text: str) -> list[tuple[str, str]]:
    found = LayananExtractor(LEXICON).find(normalize(text))
    return [(f.value, text[f.start : f.end]) for f in found]


def pejabat(text: str) -> list[tuple[str, str]]:
    found = PejabatExtractor(LEXICON).find(normalize(text))
    return [(f.value, text[f.start : f.end]) for f in found]


def test_bare_parent_name_gives_the_parent_code():
    assert layanan("mau legalisir dong") == [("legalisir", "legalisir")]


def test_named_child_gives_the_child_code():
    assert layanan("min sy mau legalisir ijazah") == [("legalisir.ijazah", "legalisir ijazah")]


def test_typos_are_tolerated():
    assert layanan("legalisr ijasah MA") == [("legalisir.ijazah", "legalisr ijasah")]
    assert layanan("mau audiens") == [("audiensi", "audiens")]


def test_two_words_typed_without_the_space_are_read_as_two():
    assert layanan("syaratnya legalisirijazah apa aja") == [
        ("legalisir.ijazah", "legalisirijazah")]
    assert layanan("ajukan rekompaspor umroh") == [
        ("surat_rekomendasi.paspor_umrah", "rekompaspor umroh")]
    # ordinary long words are never cut into lexicon words
    for text in ("pendaftaran anak", "permohonannya sudah", "tandatangan kepala",
                 "selamatsiang pak", "terimakasih banyak"):
        assert layanan(text) == [], text


def test_upper_case_and_spelling_variants_match():
    assert layanan("MAU LEGALISIR IJAZAH") == [("legalisir.ijazah", "LEGALISIR IJAZAH")]
    assert layanan("rekom umrah buat jamaah") == [
        ("surat_rekomendasi.paspor_umrah", "rekom umrah")
    ]


def test_name_without_its_leading_generic_word_matches():
    assert layanan("mau urus izin pendirian madrasah") == [
        ("surat_izin.pendirian_madrasah", "izin pendirian madrasah")
    ]


def test_a_bare_document_name_is_not_a_service():
    assert layanan("foto ijazah sudah saya kirim") == []
    assert layanan("buku nikah aslinya dibawa?") == []


def test_too_generic_words_alone_are_not_services():
    assert layanan("mohon izin bertanya") == []


def test_short_synonyms_match_exactly():
    assert layanan("mohon diterbitkan SK pengurus") == [("surat_keputusan", "SK")]


def test_the_guest_book_named_is_the_tamu_service_but_a_bare_tamu_is_not():
    assert [v for v, _ in layanan("mau isi buku tamu")] == ["tamu"]
    assert layanan("ada tamu di depan") == []


def test_two_services_in_one_message():
    assert [v for v, _ in layanan("legalisir dan rekomendasi")] == [
        "legalisir",
        "surat_rekomendasi",
    ]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("mau ketemu kakanwil", "kakanwil"),
        ("bertemu Kepala Kanwil besok", "kakanwil"),
        ("audiensi dgn kabag TU", "kabag_tu"),
        ("izin menghadap Ka. Subbag Umum", "kasubag_umum"),
        ("mau bertemu kasi umroh", "kasi_umrah"),
        ("ketemu kakanwill", "kakanwil"),
    ],
)
def test_jabatan_by_name_synonym_or_typo(text, code):
    assert [v for v, _ in pejabat(text)] == [code]


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("bisa ketemu kasi gak?", "kasi"),
        ("mau ketemu kabid min", "kabid"),
        ("menghadap kasubag", "kasubag"),
        ("menghadap kasubbag", "kasubag"),
        ("ketemu kepala seksi", "kasi"),
    ],
)
def test_bare_category_gives_the_category(text, category):
    assert [v for v, _ in pejabat(text)] == [category]


def test_bare_category_with_one_jabatan_gives_that_jabatan():
    assert pejabat("gmn cara ketemu kabag?") == [("kabag_tu", "kabag")]


def test_terima_kasih_is_not_a_kasi():
    assert pejabat("terima kasih kak") == []


def test_real_config_jabatan_are_recognised():
    lexicon = Lexicon.from_files(ROOT / "config.yml", ROOT / "catalog")
    found = PejabatExtractor(lexicon).find(normalize("mau ketemu kasi KUA dan kabid haji"))
    assert [f.value for f in found] == ["kasi_kepenghuluan", "kabid_phu"]


@pytest.mark.parametrize(
    "text", ["tolong kasi tau syaratnya", "terima kasi min", "bisa kasi info jadwal?"]
)
def test_kasi_as_the_verb_kasih_is_not_an_official(text):
    assert pejabat(text) == []


def test_kasi_as_an_official_still_works_before_other_words():
    assert pejabat("mau ketemu kasi besok") == [("kasi", "kasi")]


@pytest.mark.parametrize(("text", "expected"), [
    # typos and regional spellings of the child's name and of the verb
    ("syart legalisr bku nikah", ["legalisir.buku_nikah"]),
    ("apa saja persyaratan untuk legal sir ijazah", ["legalisir.ijazah"]),  # voice-to-text
    ("mpok, kalo mau daptarin musholla syaratnye apaan aje?", ["tanda_daftar.rumah_ibadah"]),
    ("rekom umrohku wis dadi durung", ["surat_rekomendasi.paspor_umrah"]),
    ("engkok la e kantor, deftar tamu e dimma?", ["tamu"]),
    # a child named apart from its parent's name: the child alone, once
    ("mo bekin surat rekomendasi for paspor haji", ["surat_rekomendasi.paspor_haji"]),
    # papers other institutions issue are not our Surat Keterangan
    ("mau nambah dokumen yg kurang, surat keterangan lulus", []),
    ("saya mau minta surat keterangan", ["surat_keterangan"]),
])
def test_services_in_the_catalog_written_as_people_write_them(text, expected):
    lexicon = Lexicon.from_files(ROOT / "config.yml", ROOT / "catalog")
    found = LayananExtractor(lexicon).find(normalize(text))
    assert [f.value for f in found] == expected
