"""Types shared by the NLU package and its callers (dialogs, the app, the CLI).

A parse result is a plain dict shaped exactly like Rasa's ``POST /model/parse``
answer, so the dialog layer cannot tell the embedded model from a Rasa server.
"""

from __future__ import annotations

from datetime import datetime
from typing import NotRequired, Protocol, TypedDict, runtime_checkable

__all__ = [
    "ENTITIES",
    "INTENTS",
    "FALLBACK_INTENT",
    "Entity",
    "IntentScore",
    "NluError",
    "NluParser",
    "ParseResult",
]

#: The intents of the contract (CONTRACT.md, NLU). ``parse`` always names one of them.
INTENTS: tuple[str, ...] = (
    "salam",
    "bantuan",
    "daftar",
    "ajukan_permohonan",
    "kirim_dokumen",
    "cek_status",
    "pengaduan",
    "tanya_persyaratan",
    "tanya_biaya",
    "tanya_waktu",
    "tanya_jam_layanan",
    "tanya_lokasi",
    "ambil_antrian",
    "daftar_tamu",
    "isi_survei",
    "bicara_petugas",
    "batal",
    "setuju",
    "tolak",
    "terima_kasih",
    "di_luar_topik",
)

#: The entity types the extractors produce, with normalised values.
ENTITIES: tuple[str, ...] = (
    "nomor_registrasi",
    "nik",
    "nomor_hp",
    "layanan",
    "pejabat",
    "tanggal",
)

#: The intent used when nothing else fits (and for an unknown Rasa intent).
FALLBACK_INTENT = "di_luar_topik"


class IntentScore(TypedDict):
    name: str
    confidence: float


class Entity(TypedDict):
    entity: str
    value: str
    start: int
    end: int
    extractor: str
    confidence: NotRequired[float]


class ParseResult(TypedDict):
    text: str
    intent: IntentScore
    intent_ranking: list[IntentScore]
    entities: list[Entity]


class NluError(RuntimeError):
    """The NLU cannot be built (no training data, unreadable files, bad backend)."""


@runtime_checkable
class NluParser(Protocol):
    """What the dialog layer and the app call to understand a message.

    ``parse`` is synchronous and fast (the embedded model, about a millisecond).
    ``aparse`` is what the app's workers await: the Rasa backend does its HTTP call
    there and falls back to the embedded model on error. Both take ``now``, the
    reference time for relative dates ("besok", "kamis depan"); None means the current
    time in the office's timezone.
    """

    def parse(self, text: str, now: datetime | None = None) -> ParseResult: ...

    async def aparse(self, text: str, now: datetime | None = None) -> ParseResult: ...
