"""The guest book's table (`tamu`) and its repository, `uow.tamu`.

Imported at the end of `storage.tables`, so `SQLModel.metadata` (and the migration check)
always holds the table.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON
from sqlmodel import Field, Session, SQLModel, select

from domain.model import Riwayat
from domain.tamu import Tamu, TamuRepository
from storage.tables import _dt


class TamuRow(SQLModel, table=True):
    """One visit (seed 004), numbered `TMU-YYMMDD-NNNN`; `tanggal` is its local day."""

    __tablename__ = "tamu"
    id: int | None = Field(default=None, primary_key=True)
    kantor_id: int = Field(foreign_key="kantor.id", index=True)
    nomor: str = Field(unique=True, max_length=24)
    nama: str
    nik: str | None = Field(default=None, max_length=16)
    hp: str | None = Field(default=None, max_length=20)
    instansi: str | None = None
    tujuan: str = Field(max_length=64)
    keperluan: str
    waktu: datetime = _dt()
    tanggal: date = Field(index=True)
    status: str = Field(default="terdaftar", max_length=24)
    masuk: datetime | None = _dt(default=None)
    keluar: datetime | None = _dt(default=None)
    oleh: str | None = None
    didaftarkan: datetime | None = _dt(default=None)
    riwayat: list = Field(default_factory=list, sa_type=JSON)


def _riwayat_json(rs: list[Riwayat]) -> list[dict]:
    return [{"waktu": r.waktu.isoformat(), "status": r.status, "oleh": r.oleh,
             "catatan": r.catatan} for r in rs]


def _riwayat(data: list[dict] | None) -> list[Riwayat]:
    return [Riwayat(waktu=datetime.fromisoformat(d["waktu"]), status=d["status"],
                    oleh=d["oleh"], catatan=d.get("catatan")) for d in data or []]


_KOLOM = ("nama", "nik", "hp", "instansi", "tujuan", "keperluan", "waktu", "tanggal",
          "status", "masuk", "keluar", "oleh", "didaftarkan")


class SqlTamuRepository(TamuRepository):
    """One office's guests; every query is filtered by its `kantor_id`."""

    def __init__(self, session: Session, kantor_id: int):
        self.s, self.kantor_id = session, kantor_id

    @staticmethod
    def _to_domain(r: TamuRow) -> Tamu:
        return Tamu(
            kantor_id=r.kantor_id, nomor=r.nomor, nama=r.nama, tujuan=r.tujuan,
            keperluan=r.keperluan, waktu=r.waktu, tanggal=r.tanggal, nik=r.nik, hp=r.hp,
            instansi=r.instansi, status=r.status, masuk=r.masuk, keluar=r.keluar, oleh=r.oleh,
            didaftarkan=r.didaftarkan, riwayat=_riwayat(r.riwayat), id=r.id,
        )

    @staticmethod
    def _fill(row: TamuRow, t: Tamu) -> None:
        for f in _KOLOM:
            setattr(row, f, getattr(t, f))
        row.riwayat = _riwayat_json(t.riwayat)

    def add(self, t: Tamu) -> Tamu:
        row = TamuRow(kantor_id=self.kantor_id, nomor=t.nomor, nama=t.nama, tujuan=t.tujuan,
                      keperluan=t.keperluan, waktu=t.waktu, tanggal=t.tanggal)
        self._fill(row, t)
        self.s.add(row)
        self.s.flush()
        t.id, t.kantor_id = row.id, self.kantor_id
        return t

    def get(self, nomor: str, *, for_update: bool = False) -> Tamu | None:
        q = select(TamuRow).where(TamuRow.kantor_id == self.kantor_id, TamuRow.nomor == nomor)
        if for_update:
            q = q.with_for_update().execution_options(populate_existing=True)
        row = self.s.exec(q).first()
        return self._to_domain(row) if row else None

    def list(self, tanggal: date | None = None) -> list[Tamu]:
        q = select(TamuRow).where(TamuRow.kantor_id == self.kantor_id)
        if tanggal is not None:
            q = q.where(TamuRow.tanggal == tanggal)
        return [self._to_domain(r) for r in
                self.s.exec(q.order_by(TamuRow.waktu, TamuRow.nomor))]

    def save(self, t: Tamu) -> None:
        row = self.s.exec(select(TamuRow).where(TamuRow.kantor_id == self.kantor_id,
                                                TamuRow.nomor == t.nomor)).first()
        if row is None:
            raise ValueError(f"tamu {t.nomor} belum disimpan")
        self._fill(row, t)
        self.s.add(row)
        self.s.flush()
