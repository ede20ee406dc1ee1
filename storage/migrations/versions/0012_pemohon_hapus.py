"""pemohon.hapus_diminta / pemohon.dihapus: the right to deletion (UU 27/2022).

A pemohon asks on chat (`hapus_diminta`); the koordinator carries it out with
`ptsp-admin pemohon hapus` (`dihapus`): the person is anonymised, the archive kept.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 06:30:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.tables

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pemohon") as batch:
        batch.add_column(sa.Column("hapus_diminta", storage.tables.UTCDateTime(timezone=True),
                                   nullable=True))
        batch.add_column(sa.Column("dihapus", storage.tables.UTCDateTime(timezone=True),
                                   nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pemohon") as batch:
        batch.drop_column("dihapus")
        batch.drop_column("hapus_diminta")
