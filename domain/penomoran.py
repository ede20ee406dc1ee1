"""Numbering: PTSP-/ADU-/TMU-YYMMDD-NNNN, one gapless sequence per deployment, prefix and day."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

PREFIX_PERMOHONAN = "PTSP"
PREFIX_PENGADUAN = "ADU"
PREFIX_TAMU = "TMU"


def hari_penomoran(now: datetime, tz: str) -> date:
    """The day a number is dated by, in the deployment's numbering timezone."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(ZoneInfo(tz)).date()


def scope(prefix: str, day: date) -> str:
    """The sequence key: one per prefix and day for the whole deployment."""
    return f"{prefix}-{day:%y%m%d}"


def format_nomor(prefix: str, day: date, urut: int) -> str:
    """`PTSP-261120-0042`; four digits, widening to five past 9999."""
    if urut < 1:
        raise ValueError("urut must be positive")
    return f"{prefix}-{day:%y%m%d}-{urut:04d}"
