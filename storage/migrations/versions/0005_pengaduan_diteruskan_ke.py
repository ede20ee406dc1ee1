"""pengaduan.diteruskan_ke: the jabatan a complaint was forwarded to.

Their holders (Plt/Plh included) may answer and close it; nobody else outside the
complaint desk and the koordinator may.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 02:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pengaduan") as batch:
        batch.add_column(sa.Column("diteruskan_ke", sa.JSON(), nullable=False,
                                   server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("pengaduan") as batch:
        batch.drop_column("diteruskan_ke")
