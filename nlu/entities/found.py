"""The record every extractor returns, in original-text coordinates."""

from __future__ import annotations

from dataclasses import dataclass

from nlu.types import Entity

__all__ = ["Found"]


@dataclass(frozen=True, slots=True)
class Found:
    """One entity found in a message: type, normalised value, span in the original text."""

    entity: str
    value: str
    start: int
    end: int
    extractor: str
    confidence: float | None = None

    def overlaps(self, other: Found) -> bool:
        return self.start < other.end and other.start < self.end

    def to_dict(self) -> Entity:
        out: Entity = {
            "entity": self.entity,
            "value": self.value,
            "start": self.start,
            "end": self.end,
            "extractor": self.extractor,
        }
        if self.confidence is not None:
            out["confidence"] = round(self.confidence, 4)
        return out
