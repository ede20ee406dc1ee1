"""The text the intent classifier sees: normalised, with entity spans masked.

A registration number, NIK, phone number, date or service name tells *that* something
was given, not which; replacing it with a placeholder word ("xnomor", "xlayanan") lets
one training example generalise to every number and every service, so that "syarat
legalisir?" and "syarat rekomendasi paspor?" read alike and a service name alone does
not pull a question towards ajukan_permohonan (measured: cross-validation and all three
held-out sets improved). Official names are kept ("kakanwil" suggests an audiensi) with
a placeholder after them. The guest book is masked as "xtamu", not "xlayanan": naming
it means announcing a visit, naming any other service means wanting it.
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
    "layanan": ("xlayanan", False),
    "pejabat": ("xpejabat", True),
}
#: the one service whose name says the intent: the guest book is `daftar_tamu`, every
#: other service a request or a question about it
TAMU = "tamu"


def classifier_text(text: str, entities: Iterable[Found]) -> str:
    """Normalised ``text`` with entity spans replaced (or tagged) by placeholder words."""
    parts: list[str] = []
    pos = 0
    for found in sorted(entities, key=lambda f: f.start):
        if found.start < pos:
            continue
        word, keep = PLACEHOLDERS.get(found.entity, (f"x{found.entity}", False))
        if found.entity == "layanan" and found.value == TAMU:
            word = "xtamu"  # the guest book has an intent of its own (daftar_tamu)
        parts.append(text[pos : found.start])
        if keep:
            parts.append(text[found.start : found.end])
        parts.append(f" {word} ")
        pos = found.end
    parts.append(text[pos:])
    return normalize("".join(parts)).text
