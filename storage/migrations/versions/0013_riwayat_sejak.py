"""riwayat.sejak and the reports' covering indexes.

`laporan kinerja` measures each official's step from the moment the item reached them:
with the previous step's time stored on the row (`sejak`) it reads the period's steps
by (kantor_id, waktu) instead of running a window over every item's whole timeline. On
PostgreSQL the two riwayat indexes the reports use also carry the columns they read,
so a province's semester is answered from the indexes alone.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 09:10:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.tables

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

_INDEXES = {"ix_riwayat_kantor_status_waktu": ["kantor_id", "status", "waktu"],
            "ix_riwayat_kantor_waktu": ["kantor_id", "waktu"]}


def _indexes(include: bool) -> None:
    kolom = {"ix_riwayat_kantor_status_waktu": storage.tables.RIWAYAT_STATUS_INCLUDE,
             "ix_riwayat_kantor_waktu": storage.tables.RIWAYAT_WAKTU_INCLUDE}
    for nama, keys in _INDEXES.items():
        op.drop_index(nama, table_name="riwayat")
        op.create_index(nama, "riwayat", keys,
                        **({"postgresql_include": kolom[nama]} if include else {}))


def upgrade() -> None:
    with op.batch_alter_table("riwayat") as batch:
        batch.add_column(sa.Column("sejak", storage.tables.UTCDateTime(timezone=True),
                                   nullable=True))
    for kolom in ("permohonan_id", "pengaduan_id"):
        op.execute(
            f"UPDATE riwayat SET sejak = (SELECT r2.waktu FROM riwayat r2 "
            f"WHERE r2.{kolom} = riwayat.{kolom} AND r2.urut = riwayat.urut - 1) "
            f"WHERE {kolom} IS NOT NULL AND urut > 0")
    if op.get_bind().dialect.name == "postgresql":
        _indexes(include=True)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _indexes(include=False)
    with op.batch_alter_table("riwayat") as batch:
        batch.drop_column("sejak")
