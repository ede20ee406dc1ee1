"""surat: tata persuratan (surat masuk with a yearly agenda, surat keluar numbers).

`surat_masuk.agenda` and `surat_keluar.urut` count per kantor and calendar year
(gapless, from the `sequence` table); a surat keluar `nomor` is unique per kantor.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 03:30:00
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.tables

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "surat_masuk",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kantor_id", sa.Integer(), nullable=False),
        sa.Column("tahun", sa.Integer(), nullable=False),
        sa.Column("agenda", sa.Integer(), nullable=False),
        sa.Column("dari", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("nomor", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("tanggal", sa.Date(), nullable=False),
        sa.Column("perihal", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("sifat", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("diterima", storage.tables.UTCDateTime(timezone=True), nullable=False),
        sa.Column("scan_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("scan_nama", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("oleh", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(["kantor_id"], ["kantor.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kantor_id", "tahun", "agenda"),
    )
    with op.batch_alter_table("surat_masuk") as batch:
        batch.create_index(batch.f("ix_surat_masuk_kantor_id"), ["kantor_id"], unique=False)
        batch.create_index(batch.f("ix_surat_masuk_tanggal"), ["tanggal"], unique=False)
    op.create_table(
        "surat_keluar",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kantor_id", sa.Integer(), nullable=False),
        sa.Column("tahun", sa.Integer(), nullable=False),
        sa.Column("urut", sa.Integer(), nullable=False),
        sa.Column("nomor", sqlmodel.sql.sqltypes.AutoString(length=96), nullable=False),
        sa.Column("tanggal", sa.Date(), nullable=False),
        sa.Column("perihal", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("jabatan", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("klasifikasi", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("sifat", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("oleh", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(["kantor_id"], ["kantor.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kantor_id", "nomor"),
        sa.UniqueConstraint("kantor_id", "tahun", "urut"),
    )
    with op.batch_alter_table("surat_keluar") as batch:
        batch.create_index(batch.f("ix_surat_keluar_kantor_id"), ["kantor_id"], unique=False)
        batch.create_index(batch.f("ix_surat_keluar_tanggal"), ["tanggal"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("surat_keluar") as batch:
        batch.drop_index(batch.f("ix_surat_keluar_tanggal"))
        batch.drop_index(batch.f("ix_surat_keluar_kantor_id"))
    op.drop_table("surat_keluar")
    with op.batch_alter_table("surat_masuk") as batch:
        batch.drop_index(batch.f("ix_surat_masuk_tanggal"))
        batch.drop_index(batch.f("ix_surat_masuk_kantor_id"))
    op.drop_table("surat_masuk")
