"""Reports: the complaint log book's root-cause actions, the indexes the reports group by,
and the layanan of SKM surveys answered on WhatsApp.

`akar_masalah` holds the koordinator's action on the cause of a topic that reached the
monthly threshold (seed 002) and who was told. Surveys stored with a nomor but no layanan
take the layanan of that permohonan. (Their `tanggal` was the UTC day; it cannot be moved
to the office's day afterwards, as the time of day was not kept: at most the answers given
between 00:00 and the zone's offset after midnight are dated one day early.)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 06:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.tables

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "akar_masalah",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kantor_id", sa.Integer(), nullable=False),
        sa.Column("bulan", sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
        sa.Column("topik", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("tindakan", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("diberitahu", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("oleh", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("waktu", storage.tables.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["kantor_id"], ["kantor.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_akar_masalah_kantor_id"), "akar_masalah", ["kantor_id"])
    op.create_index("ix_permohonan_kantor_diajukan", "permohonan", ["kantor_id", "diajukan"])
    op.create_index("ix_riwayat_kantor_status_waktu", "riwayat",
                    ["kantor_id", "status", "waktu"])
    op.create_index("ix_pengaduan_kantor_diterima", "pengaduan", ["kantor_id", "diterima"])
    op.execute(
        "UPDATE survei_skm SET layanan = (SELECT p.layanan FROM permohonan p "
        "WHERE p.nomor = survei_skm.nomor) "
        "WHERE layanan IS NULL AND nomor IS NOT NULL")


def downgrade() -> None:
    op.drop_index("ix_pengaduan_kantor_diterima", table_name="pengaduan")
    op.drop_index("ix_riwayat_kantor_status_waktu", table_name="riwayat")
    op.drop_index("ix_permohonan_kantor_diajukan", table_name="permohonan")
    op.drop_index(op.f("ix_akar_masalah_kantor_id"), table_name="akar_masalah")
    op.drop_table("akar_masalah")
