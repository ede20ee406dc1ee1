"""riwayat (kantor_id, waktu): the performance report finds a period's steps by time.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 06:10:00
"""
from __future__ import annotations

from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_riwayat_kantor_waktu", "riwayat", ["kantor_id", "waktu"])


def downgrade() -> None:
    op.drop_index("ix_riwayat_kantor_waktu", table_name="riwayat")
