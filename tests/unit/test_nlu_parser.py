from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from nlu.embedded import EmbeddedParser
from nlu.factory import build_parser
from nlu.lexicon import Lexicon
from nlu.model_store import model_key
from nlu.rasa_backend import RasaParser
from nlu.types import INTENTS, NluError, NluParser

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
LEXICON = Lexicon(
    {"legalisir": ["Legalisir Dokumen", "legalisir"], "audiensi": ["Audiensi", "audiensi"]},
    {"kakanwil": ("kakanwil", ["Kepala Kantor Wilayah", "kakanwil"])},
)
TRAINING = """version: "3.1"
nlu:
- intent: salam
  examples: |
    - halo
    - selamat pagi
    - assalamualaikum
    - permisi min
    - halo kak selamat siang
- intent: cek_status
  examples: |
    - cek status [PTSP-261120-0042]{"entity": "nomor_registrasi", "value": "PTSP-261120-0042"}
    - status [ptsp 261119 7]{"entity": "nomor_registrasi", "value": "PTSP-261119-0007"} gimana
    - permohonan saya sudah sampai mana
    - cek berkas saya
    - [PTSP2611180003]{"entity": "nomor_registrasi", "value": "PTSP-261118-0003"}
- intent: ajukan_permohonan
  examples: |
    - mau [legalisir](layanan)
    - saya ingin [audiensi](layanan) dengan [kakanwil](pejabat)
    - mau ketemu [kakanwil](pejabat) [besok]{"entity": "tanggal", "value": "2026-11-25"}
    - ajukan permohonan baru
    - mau ngurus [legalisir](layanan) dong
- intent: terima_kasih
  examples: |
    - terima kasih
    - makasih min
    - thanks ya
    - terima kasih banyak kak
    - suwun
"""


def write_training(directory: Path, body: str = TRAINING) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "data.yml").write_text(body, encoding="utf-8")
    return directory


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> tuple[EmbeddedParser, Path, Path]:
    root = tmp_path_factory.mktemp("nlu")
    training = write_training(root / "data")
    data_dir = root / "var"
    parser = EmbeddedParser.load(
        data_dir=data_dir, training_dir=training, lexicon=LEXICON, tz="Asia/Jakarta"
    )
    return parser, data_dir, training


def test_parse_result_has_the_rasa_shape(trained):
    parser, _, _ = trained
    result = parser.parse("cek status ptsp 261120 42", NOW)
    assert set(result) == {"text", "intent", "intent_ranking", "entities"}
    assert result["text"] == "cek status ptsp 261120 42"
    assert result["intent"]["name"] == "cek_status"
    assert result["intent"] == result["intent_ranking"][0]
    confidences = [r["confidence"] for r in result["intent_ranking"]]
    assert confidences == sorted(confidences, reverse=True)
    assert abs(sum(confidences) - 1.0) < 0.01
    assert all(r["name"] in INTENTS for r in result["intent_ranking"])
    assert result["entities"] == [
        {
            "entity": "nomor_registrasi",
            "value": "PTSP-261120-0042",
            "start": 11,
            "end": 25,
            "extractor": "ptsp_regex",
        }
    ]


def test_masked_number_generalises_to_unseen_numbers(trained):
    parser, _, _ = trained
    assert parser.parse("PTSP-250101-9999", NOW)["intent"]["name"] == "cek_status"


def test_entities_of_several_kinds_with_original_offsets(trained):
    parser, _, _ = trained
    text = "Mau audiensi dgn Kakanwil besok jam 10"
    entities = parser.parse(text, NOW)["entities"]
    assert [(e["entity"], e["value"], text[e["start"] : e["end"]]) for e in entities] == [
        ("layanan", "audiensi", "audiensi"),
        ("pejabat", "kakanwil", "Kakanwil"),
        ("tanggal", "2026-11-25T10:00:00+07:00", "besok jam 10"),
    ]


def test_fuzzy_entities_report_a_confidence(trained):
    parser, _, _ = trained
    (entity,) = parser.parse("mau legalisr", NOW)["entities"]
    assert entity["value"] == "legalisir"
    assert 0.8 < entity["confidence"] < 1.0


def test_empty_message_is_out_of_topic(trained):
    parser, _, _ = trained
    result = parser.parse("  ...  ", NOW)
    assert result["intent"] == {"name": "di_luar_topik", "confidence": 1.0}
    assert result["entities"] == []


def test_without_now_the_current_office_time_is_used(trained):
    parser, _, _ = trained
    (entity,) = parser.parse("besok")["entities"]
    assert entity["entity"] == "tanggal"


async def test_aparse_gives_the_same_answer(trained):
    parser, _, _ = trained
    assert await parser.aparse("makasih ya", NOW) == parser.parse("makasih ya", NOW)


def test_parse_many_matches_parse(trained):
    parser, _, _ = trained
    texts = ["halo", "mau legalisir", "terima kasih"]
    assert parser.parse_many(texts, NOW) == [parser.parse(t, NOW) for t in texts]


def test_embedded_parser_implements_the_protocol(trained):
    parser, _, _ = trained
    assert isinstance(parser, NluParser)


def test_model_is_stored_under_data_dir_keyed_by_data_and_lexicon(trained):
    _, data_dir, training = trained
    stored = list((data_dir / "nlu").glob("model-*.joblib"))
    assert [p.name for p in stored] == [f"model-{model_key(training, LEXICON)}.joblib"]


def test_stored_model_is_loaded_without_retraining(trained):
    _, data_dir, training = trained
    (path,) = (data_dir / "nlu").glob("model-*.joblib")
    mtime = path.stat().st_mtime_ns
    EmbeddedParser.load(
        data_dir=data_dir, training_dir=training, lexicon=LEXICON, tz="Asia/Jakarta"
    )
    assert path.stat().st_mtime_ns == mtime


def test_changed_training_data_retrains_and_replaces_the_model(tmp_path):
    training = write_training(tmp_path / "data")
    data_dir = tmp_path / "var"
    EmbeddedParser.load(
        data_dir=data_dir, training_dir=training, lexicon=LEXICON, tz="Asia/Jakarta"
    )
    (old,) = (data_dir / "nlu").glob("model-*.joblib")
    write_training(training, TRAINING + "    - tengkyu\n")
    EmbeddedParser.load(
        data_dir=data_dir, training_dir=training, lexicon=LEXICON, tz="Asia/Jakarta"
    )
    (new,) = (data_dir / "nlu").glob("model-*.joblib")
    assert new != old


def test_changed_lexicon_changes_the_model_key(tmp_path):
    training = write_training(tmp_path / "data")
    other = Lexicon({**LEXICON.layanan, "narasumber": ["narasumber"]}, LEXICON.jabatan)
    assert model_key(training, LEXICON) != model_key(training, other)


def test_corrupt_model_file_is_retrained(tmp_path):
    training = write_training(tmp_path / "data")
    data_dir = tmp_path / "var"
    path = data_dir / "nlu" / f"model-{model_key(training, LEXICON)}.joblib"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a pickle")
    parser = EmbeddedParser.load(
        data_dir=data_dir, training_dir=training, lexicon=LEXICON, tz="Asia/Jakarta"
    )
    assert parser.parse("halo", NOW)["intent"]["name"] == "salam"


def test_factory_builds_both_backends(trained):
    _, data_dir, training = trained
    kwargs = {
        "data_dir": data_dir,
        "training_dir": training,
        "lexicon": LEXICON,
        "tz": "Asia/Jakarta",
    }
    assert isinstance(build_parser("embedded", **kwargs), EmbeddedParser)
    rasa = build_parser("rasa", rasa_url="http://127.0.0.1:5005", rasa_timeout=0.5, **kwargs)
    assert isinstance(rasa, RasaParser)
    assert isinstance(rasa, NluParser)
    assert rasa.url == "http://127.0.0.1:5005/model/parse"
    assert rasa.timeout == 0.5


def test_factory_rejects_an_unknown_backend(trained):
    _, data_dir, training = trained
    with pytest.raises(NluError):
        build_parser(
            "dialogflow",
            data_dir=data_dir,
            training_dir=training,
            lexicon=LEXICON,
            tz="Asia/Jakarta",
        )


def test_factory_without_training_data_is_an_error(tmp_path):
    with pytest.raises(NluError):
        build_parser(
            "embedded",
            data_dir=tmp_path,
            training_dir=tmp_path / "none",
            lexicon=LEXICON,
            tz="Asia/Jakarta",
        )


def test_unwritable_data_dir_still_gives_a_parser(tmp_path):
    training = write_training(tmp_path / "data")
    blocked = tmp_path / "var"
    blocked.write_text("a file, not a directory", encoding="utf-8")
    parser = EmbeddedParser.load(
        data_dir=blocked, training_dir=training, lexicon=LEXICON, tz="Asia/Jakarta"
    )
    assert parser.parse("halo", NOW)["intent"]["name"] == "salam"
