"""The embedded NLU on the held-out set: the bar the product must clear.

Trains on ``nlu/data`` (into a temporary data dir), scores each held-out file —
``heldout.yml``, ``heldout_wa.yml``, ``heldout_gaya.yml``, ``heldout_luar.yml``,
``heldout_nusantara.yml``, ``heldout_kepulauan.yml`` and ``heldout_pelosok.yml``, written
separately by different hands — with dates resolved against the data's reference time,
and compares with the plain Rasa-style sparse baseline trained on the same raw texts.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from nlu.embedded import EmbeddedParser
from nlu.evaluate import baseline_accuracy, evaluate
from nlu.lexicon import Lexicon
from nlu.training_data import load_examples

ROOT = Path(__file__).resolve().parents[2]
TRAINING = ROOT / "nlu" / "data"
HELDOUT_FILES = [ROOT / "tests" / "nlu" / name
                 for name in ("heldout.yml", "heldout_wa.yml", "heldout_gaya.yml",
                              "heldout_luar.yml", "heldout_nusantara.yml",
                              "heldout_kepulauan.yml", "heldout_pelosok.yml")]
REFERENCE = datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


@pytest.fixture(scope="module")
def parser(tmp_path_factory) -> EmbeddedParser:
    lexicon = Lexicon.from_files(ROOT / "config.yml", ROOT / "catalog")
    return EmbeddedParser.load(
        data_dir=tmp_path_factory.mktemp("var"),
        training_dir=TRAINING,
        lexicon=lexicon,
        tz="Asia/Jakarta",
    )


@pytest.fixture(scope="module", params=HELDOUT_FILES, ids=lambda p: p.name)
def heldout(request) -> Path:
    assert request.param.is_file(), f"{request.param} missing"
    return request.param


@pytest.fixture(scope="module")
def report(parser, heldout) -> dict:
    return evaluate(parser, load_examples(heldout), REFERENCE)


def test_intent_accuracy_is_at_least_95_percent(report):
    assert report["intent_accuracy"] >= 0.95, report["errors"]


def test_entity_f1_is_at_least_95_percent(report):
    assert report["entity_f1"] >= 0.95


def test_beats_the_sparse_baseline(report, heldout):
    baseline = baseline_accuracy(load_examples(TRAINING), load_examples(heldout))
    assert report["intent_accuracy"] > baseline, (report["intent_accuracy"], baseline)
