"""Reports for the koordinator: the day's recap (Telegram `/rekap`, `ptsp-admin rekap`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from domain.ports import AbstractUnitOfWork
from domain.sla import tenggat_berjalan


@dataclass(frozen=True)
class RekapHarian:
    tanggal: date
    jumlah: int  # permohonan submitted that day
    per_layanan_status: dict[tuple[str, str], int]
    lewat_tenggat: list[str]  # open permohonan past their deadline at `now`


def rekap_harian(uow: AbstractUnitOfWork, tz: tzinfo, tanggal: date, now: datetime
                 ) -> RekapHarian:
    """Counts by layanan and status of the day's permohonan, and what is overdue now."""
    mulai = datetime.combine(tanggal, time.min, tzinfo=tz)
    items = [p for p in uow.permohonan.ringkas(sejak=mulai)
             if p.diajukan < mulai + timedelta(days=1)]
    counts: dict[tuple[str, str], int] = {}
    for p in items:
        key = (p.layanan, str(p.status))
        counts[key] = counts.get(key, 0) + 1
    lewat = [p.nomor for p in uow.permohonan.ringkas(limit=2000)
             if (t := tenggat_berjalan(p)) is not None and t < now]
    return RekapHarian(tanggal=tanggal, jumlah=len(items),
                       per_layanan_status=dict(sorted(counts.items())), lewat_tenggat=lewat)
