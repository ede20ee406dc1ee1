"""tamu: the buku tamu (seed 004).

One row per visit, numbered `TMU-YYMMDD-NNNN`; `tanggal` is the visit's local day (the
desk's lists are by it), `riwayat` who registered, checked in and checked out.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 02:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.tables

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tamu",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kantor_id", sa.Integer(), nullable=False),
        sa.Column("nomor", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("nama", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("nik", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("hp", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("instansi", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("tujuan", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("keperluan", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("waktu", storage.tables.UTCDateTime(timezone=True), nullable=False),
        sa.Column("tanggal", sa.Date(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("masuk", storage.tables.UTCDateTime(timezone=True), nullable=True),
        sa.Column("keluar", storage.tables.UTCDateTime(timezone=True), nullable=True),
        sa.Column("oleh", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("didaftarkan", storage.tables.UTCDateTime(timezone=True), nullable=True),
        sa.Column("riwayat", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["kantor_id"], ["kantor.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("nomor"),
    )
    with op.batch_alter_table("tamu") as batch:
        batch.create_index(batch.f("ix_tamu_kantor_id"), ["kantor_id"], unique=False)
        batch.create_index(batch.f("ix_tamu_tanggal"), ["tanggal"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("tamu") as batch:
        batch.drop_index(batch.f("ix_tamu_tanggal"))
        batch.drop_index(batch.f("ix_tamu_kantor_id"))
    op.drop_table("tamu")
