"""percakapan per kantor: one conversation state per office, channel and sender

A citizen may write to two offices of a province; each office keeps its own dialog.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 14:05:00
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

import storage.tables

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

BARU = "uq_percakapan_kantor_channel_sender"


def _tabel(*constraints: sa.Constraint) -> sa.Table:
    """The table as 0001 made it, with the given unique constraints (SQLite copies it)."""
    return sa.Table(
        "percakapan", sa.MetaData(),
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('kantor_id', sa.Integer(), sa.ForeignKey('kantor.id'), nullable=False),
        sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('sender', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('state', sa.JSON(), nullable=False),
        sa.Column('updated_at', storage.tables.UTCDateTime(timezone=True), nullable=False),
        sa.Index('ix_percakapan_kantor_id', 'kantor_id'),
        *constraints,
    )


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint("percakapan_channel_sender_key", "percakapan", type_="unique")
        op.create_unique_constraint(BARU, "percakapan", ["kantor_id", "channel", "sender"])
        return
    # SQLite: the old constraint has no name; copy the table without it
    with op.batch_alter_table("percakapan", recreate="always", copy_from=_tabel()) as batch:
        batch.create_unique_constraint(BARU, ["kantor_id", "channel", "sender"])


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(BARU, "percakapan", type_="unique")
        op.create_unique_constraint("percakapan_channel_sender_key", "percakapan",
                                    ["channel", "sender"])
        return
    with op.batch_alter_table("percakapan", recreate="always",
                              copy_from=_tabel(sa.UniqueConstraint(
                                  "kantor_id", "channel", "sender", name=BARU))) as batch:
        batch.drop_constraint(BARU, type_="unique")
        batch.create_unique_constraint("uq_percakapan_channel_sender", ["channel", "sender"])
