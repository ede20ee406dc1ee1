"""Entity extraction: every extractor, run in priority order without overlaps.

Numbers (registration number, NIK, mobile) are read from the original text (a
registration number also from the normalised one: "pe te es pe 261120 0042"); dates,
officials and services from the normalised text, mapped back to original offsets.
Earlier extractors win a contested span: ``PTSP-261120-0042`` is never also a date,
"kasi haji" is an official before "haji" can be anything else.
"""

from __future__ import annotations

from datetime import datetime

from nlu.entities.found import Found
from nlu.entities.names import LayananExtractor, PejabatExtractor
from nlu.entities.numbers import find_nik_and_hp, find_nomor_registrasi
from nlu.entities.tanggal import TanggalExtractor
from nlu.lexicon import Lexicon
from nlu.normalize import Normalized, normalize

__all__ = ["EntityExtractor", "Found"]


class EntityExtractor:
    """All entity extractors of the embedded NLU, built once from the lexicon."""

    def __init__(self, lexicon: Lexicon, tz: str) -> None:
        self.layanan = LayananExtractor(lexicon)
        self.pejabat = PejabatExtractor(lexicon)
        self.tanggal = TanggalExtractor(tz)

    def extract(self, text: str, now: datetime, norm: Normalized | None = None) -> list[Found]:
        """Entities of ``text`` sorted by position; ``norm`` saves normalising twice."""
        norm = norm or normalize(text)
        chosen: list[Found] = []
        batches = (
            # as typed; else as normalised ("pe te es pe 261120 0042" said to a phone)
            find_nomor_registrasi(text) or _nomor_ternormalisasi(norm),
            find_nik_and_hp(text, now.date()),
            self.tanggal.find(norm, now),
            self.pejabat.find(norm),
            self.layanan.find(norm),
        )
        for batch in batches:
            for found in batch:
                if not any(found.overlaps(c) for c in chosen):
                    chosen.append(found)
        return sorted(chosen, key=lambda f: f.start)


def _nomor_ternormalisasi(norm: Normalized) -> list[Found]:
    """Registration numbers visible only after normalising, mapped back to the text."""
    out = []
    for found in find_nomor_registrasi(norm.text):
        start, end = norm.original_span(found.start, found.end)
        out.append(Found(found.entity, found.value, start, end, found.extractor))
    return out
