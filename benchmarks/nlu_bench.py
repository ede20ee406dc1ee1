"""NLU benchmark: parse latency, batch throughput, training time, held-out scores.

Run from the repository root: ``.venv/bin/python benchmarks/nlu_bench.py [--json]``.
Messages are the held-out set's texts (realistic WhatsApp phrasing), parsed one by
one several times for the latency percentiles, then as one batch.

``--compare`` also scores the candidate classifiers that led to the chosen one
(5-fold cross-validation on the training data, and the held-out set).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import StratifiedKFold  # noqa: E402
from sklearn.pipeline import FeatureUnion, make_pipeline  # noqa: E402

from nlu.classifier import ClassifierParams, IntentClassifier  # noqa: E402
from nlu.embedded import EmbeddedParser  # noqa: E402
from nlu.entities import EntityExtractor  # noqa: E402
from nlu.evaluate import baseline_accuracy, evaluate, sparse_baseline  # noqa: E402
from nlu.features import classifier_text  # noqa: E402
from nlu.lexicon import Lexicon  # noqa: E402
from nlu.model_store import train  # noqa: E402
from nlu.training_data import load_examples  # noqa: E402

TZ = "Asia/Jakarta"
REFERENCE = datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo(TZ))
TRAINING = ROOT / "nlu" / "data"
HELDOUT = ROOT / "tests" / "nlu" / "heldout.yml"


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run(passes: int = 5) -> dict[str, float]:
    """Measure everything; returns the numbers (milliseconds, seconds, ratios)."""
    lexicon = Lexicon.from_files(ROOT / "config.yml", ROOT / "catalog")
    examples = load_examples(TRAINING)
    heldout = load_examples(HELDOUT)
    texts = [ex.text for ex in heldout]

    started = time.perf_counter()
    train(examples, EntityExtractor(lexicon, TZ))
    train_s = time.perf_counter() - started

    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        EmbeddedParser.load(data_dir=Path(tmp), training_dir=TRAINING, lexicon=lexicon, tz=TZ)
        cold_s = time.perf_counter() - started
        started = time.perf_counter()
        parser = EmbeddedParser.load(
            data_dir=Path(tmp), training_dir=TRAINING, lexicon=lexicon, tz=TZ
        )
        warm_s = time.perf_counter() - started

    for text in texts[:50]:  # warm caches
        parser.parse(text, REFERENCE)
    latencies: list[float] = []
    for _ in range(passes):
        for text in texts:
            t0 = time.perf_counter_ns()
            parser.parse(text, REFERENCE)
            latencies.append((time.perf_counter_ns() - t0) / 1e6)

    started = time.perf_counter()
    parser.parse_many(texts * passes, REFERENCE)
    batch_s = time.perf_counter() - started

    report = evaluate(parser, heldout, REFERENCE)
    return {
        "messages": len(latencies),
        "parse_p50_ms": statistics.median(latencies),
        "parse_p99_ms": _percentile(latencies, 0.99),
        "parse_max_ms": max(latencies),
        "single_msgs_per_s": len(latencies) / (sum(latencies) / 1000),
        "batch_msgs_per_s": len(texts) * passes / batch_s,
        "train_s": train_s,
        "cold_load_s": cold_s,
        "warm_load_s": warm_s,
        "training_examples": len(examples),
        "heldout_examples": len(heldout),
        "heldout_intent_accuracy": report["intent_accuracy"],
        "heldout_intent_macro_f1": report["intent_macro_f1"],
        "heldout_entity_f1": report["entity_f1"],
        "baseline_intent_accuracy": baseline_accuracy(examples, heldout),
    }


class _Ranked:
    """Adapts IntentClassifier to fit/predict for the comparison."""

    def __init__(self, params: ClassifierParams) -> None:
        self.model = IntentClassifier(params)

    def fit(self, texts: list[str], intents: list[str]) -> _Ranked:
        self.model.fit(texts, intents)
        return self

    def predict(self, texts: list[str]) -> list[str]:
        return [r[0][0] for r in self.model.rank_many(texts)]


def _logreg() -> object:
    tfidf = {"sublinear_tf": True, "lowercase": False}
    return make_pipeline(
        FeatureUnion(
            [
                ("c", TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 5), **tfidf)),
                ("w", TfidfVectorizer(ngram_range=(1, 2), token_pattern=r"\S+", **tfidf)),
            ]
        ),
        LogisticRegression(C=20, class_weight="balanced", max_iter=5000),
    )


def compare() -> list[tuple[str, float, float]]:
    """(candidate, 5-fold CV accuracy on nlu/data, held-out accuracy) per candidate."""
    lexicon = Lexicon.from_files(ROOT / "config.yml", ROOT / "catalog")
    extractor = EntityExtractor(lexicon, TZ)
    train_ex, test_ex = load_examples(TRAINING), load_examples(HELDOUT)
    raw = np.array([e.text for e in train_ex], dtype=object)
    masked = np.array(
        [classifier_text(e.text, extractor.extract(e.text, REFERENCE)) for e in train_ex],
        dtype=object,
    )
    test_raw = [e.text for e in test_ex]
    test_masked = [classifier_text(t, extractor.extract(t, REFERENCE)) for t in test_raw]
    y, y_test = np.array([e.intent for e in train_ex]), np.array([e.intent for e in test_ex])
    candidates = [
        ("baseline: counts, LR, raw text", sparse_baseline, False),
        ("baseline on normalised+masked text", sparse_baseline, True),
        ("tf-idf, LR C=20, masked", _logreg, True),
        ("tf-idf, SVM, masked", lambda: _Ranked(ClassifierParams(stems=False)), True),
        ("tf-idf + stems, SVM, masked (chosen)", lambda: _Ranked(ClassifierParams()), True),
    ]
    out = []
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    for name, make, use_masked in candidates:
        x, x_test = (masked, test_masked) if use_masked else (raw, test_raw)
        accs = []
        for tr, te in folds.split(x, y):
            pred = make().fit(list(x[tr]), list(y[tr])).predict(list(x[te]))
            accs.append(float(np.mean(np.asarray(pred) == y[te])))
        held = make().fit(list(x), list(y)).predict(list(x_test))
        out.append((name, float(np.mean(accs)), float(np.mean(np.asarray(held) == y_test))))
    return out


def main() -> None:
    cli = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    cli.add_argument("--json", action="store_true", help="print one JSON object")
    cli.add_argument("--passes", type=int, default=5, help="latency passes over the messages")
    cli.add_argument("--compare", action="store_true", help="also compare the candidates")
    args = cli.parse_args()
    if args.compare:
        print(f"{'candidate':<40}  {'cv acc':>7}  {'heldout':>7}")
        for name, cv, held in compare():
            print(f"{name:<40}  {cv:7.4f}  {held:7.4f}")
        print()
    numbers = run(args.passes)
    if args.json:
        print(json.dumps(numbers))
        return
    width = max(len(k) for k in numbers)
    print("NLU benchmark (embedded backend)")
    print("-" * (width + 14))
    for key, value in numbers.items():
        shown = f"{value:.4f}" if isinstance(value, float) and value < 10 else f"{value:.0f}"
        print(f"{key:<{width}}  {shown:>10}")


if __name__ == "__main__":
    main()
