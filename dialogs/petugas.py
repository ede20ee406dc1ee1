"""The officials' conversation: which open question a typed text answers, as pure steps.

An official may have several things open at once — a note asked for a disposisi, a
reason for a rejection, a chat relay with a citizen. Free text is applied only where it
is unambiguous: a reply to the question's own message, or the only open question. With
several open it asks which (one button per question, naming the number and the citizen)
and keeps the text until the official chooses; with none it is a command or the help.
Nothing here reaches a citizen by itself: the edge performs what `arahkan` decides.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

RELAY = "relay"


@dataclass(frozen=True)
class Pertanyaan:
    """One open question of one official, bound to one item and one purpose."""

    kunci: str  # unique per official: "aksi:<prompt kode>" or "relay:<prompt kode>"
    nomor: str  # PTSP-…/ADU-…, or the citizen's number for a relay
    tujuan: str  # the action waiting for words (`tolak`, `disposisi`, …) or "relay"
    untuk: str = "-"  # the citizen it concerns, for the choice's label

    def label(self, judul: dict[str, str]) -> str:
        apa = judul.get(self.tujuan, self.tujuan)
        if self.tujuan == RELAY:
            return f"{apa}: {self.untuk}"[:60]
        return f"{apa} · {self.nomor} · {self.untuk}"[:60]


@dataclass(frozen=True)
class Jawab:
    """The text answers this question."""

    kunci: str
    teks: str


@dataclass(frozen=True)
class TanyaMana:
    """Several questions are open: ask which one the text answers."""

    teks: str
    pilihan: tuple[Pertanyaan, ...]


@dataclass(frozen=True)
class Bantuan:
    """Nothing is open: the text is not meant for anyone; show the commands."""

    teks: str


Keputusan = Jawab | TanyaMana | Bantuan


def arahkan(teks: str, terbuka: Sequence[Pertanyaan], dibalas: str | None = None) -> Keputusan:
    """Decides what a typed text answers.

    Args:
        teks: what the official typed.
        terbuka: the official's open questions, oldest first.
        dibalas: the question whose message the official replied to (Telegram reply), if any.
    """
    if dibalas is not None and any(q.kunci == dibalas for q in terbuka):
        return Jawab(dibalas, teks)
    if len(terbuka) == 1:
        return Jawab(terbuka[0].kunci, teks)
    if not terbuka:
        return Bantuan(teks)
    return TanyaMana(teks, tuple(terbuka))


def simpan_tertunda(state: dict[str, Any], keputusan: TanyaMana) -> dict[str, Any]:
    """Keep the text until the official picks the question it answers."""
    return {**state, "tertunda": {"teks": keputusan.teks,
                                  "pilihan": [q.kunci for q in keputusan.pilihan]}}


def pilih_tertunda(state: dict[str, Any], i: int, terbuka: Sequence[Pertanyaan]
                   ) -> tuple[dict[str, Any], Jawab | None]:
    """The official chose question `i` for the kept text; None if it is no longer open."""
    tertunda = state.get("tertunda")
    state = {k: v for k, v in state.items() if k != "tertunda"}
    if not tertunda or not 0 <= i < len(tertunda["pilihan"]):
        return state, None
    kunci = tertunda["pilihan"][i]
    if not any(q.kunci == kunci for q in terbuka):
        return state, None
    return state, Jawab(kunci, tertunda["teks"])
