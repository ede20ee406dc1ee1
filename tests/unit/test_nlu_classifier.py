from __future__ import annotations

import pickle
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from nlu.classifier import ClassifierParams, IntentClassifier
from nlu.entities.found import Found
from nlu.features import classifier_text

TEXTS = {
    "salam": ["halo", "selamat pagi", "assalamualaikum admin", "permisi min", "halo kak"],
    "cek_status": [
        "cek status xnomor",
        "permohonan saya sampai mana",
        "cek berkas saya",
        "status xnomor gimana",
        "sudah diproses belum",
    ],
    "batal": [
        "batalkan permohonan",
        "saya mau membatalkan",
        "batalin aja",
        "tidak jadi, batal",
        "pembatalan pengajuan",
    ],
    "terima_kasih": ["terima kasih", "makasih", "terima kasih banyak", "thanks", "suwun"],
}
X = [t for texts in TEXTS.values() for t in texts]
Y = [i for i, texts in TEXTS.items() for _ in texts]
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


@pytest.fixture(scope="module")
def classifier() -> IntentClassifier:
    return IntentClassifier().fit(X, Y)


def test_ranking_covers_every_intent_and_sums_to_one(classifier):
    ranking = classifier.rank("halo min")
    assert ranking[0][0] == "salam"
    assert sorted(name for name, _ in ranking) == sorted(TEXTS)
    assert sum(conf for _, conf in ranking) == pytest.approx(1.0)


def test_stems_join_derived_forms(classifier):
    assert classifier.rank("dibatalkan saja")[0][0] == "batal"


def test_fast_path_equals_scikit_learn(classifier):
    probes = X + ["halo status xnomor", "apa kabar", "", "batal terima kasih"] * 5
    assert len(probes) > 16  # the batch goes through scikit-learn
    slow = classifier.decision(probes)
    fast = np.vstack([classifier.decision([p]) for p in probes])
    np.testing.assert_allclose(fast, slow, rtol=1e-4, atol=1e-5)


def test_temperature_is_fitted_within_its_range(classifier):
    assert 1.0 <= classifier.temperature <= 15.0


def test_fixed_temperature_is_kept():
    fixed = IntentClassifier(ClassifierParams(temperature=3.0)).fit(X, Y)
    assert fixed.temperature == 3.0


def test_two_intents_are_enough():
    two = IntentClassifier().fit(X[:10], Y[:10])
    assert two.rank("halo")[0][0] == "salam"


def test_pickled_classifier_ranks_the_same(classifier):
    copy = pickle.loads(pickle.dumps(classifier))
    assert copy.rank("cek berkas xnomor") == classifier.rank("cek berkas xnomor")


def test_numbers_dates_and_services_are_masked_and_officials_tagged():
    text = "Cek PTSP-261120-0042 legalisir besok kakanwil"
    entities = [
        Found("nomor_registrasi", "PTSP-261120-0042", 4, 20, "t"),
        Found("layanan", "legalisir", 21, 30, "t"),
        Found("tanggal", "2026-11-25", 31, 36, "t"),
        Found("pejabat", "kakanwil", 37, 45, "t"),
    ]
    assert classifier_text(text, entities) == "cek xnomor xlayanan xtanggal kakanwil xpejabat"
