"""Ports the domain declares and `storage/` implements: unit of work, repositories, clock,
outbox."""

from __future__ import annotations

import abc
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any, Protocol

from domain.model import (
    Antrian,
    Delegasi,
    Pemohon,
    Pengaduan,
    Permohonan,
    PesanKeluar,
    Petugas,
    Prompt,
    RingkasanPermohonan,
    SurveiSKM,
)


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware."""


class PemohonRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, pemohon: Pemohon, kanal: str, kanal_id: str) -> Pemohon: ...

    @abc.abstractmethod
    def get(self, pemohon_id: int) -> Pemohon | None: ...

    @abc.abstractmethod
    def by_kanal(self, kanal: str, kanal_id: str) -> Pemohon | None: ...

    @abc.abstractmethod
    def kanal_of(self, pemohon_id: int) -> tuple[str, str] | None:
        """Where to reach a pemohon: (channel, recipient id); None for a counter-only one."""

    @abc.abstractmethod
    def atur_notifikasi(self, pemohon_id: int, berhenti: datetime | None) -> None:
        """Record "STOP" (the time) or "MULAI" (None) for notifications."""

    @abc.abstractmethod
    def minta_hapus(self, pemohon_id: int, waktu: datetime) -> None:
        """Record that the pemohon asked for their data to be deleted."""

    @abc.abstractmethod
    def list(self, *, hapus_diminta: bool = False) -> list[Pemohon]:
        """The office's pemohon (only those with a pending deletion request)."""

    @abc.abstractmethod
    def anonimkan(self, pemohon_id: int, waktu: datetime, nama: str) -> None:
        """Erase the person: identity fields cleared, the chat number unlinked, their
        conversation state and unsent messages dropped; permohonan and complaints stay."""


class PetugasRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, petugas: Petugas) -> Petugas: ...

    @abc.abstractmethod
    def get(self, petugas_id: int) -> Petugas | None: ...

    @abc.abstractmethod
    def list(self, *, aktif: bool | None = True) -> list[Petugas]: ...

    @abc.abstractmethod
    def by_telegram(self, user_id: int) -> Petugas | None: ...

    @abc.abstractmethod
    def by_kode_tautan(self, kode: str) -> Petugas | None: ...

    @abc.abstractmethod
    def delegasi(self, hari_ini: date) -> list[Delegasi]: ...

    @abc.abstractmethod
    def add_delegasi(self, d: Delegasi) -> None: ...

    @abc.abstractmethod
    def tautkan(self, petugas: Petugas, telegram_user_id: int) -> None:
        """Link a Telegram account to this petugas only (any other link is dropped)."""


class PermohonanRepository(abc.ABC):
    """Aggregates loaded through `get` are tracked and written back on commit."""

    @abc.abstractmethod
    def add(self, p: Permohonan) -> None: ...

    @abc.abstractmethod
    def get(self, nomor: str, *, for_update: bool = False) -> Permohonan | None: ...

    @abc.abstractmethod
    def list(
        self, *, status: str | None = None, layanan: str | None = None,
        pengaju_id: int | None = None, limit: int | None = None,
    ) -> list[Permohonan]: ...

    @abc.abstractmethod
    def ringkas(
        self, *, pengaju_id: int | None = None, status: str | None = None,
        sejak: datetime | None = None, limit: int | None = None,
    ) -> list[RingkasanPermohonan]:
        """Summaries, newest first, in one query (no files, timeline or disposisi)."""

    @abc.abstractmethod
    def seen(self) -> Iterator[Permohonan]: ...


class PengaduanRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, p: Pengaduan) -> None: ...

    @abc.abstractmethod
    def get(self, nomor: str, *, for_update: bool = False) -> Pengaduan | None: ...

    @abc.abstractmethod
    def list(self, *, pelapor_id: int | None = None) -> list[Pengaduan]: ...

    @abc.abstractmethod
    def count_topik(self, topik: str, mulai: datetime, sampai: datetime) -> int: ...

    @abc.abstractmethod
    def seen(self) -> Iterator[Pengaduan]: ...


class SkmRepository(abc.ABC):
    @abc.abstractmethod
    def add_many(self, rows: list[SurveiSKM]) -> None: ...

    @abc.abstractmethod
    def list(
        self, *, dari: date | None = None, sampai: date | None = None, layanan: str | None = None
    ) -> list[SurveiSKM]: ...


class AntrianRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, a: Antrian) -> Antrian: ...

    @abc.abstractmethod
    def hari_ini(self, tanggal: date, loket: str | None = None) -> list[Antrian]:
        """The day's numbers (of one loket), in order."""

    @abc.abstractmethod
    def save(self, a: Antrian) -> None: ...


class SequenceRepository(abc.ABC):
    @abc.abstractmethod
    def next(self, scope: str) -> int:
        """The next number of a gapless sequence, taken inside the current transaction."""


class Outbox(abc.ABC):
    @abc.abstractmethod
    def add(self, channel: str, recipient: str, message: dict[str, Any]) -> None:
        """Queue a message; it is sent only if the surrounding transaction commits."""

    def kirim(self, channel: str, recipient: str, message: dict[str, Any]) -> int:
        """Queue a message and return its id (to edit it or recognise replies to it)."""
        raise NotImplementedError

    def get(self, outbox_id: int) -> PesanKeluar | None:
        raise NotImplementedError

    def lepaskan_tertahan(self, channel: str, recipient: str, bungkus: Any) -> int:
        """Messages held outside WhatsApp's 24-hour window for this recipient go now, their
        text rewrapped by `bungkus(text)`; returns how many."""
        raise NotImplementedError

    def terkirim(self, channel: str, recipient: str, *, provider_id: str | None = None,
                 sejak: datetime | None = None) -> list[PesanKeluar]:
        """Messages sent to one recipient (with this provider id / since then), oldest first."""
        raise NotImplementedError


class PromptRepository(abc.ABC):
    """The officials' open questions about items, one office's."""

    @abc.abstractmethod
    def add(self, prompt: Prompt) -> Prompt: ...

    @abc.abstractmethod
    def by_kode(self, kode: str, *, for_update: bool = False) -> Prompt | None:
        """`for_update`: a second press waits for the first and then sees it done."""

    @abc.abstractmethod
    def terbuka(self, *, nomor: str | None = None, jenis: str | None = None) -> list[Prompt]:
        """Open prompts, oldest first."""

    @abc.abstractmethod
    def save(self, prompt: Prompt) -> None: ...


class PercakapanRepository(abc.ABC):
    """Conversation state per (channel, sender) of one office."""

    @abc.abstractmethod
    def milik(self, sender: str) -> dict[str, dict[str, Any]]:
        """This sender's conversation states, by channel."""

    @abc.abstractmethod
    def simpan(self, channel: str, sender: str, state: dict[str, Any]) -> None: ...


class JobScheduler(abc.ABC):
    @abc.abstractmethod
    def schedule(
        self, kind: str, payload: dict[str, Any], run_at: datetime, dedup_key: str | None = None
    ) -> None:
        """Schedule a job; a second job with the same dedup key is ignored."""


class AbstractUnitOfWork(abc.ABC):
    """One transaction over one kantor's data; rolls back unless `commit` is called."""

    kantor_id: int
    pemohon: PemohonRepository
    petugas: PetugasRepository
    permohonan: PermohonanRepository
    pengaduan: PengaduanRepository
    skm: SkmRepository
    antrian: AntrianRepository
    sequences: SequenceRepository
    outbox: Outbox
    jobs: JobScheduler
    prompt: PromptRepository
    percakapan: PercakapanRepository
    # the (channel, sender) whose own message this transaction answers: what it sends
    # them is a reply, not a notification, and goes even after "STOP"
    menjawab: tuple[str, str] | None = None

    def __enter__(self) -> AbstractUnitOfWork:
        return self

    def __exit__(self, *args: object) -> None:
        self.rollback()

    @abc.abstractmethod
    def commit(self) -> None: ...

    @abc.abstractmethod
    def rollback(self) -> None: ...

    def terbitkan(self, event: Any) -> None:
        """An event of a record that carries none itself (a guest of the buku tamu)."""
        self.__dict__.setdefault("_terbit", []).append(event)

    def collect_events(self) -> Iterator[Any]:
        for agg in [*self.permohonan.seen(), *self.pengaduan.seen()]:
            while agg.events:
                yield agg.events.pop(0)
        terbit = self.__dict__.get("_terbit") or []
        while terbit:
            yield terbit.pop(0)
