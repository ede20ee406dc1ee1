"""Load Rasa 3.x NLU training data (YAML) into plain examples.

Supports ``- intent:`` items with ``examples: |`` blocks (or lists of strings or of
``{text: …}`` mappings) and the entity annotations ``[text](entity)``,
``[text](entity:value)`` and ``[text]{"entity": "e", "value": "v"}``. Other Rasa item
kinds (``synonym``, ``regex``, ``lookup``) are ignored: the lexicon plays that role.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from nlu.types import INTENTS, NluError

#: the Rasa YAML training data shipped with the package (in the checkout and in the wheel)
TRAINING_DIR = Path(__file__).resolve().parent / "data"

__all__ = [
    "Annotation",
    "Example",
    "files_digest",
    "load_examples",
    "load_file",
    "parse_annotated",
    "training_files",
]

log = logging.getLogger(__name__)

_ANNOTATION = re.compile(r"\[(?P<text>[^\[\]]+)\](?:\((?P<short>[^()]*)\)|\{(?P<json>[^{}]*)\})")


@dataclass(frozen=True, slots=True)
class Annotation:
    """An entity marked in an example; ``start``/``end`` index the plain text."""

    entity: str
    value: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Example:
    """One training or test example: plain text, intent and annotated entities."""

    text: str
    intent: str
    entities: tuple[Annotation, ...] = field(default_factory=tuple)


def parse_annotated(line: str) -> tuple[str, list[Annotation]]:
    """Strip Rasa entity markup from one example, returning plain text and entities."""
    plain: list[str] = []
    entities: list[Annotation] = []
    pos = length = 0
    for m in _ANNOTATION.finditer(line):
        before = line[pos : m.start()]
        plain.append(before)
        length += len(before)
        surface = m["text"]
        if m["short"] is not None:
            entity, _, value = m["short"].partition(":")
            value = value or surface
        else:
            try:
                obj = json.loads("{" + m["json"] + "}")
            except json.JSONDecodeError as exc:
                raise NluError(f"bad entity annotation {m[0]!r}: {exc}") from exc
            entity, value = str(obj.get("entity", "")), str(obj.get("value", surface))
        entities.append(Annotation(entity.strip(), value, length, length + len(surface)))
        plain.append(surface)
        length += len(surface)
        pos = m.end()
    plain.append(line[pos:])
    return "".join(plain), entities


def _lines(examples: Any) -> Iterable[str]:
    if isinstance(examples, str):
        for raw in examples.splitlines():
            raw = raw.strip()
            if raw.startswith("- "):
                yield raw[2:].strip()
            elif raw == "-" or not raw:
                continue
            else:
                yield raw
    elif isinstance(examples, list):
        for item in examples:
            text = item.get("text") if isinstance(item, dict) else item
            if isinstance(text, str) and text.strip():
                yield text.strip()


def load_file(path: Path) -> list[Example]:
    """Examples of one Rasa NLU YAML file; intents outside the contract are skipped."""
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise NluError(f"cannot read training data {path}: {exc}") from exc
    items = (doc.get("nlu") if isinstance(doc, dict) else None) or []
    out: list[Example] = []
    for item in items:
        if not isinstance(item, dict) or "intent" not in item:
            continue
        intent = str(item["intent"])
        if intent not in INTENTS:
            log.warning("%s: intent %r is not a contract intent, skipped", path, intent)
            continue
        for line in _lines(item.get("examples")):
            text, entities = parse_annotated(line)
            if text.strip():
                out.append(Example(text, intent, tuple(entities)))
    return out


def training_files(path: Path) -> list[Path]:
    """The YAML files of a training directory (sorted), or the file itself."""
    if path.is_file():
        return [path]
    return sorted([*path.glob("*.yml"), *path.glob("*.yaml")]) if path.is_dir() else []


def load_examples(path: Path) -> list[Example]:
    """All examples under a directory (or of one file).

    Raises:
        NluError: no training data there.
    """
    files = training_files(path)
    examples = [ex for f in files for ex in load_file(f)]
    if not examples:
        raise NluError(f"no NLU training examples found in {path}")
    return examples


def files_digest(path: Path) -> str:
    """A hash of the names and contents of the training files."""
    digest = hashlib.sha256()
    for f in training_files(path):
        digest.update(f.name.encode("utf-8") + b"\0" + f.read_bytes() + b"\0")
    return digest.hexdigest()
