"""The text the intent classifier sees: normalised, with entity spans masked.

A registration number, NIK, phone number or date tells *that* something was given,
not which; replacing it with a placeholder word ("xnomor") lets one training example
generalise to every number. Service and official names are kept (they carry meaning:
"audiensi" suggests ajukan_permohonan) and a placeholder is added after them.
"""

from __future__ import annotations

from collections.abc import Iterable

from nlu.entities.found import Found
from nlu.normalize import normalize

__all__ = ["PLACEHOLDERS", "classifier_text"]

#: entity -> (placeholder word, keep the original words?)
PLACEHOLDERS: dict[str, tuple[str, bool]] = {
    "nomor_registrasi": ("xnomor", False),
    "nik": ("xnik", False),
    "nomor_hp": ("xhp", False),
    "tanggal": ("xtanggal", False),
    "layanan": ("xlayanan", True),
    "pejabat": ("xpejabat", True),
}


def classifier_text(text: str, entities: Iterable[Found]) -> str:
    """Normalised ``text`` with entity spans replaced (or tagged) by placeholder words."""
    parts: list[str] = []
    pos = 0
    for found in sorted(entities, key=lambda f: f.start):
        if found.start < pos:
            continue
        word, keep = PLACEHOLDERS.get(found.entity, (f"x{found.entity}", False))
        parts.append(text[pos : found.start])
        if keep:
            parts.append(text[found.start : found.end])
        parts.append(f" {word} ")
        pos = found.end
    parts.append(text[pos:])
    return normalize("".join(parts)).text
