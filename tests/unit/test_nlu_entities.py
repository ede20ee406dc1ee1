from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from nlu.entities import EntityExtractor
from nlu.lexicon import Lexicon
from nlu.settings import NluSettings

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
LEXICON = Lexicon(
    {"legalisir": ["legalisir"], "audiensi": ["audiensi"]},
    {
        "kakanwil": ("kakanwil", ["kakanwil"]),
        "kasi_umrah": ("kasi", ["kasi umrah"]),
        "kasi_kurikulum": ("kasi", ["kasi kurikulum"]),
    },
)
EXTRACTOR = EntityExtractor(LEXICON, "Asia/Jakarta")


def extract(text: str) -> list[tuple[str, str, str]]:
    return [(f.entity, f.value, text[f.start : f.end]) for f in EXTRACTOR.extract(text, NOW)]


def test_every_kind_in_one_message_sorted_by_position():
    text = "Sy Budi NIK 3171011708850003 hp 0812-7788-9900 mau audiensi dgn kakanwil besok jam 10"
    assert extract(text) == [
        ("nik", "3171011708850003", "3171011708850003"),
        ("nomor_hp", "+6281277889900", "0812-7788-9900"),
        ("layanan", "audiensi", "audiensi"),
        ("pejabat", "kakanwil", "kakanwil"),
        ("tanggal", "2026-11-25T10:00:00+07:00", "besok jam 10"),
    ]


def test_registration_number_digits_are_not_also_a_date_or_phone():
    assert extract("status PTSP-261127-0811 ya") == [
        ("nomor_registrasi", "PTSP-261127-0811", "PTSP-261127-0811")
    ]


def test_a_message_without_entities():
    assert extract("halo min, selamat pagi") == []


def test_entity_dicts_have_the_rasa_keys():
    (entity,) = EXTRACTOR.extract("mau legalisr", NOW)
    as_dict = entity.to_dict()
    assert set(as_dict) == {"entity", "value", "start", "end", "extractor", "confidence"}
    assert as_dict["extractor"] == "ptsp_lexicon"


def test_cli_settings_come_from_config_and_environment(tmp_path):
    settings = NluSettings.from_env(
        {"PTSP_CONFIG": str(ROOT / "config.yml"), "PTSP_DATA_DIR": str(tmp_path)}
    )
    assert settings.data_dir == tmp_path
    assert settings.catalog_dir == ROOT / "catalog"
    assert settings.training_dir == ROOT / "nlu" / "data"
    assert settings.tz == "Asia/Jakarta"
    assert settings.backend == "embedded"
    assert settings.rasa_timeout == 2.0


def test_cli_settings_defaults_and_overrides():
    settings = NluSettings.from_env(
        {
            "PTSP_CONFIG": str(ROOT / "config.yml"),
            "PTSP_NLU_BACKEND": "rasa",
            "PTSP_RASA_URL": "http://127.0.0.1:5999",
            "PTSP_CATALOG_DIR": "/srv/catalog",
        }
    )
    assert settings.data_dir == Path("./var")
    assert settings.backend == "rasa"
    assert settings.rasa_url == "http://127.0.0.1:5999"
    assert settings.catalog_dir == Path("/srv/catalog")


def test_a_spelled_out_registration_number_said_to_a_phone():
    text = "cek status nomor pe te es pe 261120 0042 titik"
    assert extract(text) == [
        ("nomor_registrasi", "PTSP-261120-0042", "pe te es pe 261120 0042")]


def test_kakanwil_spelled_in_syllables_by_voice_to_text():
    assert ("pejabat", "kakanwil", "ka kan wil") in extract(
        "mau audiensi dengan bapak ka kan wil")
