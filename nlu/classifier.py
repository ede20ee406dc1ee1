"""The intent classifier: TF-IDF n-grams, a linear SVM and a fitted softmax.

Chosen by measurement (5-fold cross-validation on ``nlu/data``, three shuffles; see
the report in ``benchmarks/nlu_bench.py``): on the masked, normalised text,
``char_wb`` 1–5-grams catch spelling variants and truncations ("legalisr",
"daftarin"), word 1–2-grams catch phrases ("cek status", "jam buka") and stemmed words
join derived forms ("membatalkan", "batalin" → "batal"). A ``LinearSVC`` with balanced
class weights was about one point more accurate than logistic regression (0.847 vs
0.836) and trains faster. Its decision values become confidences through a softmax
whose temperature is fitted on out-of-fold decisions (minimum log-loss), so the
dialog's threshold means the same after every retraining.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import FeatureUnion, Pipeline, make_pipeline
from sklearn.svm import LinearSVC

from nlu.stem import stem_text

__all__ = ["ClassifierParams", "IntentClassifier"]

_TEMPERATURES = np.arange(1.0, 15.01, 0.25)
_DEFAULT_TEMPERATURE = 5.0
#: Up to this many texts are scored with the numpy fast path, more with scikit-learn.
_FAST_BATCH = 16


def stemmed_words(text: str) -> list[str]:
    """Analyzer of the stem features (module level so the model pickles)."""
    return stem_text(text).split()


def _softmax(scores: np.ndarray, temperature: float) -> np.ndarray:
    z = scores * temperature
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


class _Compiled:
    """The fitted pipeline's arithmetic in plain numpy, for one message at a time.

    scikit-learn's per-call input validation costs about a millisecond per message;
    this does the same TF-IDF (sublinear tf, idf, l2 per block) and linear decision
    with dictionary lookups and one small matrix product per feature block.
    """

    def __init__(self, pipeline: Pipeline) -> None:
        union, svm = pipeline[0], pipeline[-1]
        self.blocks = []
        offset = 0
        for _, vec in union.transformer_list:
            idf = np.asarray(vec.idf_, dtype=np.float64)
            self.blocks.append((vec.build_analyzer(), vec.vocabulary_, idf, offset))
            offset += len(vec.vocabulary_)
        self.coef_t = np.ascontiguousarray(np.asarray(svm.coef_, dtype=np.float64).T)
        self.intercept = np.asarray(svm.intercept_, dtype=np.float64)

    def scores(self, text: str) -> np.ndarray:
        out = self.intercept.copy()
        for analyze, vocab, idf, offset in self.blocks:
            counts: dict[int, int] = {}
            for gram in analyze(text):
                j = vocab.get(gram)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            if not counts:
                continue
            idx = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
            tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
            weights = (np.log(tf) + 1.0) * idf[idx]
            weights /= np.sqrt(weights @ weights)
            out += weights @ self.coef_t[offset + idx]
        return out


@dataclass(frozen=True, slots=True)
class ClassifierParams:
    """Hyper-parameters; the defaults are the measured best."""

    char_ngrams: tuple[int, int] = (1, 5)
    word_ngrams: tuple[int, int] = (1, 2)
    stems: bool = True
    c: float = 1.0
    class_weight: str | None = "balanced"
    temperature: float | None = None  # None: fitted on out-of-fold decisions


class IntentClassifier:
    """Fits on classifier texts (see ``nlu.features``) and ranks intents."""

    def __init__(self, params: ClassifierParams | None = None) -> None:
        self.params = params or ClassifierParams()
        self.classes: list[str] = []
        self.temperature = self.params.temperature or _DEFAULT_TEMPERATURE
        self.pipeline = self._pipeline()
        self._compiled: _Compiled | None = None

    def __getstate__(self) -> dict[str, object]:
        state = self.__dict__.copy()
        state["_compiled"] = None  # rebuilt on first use; holds unpicklable analyzers
        return state

    def _pipeline(self) -> Pipeline:
        p = self.params
        tfidf = {"sublinear_tf": True, "lowercase": False, "dtype": np.float32}
        parts = [
            ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=p.char_ngrams, **tfidf)),
            (
                "word",
                TfidfVectorizer(
                    analyzer="word", ngram_range=p.word_ngrams, token_pattern=r"\S+", **tfidf
                ),
            ),
        ]
        if p.stems:
            parts.append(("stem", TfidfVectorizer(analyzer=stemmed_words, **tfidf)))
        svm = LinearSVC(C=p.c, class_weight=p.class_weight)
        return make_pipeline(FeatureUnion(parts), svm)

    def fit(self, texts: Sequence[str], intents: Sequence[str]) -> IntentClassifier:
        """Train on classifier texts and their intents, then fit the temperature."""
        texts, intents = list(texts), list(intents)
        if self.params.temperature is None:
            self.temperature = self._fit_temperature(texts, intents)
        self.pipeline.fit(texts, intents)
        self._compiled = None
        self.classes = [str(c) for c in self.pipeline.classes_]
        return self

    def _fit_temperature(self, texts: list[str], intents: list[str]) -> float:
        counts = np.unique(intents, return_counts=True)[1]
        if len(counts) < 3 or counts.min() < 3:
            return _DEFAULT_TEMPERATURE
        folds = StratifiedKFold(3, shuffle=True, random_state=0)
        scores = cross_val_predict(
            self._pipeline(), texts, intents, cv=folds, method="decision_function"
        )
        classes = sorted(set(intents))
        truth = np.array([classes.index(i) for i in intents])
        rows = np.arange(len(truth))
        losses = [-np.log(_softmax(scores, t)[rows, truth] + 1e-12).mean() for t in _TEMPERATURES]
        return float(_TEMPERATURES[int(np.argmin(losses))])

    def rank(self, text: str) -> list[tuple[str, float]]:
        """All known intents with their confidences, most likely first."""
        return self.rank_many([text])[0]

    def decision(self, texts: Sequence[str]) -> np.ndarray:
        """Raw SVM scores, shape (len(texts), n_classes)."""
        if len(texts) <= _FAST_BATCH:
            if getattr(self, "_compiled", None) is None:
                self._compiled = _Compiled(self.pipeline)
            scores = np.vstack([self._compiled.scores(t) for t in texts])
        else:
            scores = np.asarray(self.pipeline.decision_function(list(texts)), dtype=np.float64)
        if scores.ndim == 1 or scores.shape[1] == 1:  # two classes: one column of scores
            scores = scores.reshape(-1)
            scores = np.column_stack([-scores, scores])
        return scores

    def rank_many(self, texts: Sequence[str]) -> list[list[tuple[str, float]]]:
        """``rank`` for a batch (one matrix product for all)."""
        scores = self.decision(texts)
        probs = _softmax(scores, self.temperature)
        out = []
        for row in probs:
            order = np.argsort(-row)
            out.append([(self.classes[i], float(row[i])) for i in order])
        return out
