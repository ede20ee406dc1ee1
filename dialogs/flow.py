"""A flow: named steps, each with its prompt (for help, `kembali` and resuming)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from dialogs.base import DialogContext, Out, Step, Turn

Prompt = Callable[[dict[str, Any], DialogContext], str]


@dataclass(frozen=True)
class Flow:
    name: str
    judul: str  # "pendaftaran", "pengajuan permohonan" — for "lanjutkan …?"
    first: str
    steps: dict[str, Step]
    prompts: dict[str, Prompt]
    free_text: frozenset[str] = frozenset()
    needs_pemohon: bool = False
    accepts_files: frozenset[str] = field(default_factory=frozenset)
    # a one-question flow ("which layanan?", "which number?") that a clear request of
    # another kind replaces, instead of being read as its answer; `intents` are its own,
    # and a message carrying one of `jawaban` (entities) answers it whatever its intent
    ringan: bool = False
    intents: frozenset[str] = frozenset()
    jawaban: frozenset[str] = frozenset()
    # steps that ask for a registration number: one typed there is the answer
    meminta_nomor: frozenset[str] = frozenset()
    # steps that ask for a date and time: "kemarin jam 10" there is an answer (a wrong one)
    meminta_waktu: frozenset[str] = frozenset()
    # `kembali` inside one step that asks several questions (the survey's nine): the state
    # one question back, or None at the first
    mundur: Callable[[dict[str, Any]], dict[str, Any] | None] | None = None

    def begin(self, turn: Turn, ctx: DialogContext, data: dict[str, Any] | None = None,
              step: str | None = None) -> Out:
        """Enter the flow at its first (or a given) step and ask its question."""
        state = {"flow": self.name, "step": step or self.first, "data": dict(data or {}),
                 "history": []}
        return Out(state).say(self.prompt(state, ctx))

    def prompt(self, state: dict[str, Any], ctx: DialogContext) -> str:
        return self.prompts[state["step"]](state, ctx)
