"""surat_masuk: its holder, status and disposisi chain, and the permohonan it came with.

A surat masuk is disposed on Telegram from the head of office (or the jabatan named at
registration) down; a surat permohonan arriving with a permohonan is registered by itself
(status `permohonan`). Letters registered before keep no holder and count as `diterima`.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 18:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("surat_masuk") as batch:
        batch.add_column(sa.Column("pemegang", sqlmodel.sql.sqltypes.AutoString(length=64),
                                   nullable=True))
        batch.add_column(sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16),
                                   nullable=False, server_default="diterima"))
        batch.add_column(sa.Column("disposisi", sa.JSON(), nullable=False,
                                   server_default="[]"))
        batch.add_column(sa.Column("permohonan", sqlmodel.sql.sqltypes.AutoString(length=24),
                                   nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("surat_masuk") as batch:
        for kolom in ("permohonan", "disposisi", "status", "pemegang"):
            batch.drop_column(kolom)
