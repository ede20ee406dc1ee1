"""SLA in working time: when the clock starts, pauses, resumes and stops for a permohonan.

The deadline (`sla_tenggat`) is fixed when the clock starts. A pause (status
`dikembalikan`, waiting for the pemohon, or a stop status) remembers when it began;
on resume the deadline moves later by the working minutes spent paused.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from domain.kalender import KalenderKerja
from domain.model import Permohonan
from domain.status import BERHENTI, Status


def tambah_jangka(kalender: KalenderKerja, mulai: datetime, jangka: Any) -> datetime:
    """Start + the catalog's jangka waktu (menit_kerja, jam_kerja or hari_kerja)."""
    if getattr(jangka, "menit_kerja", None):
        return kalender.add_working_minutes(mulai, int(jangka.menit_kerja))
    if getattr(jangka, "jam_kerja", None):
        return kalender.add_working_minutes(mulai, int(jangka.jam_kerja) * 60)
    if getattr(jangka, "hari_kerja", None):
        return kalender.add_working_days(mulai, int(jangka.hari_kerja))
    raise ValueError("jangka waktu tanpa satuan")


#: statuses in which the SLA clock does not run (with the citizen, or finished)
JEDA: frozenset[Status] = BERHENTI | {Status.DIKEMBALIKAN}


def _paused(p: Permohonan) -> bool:
    return p.menunggu_pemohon or p.status in JEDA


def perbarui_sla(p: Permohonan, jangka: Any, kalender: KalenderKerja, now: datetime) -> None:
    """Bring the SLA fields in line with the permohonan's current state."""
    if p.sla_mulai is None:
        mulai_saat = getattr(jangka, "mulai", "pengajuan")
        started = (mulai_saat == "pengajuan") or (
            p.status in (Status.KONFIRMASI, Status.PROSES) or p.status in BERHENTI
        )
        if p.status in (Status.DIBATALKAN,) or not started:
            return
        p.sla_mulai = now
        p.sla_tenggat = tambah_jangka(kalender, now, jangka)
    if _paused(p):
        if p.sla_jeda_sejak is None:
            p.sla_jeda_sejak = now
    elif p.sla_jeda_sejak is not None and p.sla_tenggat is not None:
        jeda = kalender.working_minutes_between(p.sla_jeda_sejak, now)
        if jeda:
            p.sla_tenggat = kalender.add_working_minutes(p.sla_tenggat, jeda)
        p.sla_jeda_sejak = None


def tenggat_berjalan(p: Permohonan) -> datetime | None:
    """The deadline while the clock runs; None while paused, stopped or not started."""
    if p.sla_tenggat is None or p.sla_jeda_sejak is not None or _paused(p):
        return None
    return p.sla_tenggat
