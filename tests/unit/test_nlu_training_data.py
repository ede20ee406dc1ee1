from __future__ import annotations

from pathlib import Path

import pytest

from nlu.lexicon import Lexicon
from nlu.training_data import (
    Annotation,
    files_digest,
    load_examples,
    load_file,
    parse_annotated,
)
from nlu.types import NluError

ROOT = Path(__file__).resolve().parents[2]


def test_plain_example_has_no_entities():
    assert parse_annotated("halo min") == ("halo min", [])


def test_short_annotation_uses_the_text_as_value():
    text, ents = parse_annotated("mau [legalisir](layanan) dong")
    assert text == "mau legalisir dong"
    assert ents == [Annotation("layanan", "legalisir", 4, 13)]


def test_json_annotation_carries_the_value():
    text, ents = parse_annotated(
        'cek [ptsp 261120 42]{"entity": "nomor_registrasi", "value": "PTSP-261120-0042"} ya'
    )
    assert text == "cek ptsp 261120 42 ya"
    assert ents == [Annotation("nomor_registrasi", "PTSP-261120-0042", 4, 18)]
    assert text[4:18] == "ptsp 261120 42"


def test_legacy_entity_colon_value_annotation():
    _, ents = parse_annotated("[kabag](pejabat:kabag_tu)")
    assert ents == [Annotation("pejabat", "kabag_tu", 0, 5)]


def test_several_annotations_keep_plain_text_offsets():
    text, ents = parse_annotated('[kakanwil](pejabat) [besok]{"entity": "tanggal", "value": "x"}')
    assert text == "kakanwil besok"
    assert [(e.start, e.end) for e in ents] == [(0, 8), (9, 14)]


def test_broken_json_annotation_is_an_error():
    with pytest.raises(NluError):
        parse_annotated('[x]{"entity": }')


def write(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def test_rasa_file_with_block_and_list_examples(tmp_path):
    path = write(
        tmp_path,
        "a.yml",
        'version: "3.1"\n'
        "nlu:\n"
        "- intent: salam\n"
        "  examples: |\n"
        "    - halo\n"
        "    - selamat pagi\n"
        "- intent: terima_kasih\n"
        "  examples:\n"
        "  - makasih\n"
        "  - text: terima kasih banyak\n"
        "- synonym: legalisir\n"
        "  examples: |\n"
        "    - legalisasi\n"
        "- intent: bukan_intent_kontrak\n"
        "  examples: |\n"
        "    - apa saja\n",
    )
    examples = load_file(path)
    assert [(e.intent, e.text) for e in examples] == [
        ("salam", "halo"),
        ("salam", "selamat pagi"),
        ("terima_kasih", "makasih"),
        ("terima_kasih", "terima kasih banyak"),
    ]


def test_directory_without_examples_is_an_error(tmp_path):
    with pytest.raises(NluError):
        load_examples(tmp_path)


def test_unreadable_yaml_is_an_error(tmp_path):
    write(tmp_path, "bad.yml", "nlu: [\n")
    with pytest.raises(NluError):
        load_examples(tmp_path)


def test_digest_changes_with_the_content(tmp_path):
    path = write(tmp_path, "a.yml", "nlu: []\n")
    before = files_digest(tmp_path)
    path.write_text("nlu: [] # edited\n", encoding="utf-8")
    assert files_digest(tmp_path) != before


def test_lexicon_reads_config_jabatan_and_catalog_names():
    lexicon = Lexicon.from_files(ROOT / "config.yml", ROOT / "catalog")
    kategori, names = lexicon.jabatan["kabag_tu"]
    assert kategori == "kabag"
    assert "kabag" in names
    assert set(lexicon.kategori()["kasi"]) >= {"kasi_umrah", "kasi_kurikulum"}


def test_lexicon_reads_nested_and_separate_child_services(tmp_path):
    catalog = tmp_path / "catalog"
    catalog.mkdir()
    (catalog / "legalisir.yml").write_text(
        "kode: legalisir\nnama: Legalisir Dokumen\nsinonim: [legalisir]\n"
        "persyaratan:\n  - kode: ktp\n    nama: KTP\n"
        "layanan:\n  - kode: legalisir.ijazah\n    nama: Legalisir Ijazah\n",
        encoding="utf-8",
    )
    (catalog / "legalisir.buku_nikah.yml").write_text(
        "kode: legalisir.buku_nikah\nnama: Legalisir Buku Nikah\nsinonim: buku nikah\n",
        encoding="utf-8",
    )
    lexicon = Lexicon.from_files(ROOT / "config.yml", catalog)
    assert lexicon.layanan == {
        "legalisir.buku_nikah": ["Legalisir Buku Nikah", "buku nikah"],
        "legalisir": ["Legalisir Dokumen", "legalisir"],
        "legalisir.ijazah": ["Legalisir Ijazah"],
    }


def test_lexicon_tolerates_a_missing_catalog(tmp_path):
    lexicon = Lexicon.from_files(ROOT / "config.yml", tmp_path / "nope")
    assert lexicon.layanan == {}
    assert lexicon.jabatan


def test_lexicon_fingerprint_changes_with_a_synonym():
    a = Lexicon({"legalisir": ["legalisir"]}, {})
    b = Lexicon({"legalisir": ["legalisir", "leges"]}, {})
    assert a.fingerprint() != b.fingerprint()
    assert a.fingerprint() == Lexicon({"legalisir": ["legalisir"]}, {}).fingerprint()


def test_unreadable_config_is_an_error(tmp_path):
    with pytest.raises(NluError):
        Lexicon.from_files(tmp_path / "missing.yml", tmp_path)
