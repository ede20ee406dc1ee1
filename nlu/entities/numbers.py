"""Registration numbers, NIK and mobile numbers, found in the original text.

The patterns only propose candidates; ``domain.identitas`` decides what is valid and
gives the normalised value, so the NLU and the rest of the system agree.
"""

from __future__ import annotations

import re
from datetime import date

from domain.identitas import NikTidakValid, normalize_hp, normalize_nomor, validate_nik
from nlu.entities.found import Found

__all__ = ["EXTRACTOR", "find_nomor_registrasi", "find_nik_and_hp"]

EXTRACTOR = "ptsp_regex"

_NOMOR = re.compile(
    r"(?<![A-Za-z0-9])(?:PTSP|ADU|TMU)\s*[-_./:#]?\s*\d{6}\s*[-_./]?\s*\d{1,5}(?!\d)",
    re.IGNORECASE,
)
# A run of digit groups joined by single separators, optionally "+"-prefixed.
_RUN = re.compile(r"(?<![\w+])\+?\d+(?:(?: ?[.\-] ?| )\d+)*")
_GROUP = re.compile(r"\d+")


def find_nomor_registrasi(text: str) -> list[Found]:
    """``ptsp 261120 42``, ``PTSP2611190009``, ``adu-261120-0003`` → canonical numbers."""
    out: list[Found] = []
    for m in _NOMOR.finditer(text):
        value = normalize_nomor(m.group(0))
        if value is not None:
            out.append(Found("nomor_registrasi", value, m.start(), m.end(), EXTRACTOR))
    return out


def _nik(span: str, today: date) -> str | None:
    digits = re.sub(r"\D", "", span)
    if len(digits) != 16:
        return None
    try:
        return validate_nik(span, today).nik
    except NikTidakValid:
        return None


def find_nik_and_hp(text: str, today: date) -> list[Found]:
    """Valid NIKs (16 digits) and Indonesian mobile numbers in digit runs.

    A run such as ``NIK 3171… 0812…`` may hold several numbers; every contiguous
    sequence of whole digit groups is tried, and the longest valid ones win.
    """
    candidates: list[Found] = []
    for run in _RUN.finditer(text):
        groups = [
            (g.start() + run.start(), g.end() + run.start()) for g in _GROUP.finditer(run[0])
        ]
        for i, (start, _) in enumerate(groups):
            if i == 0 and run[0].startswith("+"):
                start = run.start()
            for j in range(i, len(groups)):
                end = groups[j][1]
                span = text[start:end]
                if len(re.sub(r"\D", "", span)) > 16:
                    break
                nik = _nik(span, today)
                if nik is not None:
                    candidates.append(Found("nik", nik, start, end, EXTRACTOR))
                    continue
                hp = normalize_hp(span)
                if hp is not None:
                    candidates.append(Found("nomor_hp", hp, start, end, EXTRACTOR))
    candidates.sort(key=lambda f: (-(f.end - f.start), f.start))
    chosen: list[Found] = []
    for cand in candidates:
        if not any(cand.overlaps(c) for c in chosen):
            chosen.append(cand)
    return sorted(chosen, key=lambda f: f.start)
