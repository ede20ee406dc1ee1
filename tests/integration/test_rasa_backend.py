"""The Rasa backend against a fake Rasa server on 127.0.0.1 (random port)."""

from __future__ import annotations

import asyncio
import logging
import socket
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from aiohttp import web
from prometheus_client import REGISTRY

from nlu.embedded import EmbeddedParser
from nlu.lexicon import Lexicon
from nlu.rasa_backend import RasaParser, map_rasa_answer

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
LEXICON = Lexicon({"legalisir": ["legalisir"]}, {"kakanwil": ("kakanwil", ["kakanwil"])})
TRAINING = """version: "3.1"
nlu:
- intent: salam
  examples: |
    - halo
    - selamat pagi
    - permisi min
- intent: cek_status
  examples: |
    - cek status ptsp 261120 42
    - permohonan saya sampai mana
    - cek berkas saya
- intent: terima_kasih
  examples: |
    - terima kasih
    - makasih min
    - suwun
"""


def rasa_answer(text: str, ranking: list[tuple[str, float]], entities=()) -> dict:
    return {
        "text": text,
        "intent": {"name": ranking[0][0], "confidence": ranking[0][1]},
        "intent_ranking": [{"name": n, "confidence": c} for n, c in ranking],
        "entities": list(entities),
    }


async def fake_parse(request: web.Request) -> web.Response:
    text = (await request.json())["text"]
    if text.startswith("error"):
        return web.json_response({"error": "boom"}, status=500)
    if text.startswith("slow"):
        await asyncio.sleep(2)
    if text.startswith("garbage"):
        return web.Response(text="<html>not json</html>")
    if text.startswith("unknown"):
        return web.json_response(
            rasa_answer(text, [("greet", 0.8), ("mood_great", 0.1), ("salam", 0.07)])
        )
    if text.startswith("fallback only"):
        return web.json_response(rasa_answer(text, [("nlu_fallback", 0.7), ("faq", 0.2)]))
    if text.startswith("fallback"):
        return web.json_response(
            rasa_answer(text, [("nlu_fallback", 0.7), ("terima_kasih", 0.2), ("salam", 0.1)])
        )
    entities = [
        {"entity": "nama", "value": "Budi", "start": 0, "end": 4, "extractor": "DIETClassifier"},
        {
            "entity": "nomor_registrasi",
            "value": "ptsp 261120 42",
            "start": 16,
            "end": 30,
            "extractor": "DIETClassifier",
        },
    ]
    return web.json_response(rasa_answer(text, [("cek_status", 0.93), ("salam", 0.05)], entities))


@pytest.fixture
async def rasa_url(aiohttp_server) -> str:
    app = web.Application()
    app.router.add_post("/model/parse", fake_parse)
    server = await aiohttp_server(app, host="127.0.0.1")
    return str(server.make_url("")).rstrip("/")


@pytest.fixture(scope="module")
def embedded(tmp_path_factory) -> EmbeddedParser:
    root = tmp_path_factory.mktemp("rasa")
    (root / "data").mkdir()
    (root / "data" / "nlu.yml").write_text(TRAINING, encoding="utf-8")
    return EmbeddedParser.load(
        data_dir=root / "var", training_dir=root / "data", lexicon=LEXICON, tz="Asia/Jakarta"
    )


@pytest.fixture
async def rasa(rasa_url, embedded):
    parser = RasaParser(rasa_url, 0.5, embedded)
    yield parser
    await parser.aclose()


def fallbacks(reason: str) -> float:
    return REGISTRY.get_sample_value("ptsp_nlu_rasa_fallback_total", {"reason": reason}) or 0.0


async def test_normal_answer_keeps_rasa_intent_and_uses_our_entities(rasa):
    text = "Budi mau cek st ptsp 261120 42"
    result = await rasa.aparse(text, NOW)
    assert result["intent"] == {"name": "cek_status", "confidence": 0.93}
    assert [r["name"] for r in result["intent_ranking"]] == ["cek_status", "salam"]
    assert [(e["entity"], e["value"], e["extractor"]) for e in result["entities"]] == [
        ("nama", "Budi", "DIETClassifier"),
        ("nomor_registrasi", "PTSP-261120-0042", "ptsp_regex"),
    ]


async def test_unknown_intent_maps_to_the_next_listed_intent(rasa):
    result = await rasa.aparse("unknown hello", NOW)
    assert result["intent"] == {"name": "salam", "confidence": 0.07}
    assert [r["name"] for r in result["intent_ranking"]] == ["salam"]


async def test_nlu_fallback_maps_to_the_next_listed_intent(rasa):
    result = await rasa.aparse("fallback hmm", NOW)
    assert result["intent"]["name"] == "terima_kasih"


async def test_nlu_fallback_without_a_listed_intent_is_out_of_topic(rasa):
    result = await rasa.aparse("fallback only", NOW)
    assert result["intent"] == {"name": "di_luar_topik", "confidence": 0.0}


async def test_server_error_falls_back_to_embedded_logged_and_counted(rasa, embedded, caplog):
    before = fallbacks("http_500")
    with caplog.at_level(logging.WARNING, logger="nlu.rasa_backend"):
        result = await rasa.aparse("error makasih min", NOW)
    assert result == embedded.parse("error makasih min", NOW)
    assert fallbacks("http_500") == before + 1
    assert "http_500" in caplog.text


async def test_timeout_falls_back_to_embedded_and_is_counted(rasa, embedded):
    before = fallbacks("timeout")
    result = await rasa.aparse("slow terima kasih", NOW)
    assert result == embedded.parse("slow terima kasih", NOW)
    assert fallbacks("timeout") == before + 1


async def test_malformed_answer_falls_back(rasa, embedded):
    before = fallbacks("bad_answer")
    result = await rasa.aparse("garbage halo", NOW)
    assert result["intent"]["name"] == embedded.parse("garbage halo", NOW)["intent"]["name"]
    assert fallbacks("bad_answer") == before + 1


async def test_unreachable_server_falls_back(embedded):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    parser = RasaParser(f"http://127.0.0.1:{port}", 0.5, embedded)
    before = fallbacks("connection")
    try:
        result = await parser.aparse("makasih min", NOW)
    finally:
        await parser.aclose()
    assert result["intent"]["name"] == "terima_kasih"
    assert fallbacks("connection") == before + 1


async def test_sync_parse_uses_the_embedded_model(rasa, embedded):
    assert rasa.parse("halo", NOW) == embedded.parse("halo", NOW)


def test_answer_without_intent_is_rejected():
    with pytest.raises(ValueError):
        map_rasa_answer("x", {"text": "x"}, [])


def test_rasa_entity_overlapping_ours_is_dropped():
    ours = [{"entity": "nik", "value": "1", "start": 0, "end": 16, "extractor": "ptsp_regex"}]
    answer = rasa_answer(
        "x", [("daftar", 0.9)], [{"entity": "nama", "value": "v", "start": 3, "end": 8}]
    )
    assert map_rasa_answer("x", answer, ours)["entities"] == ours
