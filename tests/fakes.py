"""Fakes of the outside world shared by the tests."""

from __future__ import annotations

import copy as _copy
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from domain import ports
from domain.model import (
    Antrian,
    Delegasi,
    Pemohon,
    Pengaduan,
    Petugas,
    RingkasanPermohonan,
    SurveiSKM,
)


@dataclass
class FixedClock:
    """A clock the test moves by hand."""

    current: datetime

    def now(self) -> datetime:
        return self.current

    def advance(self, **kw: float) -> None:
        self.current = self.current + timedelta(**kw)


# -- an in-memory unit of work over the domain's ports (no database) -------------------------

class FakePemohonRepository(ports.PemohonRepository):
    def __init__(self):
        self.rows: dict[int, tuple[Pemohon, str, str]] = {}

    def add(self, pemohon: Pemohon, kanal: str, kanal_id: str) -> Pemohon:
        pemohon.id = pemohon.id or len(self.rows) + 1
        self.rows[pemohon.id] = (pemohon, kanal, kanal_id)
        return pemohon

    def get(self, pemohon_id: int) -> Pemohon | None:
        row = self.rows.get(pemohon_id)
        return row[0] if row else None

    def by_kanal(self, kanal: str, kanal_id: str) -> Pemohon | None:
        return next((p for p, k, i in self.rows.values() if (k, i) == (kanal, kanal_id)), None)

    def kanal_of(self, pemohon_id: int) -> tuple[str, str] | None:
        row = self.rows.get(pemohon_id)
        return (row[1], row[2]) if row else None

    def atur_notifikasi(self, pemohon_id: int, berhenti) -> None:
        self.rows[pemohon_id][0].notifikasi_berhenti = berhenti

    def minta_hapus(self, pemohon_id: int, waktu) -> None:
        self.rows[pemohon_id][0].hapus_diminta = waktu

    def list(self, *, hapus_diminta: bool = False) -> list[Pemohon]:
        return [p for p, _, _ in self.rows.values() if p.hapus_diminta or not hapus_diminta]

    def anonimkan(self, pemohon_id: int, waktu, nama: str) -> None:
        p, kanal, _ = self.rows[pemohon_id]
        p.nama, p.nik, p.hp, p.alamat, p.instansi, p.dihapus = nama, None, "", None, None, waktu
        self.rows[pemohon_id] = (p, kanal, f"dihapus:{pemohon_id}")


class FakePetugasRepository(ports.PetugasRepository):
    def __init__(self):
        self.rows: dict[int, Petugas] = {}
        self.delegations: list[Delegasi] = []

    def add(self, petugas: Petugas) -> Petugas:
        petugas.id = petugas.id or len(self.rows) + 1
        self.rows[petugas.id] = petugas
        return petugas

    def get(self, petugas_id: int) -> Petugas | None:
        return self.rows.get(petugas_id)

    def list(self, *, aktif: bool | None = True) -> list[Petugas]:
        return [p for p in self.rows.values() if aktif is None or p.aktif == aktif]

    def by_telegram(self, user_id: int) -> Petugas | None:
        return next((p for p in self.rows.values() if p.telegram_user_id == user_id), None)

    def by_kode_tautan(self, kode: str) -> Petugas | None:
        return next((p for p in self.rows.values() if p.kode_tautan == kode), None)

    def delegasi(self, hari_ini) -> list[Delegasi]:
        return [d for d in self.delegations if d.sampai >= hari_ini]

    def add_delegasi(self, d: Delegasi) -> None:
        self.delegations.append(d)

    def tautkan(self, petugas: Petugas, telegram_user_id: int) -> None:
        for p in self.rows.values():
            if p.telegram_user_id == telegram_user_id:
                p.telegram_user_id = None
        petugas.telegram_user_id, petugas.kode_tautan = telegram_user_id, None
        self.add(petugas)


class _Aggregates:
    """Committed copies, and the copies this unit of work handed out (tracked)."""

    def __init__(self):
        self.committed: dict[str, Any] = {}
        self.tracked: dict[str, Any] = {}

    def add(self, obj: Any) -> None:
        self.tracked[obj.nomor] = obj

    def get(self, nomor: str, *, for_update: bool = False) -> Any:
        if nomor not in self.tracked and nomor in self.committed:
            self.tracked[nomor] = _copy.deepcopy(self.committed[nomor])
        return self.tracked.get(nomor)

    def seen(self):
        return iter(list(self.tracked.values()))

    def commit(self) -> None:
        for nomor, obj in self.tracked.items():
            self.committed[nomor] = _copy.deepcopy(obj)
        self.tracked = {}

    def rollback(self) -> None:
        self.tracked = {}


class FakePermohonanRepository(_Aggregates, ports.PermohonanRepository):
    def list(self, *, status=None, layanan=None, pengaju_id=None, limit=None) -> list:
        rows = [self.get(n) for n in self.committed]
        return [p for p in rows if (status is None or p.status == status)
                and (pengaju_id is None or p.pengaju_id == pengaju_id)][:limit]

    def ringkas(self, *, pengaju_id=None, status=None, sejak=None, limit=None) -> list:
        return [RingkasanPermohonan(
            nomor=p.nomor, layanan=p.layanan, status=p.status, pemegang=p.pemegang,
            pengaju_id=p.pengaju_id, diajukan=p.diajukan, menunggu_pemohon=p.menunggu_pemohon,
            data=p.data, sla_tenggat=p.sla_tenggat, sla_jeda_sejak=p.sla_jeda_sejak)
            for p in self.list(status=status, pengaju_id=pengaju_id, limit=limit)]


class FakePengaduanRepository(_Aggregates, ports.PengaduanRepository):
    def list(self, *, pelapor_id: int | None = None) -> list[Pengaduan]:
        return [self.get(n) for n in self.committed
                if pelapor_id is None or self.committed[n].pelapor_id == pelapor_id]

    def count_topik(self, topik, mulai, sampai) -> int:
        rows = {**self.committed, **self.tracked}.values()
        return sum(1 for p in rows if p.topik == topik and mulai <= p.diterima < sampai)


class FakeSkmRepository(ports.SkmRepository):
    def __init__(self):
        self.rows: list[SurveiSKM] = []

    def add_many(self, rows: list[SurveiSKM]) -> None:
        self.rows.extend(rows)

    def list(self, *, dari=None, sampai=None, layanan=None) -> list[SurveiSKM]:
        return list(self.rows)


class FakeAntrianRepository(ports.AntrianRepository):
    def __init__(self):
        self.rows: list[Antrian] = []

    def add(self, a: Antrian) -> Antrian:
        self.rows.append(a)
        return a

    def hari_ini(self, tanggal, loket=None) -> list[Antrian]:
        return [a for a in self.rows if a.tanggal == tanggal and loket in (None, a.loket)]

    def save(self, a: Antrian) -> None:
        pass


class FakeSequences(ports.SequenceRepository):
    def __init__(self):
        self.values: dict[str, int] = {}

    def next(self, scope: str) -> int:
        self.values[scope] = self.values.get(scope, 0) + 1
        return self.values[scope]


class FakeOutbox(ports.Outbox):
    """Collects what would be sent, like Rasa's CollectingOutputChannel."""

    def __init__(self):
        self.pending: list[tuple[str, str, dict]] = []
        self.sent: list[tuple[str, str, dict]] = []

    def add(self, channel: str, recipient: str, message: dict) -> None:
        self.pending.append((channel, recipient, message))

    def texts(self, recipient: str) -> list[str]:
        return [m.get("text", "") for _, r, m in self.sent if r == recipient]


class FakeJobs(ports.JobScheduler):
    def __init__(self):
        self.jobs: dict[str, tuple[str, dict, Any]] = {}

    def schedule(self, kind, payload, run_at, dedup_key=None) -> None:
        self.jobs.setdefault(dedup_key or f"{kind}:{len(self.jobs)}", (kind, payload, run_at))


class FakeTamuRepository:
    """The guest book in memory (`domain.tamu.TamuRepository`): copies in and out."""

    def __init__(self):
        self.rows: dict[str, Any] = {}

    def add(self, t):
        t.id = len(self.rows) + 1
        self.rows[t.nomor] = _copy.deepcopy(t)
        return t

    def get(self, nomor: str, *, for_update: bool = False):
        t = self.rows.get(nomor)
        return _copy.deepcopy(t) if t else None

    def list(self, tanggal=None):
        return [_copy.deepcopy(t) for t in self.rows.values()
                if tanggal is None or t.tanggal == tanggal]

    def save(self, t) -> None:
        self.rows[t.nomor] = _copy.deepcopy(t)


class FakeUnitOfWork(ports.AbstractUnitOfWork):
    """The domain's unit of work in memory: what is not committed is forgotten."""

    def __init__(self, kantor_id: int = 1):
        self.kantor_id = kantor_id
        self.pemohon = FakePemohonRepository()
        self.petugas = FakePetugasRepository()
        self.permohonan = FakePermohonanRepository()
        self.pengaduan = FakePengaduanRepository()
        self.skm = FakeSkmRepository()
        self.antrian = FakeAntrianRepository()
        self.sequences = FakeSequences()
        self.outbox = FakeOutbox()
        self.jobs = FakeJobs()
        self.tamu = FakeTamuRepository()
        self.committed = False

    def commit(self) -> None:
        self.permohonan.commit()
        self.pengaduan.commit()
        self.outbox.sent.extend(self.outbox.pending)
        self.outbox.pending = []
        self.committed = True

    def rollback(self) -> None:
        self.permohonan.rollback()
        self.pengaduan.rollback()
        self.outbox.pending = []
