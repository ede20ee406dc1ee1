"""Reading an audiensi schedule typed in one line:
"27/11/2026 pukul 10.00 di Ruang Rapat Lt. 2"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

_LEAD = re.compile(r"^[\s,;:.\-–]*(?:(?:bertempat|tempat(?:nya)?|lokasi|ruang(?:an)?:)\s*[:\-]?\s*"
                   r"|di\s+)?", re.IGNORECASE)


@dataclass(frozen=True)
class Jadwal:
    waktu: datetime | None
    tempat: str | None

    @property
    def lengkap(self) -> bool:
        return self.waktu is not None and bool(self.tempat)


def baca_jadwal(text: str, nlu: dict[str, Any]) -> Jadwal:
    """The date-time (from the NLU's `tanggal` entity, with a time) and the place after it."""
    waktu, end, start = None, None, None
    for e in nlu.get("entities", []):
        if e.get("entity") == "tanggal" and "T" in str(e.get("value")):
            waktu = datetime.fromisoformat(e["value"])
            start, end = e.get("start", 0), e.get("end", 0)
            break
    if end is not None:
        rest = (text[end:] if end < len(text) else "") or text[:start]
    else:
        m = re.search(r"\b(?:di|tempat|bertempat|lokasi)\b(.+)$", text, re.IGNORECASE)
        rest = m.group(0) if m else ""
    tempat = _LEAD.sub("", rest).strip(" ,.;") or None
    return Jadwal(waktu=waktu, tempat=tempat[:200] if tempat else None)
