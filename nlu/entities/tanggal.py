"""A small rule-based extractor for Indonesian dates and times, relative to ``now``.

Understands "hari ini", "besok", "lusa", weekdays ("kamis" = the next Thursday, today
excluded; "kamis depan" = the Thursday of next week), "minggu depan" (Monday of next
week), "27/11", "27-11-2026", "tgl 3 des", "3 desember 2026", "senin 30 november",
and times "jam 10", "pukul 13.30", "jam 9 pagi", "jam 2 siang", "10:00", joined when
they are next to each other ("besok jam 10", "27/11 pukul 13.30"). A date without a
year that has already passed rolls to next year; a time alone is today, or tomorrow
when that time has passed. See ``nlu.entities.waktu`` for the part-of-day choices.

The value is an ISO date ("2026-11-26") without a time, else an ISO datetime with
the office's offset ("2026-11-25T10:00:00+07:00").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from nlu.entities.found import Found
from nlu.entities.waktu import ANGKA, BAGIAN_HARI, BULAN, HARI, SATUAN, SKOR, jam_24
from nlu.normalize import Normalized

__all__ = ["EXTRACTOR", "TanggalExtractor"]

EXTRACTOR = "ptsp_tanggal"

_NUMERIC_DATE = re.compile(r"(\d{1,2})([/\-.])(\d{1,2})(?:\2(\d{4}|\d{2}))?")
_CLOCK = re.compile(r"(\d{1,2})(?:[.:](\d{2}))?(an)?")
_COLON_TIME = re.compile(r"(\d{1,2}):(\d{2})")
_DOT_TIME = re.compile(r"(\d{1,2})\.(\d{2})")
_DAY = re.compile(r"\d{1,2}")
_YEAR = re.compile(r"\d{4}")
_NEXT_WEEK = ("depan",)
_FILLER = frozenset({"pada", "sekitar", "kira", "di", "mulai"})
_ZONE = frozenset({"wib", "wita", "wit"})
#: A day or time said of a habit ("tiap jumat", "hari sabtu biasanya buka?") or of the
#: past ("tadi jam 10", "kemarin jam 9") is no date the citizen asks for.
_HABIT_BEFORE = frozenset({"tiap", "setiap", "biasanya", "biasa", "sering", "selalu"})
_HABIT_AFTER = frozenset({"biasanya", "biasa"})
_PAST_BEFORE = frozenset({"tadi", "kemarin", "semalam", "kemaren"})
#: A clock time after these describes the office's hours or one's own ("tutup jam 4",
#: "kerja sampai jam 4"), not an appointment.
_HOURS_BEFORE = frozenset({"tutup", "istirahat", "sampai", "hingga", "pulang"})


@dataclass(frozen=True, slots=True)
class _Piece:
    kind: str  # "date" | "time"
    first: int
    last: int
    day: date | None = None
    hour: int | None = None
    minute: int = 0
    bagian: str | None = None


def _make_date(year: int | None, month: int, day: int, today: date) -> date | None:
    try:
        if year is not None:
            return date(year + 2000 if year < 100 else year, month, day)
        found = date(today.year, month, day)
        return found if found >= today else date(today.year + 1, month, day)
    except ValueError:
        return None


class _Scanner:
    def __init__(self, words: list[str], today: date) -> None:
        self.w = words
        self.today = today

    def at(self, i: int) -> str:
        return self.w[i] if 0 <= i < len(self.w) else ""

    def explicit(self, i: int, bare_day: bool) -> tuple[date, int] | None:
        """A day-month(-year) date starting at word i, with its last word index."""
        word = self.at(i)
        m = _NUMERIC_DATE.fullmatch(word)
        # "1-2 jam" is a duration, but "28/12 jam 10" and "28-12 jam 10" are a date and time
        nxt = self.at(i + 1)
        satuan = nxt in SATUAN and not (nxt in ("jam", "pukul")
                                        and _CLOCK.fullmatch(self.at(i + 2)))
        if (satuan and not (m and m[2] == "/")) or self.at(i - 1) in SKOR:
            return None
        if m and (m[2] != "." or m[4]):
            year = int(m[4]) if m[4] else None
            found = _make_date(year, int(m[3]), int(m[1]), self.today)
            return (found, i) if found else None
        if not _DAY.fullmatch(word):
            return None
        month = BULAN.get(self.at(i + 1))
        if month is None:
            if not bare_day or not 1 <= int(word) <= 31:
                return None
            for k in range(0, 3):
                base = (self.today.replace(day=1) + timedelta(days=32 * k)).replace(day=1)
                found = _make_date(base.year, base.month, int(word), self.today)
                if found and found >= self.today:
                    return found, i
            return None
        last = i + 1
        year = None
        if _YEAR.fullmatch(self.at(i + 2)):
            year, last = int(self.at(i + 2)), i + 2
        found = _make_date(year, month, int(word), self.today)
        return (found, last) if found else None

    def weekday(self, i: int, first: int) -> _Piece | None:
        word, nxt = self.at(i), self.at(i + 1)
        target = HARI[word]
        said_tanggal = self.at(i + 1) == "tanggal"
        explicit = self.explicit(i + 1 + said_tanggal, bare_day=said_tanggal)
        if explicit:
            return _Piece("date", first, explicit[1], day=explicit[0])
        if word == "minggu" and first == i:
            return None  # "1 minggu", "minggu ini": a week, not Sunday (say "hari minggu")
        monday = self.today - timedelta(days=self.today.weekday())
        if nxt in _NEXT_WEEK or (nxt in ("minggu", "pekan") and self.at(i + 2) == "depan"):
            last = i + 1 if nxt in _NEXT_WEEK else i + 2
            return _Piece("date", first, last, day=monday + timedelta(days=7 + target))
        if nxt == "ini":
            day = monday + timedelta(days=target)
            return _Piece(
                "date", first, i + 1, day=day if day >= self.today else day + timedelta(7)
            )
        ahead = (target - self.today.weekday() - 1) % 7 + 1
        last = i + (nxt == "besok")  # "kamis besok": the coming Thursday
        return _Piece("date", first, last, day=self.today + timedelta(days=ahead))

    def date_at(self, i: int) -> _Piece | None:
        word, nxt = self.at(i), self.at(i + 1)
        today = self.today
        if word == "hari" and nxt == "ini":
            return _Piece("date", i, i + 1, day=today)
        if word == "hari" and nxt in HARI:
            return self.weekday(i + 1, i)
        if word == "besok" and nxt in HARI:  # "besok rabu", Javanese "mbesuk kemis"
            return self.weekday(i + 1, i)
        if word == "besok" and nxt == "lusa":
            return _Piece("date", i, i + 1, day=today + timedelta(days=2))
        if word in ("besok", "lusa"):
            return _Piece("date", i, i, day=today + timedelta(days=1 if word == "besok" else 2))
        if word in ("minggu", "pekan") and nxt == "depan":
            monday = today - timedelta(days=today.weekday())
            return _Piece("date", i, i + 1, day=monday + timedelta(days=7))
        if word in HARI:
            return self.weekday(i, i)
        if word == "tanggal":
            explicit = self.explicit(i + 1, bare_day=True)
            return _Piece("date", i, explicit[1], day=explicit[0]) if explicit else None
        explicit = self.explicit(i, bare_day=False)
        return _Piece("date", i, explicit[1], day=explicit[0]) if explicit else None

    def clock(self, i: int) -> tuple[int, int, int] | None:
        """Hour, minute and last word index of an hour said after jam/pukul."""
        word = self.at(i)
        if word == "setengah":
            hour = self.clock(i + 1)
            return (hour[0] - 1, 30, hour[2]) if hour and hour[1] == 0 else None
        if word in ANGKA:
            return ANGKA[word], 0, i
        m = _CLOCK.fullmatch(word)
        if not m:
            return None
        hour, minute = int(m[1]), int(m[2] or 0)
        if hour > 24 or minute > 59:
            return None
        return hour, minute, i + (self.at(i + 1) == "an")

    def time_at(self, i: int, after_date: bool) -> _Piece | None:
        word = self.at(i)
        if word in ("jam", "pukul"):
            found = self.clock(i + 1)
        elif m := (_COLON_TIME.fullmatch(word) or (after_date and _DOT_TIME.fullmatch(word))):
            found = (int(m[1]), int(m[2]), i) if int(m[1]) <= 24 and int(m[2]) <= 59 else None
        else:
            return None
        if found is None:
            return None
        hour, minute, last = found
        bagian = self.at(last + 1) if self.at(last + 1) in BAGIAN_HARI else None
        last += bagian is not None
        last += self.at(last + 1) in _ZONE
        return _Piece("time", i, last, hour=hour, minute=minute, bagian=bagian)

    def pieces(self) -> list[_Piece]:
        out: list[_Piece] = []
        i = 0
        while i < len(self.w):
            after_date = bool(out) and out[-1].kind == "date" and out[-1].last == i - 1
            piece = self.date_at(i) or self.time_at(i, after_date)
            if piece is None:
                i += 1
                continue
            if piece.kind == "date" and self.at(piece.last + 1) in BAGIAN_HARI:
                piece = replace(piece, last=piece.last + 1, bagian=self.at(piece.last + 1))
            out.append(piece)
            i = piece.last + 1
        return out


def _groups(pieces: list[_Piece], words: list[str]) -> list[list[_Piece]]:
    groups: list[list[_Piece]] = []
    for piece in pieces:
        if groups:
            prev = groups[-1]
            gap = words[prev[-1].last + 1 : piece.first]
            kinds = {p.kind for p in prev}
            if piece.kind not in kinds and len(gap) <= 1 and all(g in _FILLER for g in gap):
                prev.append(piece)
                continue
        groups.append([piece])
    return groups


def _not_a_wish(group: list[_Piece], words: list[str]) -> bool:
    first, last = group[0].first, group[-1].last
    before = words[max(first - 2, 0) : first]
    after = words[last + 1 : last + 2]
    if _HABIT_BEFORE.intersection(before) or _HABIT_AFTER.intersection(after):
        return True
    if not all(p.kind == "time" for p in group):
        return False
    return bool(
        _PAST_BEFORE.intersection(words[max(first - 4, 0) : first])
        or _HOURS_BEFORE.intersection(words[max(first - 1, 0) : first])
    )


class TanggalExtractor:
    """Dates and times in a normalised message, resolved in the office's timezone."""

    def __init__(self, tz: str) -> None:
        self.tz = ZoneInfo(tz)

    def find(self, norm: Normalized, now: datetime) -> list[Found]:
        now = now.astimezone(self.tz) if now.tzinfo else now.replace(tzinfo=self.tz)
        tokens = norm.tokens()
        words = [t.text for t in tokens]
        out: list[Found] = []
        for group in _groups(_Scanner(words, now.date()).pieces(), words):
            if _not_a_wish(group, words):
                continue
            value = self._value(group, now)
            if value is None:
                continue
            start, end = norm.original_span(
                tokens[group[0].first].start, tokens[group[-1].last].end
            )
            out.append(Found("tanggal", value, start, end, EXTRACTOR))
        return out

    def _value(self, group: list[_Piece], now: datetime) -> str | None:
        day_piece = next((p for p in group if p.kind == "date"), None)
        time_piece = next((p for p in group if p.kind == "time"), None)
        bagian = day_piece.bagian if day_piece else None
        if time_piece is None:
            assert day_piece is not None and day_piece.day is not None
            if bagian is None:
                return day_piece.day.isoformat()
            return self._stamp(day_piece.day, BAGIAN_HARI[bagian], 0)
        hour = jam_24(time_piece.hour or 0, time_piece.bagian or bagian)
        if hour is None:
            return None
        if day_piece is not None and day_piece.day is not None:
            return self._stamp(day_piece.day, hour, time_piece.minute)
        day = now.date()
        if time(hour, time_piece.minute) <= now.time().replace(tzinfo=None):
            day += timedelta(days=1)
        return self._stamp(day, hour, time_piece.minute)

    def _stamp(self, day: date, hour: int, minute: int) -> str:
        return datetime.combine(day, time(hour, minute), tzinfo=self.tz).isoformat()
