"""pemohon.notifikasi_berhenti: "STOP" on WhatsApp (since when), None after "MULAI".

Notifications the office starts are not sent while it is set; replies to the citizen's
own messages still are.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 07:20:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.tables

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pemohon") as batch:
        batch.add_column(sa.Column("notifikasi_berhenti",
                                   storage.tables.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pemohon") as batch:
        batch.drop_column("notifikasi_berhenti")
