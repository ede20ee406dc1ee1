"""Scoring a parser against Rasa-format test data, and the sparse baseline to beat.

``evaluate`` gives the report of ``ptsp nlu evaluate --json``: intent accuracy and
macro F1, per-intent precision/recall/F1/support, entity F1 (micro, over
``(entity, value)`` pairs per example) and the misclassified examples.
``sparse_baseline`` is the plain Rasa-style pipeline (``char_wb`` 1–4 and word 1–2
count vectors, logistic regression, raw texts) the embedded model must beat.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support
from sklearn.pipeline import FeatureUnion, Pipeline

from nlu.training_data import Example
from nlu.types import ParseResult

__all__ = [
    "EntityMismatch",
    "baseline_accuracy",
    "cross_validate",
    "entity_mismatches",
    "evaluate",
    "parse_all",
    "sparse_baseline",
]


class _Parser(Protocol):
    def parse(self, text: str, now: datetime | None = None) -> ParseResult: ...


def parse_all(parser: _Parser, texts: Sequence[str], now: datetime | None) -> list[ParseResult]:
    """Parse many texts, in one batch when the parser supports it."""
    many = getattr(parser, "parse_many", None)
    if callable(many):
        return many(list(texts), now)
    return [parser.parse(t, now) for t in texts]


def _pairs(entities: Sequence[Any]) -> Counter[tuple[str, str]]:
    return Counter((str(e["entity"]), str(e["value"])) for e in entities)


def _expected_pairs(example: Example) -> Counter[tuple[str, str]]:
    return Counter((a.entity, a.value) for a in example.entities)


def evaluate(
    parser: _Parser, examples: Sequence[Example], now: datetime | None = None
) -> dict[str, Any]:
    """Score ``parser`` on annotated examples (dates resolved against ``now``)."""
    results = parse_all(parser, [ex.text for ex in examples], now)
    expected = [ex.intent for ex in examples]
    predicted = [r["intent"]["name"] for r in results]
    labels = sorted(set(expected) | set(predicted))
    precision, recall, f1, support = precision_recall_fscore_support(
        expected, predicted, labels=labels, zero_division=0
    )
    per_intent = {
        name: {
            "precision": round(float(p), 4),
            "recall": round(float(r), 4),
            "f1": round(float(f), 4),
            "support": int(s),
        }
        for name, p, r, f, s in zip(labels, precision, recall, f1, support, strict=True)
    }
    true_pos = n_pred = n_gold = 0
    for ex, res in zip(examples, results, strict=True):
        gold, got = _expected_pairs(ex), _pairs(res["entities"])
        true_pos += sum((gold & got).values())
        n_pred += sum(got.values())
        n_gold += sum(gold.values())
    p_ent = true_pos / n_pred if n_pred else 1.0
    r_ent = true_pos / n_gold if n_gold else 1.0
    entity_f1 = 2 * p_ent * r_ent / (p_ent + r_ent) if p_ent + r_ent else 0.0
    errors = [
        {"text": ex.text, "expected": ex.intent, "predicted": got}
        for ex, got in zip(examples, predicted, strict=True)
        if got != ex.intent
    ]
    return {
        "intent_accuracy": round(float(accuracy_score(expected, predicted)), 4),
        "intent_macro_f1": round(
            float(f1_score(expected, predicted, labels=labels, average="macro", zero_division=0)),
            4,
        ),
        "entity_f1": round(entity_f1, 4),
        "per_intent": per_intent,
        "errors": errors,
    }


class EntityMismatch(dict[str, Any]):
    """``{"text", "missing": [(entity, value)], "extra": [(entity, value)]}``."""


def entity_mismatches(
    parser: _Parser, examples: Sequence[Example], now: datetime | None = None
) -> list[EntityMismatch]:
    """Examples whose extracted ``(entity, value)`` pairs differ from the annotation."""
    out: list[EntityMismatch] = []
    results = parse_all(parser, [ex.text for ex in examples], now)
    for ex, res in zip(examples, results, strict=True):
        gold, got = _expected_pairs(ex), _pairs(res["entities"])
        if gold != got:
            out.append(
                EntityMismatch(
                    text=ex.text,
                    missing=sorted((gold - got).elements()),
                    extra=sorted((got - gold).elements()),
                )
            )
    return out


def sparse_baseline() -> Pipeline:
    """The plain Rasa-style sparse pipeline on raw text (the bar to beat)."""
    return Pipeline(
        [
            (
                "features",
                FeatureUnion(
                    [
                        ("char", CountVectorizer(analyzer="char_wb", ngram_range=(1, 4))),
                        ("word", CountVectorizer(analyzer="word", ngram_range=(1, 2))),
                    ]
                ),
            ),
            ("clf", LogisticRegression(max_iter=2000)),
        ]
    )


def baseline_accuracy(train: Sequence[Example], test: Sequence[Example]) -> float:
    """Intent accuracy of ``sparse_baseline`` trained on ``train``, scored on ``test``."""
    model = sparse_baseline().fit([ex.text for ex in train], [ex.intent for ex in train])
    predicted = model.predict([ex.text for ex in test])
    return float(accuracy_score([ex.intent for ex in test], predicted))


def cross_validate(
    examples: Sequence[Example],
    lexicon: Any,
    tz: str = "Asia/Jakarta",
    *,
    folds: int = 5,
    seed: int = 0,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Stratified ``folds``-fold cross-validation of the embedded NLU on ``examples``.

    Each fold trains the embedded model (entity masking included) on the other folds
    and scores intents and entities on the held-back one; the sparse baseline is
    trained and scored on the same split. Returns the means and the per-fold numbers:
    ``{"folds", "intent_accuracy", "entity_f1", "baseline_accuracy", "per_fold"}``.
    The softmax temperature is fixed during CV (it changes confidences, not ranks).
    """
    import numpy as np
    from sklearn.model_selection import StratifiedKFold

    from nlu.classifier import ClassifierParams
    from nlu.embedded import EmbeddedParser
    from nlu.entities import EntityExtractor
    from nlu.model_store import TRAINING_NOW, train

    examples = list(examples)
    moment = now or TRAINING_NOW
    extractor = EntityExtractor(lexicon, tz)
    intents = [ex.intent for ex in examples]
    splitter = StratifiedKFold(folds, shuffle=True, random_state=seed)
    per_fold: list[dict[str, float]] = []
    for train_idx, test_idx in splitter.split(np.zeros(len(intents)), intents):
        fold_train = [examples[i] for i in train_idx]
        fold_test = [examples[i] for i in test_idx]
        model = train(fold_train, extractor, params=ClassifierParams(temperature=5.0))
        report = evaluate(EmbeddedParser(model, extractor, tz), fold_test, moment)
        per_fold.append(
            {
                "intent_accuracy": report["intent_accuracy"],
                "entity_f1": report["entity_f1"],
                "baseline_accuracy": round(baseline_accuracy(fold_train, fold_test), 4),
            }
        )

    def mean(key: str) -> float:
        return round(float(np.mean([f[key] for f in per_fold])), 4)

    return {
        "folds": folds,
        "intent_accuracy": mean("intent_accuracy"),
        "entity_f1": mean("entity_f1"),
        "baseline_accuracy": mean("baseline_accuracy"),
        "per_fold": per_fold,
    }
