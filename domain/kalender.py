"""Working-time calendar of a PTSP office: opening hours, holidays and SLA arithmetic.

All arithmetic runs on the office's wall clock (Indonesian zones have no DST). Inputs
must be timezone-aware datetimes; results are in the calendar's zone.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

HARI: tuple[str, ...] = ("senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu")
"""Config keys of the weekdays, index 0 = Monday (``date.weekday()``)."""

_JAM_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_MAKS_HARI_CARI = 3660  # give up looking for an opening after ~10 years (no hours configured)
_MENIT = timedelta(minutes=1)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

Rentang = tuple[time, time]


def _parse_jam(value: object, where: str) -> time:
    if isinstance(value, time):
        return value
    if not isinstance(value, str):
        hint = ' (quote the time in YAML: "13:30")' if isinstance(value, int) else ""
        raise ValueError(f"{where}: expected a 'HH:MM' string, got {value!r}{hint}")
    m = _JAM_RE.match(value.strip())
    if not m:
        raise ValueError(f"{where}: expected 'HH:MM', got {value!r}")
    return time(int(m.group(1)), int(m.group(2)))


def _parse_rentang(pair: object, where: str) -> Rentang:
    if isinstance(pair, str | bytes) or not isinstance(pair, Sequence) or len(pair) != 2:
        raise ValueError(f'{where}: expected ["HH:MM", "HH:MM"], got {pair!r}')
    return _parse_jam(pair[0], where), _parse_jam(pair[1], where)


def _check_rentang(ranges: Sequence[Rentang], where: str) -> tuple[Rentang, ...]:
    ordered = tuple(sorted(ranges))
    for start, end in ordered:
        if not start < end:
            raise ValueError(f"{where}: range {start:%H:%M}-{end:%H:%M} must start before it ends")
    for (_, end), (start, _) in zip(ordered, ordered[1:], strict=False):
        if start < end:
            raise ValueError(f"{where}: ranges overlap at {start:%H:%M}")
    return ordered


def _as_date(value: object, where: str) -> date:
    if isinstance(value, datetime):
        raise ValueError(f"{where}: expected a date, got a datetime {value!r}")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"{where}: expected an ISO date 'YYYY-MM-DD', got {value!r}")


@dataclass(frozen=True)
class JamLayanan:
    """Opening ranges per weekday (0 = Monday .. 6 = Sunday); an empty tuple means closed."""

    ranges: dict[int, tuple[Rentang, ...]]

    def __post_init__(self) -> None:
        unknown = set(self.ranges) - set(range(7))
        if unknown:
            raise ValueError(f"jam_layanan: weekday keys must be 0..6, got {sorted(unknown)}")
        normal = {
            wd: _check_rentang(self.ranges.get(wd, ()), f"jam_layanan.{HARI[wd]}")
            for wd in range(7)
        }
        object.__setattr__(self, "ranges", normal)

    def __hash__(self) -> int:
        return hash(tuple(sorted(self.ranges.items())))

    @classmethod
    def from_config(cls, data: Mapping[str, list[list[str]]]) -> JamLayanan:
        """Builds the hours from config keys ``senin``..``minggu``; a missing day is closed.

        Raises:
            ValueError: unknown day name, malformed range, bad time, or overlapping ranges.
        """
        if not isinstance(data, Mapping):
            raise ValueError(f"jam_layanan: expected a mapping senin..minggu, got {data!r}")
        unknown = [k for k in data if str(k).strip().lower() not in HARI]
        if unknown:
            raise ValueError(f"jam_layanan: unknown day {unknown[0]!r} (use {', '.join(HARI)})")
        ranges: dict[int, tuple[Rentang, ...]] = {}
        for key, value in data.items():
            name = str(key).strip().lower()
            where = f"jam_layanan.{name}"
            if value is None:
                value = []
            if isinstance(value, str | bytes) or not isinstance(value, Sequence):
                raise ValueError(f"{where}: expected a list of [start, end] pairs, got {value!r}")
            ranges[HARI.index(name)] = tuple(
                _parse_rentang(pair, f"{where}[{i}]") for i, pair in enumerate(value)
            )
        return cls(ranges)

    def on(self, weekday: int) -> tuple[Rentang, ...]:
        """Returns the ranges of one weekday."""
        return self.ranges[weekday]


@dataclass(frozen=True)
class PeriodeKhusus:
    """A period (inclusive dates) whose hours replace the normal ones, e.g. Ramadan."""

    nama: str
    mulai: date
    selesai: date
    jam: JamLayanan

    def __post_init__(self) -> None:
        if self.selesai < self.mulai:
            raise ValueError(
                f"periode_khusus {self.nama!r}: selesai {self.selesai} is before "
                f"mulai {self.mulai}"
            )

    @classmethod
    def from_config(cls, data: Mapping[str, object]) -> PeriodeKhusus:
        """Builds a period from ``{nama, mulai, selesai, jam_layanan}``."""
        nama = str(data.get("nama") or "").strip()
        where = f"periode_khusus {nama or '?'}"
        if not nama:
            raise ValueError("periode_khusus: nama is required")
        if "jam_layanan" not in data:
            raise ValueError(f"{where}: jam_layanan is required")
        return cls(
            nama=nama,
            mulai=_as_date(data.get("mulai"), f"{where}.mulai"),
            selesai=_as_date(data.get("selesai"), f"{where}.selesai"),
            jam=JamLayanan.from_config(data["jam_layanan"]),  # type: ignore[arg-type]
        )

    def berlaku(self, d: date) -> bool:
        """Tells whether ``d`` falls inside the period."""
        return self.mulai <= d <= self.selesai


@dataclass(frozen=True)
class HariBuka:
    """One local day of a `JamKerja` layout."""

    hari: int  # local days since 1970-01-01
    sebelum_ms: int  # working milliseconds of the layout's earlier days
    rentang: tuple[tuple[int, int], ...]  # opening ranges [start, end) in epoch ms


@dataclass(frozen=True)
class JamKerja:
    """Consecutive local days with their opening ranges in epoch milliseconds (see
    `KalenderKerja.jam_kerja`). A moment's working time since the layout's start is the
    working time before its local day plus what of that day's ranges lies before it;
    the local day of an epoch-ms value ``t`` is ``(t + offset_ms) // 86_400_000`` (an
    Indonesian zone keeps one offset all year)."""

    offset_ms: int
    hari: tuple[HariBuka, ...]

    @property
    def awal(self) -> datetime:
        """The first day's local midnight."""
        return _EPOCH + timedelta(milliseconds=self.hari[0].hari * 86_400_000 - self.offset_ms)

    @property
    def rentang_per_hari(self) -> int:
        return max((len(h.rentang) for h in self.hari), default=0)

    @cached_property
    def _datar(self) -> tuple[list[int], list[int], list[int]]:
        """Every opening range in order: starts, ends, working ms before each."""
        mulai, selesai, kumulatif = [], [], []
        for h in self.hari:
            total = h.sebelum_ms
            for s, e in h.rentang:
                mulai.append(s)
                selesai.append(e)
                kumulatif.append(total)
                total += e - s
        return mulai, selesai, kumulatif

    def _sampai(self, x: int) -> int:
        mulai, selesai, kumulatif = self._datar
        i = bisect.bisect_right(mulai, x) - 1
        return 0 if i < 0 else kumulatif[i] + min(x, selesai[i]) - mulai[i]

    def menit(self, a: datetime, b: datetime) -> int:
        """Whole working minutes in [a, b) (both inside the layout); 0 if ``b <= a``."""
        if b <= a:
            return 0
        ms = timedelta(milliseconds=1)
        return (self._sampai((b - _EPOCH) // ms) - self._sampai((a - _EPOCH) // ms)) // 60_000


class KalenderKerja:
    """Opening hours plus national holidays, cuti bersama and office overrides.

    Args:
        tz: IANA zone of the office (``Asia/Jakarta``, ``Asia/Makassar``, ...).
        jam: normal weekly hours.
        periode_khusus: periods whose hours replace ``jam`` (must not overlap).
        libur_tambahan: extra closures decided by the office, date → name.
        hari_kerja_tambahan: national holidays or cuti bersama the office works anyway.
            They only lift the holiday; a day without weekly hours stays closed.
    """

    def __init__(
        self,
        tz: str | ZoneInfo,
        jam: JamLayanan,
        periode_khusus: Sequence[PeriodeKhusus] = (),
        libur_tambahan: Mapping[date, str] | None = None,
        hari_kerja_tambahan: Iterable[date] = (),
    ) -> None:
        if isinstance(tz, str):
            try:
                tz = ZoneInfo(tz)
            except (ZoneInfoNotFoundError, ValueError) as exc:
                raise ValueError(f"unknown timezone {tz!r}") from exc
        self.tz: ZoneInfo = tz
        self.jam = jam
        self.periode_khusus: tuple[PeriodeKhusus, ...] = tuple(
            sorted(periode_khusus, key=lambda p: p.mulai)
        )
        for prev, nxt in zip(self.periode_khusus, self.periode_khusus[1:], strict=False):
            if nxt.mulai <= prev.selesai:
                raise ValueError(f"periode_khusus {prev.nama!r} and {nxt.nama!r} overlap")
        self.libur_tambahan: dict[date, str] = dict(libur_tambahan or {})
        self.hari_kerja_tambahan: frozenset[date] = frozenset(hari_kerja_tambahan)
        both = self.hari_kerja_tambahan & set(self.libur_tambahan)
        if both:
            raise ValueError(f"{min(both)} is both in libur_tambahan and hari_kerja_tambahan")
        self._libur_nasional: dict[int, dict[date, str]] = {}
        # a day's opening ranges, asked for again and again by the SLA and report sums
        self._rentang_hari: dict[date, tuple[tuple[datetime, datetime], ...]] = {}

    @classmethod
    def from_config(cls, kantor: Mapping[str, object]) -> KalenderKerja:
        """Builds the calendar from one ``kantor`` entry of ``config.yml``."""
        libur: dict[date, str] = {}
        for i, item in enumerate(kantor.get("libur_tambahan") or []):  # type: ignore[union-attr]
            if not isinstance(item, Mapping):
                raise ValueError(f"libur_tambahan[{i}]: expected {{tanggal, nama}}, got {item!r}")
            tanggal = _as_date(item.get("tanggal"), f"libur_tambahan[{i}].tanggal")
            libur[tanggal] = str(item.get("nama") or "Libur kantor")
        kerja = [
            _as_date(v, f"hari_kerja_tambahan[{i}]")
            for i, v in enumerate(kantor.get("hari_kerja_tambahan") or [])  # type: ignore[arg-type]
        ]
        return cls(
            tz=str(kantor.get("timezone") or "Asia/Jakarta"),
            jam=JamLayanan.from_config(kantor.get("jam_layanan") or {}),  # type: ignore[arg-type]
            periode_khusus=[
                PeriodeKhusus.from_config(p)
                for p in kantor.get("periode_khusus") or []  # type: ignore[union-attr]
            ],
            libur_tambahan=libur,
            hari_kerja_tambahan=kerja,
        )

    # ----------------------------------------------------------------- days

    def _nasional(self, year: int) -> dict[date, str]:
        cached = self._libur_nasional.get(year)
        if cached is None:
            h = holidays.country_holidays(
                "ID", years=year, categories=("public", "government"), language="id"
            )
            cached = {d: name for d, name in h.items() if d.year == year}
            self._libur_nasional[year] = cached
        return cached

    def libur(self, d: date) -> str | None:
        """Returns the name of the holiday or closure on ``d``, or None on a normal day."""
        if d in self.libur_tambahan:
            return self.libur_tambahan[d]
        if d in self.hari_kerja_tambahan:
            return None
        return self._nasional(d.year).get(d)

    def jam_pada(self, d: date) -> tuple[Rentang, ...]:
        """Returns the hours of ``d``'s weekday (a special period first), ignoring holidays."""
        for periode in self.periode_khusus:
            if periode.berlaku(d):
                return periode.jam.on(d.weekday())
        return self.jam.on(d.weekday())

    def _rentang(self, d: date) -> tuple[Rentang, ...]:
        ranges = self.jam_pada(d)
        if not ranges or self.libur(d) is not None:
            return ()
        return ranges

    def is_working_day(self, d: date) -> bool:
        """Tells whether the office opens at all on ``d``."""
        return bool(self._rentang(d))

    def ranges_on(self, d: date) -> list[tuple[datetime, datetime]]:
        """Returns the opening ranges of ``d`` as aware datetimes; empty on a closed day."""
        got = self._rentang_hari.get(d)
        if got is None:
            got = self._rentang_hari[d] = tuple(
                (datetime.combine(d, s, tzinfo=self.tz), datetime.combine(d, e, tzinfo=self.tz))
                for s, e in self._rentang(d))
        return list(got)

    def _days_from(self, d: date) -> Iterator[date]:
        for i in range(_MAKS_HARI_CARI):
            yield d + timedelta(days=i)
        raise ValueError(f"no opening hours within {_MAKS_HARI_CARI} days after {d}")

    # ---------------------------------------------------------------- moments

    def _lokal(self, at: datetime) -> datetime:
        if at.tzinfo is None or at.tzinfo.utcoffset(at) is None:
            raise ValueError(f"a timezone-aware datetime is required, got naive {at!r}")
        return at.astimezone(self.tz)

    def is_open(self, at: datetime) -> bool:
        """Tells whether the office is open at ``at`` (ranges are half-open: [start, end))."""
        at = self._lokal(at)
        return any(s <= at < e for s, e in self.ranges_on(at.date()))

    def next_open(self, at: datetime) -> datetime:
        """Returns ``at`` if the office is open then, else the next opening moment."""
        at = self._lokal(at)
        for d in self._days_from(at.date()):
            for s, e in self.ranges_on(d):
                if at < e:
                    return max(s, at)
        raise AssertionError("unreachable")  # pragma: no cover

    def add_working_minutes(self, start: datetime, minutes: int) -> datetime:
        """Adds ``minutes`` of opening time to ``start``.

        A start outside the hours counts from :meth:`next_open`; breaks, closed days and
        holidays are skipped. A result exactly at a range's end stays there (it is not moved
        to the next opening). ``minutes=0`` returns ``next_open(start)``.
        """
        if minutes < 0:
            raise ValueError(f"minutes must be >= 0, got {minutes}")
        at = self._lokal(start)
        left = timedelta(minutes=minutes)
        for d in self._days_from(at.date()):
            for s, e in self.ranges_on(d):
                if at >= e:
                    continue
                begin = max(s, at)
                if left <= e - begin:
                    return begin + left
                left -= e - begin
        raise AssertionError("unreachable")  # pragma: no cover

    def _elapsed_on_day(self, at: datetime) -> timedelta:
        return sum(
            (min(e, at) - s for s, e in self.ranges_on(at.date()) if s < at),
            timedelta(),
        )

    def _point_after(self, d: date, elapsed: timedelta) -> datetime:
        ranges = self.ranges_on(d)
        for s, e in ranges:
            if elapsed <= e - s:
                return s + elapsed
            elapsed -= e - s
        return ranges[-1][1]  # clamp to the day's last closing time

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """Returns the equivalent moment ``days`` working days after ``start``.

        Rule: ``start`` first moves to :meth:`next_open`. Let *k* be the opening minutes
        already elapsed that day (since its first opening). The result is the moment on the
        ``days``-th following working day at which *k* opening minutes have elapsed there,
        clamped to that day's last closing time. So Mon 10:00 → Tue 10:00, Thu 15:30 (450
        min) → Fri 16:30 (a Friday has 390), and Mon 12:00 (240 min) → Fri 14:00 (210 before
        the Jumatan break + 30). ``days=0`` returns ``next_open(start)``.
        """
        if days < 0:
            raise ValueError(f"days must be >= 0, got {days}")
        at = self.next_open(start)
        if days == 0:
            return at
        elapsed = self._elapsed_on_day(at)
        found = 0
        for d in self._days_from(at.date() + timedelta(days=1)):
            if self.is_working_day(d):
                found += 1
                if found == days:
                    return self._point_after(d, elapsed)
        raise AssertionError("unreachable")  # pragma: no cover

    def jam_kerja(self, awal: datetime, akhir: datetime) -> JamKerja:
        """The opening ranges of every local day from ``awal``'s to ``akhir``'s, laid out
        in epoch milliseconds with the working time before each day: the performance
        report measures hundreds of thousands of steps with it, in SQL (a join on the
        day) or with `JamKerja.menit` (two binary searches per step)."""
        ms = timedelta(milliseconds=1)
        hari: list[HariBuka] = []
        total = 0
        d = self._lokal(awal).date()
        while d <= self._lokal(akhir).date():
            rentang = tuple(((s - _EPOCH) // ms, (e - _EPOCH) // ms) for s, e in self.ranges_on(d))
            hari.append(HariBuka((d - _EPOCH.date()).days, total, rentang))
            total += sum(e - s for s, e in rentang)
            d += timedelta(days=1)
        offset = self.tz.utcoffset(self._lokal(awal)) or timedelta()
        return JamKerja(offset // ms, tuple(hari))

    def working_minutes_between(self, a: datetime, b: datetime) -> int:
        """Counts whole opening minutes in ``[a, b)``; 0 if ``b <= a``."""
        a, b = self._lokal(a), self._lokal(b)
        if b <= a:
            return 0
        total = timedelta()
        d = a.date()
        while d <= b.date():
            for s, e in self.ranges_on(d):
                lo, hi = max(s, a), min(e, b)
                if lo < hi:
                    total += hi - lo
            d += timedelta(days=1)
        return total // _MENIT
