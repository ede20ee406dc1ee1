"""Tata persuratan in the store: the `surat_masuk` and `surat_keluar` tables and their repository.

Imported at the end of `storage.tables`, so the tables are in `SQLModel.metadata`
whenever the other tables are (the migrations test compares them).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, UniqueConstraint
from sqlmodel import Field, Session, SQLModel, select

from domain.model import Disposisi
from domain.surat import Scan, SuratKeluar, SuratMasuk, SuratRepository
from storage.tables import _dt


class SuratMasukRow(SQLModel, table=True):
    """Incoming letters; `agenda` counts per kantor and year (`0001/2026`)."""

    __tablename__ = "surat_masuk"
    __table_args__ = (UniqueConstraint("kantor_id", "tahun", "agenda"),)
    id: int | None = Field(default=None, primary_key=True)
    kantor_id: int = Field(foreign_key="kantor.id", index=True)
    tahun: int
    agenda: int
    dari: str
    nomor: str
    tanggal: date = Field(index=True)
    perihal: str
    sifat: str = Field(default="biasa", max_length=16)
    diterima: datetime = _dt()
    scan_sha256: str | None = Field(default=None, max_length=64)
    scan_nama: str | None = None
    oleh: str
    pemegang: str | None = Field(default=None, max_length=64)
    status: str = Field(default="diterima", max_length=16)
    disposisi: list = Field(default_factory=list, sa_type=JSON)
    permohonan: str | None = Field(default=None, max_length=24)


def _disposisi_json(ds: list[Disposisi]) -> list[dict]:
    return [{"dari": d.dari_jabatan, "ke": d.ke_jabatan, "instruksi": d.instruksi,
             "waktu": d.waktu.isoformat(), "oleh": d.oleh, "catatan": d.catatan} for d in ds]


def _disposisi(data: list[dict] | None) -> list[Disposisi]:
    return [Disposisi(dari_jabatan=d["dari"], ke_jabatan=d["ke"], instruksi=d["instruksi"],
                      waktu=datetime.fromisoformat(d["waktu"]), oleh=d["oleh"],
                      catatan=d.get("catatan")) for d in data or []]


class SuratKeluarRow(SQLModel, table=True):
    """Outgoing letter numbers; `urut` counts per kantor and year, `nomor` is unique."""

    __tablename__ = "surat_keluar"
    __table_args__ = (UniqueConstraint("kantor_id", "tahun", "urut"),
                      UniqueConstraint("kantor_id", "nomor"))
    id: int | None = Field(default=None, primary_key=True)
    kantor_id: int = Field(foreign_key="kantor.id", index=True)
    tahun: int
    urut: int
    nomor: str = Field(max_length=96)
    tanggal: date = Field(index=True)
    perihal: str
    jabatan: str = Field(max_length=64)
    klasifikasi: str = Field(max_length=24)
    sifat: str = Field(default="biasa", max_length=16)
    oleh: str


class SqlSuratRepository(SuratRepository):
    def __init__(self, session: Session, kantor_id: int):
        self.s, self.kantor_id = session, kantor_id

    @staticmethod
    def _masuk(r: SuratMasukRow) -> SuratMasuk:
        scan = Scan(r.scan_sha256, r.scan_nama or "") if r.scan_sha256 else None
        return SuratMasuk(kantor_id=r.kantor_id, tahun=r.tahun, agenda=r.agenda, dari=r.dari,
                          nomor=r.nomor, tanggal=r.tanggal, perihal=r.perihal,
                          diterima=r.diterima, oleh=r.oleh, sifat=r.sifat, scan=scan,
                          pemegang=r.pemegang, status=r.status or "diterima",
                          disposisi=_disposisi(r.disposisi), permohonan=r.permohonan, id=r.id)

    def add_masuk(self, s: SuratMasuk) -> SuratMasuk:
        row = SuratMasukRow(
            kantor_id=self.kantor_id, tahun=s.tahun, agenda=s.agenda, dari=s.dari,
            nomor=s.nomor, tanggal=s.tanggal, perihal=s.perihal, sifat=s.sifat,
            diterima=s.diterima, oleh=s.oleh,
            scan_sha256=s.scan.sha256 if s.scan else None,
            scan_nama=s.scan.nama if s.scan else None, pemegang=s.pemegang, status=s.status,
            disposisi=_disposisi_json(s.disposisi), permohonan=s.permohonan)
        self.s.add(row)
        self.s.flush()
        s.id = row.id
        return s

    def _row(self, agenda: int, tahun: int, for_update: bool = False) -> SuratMasukRow | None:
        q = select(SuratMasukRow).where(
            SuratMasukRow.kantor_id == self.kantor_id, SuratMasukRow.tahun == tahun,
            SuratMasukRow.agenda == agenda)
        return self.s.exec(q.with_for_update() if for_update else q).first()

    def masuk(self, agenda: int, tahun: int, *, for_update: bool = False
              ) -> SuratMasuk | None:
        row = self._row(agenda, tahun, for_update)
        return self._masuk(row) if row else None

    def save_masuk(self, s: SuratMasuk) -> None:
        row = self._row(s.agenda, s.tahun)
        if row is None:
            raise ValueError(f"surat masuk {s.nomor_agenda} is not stored")
        row.pemegang, row.status = s.pemegang, s.status
        row.disposisi = _disposisi_json(s.disposisi)
        self.s.add(row)
        self.s.flush()

    def list_masuk(self, tahun: int | None = None) -> list[SuratMasuk]:
        q = select(SuratMasukRow).where(SuratMasukRow.kantor_id == self.kantor_id)
        if tahun is not None:
            q = q.where(SuratMasukRow.tahun == tahun)
        return [self._masuk(r) for r in self.s.exec(
            q.order_by(SuratMasukRow.tahun, SuratMasukRow.agenda))]

    def add_keluar(self, s: SuratKeluar) -> SuratKeluar:
        row = SuratKeluarRow(
            kantor_id=self.kantor_id, tahun=s.tahun, urut=s.urut, nomor=s.nomor,
            tanggal=s.tanggal, perihal=s.perihal, jabatan=s.jabatan,
            klasifikasi=s.klasifikasi, sifat=s.sifat, oleh=s.oleh)
        self.s.add(row)
        self.s.flush()
        s.id = row.id
        return s

    def list_keluar(self, tahun: int | None = None) -> list[SuratKeluar]:
        q = select(SuratKeluarRow).where(SuratKeluarRow.kantor_id == self.kantor_id)
        if tahun is not None:
            q = q.where(SuratKeluarRow.tahun == tahun)
        return [SuratKeluar(kantor_id=r.kantor_id, tahun=r.tahun, urut=r.urut, nomor=r.nomor,
                            tanggal=r.tanggal, perihal=r.perihal, jabatan=r.jabatan,
                            klasifikasi=r.klasifikasi, oleh=r.oleh, sifat=r.sifat, id=r.id)
                for r in self.s.exec(q.order_by(SuratKeluarRow.tahun, SuratKeluarRow.urut))]
