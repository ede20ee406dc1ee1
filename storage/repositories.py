"""Repositories over SQLModel: mappers between rows and domain objects, filtered by kantor.

Repositories never commit. Aggregates returned by `get`/`add` are kept in an identity
map (`seen`) and written back by the unit of work on commit.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from domain.model import (
    Antrian,
    Berkas,
    Delegasi,
    Disposisi,
    Pemohon,
    Pengaduan,
    Permohonan,
    Petugas,
    RingkasanPermohonan,
    Riwayat,
    Role,
    SurveiSKM,
)
from domain.ports import (
    AntrianRepository,
    JobScheduler,
    Outbox,
    PemohonRepository,
    PengaduanRepository,
    PermohonanRepository,
    PetugasRepository,
    SequenceRepository,
    SkmRepository,
)
from domain.status import Status
from storage.tables import (
    AntrianRow,
    BerkasRow,
    DelegasiRow,
    DisposisiRow,
    JobRow,
    OutboxRow,
    PemohonRow,
    PengaduanRow,
    PercakapanRow,
    PermohonanRow,
    PetugasRow,
    RiwayatRow,
    SequenceRow,
    SurveiSkmRow,
)


def utcnow() -> datetime:
    return datetime.now(UTC)


class SqlPemohonRepository(PemohonRepository):
    def __init__(self, session: Session, kantor_id: int):
        self.s, self.kantor_id = session, kantor_id

    @staticmethod
    def _to_domain(r: PemohonRow) -> Pemohon:
        return Pemohon(
            kantor_id=r.kantor_id, nama=r.nama, hp=r.hp, nik=r.nik, jenis=r.jenis,  # type: ignore[arg-type]
            instansi=r.instansi, alamat=r.alamat, persetujuan_at=r.persetujuan_at, id=r.id,
            notifikasi_berhenti=r.notifikasi_berhenti, hapus_diminta=r.hapus_diminta,
            dihapus=r.dihapus,
        )

    def add(self, pemohon: Pemohon, kanal: str, kanal_id: str) -> Pemohon:
        row = self.s.exec(select(PemohonRow).where(
            PemohonRow.kantor_id == self.kantor_id, PemohonRow.kanal == kanal,
            PemohonRow.kanal_id == kanal_id)).first()
        row = row or PemohonRow(kantor_id=self.kantor_id, kanal=kanal, kanal_id=kanal_id,
                                nama=pemohon.nama, hp=pemohon.hp)
        for f in ("nama", "hp", "nik", "jenis", "instansi", "alamat", "persetujuan_at"):
            setattr(row, f, getattr(pemohon, f))
        self.s.add(row)
        self.s.flush()
        return self._to_domain(row)

    def get(self, pemohon_id: int) -> Pemohon | None:
        row = self.s.get(PemohonRow, pemohon_id)
        return self._to_domain(row) if row and row.kantor_id == self.kantor_id else None

    def by_kanal(self, kanal: str, kanal_id: str) -> Pemohon | None:
        row = self.s.exec(select(PemohonRow).where(
            PemohonRow.kantor_id == self.kantor_id, PemohonRow.kanal == kanal,
            PemohonRow.kanal_id == kanal_id)).first()
        return self._to_domain(row) if row else None

    def kanal_of(self, pemohon_id: int) -> tuple[str, str] | None:
        row = self.s.get(PemohonRow, pemohon_id)
        if row is None or row.kantor_id != self.kantor_id or row.kanal == "loket":
            return None  # a citizen met only at the counter is reached there, not by message
        return row.kanal, row.kanal_id

    def atur_notifikasi(self, pemohon_id: int, berhenti: datetime | None) -> None:
        row = self.s.get(PemohonRow, pemohon_id)
        if row is not None and row.kantor_id == self.kantor_id:
            row.notifikasi_berhenti = berhenti
            self.s.add(row)

    def minta_hapus(self, pemohon_id: int, waktu: datetime) -> None:
        row = self.s.get(PemohonRow, pemohon_id)
        if row is not None and row.kantor_id == self.kantor_id:
            row.hapus_diminta = waktu
            self.s.add(row)

    def list(self, *, hapus_diminta: bool = False) -> list[Pemohon]:
        q = select(PemohonRow).where(PemohonRow.kantor_id == self.kantor_id)
        if hapus_diminta:
            q = q.where(PemohonRow.hapus_diminta.is_not(None),  # type: ignore[union-attr]
                        PemohonRow.dihapus.is_(None))  # type: ignore[union-attr]
        return [self._to_domain(r) for r in self.s.exec(q.order_by(PemohonRow.id))]

    def anonimkan(self, pemohon_id: int, waktu: datetime, nama: str) -> None:
        from sqlalchemy import delete, update

        row = self.s.get(PemohonRow, pemohon_id)
        if row is None or row.kantor_id != self.kantor_id:
            return
        lama_nama, kanal, kanal_id = row.nama, row.kanal, row.kanal_id
        row.nama, row.nik, row.hp, row.alamat, row.instansi = nama, None, "", None, None
        row.kanal_id, row.dihapus = f"dihapus:{row.id}", waktu
        self.s.add(row)
        p = PermohonanRow.__table__
        self.s.execute(update(p).where(p.c.pengaju_id == row.id, p.c.atas_nama == lama_nama)
                       .values(atas_nama=nama))
        c = PercakapanRow.__table__
        self.s.execute(delete(c).where(c.c.kantor_id == self.kantor_id, c.c.channel == kanal,
                                       c.c.sender == kanal_id))
        o = OutboxRow.__table__
        self.s.execute(update(o).where(
            o.c.channel == kanal, o.c.recipient == kanal_id,
            o.c.status.in_(("pending", "jendela"))).values(
            status="failed", message={"text": "(ditarik: data pemohon dihapus)"},
            last_error="data pemohon dihapus"))


class SqlPetugasRepository(PetugasRepository):
    def __init__(self, session: Session, kantor_id: int):
        self.s, self.kantor_id = session, kantor_id

    @staticmethod
    def _to_domain(r: PetugasRow) -> Petugas:
        return Petugas(
            kantor_id=r.kantor_id, nama=r.nama, role=Role(r.role), jabatan=r.jabatan,
            tugas=tuple(t for t in r.tugas.split(",") if t), aktif=r.aktif,
            telegram_user_id=r.telegram_user_id, kode_tautan=r.kode_tautan,
            kode_kedaluwarsa=r.kode_kedaluwarsa, id=r.id,
        )

    def add(self, petugas: Petugas) -> Petugas:
        row = self.s.get(PetugasRow, petugas.id) if petugas.id else None
        if row is None or row.kantor_id != self.kantor_id:
            row = PetugasRow(kantor_id=self.kantor_id, nama=petugas.nama, role=petugas.role)
        row.nama, row.role, row.jabatan = petugas.nama, str(petugas.role), petugas.jabatan
        row.tugas, row.aktif = ",".join(petugas.tugas), petugas.aktif
        row.telegram_user_id = petugas.telegram_user_id
        row.kode_tautan, row.kode_kedaluwarsa = petugas.kode_tautan, petugas.kode_kedaluwarsa
        self.s.add(row)
        self.s.flush()
        return self._to_domain(row)

    def _q(self) -> Any:
        return select(PetugasRow).where(PetugasRow.kantor_id == self.kantor_id)

    def get(self, petugas_id: int) -> Petugas | None:
        row = self.s.get(PetugasRow, petugas_id)
        return self._to_domain(row) if row and row.kantor_id == self.kantor_id else None

    def list(self, *, aktif: bool | None = True) -> list[Petugas]:
        q = self._q().order_by(PetugasRow.id)
        if aktif is not None:
            q = q.where(PetugasRow.aktif == aktif)
        return [self._to_domain(r) for r in self.s.exec(q)]

    def by_telegram(self, user_id: int) -> Petugas | None:
        row = self.s.exec(self._q().where(PetugasRow.telegram_user_id == user_id,
                                          PetugasRow.aktif == True)).first()  # noqa: E712
        return self._to_domain(row) if row else None

    def by_kode_tautan(self, kode: str) -> Petugas | None:
        row = self.s.exec(self._q().where(PetugasRow.kode_tautan == kode)).first()
        return self._to_domain(row) if row else None

    def delegasi(self, hari_ini: date) -> list[Delegasi]:
        rows = self.s.exec(select(DelegasiRow).where(
            DelegasiRow.kantor_id == self.kantor_id, DelegasiRow.sampai >= hari_ini))
        return [Delegasi(jabatan=r.jabatan, petugas_id=r.petugas_id, sampai=r.sampai, id=r.id)
                for r in rows]

    def add_delegasi(self, d: Delegasi) -> None:
        self.s.add(DelegasiRow(kantor_id=self.kantor_id, jabatan=d.jabatan,
                               petugas_id=d.petugas_id, sampai=d.sampai))
        self.s.flush()

    def tautkan(self, petugas: Petugas, telegram_user_id: int) -> None:
        """One Telegram account, one petugas: an earlier link (in any office) is dropped."""
        lepas_tautan_lain(self.s, telegram_user_id, petugas.id)
        petugas.telegram_user_id = telegram_user_id
        petugas.kode_tautan, petugas.kode_kedaluwarsa = None, None
        self.add(petugas)


def kantor_petugas(s: Session, *, telegram_user_id: int | None = None,
                   kode_tautan: str | None = None) -> int | None:
    """The kantor of the official with this link code, else this linked Telegram account.

    The one query that crosses offices: a Telegram update must be filed under its
    sender's office before that office's unit of work can see them.
    """
    if kode_tautan:
        kid = s.exec(select(PetugasRow.kantor_id).where(
            PetugasRow.kode_tautan == kode_tautan.upper())).first()
        if kid is not None:
            return kid
    if telegram_user_id is not None:
        return s.exec(select(PetugasRow.kantor_id).where(
            PetugasRow.telegram_user_id == telegram_user_id,
            PetugasRow.aktif == True).order_by(PetugasRow.id)).first()  # noqa: E712
    return None


def lepas_tautan_lain(s: Session, telegram_user_id: int, petugas_id: int) -> None:
    """A Telegram account links one petugas only, in any office."""
    for row in s.exec(select(PetugasRow).where(PetugasRow.telegram_user_id == telegram_user_id,
                                               PetugasRow.id != petugas_id)):
        row.telegram_user_id = None
        s.add(row)


def _riwayat(rows: list[RiwayatRow]) -> list[Riwayat]:
    return [Riwayat(waktu=r.waktu, status=r.status, oleh=r.oleh, catatan=r.catatan, dari=r.dari)
            for r in sorted(rows, key=lambda r: (r.urut, r.id or 0))]


def _sebelumnya(riwayat: list[Riwayat], i: int) -> datetime | None:
    """The previous step's time, stored beside each step for the performance report."""
    return riwayat[i - 1].waktu if i > 0 else None


def _berkas(rows: list[BerkasRow]) -> list[Berkas]:
    return [Berkas(nama=r.nama, mime=r.mime, bytes=r.bytes, sha256=r.sha256,
                   persyaratan=r.persyaratan, diunggah=r.diunggah)
            for r in sorted(rows, key=lambda r: (r.urut, r.id or 0))]


class SqlPermohonanRepository(PermohonanRepository):
    def __init__(self, session: Session, kantor_id: int):
        self.s, self.kantor_id = session, kantor_id
        self._seen: dict[str, Permohonan] = {}
        self._locked: set[str] = set()
        # how many children of each kind were already stored, per nomor
        self._stored: dict[str, tuple[int, int, int]] = {}

    def _load(self, row: PermohonanRow) -> Permohonan:
        if row.nomor in self._seen:
            return self._seen[row.nomor]
        riwayat = list(self.s.exec(select(RiwayatRow).where(RiwayatRow.permohonan_id == row.id)))
        berkas = list(self.s.exec(select(BerkasRow).where(BerkasRow.permohonan_id == row.id)))
        dispo = sorted(self.s.exec(select(DisposisiRow).where(
            DisposisiRow.permohonan_id == row.id)), key=lambda r: (r.urut, r.id or 0))
        p = Permohonan(
            kantor_id=row.kantor_id, nomor=row.nomor, layanan=row.layanan,
            pengaju_id=row.pengaju_id, atas_nama=row.atas_nama, diajukan=row.diajukan,
            status=Status(row.status), pemegang=row.pemegang, konfirmator=row.konfirmator,
            data=dict(row.data or {}), checklist=dict(row.checklist or {}),
            berkas=_berkas(berkas), riwayat=_riwayat(riwayat),
            disposisi=[Disposisi(
                dari_jabatan=d.dari_jabatan, ke_jabatan=d.ke_jabatan, instruksi=d.instruksi,
                waktu=d.waktu, oleh=d.oleh, catatan=d.catatan, dibuka=d.dibuka,
                ditindak=d.ditindak, id=d.id) for d in dispo],
            menunggu_pemohon=row.menunggu_pemohon, sla_tenggat=row.sla_tenggat,
            sla_jeda_sejak=row.sla_jeda_sejak, sla_mulai=row.sla_mulai, id=row.id,
        )
        self._seen[p.nomor] = p
        self._stored[p.nomor] = (len(p.riwayat), len(p.berkas), len(p.disposisi))
        return p

    def add(self, p: Permohonan) -> None:
        p.kantor_id = self.kantor_id
        self._seen[p.nomor] = p
        self._stored[p.nomor] = (0, 0, 0)

    def get(self, nomor: str, *, for_update: bool = False) -> Permohonan | None:
        if nomor in self._seen and (not for_update or nomor in self._locked):
            return self._seen[nomor]
        if for_update and nomor in self._seen and self._seen[nomor].id is None:
            return self._seen[nomor]  # added in this transaction: nobody else can see it
        if for_update:
            # loaded before without a lock: lock the row now and read it again, so a change
            # committed meanwhile by another instance is seen (first action wins)
            self._seen.pop(nomor, None)
            self._locked.add(nomor)
        q = select(PermohonanRow).where(PermohonanRow.kantor_id == self.kantor_id,
                                        PermohonanRow.nomor == nomor)
        if for_update:
            q = q.with_for_update().execution_options(populate_existing=True)
        row = self.s.exec(q).first()
        return self._load(row) if row else None

    def list(
        self, *, status: str | None = None, layanan: str | None = None,
        pengaju_id: int | None = None, limit: int | None = None,
    ) -> list[Permohonan]:
        q = select(PermohonanRow).where(PermohonanRow.kantor_id == self.kantor_id)
        if status:
            q = q.where(PermohonanRow.status == status)
        if layanan:
            q = q.where((PermohonanRow.layanan == layanan)
                        | PermohonanRow.layanan.startswith(layanan + "."))
        if pengaju_id is not None:
            q = q.where(PermohonanRow.pengaju_id == pengaju_id)
        q = q.order_by(PermohonanRow.diajukan.desc(), PermohonanRow.id.desc())
        if limit:
            q = q.limit(limit)
        return [self._load(r) for r in self.s.exec(q)]

    def ringkas(
        self, *, pengaju_id: int | None = None, status: str | None = None,
        sejak: datetime | None = None, limit: int | None = None,
    ) -> list[RingkasanPermohonan]:
        q = select(PermohonanRow).where(PermohonanRow.kantor_id == self.kantor_id)
        if pengaju_id is not None:
            q = q.where(PermohonanRow.pengaju_id == pengaju_id)
        if status:
            q = q.where(PermohonanRow.status == status)
        if sejak is not None:
            q = q.where(PermohonanRow.diajukan >= sejak)
        q = q.order_by(PermohonanRow.diajukan.desc(), PermohonanRow.id.desc())
        if limit:
            q = q.limit(limit)
        out = []
        for r in self.s.exec(q):
            p = self._seen.get(r.nomor)  # this transaction's changes win
            src = p if p is not None else r
            out.append(RingkasanPermohonan(
                nomor=r.nomor, layanan=src.layanan, status=Status(src.status),
                pemegang=src.pemegang, pengaju_id=src.pengaju_id, diajukan=src.diajukan,
                menunggu_pemohon=src.menunggu_pemohon, data=dict(src.data or {}),
                sla_tenggat=src.sla_tenggat, sla_jeda_sejak=src.sla_jeda_sejak))
        return out

    def seen(self) -> Iterator[Permohonan]:
        return iter(list(self._seen.values()))

    def flush(self) -> None:
        """Write every tracked aggregate back (new children are appended)."""
        for p in self._seen.values():
            row = self.s.get(PermohonanRow, p.id) if p.id else None
            if row is None:
                row = PermohonanRow(kantor_id=self.kantor_id, nomor=p.nomor, layanan=p.layanan,
                                    pengaju_id=p.pengaju_id, atas_nama=p.atas_nama,
                                    diajukan=p.diajukan, status=p.status)
            for f in ("layanan", "atas_nama", "pemegang", "konfirmator", "menunggu_pemohon",
                      "sla_tenggat", "sla_jeda_sejak", "sla_mulai"):
                setattr(row, f, getattr(p, f))
            row.status = str(p.status)
            row.data, row.checklist = dict(p.data), dict(p.checklist)
            self.s.add(row)
            self.s.flush()
            p.id = row.id
            n_r, n_b, n_d = self._stored.get(p.nomor, (0, 0, 0))
            for i, r in enumerate(p.riwayat[n_r:], start=n_r):
                self.s.add(RiwayatRow(kantor_id=self.kantor_id, permohonan_id=row.id, urut=i,
                                      waktu=r.waktu, sejak=_sebelumnya(p.riwayat, i),
                                      status=str(r.status), oleh=r.oleh,
                                      catatan=r.catatan, dari=str(r.dari) if r.dari else None))
            for i, b in enumerate(p.berkas[n_b:], start=n_b):
                self.s.add(BerkasRow(kantor_id=self.kantor_id, permohonan_id=row.id, urut=i,
                                     nama=b.nama, mime=b.mime, bytes=b.bytes, sha256=b.sha256,
                                     persyaratan=b.persyaratan, diunggah=b.diunggah))
            for i, d in enumerate(p.disposisi):
                if i < n_d and d.id is not None:
                    drow = self.s.get(DisposisiRow, d.id)
                    if drow is not None:
                        drow.dibuka, drow.ditindak = d.dibuka, d.ditindak
                        self.s.add(drow)
                    continue
                drow = DisposisiRow(
                    kantor_id=self.kantor_id, permohonan_id=row.id, urut=i,
                    dari_jabatan=d.dari_jabatan, ke_jabatan=d.ke_jabatan, instruksi=d.instruksi,
                    catatan=d.catatan, oleh=d.oleh, waktu=d.waktu, dibuka=d.dibuka,
                    ditindak=d.ditindak)
                self.s.add(drow)
                self.s.flush()
                d.id = drow.id
            self._stored[p.nomor] = (len(p.riwayat), len(p.berkas), len(p.disposisi))
        self.s.flush()


class SqlPengaduanRepository(PengaduanRepository):
    def __init__(self, session: Session, kantor_id: int):
        self.s, self.kantor_id = session, kantor_id
        self._seen: dict[str, Pengaduan] = {}
        self._locked: set[str] = set()
        self._stored: dict[str, tuple[int, int]] = {}

    def _load(self, row: PengaduanRow) -> Pengaduan:
        if row.nomor in self._seen:
            return self._seen[row.nomor]
        riwayat = list(self.s.exec(select(RiwayatRow).where(RiwayatRow.pengaduan_id == row.id)))
        berkas = list(self.s.exec(select(BerkasRow).where(BerkasRow.pengaduan_id == row.id)))
        p = Pengaduan(
            kantor_id=row.kantor_id, nomor=row.nomor, kategori=row.kategori, teks=row.teks,
            diterima=row.diterima, pelapor_id=row.pelapor_id, anonim=row.anonim,
            nomor_terkait=row.nomor_terkait, tier=row.tier, topik=row.topik, status=row.status,
            tenggat=row.tenggat, berkas=_berkas(berkas), riwayat=_riwayat(riwayat), id=row.id,
            diteruskan_ke=tuple(row.diteruskan_ke or ()), kanal=row.kanal,
        )
        self._seen[p.nomor] = p
        self._stored[p.nomor] = (len(p.riwayat), len(p.berkas))
        return p

    def add(self, p: Pengaduan) -> None:
        p.kantor_id = self.kantor_id
        self._seen[p.nomor] = p
        self._stored[p.nomor] = (0, 0)

    def get(self, nomor: str, *, for_update: bool = False) -> Pengaduan | None:
        if nomor in self._seen and (not for_update or nomor in self._locked
                                    or self._seen[nomor].id is None):
            return self._seen[nomor]
        if for_update:
            self._seen.pop(nomor, None)
            self._locked.add(nomor)
        q = select(PengaduanRow).where(PengaduanRow.kantor_id == self.kantor_id,
                                       PengaduanRow.nomor == nomor)
        if for_update:
            q = q.with_for_update().execution_options(populate_existing=True)
        row = self.s.exec(q).first()
        return self._load(row) if row else None

    def list(self, *, pelapor_id: int | None = None) -> list[Pengaduan]:
        q = select(PengaduanRow).where(PengaduanRow.kantor_id == self.kantor_id)
        if pelapor_id is not None:
            q = q.where(PengaduanRow.pelapor_id == pelapor_id)
        q = q.order_by(PengaduanRow.diterima.desc(), PengaduanRow.id.desc())
        return [self._load(r) for r in self.s.exec(q)]

    def count_topik(self, topik: str, mulai: datetime, sampai: datetime) -> int:
        self.flush()  # count what this transaction changed too
        q = select(func.count()).select_from(PengaduanRow).where(
            PengaduanRow.kantor_id == self.kantor_id, PengaduanRow.topik == topik,
            PengaduanRow.diterima >= mulai, PengaduanRow.diterima < sampai)
        return int(self.s.exec(q).one())

    def seen(self) -> Iterator[Pengaduan]:
        return iter(list(self._seen.values()))

    def flush(self) -> None:
        for p in self._seen.values():
            row = self.s.get(PengaduanRow, p.id) if p.id else None
            if row is None:
                row = PengaduanRow(kantor_id=self.kantor_id, nomor=p.nomor, kategori=p.kategori,
                                   teks=p.teks, diterima=p.diterima)
            for f in ("kategori", "teks", "tier", "topik", "status", "tenggat", "anonim",
                      "pelapor_id", "nomor_terkait", "kanal"):
                setattr(row, f, getattr(p, f))
            row.diteruskan_ke = list(p.diteruskan_ke)
            self.s.add(row)
            self.s.flush()
            p.id = row.id
            n_r, n_b = self._stored.get(p.nomor, (0, 0))
            for i, r in enumerate(p.riwayat[n_r:], start=n_r):
                self.s.add(RiwayatRow(kantor_id=self.kantor_id, pengaduan_id=row.id, urut=i,
                                      waktu=r.waktu, sejak=_sebelumnya(p.riwayat, i),
                                      status=r.status, oleh=r.oleh,
                                      catatan=r.catatan, dari=r.dari))
            for i, b in enumerate(p.berkas[n_b:], start=n_b):
                self.s.add(BerkasRow(kantor_id=self.kantor_id, pengaduan_id=row.id, urut=i,
                                     nama=b.nama, mime=b.mime, bytes=b.bytes, sha256=b.sha256,
                                     persyaratan=b.persyaratan, diunggah=b.diunggah))
            self._stored[p.nomor] = (len(p.riwayat), len(p.berkas))
        self.s.flush()


class SqlSkmRepository(SkmRepository):
    def __init__(self, session: Session, kantor_id: int):
        self.s, self.kantor_id = session, kantor_id

    def add_many(self, rows: list[SurveiSKM]) -> None:
        for r in rows:
            self.s.add(SurveiSkmRow(kantor_id=self.kantor_id, tanggal=r.tanggal,
                                    nilai=list(r.nilai), layanan=r.layanan, nomor=r.nomor,
                                    sumber=r.sumber))
        self.s.flush()

    def list(
        self, *, dari: date | None = None, sampai: date | None = None, layanan: str | None = None
    ) -> list[SurveiSKM]:
        q = select(SurveiSkmRow).where(SurveiSkmRow.kantor_id == self.kantor_id)
        if dari:
            q = q.where(SurveiSkmRow.tanggal >= dari)
        if sampai:
            q = q.where(SurveiSkmRow.tanggal <= sampai)
        if layanan:
            q = q.where((SurveiSkmRow.layanan == layanan)
                        | SurveiSkmRow.layanan.startswith(layanan + "."))
        return [SurveiSKM(kantor_id=r.kantor_id, tanggal=r.tanggal, nilai=tuple(r.nilai),
                          layanan=r.layanan, nomor=r.nomor, sumber=r.sumber, id=r.id)  # type: ignore[arg-type]
                for r in self.s.exec(q.order_by(SurveiSkmRow.id))]


class SqlAntrianRepository(AntrianRepository):
    def __init__(self, session: Session, kantor_id: int):
        self.s, self.kantor_id = session, kantor_id

    @staticmethod
    def _to_domain(r: AntrianRow) -> Antrian:
        return Antrian(kantor_id=r.kantor_id, loket=r.loket, tanggal=r.tanggal, urut=r.urut,
                       kanal=r.kanal, kanal_id=r.kanal_id, status=r.status,
                       dipanggil_at=r.dipanggil_at, id=r.id)

    def add(self, a: Antrian) -> Antrian:
        row = AntrianRow(kantor_id=self.kantor_id, loket=a.loket, tanggal=a.tanggal, urut=a.urut,
                         kanal=a.kanal, kanal_id=a.kanal_id, status=a.status,
                         created_at=utcnow())
        self.s.add(row)
        self.s.flush()
        a.id = row.id
        return a

    def hari_ini(self, tanggal: date, loket: str | None = None) -> list[Antrian]:
        q = select(AntrianRow).where(AntrianRow.kantor_id == self.kantor_id,
                                     AntrianRow.tanggal == tanggal)
        if loket:
            q = q.where(AntrianRow.loket == loket)
        return [self._to_domain(r) for r in self.s.exec(q.order_by(AntrianRow.loket,
                                                                   AntrianRow.urut))]

    def save(self, a: Antrian) -> None:
        row = self.s.get(AntrianRow, a.id)
        if row is not None and row.kantor_id == self.kantor_id:
            row.status, row.dipanggil_at = a.status, a.dipanggil_at
            self.s.add(row)
            self.s.flush()


class SqlSequenceRepository(SequenceRepository):
    """`INSERT … ON CONFLICT DO UPDATE … RETURNING`: atomic, and gapless because it rolls back."""

    def __init__(self, session: Session):
        self.s = session

    def next(self, scope: str) -> int:
        dialect = self.s.get_bind().dialect.name
        mod = postgresql if dialect == "postgresql" else sqlite
        stmt = mod.insert(SequenceRow).values(scope=scope, value=1)
        stmt = stmt.on_conflict_do_update(
            index_elements=["scope"], set_={"value": SequenceRow.value + 1}
        ).returning(SequenceRow.value)
        return int(self.s.exec(stmt).scalar_one())  # type: ignore[call-overload]


class SqlOutbox(Outbox):
    def __init__(self, session: Session, kantor_id: int, on_add: Any = None):
        self.s, self.kantor_id, self.on_add = session, kantor_id, on_add
        self.added = 0

    def add(self, channel: str, recipient: str, message: dict[str, Any]) -> None:
        now = utcnow()
        self.s.add(OutboxRow(kantor_id=self.kantor_id, channel=channel, recipient=recipient,
                             message=message, next_at=now, created_at=now))
        self.added += 1


class SqlJobScheduler(JobScheduler):
    def __init__(self, session: Session, kantor_id: int):
        self.s, self.kantor_id = session, kantor_id
        self.added = 0

    def schedule(
        self, kind: str, payload: dict[str, Any], run_at: datetime, dedup_key: str | None = None
    ) -> None:
        dialect = self.s.get_bind().dialect.name
        mod = postgresql if dialect == "postgresql" else sqlite
        stmt = mod.insert(JobRow).values(
            kantor_id=self.kantor_id, kind=kind, payload=payload, dedup_key=dedup_key,
            status="pending", attempts=0, next_at=run_at, created_at=utcnow(),
        ).on_conflict_do_nothing()
        self.s.exec(stmt)  # type: ignore[call-overload]
        self.added += 1
