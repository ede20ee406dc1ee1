"""The embedded NLU: our entity extractors plus the local intent classifier."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from nlu.courtesy import COURTESY_INTENTS, strip_courtesy
from nlu.entities import EntityExtractor
from nlu.features import classifier_text
from nlu.lexicon import Lexicon
from nlu.model_store import TrainedModel, load_or_train
from nlu.normalize import normalize
from nlu.types import FALLBACK_INTENT, Entity, IntentScore, ParseResult

__all__ = ["EmbeddedParser", "make_result"]


def make_result(
    text: str, ranking: Sequence[tuple[str, float]], entities: list[Entity]
) -> ParseResult:
    """A Rasa ``/model/parse``-shaped answer from a ranking and entities."""
    scores: list[IntentScore] = [
        {"name": name, "confidence": round(float(conf), 4)} for name, conf in ranking
    ]
    top = scores[0] if scores else IntentScore(name=FALLBACK_INTENT, confidence=0.0)
    return ParseResult(
        text=text, intent=IntentScore(**top), intent_ranking=scores, entities=entities
    )


class EmbeddedParser:
    """Parses in-process (about 0.3 ms per message); implements ``NluParser``."""

    def __init__(self, model: TrainedModel, extractor: EntityExtractor, tz: str) -> None:
        self.model = model
        self.extractor = extractor
        self.tz = ZoneInfo(tz)

    @classmethod
    def load(
        cls, *, data_dir: Path, training_dir: Path, lexicon: Lexicon, tz: str
    ) -> EmbeddedParser:
        """Load the stored model, training it first when missing or stale."""
        extractor = EntityExtractor(lexicon, tz)
        return cls(load_or_train(data_dir, training_dir, lexicon, extractor), extractor, tz)

    def _now(self, now: datetime | None) -> datetime:
        if now is None:
            return datetime.now(self.tz)
        return now.astimezone(self.tz) if now.tzinfo else now.replace(tzinfo=self.tz)

    def entities(self, text: str, now: datetime | None = None) -> list[Entity]:
        """Only the entities of a message (used by the Rasa backend)."""
        return [f.to_dict() for f in self.extractor.extract(text, self._now(now))]

    def parse(self, text: str, now: datetime | None = None) -> ParseResult:
        return self.parse_many([text], now)[0]

    async def aparse(self, text: str, now: datetime | None = None) -> ParseResult:
        return self.parse(text, now)

    def _reread_courtesy(
        self, masked: list[str], rankings: list[list[tuple[str, float]]]
    ) -> list[list[tuple[str, float]]]:
        """A long message read as a greeting or thanks is read again without them."""
        redo = {
            i: rest
            for i, (m, r) in enumerate(zip(masked, rankings, strict=True))
            if r and r[0][0] in COURTESY_INTENTS and (rest := strip_courtesy(m))
        }
        if not redo:
            return rankings
        again = self.model.classifier.rank_many(list(redo.values()))
        out = list(rankings)
        for i, ranking in zip(redo, again, strict=True):
            if ranking[0][0] not in COURTESY_INTENTS:
                out[i] = ranking
        return out

    def parse_many(self, texts: Sequence[str], now: datetime | None = None) -> list[ParseResult]:
        """Parse a batch with one classifier call (evaluation, benchmarks)."""
        moment = self._now(now)
        found = [self.extractor.extract(t, moment, normalize(t)) for t in texts]
        masked = [classifier_text(t, f) for t, f in zip(texts, found, strict=True)]
        rankings = self.model.classifier.rank_many(masked)
        rankings = self._reread_courtesy(masked, rankings)
        # Nothing to read (empty, only punctuation): no intent can be claimed.
        rankings = [
            r if m else [(FALLBACK_INTENT, 1.0)] for r, m in zip(rankings, masked, strict=True)
        ]
        return [
            make_result(t, r, [e.to_dict() for e in f])
            for t, r, f in zip(texts, rankings, found, strict=True)
        ]
