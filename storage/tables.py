"""SQLModel tables. Every table carries `kantor_id` from the first migration.

Datetimes are stored in UTC (`UTCDateTime`) and come back timezone-aware on both
SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, Index, UniqueConstraint
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel


class UTCDateTime(TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out, on every backend."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused by the store")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _dt(**kw: Any) -> Any:
    return Field(sa_type=UTCDateTime, **kw)


class KantorRow(SQLModel, table=True):
    __tablename__ = "kantor"
    id: int | None = Field(default=None, primary_key=True)
    kantor_id: int | None = Field(default=None, index=True)  # self, for uniformity
    kode: str = Field(unique=True, max_length=64)
    nama: str


class PemohonRow(SQLModel, table=True):
    __tablename__ = "pemohon"
    __table_args__ = (UniqueConstraint("kantor_id", "kanal", "kanal_id"),)
    id: int | None = Field(default=None, primary_key=True)
    kantor_id: int = Field(foreign_key="kantor.id", index=True)
    kanal: str = Field(max_length=16)
    kanal_id: str = Field(max_length=64)
    nama: str
    hp: str = Field(max_length=20)
    nik: str | None = Field(default=None, max_length=16)
    jenis: str = Field(default="perorangan", max_length=16)
    instansi: str | None = None
    alamat: str | None = None
    persetujuan_at: datetime | None = _dt(default=None)
    notifikasi_berhenti: datetime | None = _dt(default=None)  # "STOP" (None: "MULAI")
    hapus_diminta: datetime | None = _dt(default=None)  # deletion asked on chat
    dihapus: datetime | None = _dt(default=None)  # anonymised


class PetugasRow(SQLModel, table=True):
    __tablename__ = "petugas"
    id: int | None = Field(default=None, primary_key=True)
    kantor_id: int = Field(foreign_key="kantor.id", index=True)
    nama: str
    role: str = Field(max_length=16)
    jabatan: str | None = Field(default=None, max_length=64)
    tugas: str = ""
    aktif: bool = True
    telegram_user_id: int | None = Field(default=None, sa_type=BigInteger, index=True)
    kode_tautan: str | None = Field(default=None, unique=True, max_length=16)
    kode_kedaluwarsa: datetime | None = _dt(default=None)


class DelegasiRow(SQLModel, table=True):
    __tablename__ = "delegasi"
    id: int | None = Field(default=None, primary_key=True)
    kantor_id: int = Field(foreign_key="kantor.id", index=True)
    jabatan: str = Field(max_length=64)
    petugas_id: int = Field(foreign_key="petugas.id")
    sampai: date


class PermohonanRow(SQLModel, table=True):
    __tablename__ = "permohonan"
    __table_args__ = (Index("ix_permohonan_kantor_diajukan", "kantor_id", "diajukan"),)
    id: int | None = Field(default=None, primary_key=True)
    kantor_id: int = Field(foreign_key="kantor.id", index=True)
    nomor: str = Field(unique=True, max_length=24)
    layanan: str = Field(max_length=96, index=True)
    pengaju_id: int = Field(foreign_key="pemohon.id", index=True)
    atas_nama: str
    diajukan: datetime = _dt()
    status: str = Field(max_length=16, index=True)
    pemegang: str | None = Field(default=None, max_length=64)
    konfirmator: str | None = Field(default=None, max_length=64)
    data: dict = Field(default_factory=dict, sa_type=JSON)
    checklist: dict = Field(default_factory=dict, sa_type=JSON)
    menunggu_pemohon: bool = False
    sla_tenggat: datetime | None = _dt(default=None)
    sla_jeda_sejak: datetime | None = _dt(default=None)
    sla_mulai: datetime | None = _dt(default=None)


#: columns the reports' riwayat indexes carry besides their keys (see migration 0013)
RIWAYAT_STATUS_INCLUDE = ["permohonan_id", "urut", "oleh", "dari"]
RIWAYAT_WAKTU_INCLUDE = ["permohonan_id", "sejak", "oleh"]


class RiwayatRow(SQLModel, table=True):
    __tablename__ = "riwayat"
    # the reports read a period's steps from these alone (PostgreSQL: index-only scans)
    __table_args__ = (Index("ix_riwayat_kantor_status_waktu", "kantor_id", "status", "waktu",
                            postgresql_include=RIWAYAT_STATUS_INCLUDE),
                      Index("ix_riwayat_kantor_waktu", "kantor_id", "waktu",
                            postgresql_include=RIWAYAT_WAKTU_INCLUDE))
    id: int | None = Field(default=None, primary_key=True)
    kantor_id: int = Field(foreign_key="kantor.id", index=True)
    permohonan_id: int | None = Field(default=None, foreign_key="permohonan.id", index=True)
    pengaduan_id: int | None = Field(default=None, foreign_key="pengaduan.id", index=True)
    urut: int = 0
    waktu: datetime = _dt()
    sejak: datetime | None = _dt(default=None)  # the previous step's waktu (reports)
    status: str = Field(max_length=24)
    dari: str | None = Field(default=None, max_length=24)
    oleh: str
    catatan: str | None = None


class BerkasRow(SQLModel, table=True):
    __tablename__ = "berkas"
    id: int | None = Field(default=None, primary_key=True)
    kantor_id: int = Field(foreign_key="kantor.id", index=True)
    permohonan_id: int | None = Field(default=None, foreign_key="permohonan.id", index=True)
    pengaduan_id: int | None = Field(default=None, foreign_key="pengaduan.id", index=True)
    urut: int = 0
    nama: str
    mime: str = Field(max_length=96)
    bytes: int
    sha256: str = Field(max_length=64)
    persyaratan: str | None = Field(default=None, max_length=64)
    diunggah: datetime | None = _dt(default=None)


class DisposisiRow(SQLModel, table=True):
    __tablename__ = "disposisi"
    id: int | None = Field(default=None, primary_key=True)
    kantor_id: int = Field(foreign_key="kantor.id", index=True)
    permohonan_id: int = Field(foreign_key="permohonan.id", index=True)
    urut: int = 0
    dari_jabatan: str = Field(max_length=64)
    ke_jabatan: str = Field(max_length=64)
    instruksi: str = Field(max_length=32)
    catatan: str | None = None
    oleh: str
    waktu: datetime = _dt()
    dibuka: datetime | None = _dt(default=None)
    ditindak: datetime | None = _dt(default=None)


class PengaduanRow(SQLModel, table=True):
    __tablename__ = "pengaduan"
    __table_args__ = (Index("ix_pengaduan_kantor_diterima", "kantor_id", "diterima"),)
    id: int | None = Field(default=None, primary_key=True)
    kantor_id: int = Field(foreign_key="kantor.id", index=True)
    nomor: str = Field(unique=True, max_length=24)
    kategori: str = Field(max_length=32)
    teks: str
    tier: str = Field(default="belum_ditentukan", max_length=32)
    topik: str | None = Field(default=None, max_length=64)
    status: str = Field(default="diterima", max_length=24)
    diterima: datetime = _dt()
    tenggat: datetime | None = _dt(default=None)
    anonim: bool = False
    pelapor_id: int | None = Field(default=None, foreign_key="pemohon.id")
    nomor_terkait: str | None = Field(default=None, max_length=24)
    # the jabatan it was forwarded to: their holders may answer and close it
    diteruskan_ke: list = Field(default_factory=list, sa_type=JSON)
    kanal: str = Field(default="whatsapp", max_length=16)


class SurveiSkmRow(SQLModel, table=True):
    __tablename__ = "survei_skm"
    id: int | None = Field(default=None, primary_key=True)
    kantor_id: int = Field(foreign_key="kantor.id", index=True)
    tanggal: date = Field(index=True)
    nilai: list = Field(sa_type=JSON)
    layanan: str | None = Field(default=None, max_length=96)
    nomor: str | None = Field(default=None, max_length=24)
    sumber: str = Field(default="whatsapp", max_length=16)


class SequenceRow(SQLModel, table=True):
    """Gapless counters: the increment happens in the caller's transaction."""

    __tablename__ = "sequence"
    scope: str = Field(primary_key=True, max_length=48)
    kantor_id: int | None = Field(default=None)  # null: deployment-wide sequence
    value: int = 0


class PercakapanRow(SQLModel, table=True):
    __tablename__ = "percakapan"
    # one dialog per office: a citizen may write to two offices of a province
    __table_args__ = (UniqueConstraint("kantor_id", "channel", "sender",
                                       name="uq_percakapan_kantor_channel_sender"),)
    id: int | None = Field(default=None, primary_key=True)
    kantor_id: int = Field(foreign_key="kantor.id", index=True)
    channel: str = Field(max_length=16)
    sender: str = Field(max_length=64)
    state: dict = Field(default_factory=dict, sa_type=JSON)
    updated_at: datetime = _dt()


class InboxRow(SQLModel, table=True):
    """Inbound messages, stored once by provider id, processed in order per sender."""

    __tablename__ = "inbox"
    __table_args__ = (
        UniqueConstraint("channel", "provider_id"),
        Index("ix_inbox_pending", "status", "next_at"),
        Index("ix_inbox_sender", "channel", "sender", "id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    kantor_id: int = Field(foreign_key="kantor.id", index=True)
    channel: str = Field(max_length=16)
    provider_id: str = Field(max_length=64)
    sender: str = Field(max_length=64)
    payload: dict = Field(default_factory=dict, sa_type=JSON)
    status: str = Field(default="pending", max_length=12)
    attempts: int = 0
    next_at: datetime = _dt()
    locked_until: datetime | None = _dt(default=None)
    last_error: str | None = None
    created_at: datetime = _dt()
    done_at: datetime | None = _dt(default=None)


class OutboxRow(SQLModel, table=True):
    """Messages to send, written in the transaction of the change that causes them."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_pending", "status", "next_at"),
        Index("ix_outbox_recipient", "channel", "recipient", "id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    kantor_id: int = Field(foreign_key="kantor.id", index=True)
    channel: str = Field(max_length=16)
    recipient: str = Field(max_length=64)
    message: dict = Field(default_factory=dict, sa_type=JSON)
    status: str = Field(default="pending", max_length=12)
    attempts: int = 0
    next_at: datetime = _dt()
    locked_until: datetime | None = _dt(default=None)
    last_error: str | None = None
    created_at: datetime = _dt()
    done_at: datetime | None = _dt(default=None)
    provider_id: str | None = Field(default=None, max_length=64, index=True)
    delivery_status: str | None = Field(default=None, max_length=24)


class JobRow(SQLModel, table=True):
    """Scheduled jobs (reminders, auto-cancel, recaps); a dedup key makes them run once."""

    __tablename__ = "job"
    __table_args__ = (Index("ix_job_pending", "status", "next_at"),)
    id: int | None = Field(default=None, primary_key=True)
    kantor_id: int = Field(foreign_key="kantor.id", index=True)
    kind: str = Field(max_length=48)
    payload: dict = Field(default_factory=dict, sa_type=JSON)
    dedup_key: str | None = Field(default=None, unique=True, max_length=128)
    status: str = Field(default="pending", max_length=12)
    attempts: int = 0
    next_at: datetime = _dt()
    locked_until: datetime | None = _dt(default=None)
    last_error: str | None = None
    created_at: datetime = _dt()
    done_at: datetime | None = _dt(default=None)


QUEUE_TABLES = {"inbox": InboxRow, "outbox": OutboxRow, "job": JobRow}


class PromptRow(SQLModel, table=True):
    """A Telegram prompt (buttons) about one item; its short `kode` is the callback data."""

    __tablename__ = "prompt"
    id: int | None = Field(default=None, primary_key=True)
    kantor_id: int = Field(foreign_key="kantor.id", index=True)
    kode: str = Field(unique=True, max_length=12)
    jenis: str = Field(max_length=24)
    nomor: str = Field(max_length=24, index=True)
    status: str = Field(default="open", max_length=8)
    # who received it: {petugas_id: outbox_id}, to edit every copy once someone acts
    penerima: dict = Field(default_factory=dict, sa_type=JSON)
    pesan: dict = Field(default_factory=dict, sa_type=JSON)  # the prompt as first sent
    created_at: datetime = _dt()
    done_at: datetime | None = _dt(default=None)
    done_by: str | None = None


class AntrianRow(SQLModel, table=True):
    """Queue numbers per kantor, loket and day (`A-007`)."""

    __tablename__ = "antrian"
    __table_args__ = (UniqueConstraint("kantor_id", "loket", "tanggal", "urut"),)
    id: int | None = Field(default=None, primary_key=True)
    kantor_id: int = Field(foreign_key="kantor.id", index=True)
    loket: str = Field(max_length=1)
    tanggal: date = Field(index=True)
    urut: int
    kanal: str | None = Field(default=None, max_length=16)
    kanal_id: str | None = Field(default=None, max_length=64)
    status: str = Field(default="menunggu", max_length=12)
    created_at: datetime = _dt()
    dipanggil_at: datetime | None = _dt(default=None)


from storage import laporan_repo as _laporan_repo  # noqa: E402, F401 - `akar_masalah`
from storage import surat_repo as _surat_repo  # noqa: E402, F401 - surat masuk/keluar
from storage import tamu_repo as _tamu_repo  # noqa: E402, F401 - the `tamu` table (buku tamu)
