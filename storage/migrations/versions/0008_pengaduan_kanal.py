"""pengaduan.kanal: how a complaint was received (the log book's column).

WhatsApp complaints have `whatsapp`; the counter logs telepon, langsung, surat, email,
kotak_saran, media_sosial and lapor (SP4N-LAPOR! referrals).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 03:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pengaduan") as batch:
        batch.add_column(sa.Column("kanal", sqlmodel.sql.sqltypes.AutoString(length=16),
                                   nullable=False, server_default="whatsapp"))


def downgrade() -> None:
    with op.batch_alter_table("pengaduan") as batch:
        batch.drop_column("kanal")
