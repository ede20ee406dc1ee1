from __future__ import annotations

from datetime import datetime

import pytest

from nlu.evaluate import baseline_accuracy, entity_mismatches, evaluate, sparse_baseline
from nlu.training_data import Annotation, Example
from nlu.types import ParseResult


class FakeParser:
    """Answers from a table: text -> (intent, [(entity, value)])."""

    def __init__(self, table: dict[str, tuple[str, list[tuple[str, str]]]]) -> None:
        self.table = table

    def parse(self, text: str, now: datetime | None = None) -> ParseResult:
        intent, entities = self.table[text]
        return {
            "text": text,
            "intent": {"name": intent, "confidence": 0.9},
            "intent_ranking": [{"name": intent, "confidence": 0.9}],
            "entities": [
                {"entity": e, "value": v, "start": 0, "end": 1, "extractor": "fake"}
                for e, v in entities
            ],
        }


EXAMPLES = [
    Example("halo", "salam"),
    Example("cek ptsp 1", "cek_status", (Annotation("nomor_registrasi", "PTSP-1", 4, 10),)),
    Example("cek ptsp 2", "cek_status", (Annotation("nomor_registrasi", "PTSP-2", 4, 10),)),
    Example("makasih", "terima_kasih"),
]
PARSER = FakeParser(
    {
        "halo": ("salam", []),
        "cek ptsp 1": ("cek_status", [("nomor_registrasi", "PTSP-1")]),
        "cek ptsp 2": ("salam", [("nomor_registrasi", "PTSP-9"), ("tanggal", "2026-11-25")]),
        "makasih": ("terima_kasih", []),
    }
)


def test_intent_scores_and_errors():
    report = evaluate(PARSER, EXAMPLES)
    assert report["intent_accuracy"] == 0.75
    assert report["per_intent"]["cek_status"] == {
        "precision": 1.0,
        "recall": 0.5,
        "f1": 0.6667,
        "support": 2,
    }
    assert report["per_intent"]["salam"]["precision"] == 0.5
    assert report["errors"] == [
        {"text": "cek ptsp 2", "expected": "cek_status", "predicted": "salam"}
    ]
    assert report["intent_macro_f1"] == pytest.approx((0.6667 + 2 / 3 + 1.0) / 3, abs=1e-3)


def test_entity_f1_is_micro_over_entity_value_pairs():
    # gold: 2 pairs; predicted: 3 pairs, 1 right -> P 1/3, R 1/2, F1 0.4
    assert evaluate(PARSER, EXAMPLES)["entity_f1"] == 0.4


def test_no_entities_anywhere_is_a_perfect_entity_score():
    parser = FakeParser({"halo": ("salam", [])})
    assert evaluate(parser, [Example("halo", "salam")])["entity_f1"] == 1.0


def test_entity_mismatches_list_missing_and_extra_pairs():
    assert entity_mismatches(PARSER, EXAMPLES) == [
        {
            "text": "cek ptsp 2",
            "missing": [("nomor_registrasi", "PTSP-2")],
            "extra": [("nomor_registrasi", "PTSP-9"), ("tanggal", "2026-11-25")],
        }
    ]


def test_sparse_baseline_is_the_rasa_style_pipeline():
    features = sparse_baseline().named_steps["features"]
    char, word = (t for _, t in features.transformer_list)
    assert (char.analyzer, char.ngram_range) == ("char_wb", (1, 4))
    assert (word.analyzer, word.ngram_range) == ("word", (1, 2))


def test_baseline_accuracy_trains_and_scores():
    train = [
        Example(t, i)
        for i, texts in {
            "salam": ["halo", "halo kak", "selamat pagi"],
            "terima_kasih": ["terima kasih", "makasih", "terima kasih kak"],
        }.items()
        for t in texts
    ]
    assert baseline_accuracy(train, [Example("halo min", "salam")]) == 1.0
