"""Fakes of the outside world shared by the tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass
class FixedClock:
    """A clock the test moves by hand."""

    current: datetime

    def now(self) -> datetime:
        return self.current

    def advance(self, **kw: float) -> None:
        self.current = self.current + timedelta(**kw)
