"""Audiensi slots: the official's free times in working hours, the citizen's wish first."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from domain.kalender import KalenderKerja

SLOT_JAM = ((9, 0), (10, 0), (13, 30), (14, 30))
JEDA_MINIMAL = timedelta(hours=1)  # a slot is offered only this far ahead


def bisa_dipakai(kal: KalenderKerja, t: datetime, now: datetime, terpakai: Iterable[datetime]
                 ) -> bool:
    """A time the office is open, far enough ahead, and not already given to someone."""
    return t > now + JEDA_MINIMAL and kal.is_open(t) and t not in set(terpakai)


def slot_kosong(kal: KalenderKerja, now: datetime, terpakai: Iterable[datetime], n: int = 4,
                diinginkan: datetime | None = None) -> list[datetime]:
    """The next `n` free slots; the pemohon's wished time first when it can be given."""
    terpakai = set(terpakai)
    out: list[datetime] = []
    if diinginkan is not None and bisa_dipakai(kal, diinginkan, now, terpakai):
        out.append(diinginkan)
    day = now.astimezone(kal.tz).date()
    for _ in range(30):
        if kal.is_working_day(day):
            for h, m in SLOT_JAM:
                t = datetime(day.year, day.month, day.day, h, m, tzinfo=kal.tz)
                if t not in out and bisa_dipakai(kal, t, now, terpakai):
                    out.append(t)
                    if len(out) >= n:
                        return out
        day += timedelta(days=1)
    return out
