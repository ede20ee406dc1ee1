"""The unit of work over one kantor's data, and the `Database` that hands them out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from domain.ports import AbstractUnitOfWork
from storage.db import is_postgres, make_engine
from storage.laporan_repo import SqlLaporanRepository
from storage.officials_repo import (
    SqlOutboxHandle,
    SqlPercakapanRepository,
    SqlPromptRepository,
)
from storage.repositories import (
    SqlAntrianRepository,
    SqlJobScheduler,
    SqlPemohonRepository,
    SqlPengaduanRepository,
    SqlPermohonanRepository,
    SqlPetugasRepository,
    SqlSequenceRepository,
    SqlSkmRepository,
)
from storage.surat_repo import SqlSuratRepository
from storage.tables import KantorRow
from storage.tamu_repo import SqlTamuRepository

CHANNEL_PREFIX = "ptsp_"


class SqlUnitOfWork(AbstractUnitOfWork):
    """A transaction: rolls back unless committed; wakes the workers after a commit."""

    def __init__(self, db: Database, kantor_id: int):
        self.db, self.kantor_id = db, kantor_id
        self.session: Session | None = None

    def __enter__(self) -> SqlUnitOfWork:
        self.session = Session(self.db.engine, expire_on_commit=False)
        self._repos()
        return self

    def _repos(self) -> None:
        """Fresh repositories: nothing tracked survives a rollback."""
        assert self.session is not None
        s, k = self.session, self.kantor_id
        self.pemohon = SqlPemohonRepository(s, k)
        self.petugas = SqlPetugasRepository(s, k)
        self.permohonan = SqlPermohonanRepository(s, k)
        self.pengaduan = SqlPengaduanRepository(s, k)
        self.skm = SqlSkmRepository(s, k)
        self.antrian = SqlAntrianRepository(s, k)
        self.surat = SqlSuratRepository(s, k)
        self.tamu = SqlTamuRepository(s, k)
        self.laporan = SqlLaporanRepository(s, k)
        self.sequences = SqlSequenceRepository(s)
        self.outbox = SqlOutboxHandle(s, k)
        self.jobs = SqlJobScheduler(s, k)
        self.prompt = SqlPromptRepository(s, k)
        self.percakapan = SqlPercakapanRepository(s, k)

    def __exit__(self, *args: object) -> None:
        assert self.session is not None
        try:
            self.session.rollback()
        finally:
            self.session.close()

    def commit(self) -> None:
        assert self.session is not None
        self.permohonan.flush()
        self.pengaduan.flush()
        woken = [q for q, n in (("outbox", self.outbox.added), ("job", self.jobs.added)) if n]
        if woken and is_postgres(self.db.engine):
            for q in woken:  # NOTIFY is delivered only if the transaction commits
                self.session.execute(text("SELECT pg_notify(:c, '')"), {"c": CHANNEL_PREFIX + q})
        self.session.commit()
        for q in woken:
            self.db.wake(q)
        self.outbox.added = self.jobs.added = 0

    def rollback(self) -> None:
        assert self.session is not None
        self.session.rollback()
        self._repos()
        self.__dict__.pop("_terbit", None)  # events of what was rolled back


class Database:
    """The engine, the kantor ids and the in-process wake-up hooks of the workers."""

    def __init__(self, url: str | None = None, *, engine: Engine | None = None):
        if engine is None:
            assert url is not None
            engine = make_engine(url)
        self.engine = engine
        self._wakers: dict[str, list[Callable[[], Any]]] = {}

    @property
    def is_postgres(self) -> bool:
        return is_postgres(self.engine)

    def uow(self, kantor_id: int) -> SqlUnitOfWork:
        return SqlUnitOfWork(self, kantor_id)

    def on_wake(self, queue: str, fn: Callable[[], Any]) -> None:
        self._wakers.setdefault(queue, []).append(fn)

    def antrean(self, queue: str, *, status: str | None = None, limit: int = 100
                ) -> list[dict]:
        """Rows of a queue (`inbox`, `outbox`, `job`), newest first."""
        from storage.queue import daftar

        return daftar(self, queue, status=status, limit=limit)

    def bersihkan(self, kantor_id: int, sebelum: Any) -> dict[str, int]:
        """Delete handled inbox, outbox and job rows finished before `sebelum`."""
        from storage.queue import bersihkan

        return bersihkan(self, kantor_id, sebelum)

    def berkas_terpakai(self) -> set[str]:
        """The digests of every stored file something still refers to, in every office:
        permohonan and complaint attachments and results (`berkas`), surat masuk scans."""
        from sqlalchemy import select, union

        from storage.surat_repo import SuratMasukRow
        from storage.tables import BerkasRow

        q = union(select(BerkasRow.sha256),
                  select(SuratMasukRow.scan_sha256).where(
                      SuratMasukRow.scan_sha256.is_not(None)))  # type: ignore[union-attr]
        with Session(self.engine) as s:
            return {r[0] for r in s.execute(q)}

    def kirim_ulang(self, ids: list[int] | None = None) -> list[int]:
        """Put given-up outbox rows back (all with `ids` None); the ids re-queued."""
        from storage.queue import ulangi

        return ulangi(self, "outbox", ids)

    def wake(self, queue: str) -> None:
        for fn in self._wakers.get(queue, []):
            fn()

    def ensure_kantor(self, kode: str, nama: str) -> int:
        """The kantor row for a configured office, created on first start."""
        with Session(self.engine) as s:
            row = s.exec(select(KantorRow).where(KantorRow.kode == kode)).first()
            if row is None:
                row = KantorRow(kode=kode, nama=nama)
                s.add(row)
                s.flush()
                row.kantor_id = row.id
            elif row.nama != nama:
                row.nama = nama
            s.add(row)
            s.commit()
            assert row.id is not None
            return row.id

    def check(self) -> bool:
        try:
            with self.engine.connect() as c:
                c.execute(text("SELECT 1 FROM kantor LIMIT 1"))
            return True
        except Exception:  # noqa: BLE001 - health check reports any failure as down
            return False

    def dispose(self) -> None:
        self.engine.dispose()
