"""What `/metrics` reads from the store when scraped: queue depth and age, dead letters,
and permohonan past their SLA deadline. Nothing is counted while nobody asks."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, func, select
from sqlmodel import Session

from domain.sla import JEDA
from storage.queue import as_utc
from storage.repositories import utcnow
from storage.tables import QUEUE_TABLES, PermohonanRow
from storage.uow import Database


def ukur(db: Database, now: datetime | None = None) -> dict:
    """Queue rows not done and their oldest age, and SLA breaches per office.

    Returns:
        {"antrean": {(queue, status): (rows, oldest age in seconds)},
         "sla_lewat": {kantor_id: open permohonan past their deadline}}
    """
    now = now or utcnow()
    antrean: dict[tuple[str, str], tuple[int, float]] = {}
    with Session(db.engine) as s:
        for queue, table in QUEUE_TABLES.items():
            t = table.__table__
            rows = s.execute(select(t.c.status, func.count(), func.min(t.c.created_at))
                             .where(t.c.status != "done").group_by(t.c.status))
            for status, n, oldest in rows:
                oldest = as_utc(oldest)
                age = (now - oldest).total_seconds() if oldest is not None else 0.0
                antrean[(queue, status)] = (int(n), max(0.0, age))
        p = PermohonanRow.__table__
        # domain.sla.tenggat_berjalan in SQL: the clock runs and its deadline has passed
        lewat = dict(s.execute(
            select(p.c.kantor_id, func.count()).where(and_(
                p.c.status.not_in([str(x) for x in JEDA]), p.c.menunggu_pemohon.is_(False),
                p.c.sla_jeda_sejak.is_(None), p.c.sla_tenggat.is_not(None),
                p.c.sla_tenggat < now))
            .group_by(p.c.kantor_id)).all())
    return {"antrean": antrean, "sla_lewat": {int(k): int(v) for k, v in lewat.items()}}
