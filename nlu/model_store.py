"""Training and persistence of the embedded model, keyed by what it was trained on.

The model lives in ``{data_dir}/nlu/model-{key}.joblib``. The key hashes the training
files, the lexicon (catalog names and config jabatan), the feature code version and
the scikit-learn version, so any change retrains on the next start and a fresh clone
needs no extra step. Files are written atomically; older models are removed.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import joblib
import sklearn

from nlu.classifier import ClassifierParams, IntentClassifier
from nlu.entities import EntityExtractor
from nlu.features import classifier_text
from nlu.lexicon import Lexicon
from nlu.training_data import Example, files_digest, load_examples

__all__ = [
    "MODEL_VERSION",
    "TRAINING_NOW",
    "TrainedModel",
    "load_or_train",
    "model_key",
    "model_path",
    "train",
]

log = logging.getLogger(__name__)

#: Bump when normalisation, masking or the classifier change in a way old models miss.
MODEL_VERSION = "8"
#: Reference time for masking dates in training examples (spans do not depend on it).
TRAINING_NOW = datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
_TRAINING_NOW = TRAINING_NOW


@dataclass(slots=True)
class TrainedModel:
    """A fitted classifier and what it was trained on."""

    classifier: IntentClassifier
    key: str
    examples: int
    intents: list[str]
    seconds: float


def model_key(training_dir: Path, lexicon: Lexicon) -> str:
    """The hash naming the model for this training data, lexicon and code."""
    digest = hashlib.sha256()
    for part in (
        MODEL_VERSION,
        sklearn.__version__,
        files_digest(training_dir),
        lexicon.fingerprint(),
        _tables_digest(),
    ):
        digest.update(part.encode("utf-8") + b"\0")
    return digest.hexdigest()[:20]


def _tables_digest() -> str:
    """The normaliser and description tables: editing a word retrains the model."""
    import json

    from nlu import abbreviations, deskripsi

    payload = {
        "abbreviations": abbreviations.ABBREVIATIONS,
        "phrases": abbreviations.PHRASES,
        "deskripsi": deskripsi.DESKRIPSI,
        "objek": deskripsi.OBJEK,
        "pemicu": deskripsi.PEMICU,
        "bukan_layanan": deskripsi.BUKAN_LAYANAN,
    }
    return hashlib.sha256(
        json.dumps(payload, sort_keys=True, ensure_ascii=False).encode("utf-8")
    ).hexdigest()


def model_path(data_dir: Path, key: str) -> Path:
    return data_dir / "nlu" / f"model-{key}.joblib"


def train(
    examples: list[Example],
    extractor: EntityExtractor,
    *,
    key: str = "",
    params: ClassifierParams | None = None,
) -> TrainedModel:
    """Fit the classifier on examples, masking the entities our extractors find."""
    started = time.perf_counter()
    texts = [
        classifier_text(ex.text, extractor.extract(ex.text, _TRAINING_NOW)) for ex in examples
    ]
    intents = [ex.intent for ex in examples]
    classifier = IntentClassifier(params).fit(texts, intents)
    seconds = time.perf_counter() - started
    return TrainedModel(classifier, key, len(examples), sorted(set(intents)), seconds)


def save(model: TrainedModel, path: Path) -> None:
    """Write atomically (temp file + rename) so a concurrent reader never sees half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".model-", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        joblib.dump(model, tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def load(path: Path) -> TrainedModel | None:
    """The stored model, or None when missing or unreadable (then it is retrained)."""
    if not path.is_file():
        return None
    try:
        model = joblib.load(path)
    except Exception as exc:  # noqa: BLE001 - any unpickling problem means "retrain"
        log.warning("NLU model %s unreadable (%s), retraining", path, exc)
        return None
    return model if isinstance(model, TrainedModel) else None


def load_or_train(
    data_dir: Path, training_dir: Path, lexicon: Lexicon, extractor: EntityExtractor
) -> TrainedModel:
    """Load the model for the current data and lexicon, training and saving it if needed."""
    key = model_key(training_dir, lexicon)
    path = model_path(data_dir, key)
    model = load(path)
    if model is not None:
        return model
    log.info("training the NLU model (%s)", path.name)
    model = train(load_examples(training_dir), extractor, key=key)
    try:
        save(model, path)
        for old in path.parent.glob("model-*.joblib"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError as exc:  # a read-only data dir must not stop the bot
        log.warning("NLU model not saved to %s: %s", path, exc)
    log.info("NLU model trained on %d examples in %.1fs", model.examples, model.seconds)
    return model
