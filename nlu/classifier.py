"""The intent classifier: TF-IDF character and word n-grams, logistic regression.

Chosen by measurement (see ``benchmarks/nlu_bench.py`` and ``nlu.evaluate``): on the
masked, normalised text, ``char_wb`` 1–5-grams catch spelling variants and
truncations of informal writing ("legalisr", "daftarin"), word 1–2-grams catch
phrases ("cek status", "jam buka"); a multinomial logistic regression with balanced
class weights gives calibrated-enough softmax confidences for the dialog's threshold
and predicts one message in well under a millisecond.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion

__all__ = ["ClassifierParams", "IntentClassifier"]


@dataclass(frozen=True, slots=True)
class ClassifierParams:
    """Hyper-parameters; the defaults are the measured best on the held-out set."""

    char_ngrams: tuple[int, int] = (1, 5)
    word_ngrams: tuple[int, int] = (1, 2)
    c: float = 20.0
    class_weight: str | None = "balanced"


class IntentClassifier:
    """Fits on classifier texts (see ``nlu.features``) and ranks intents."""

    def __init__(self, params: ClassifierParams | None = None) -> None:
        self.params = params or ClassifierParams()
        p = self.params
        self.features = FeatureUnion(
            [
                (
                    "char",
                    TfidfVectorizer(
                        analyzer="char_wb",
                        ngram_range=p.char_ngrams,
                        sublinear_tf=True,
                        lowercase=False,
                        dtype=np.float32,
                    ),
                ),
                (
                    "word",
                    TfidfVectorizer(
                        analyzer="word",
                        ngram_range=p.word_ngrams,
                        token_pattern=r"\S+",
                        sublinear_tf=True,
                        lowercase=False,
                        dtype=np.float32,
                    ),
                ),
            ]
        )
        self.model = LogisticRegression(
            C=p.c, class_weight=p.class_weight, max_iter=5000, solver="lbfgs"
        )
        self.classes: list[str] = []

    def fit(self, texts: Sequence[str], intents: Sequence[str]) -> IntentClassifier:
        """Train on classifier texts and their intents."""
        matrix = self.features.fit_transform(list(texts))
        self.model.fit(matrix, list(intents))
        self.classes = [str(c) for c in self.model.classes_]
        return self

    def rank(self, text: str) -> list[tuple[str, float]]:
        """All known intents with their probabilities, most likely first."""
        return self.rank_many([text])[0]

    def rank_many(self, texts: Sequence[str]) -> list[list[tuple[str, float]]]:
        """``rank`` for a batch (one matrix product for all)."""
        probs = self.model.predict_proba(self.features.transform(list(texts)))
        out = []
        for row in probs:
            order = np.argsort(-row)
            out.append([(self.classes[i], float(row[i])) for i in order])
        return out
