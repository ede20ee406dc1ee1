"""The message catalog: every word a citizen or official reads, in one reworkable place.

The texts live in `pesan.yml` (loaded by the bootstrap); this class only formats them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class Pesan:
    def __init__(self, templates: Mapping[str, str]):
        self._t = dict(templates)

    def __call__(self, key: str, **kw: Any) -> str:
        try:
            template = self._t[key]
        except KeyError:
            raise KeyError(f"pesan '{key}' tidak ada di katalog pesan") from None
        return template.format_map(kw).strip()

    def __contains__(self, key: str) -> bool:
        return key in self._t

    def keys(self) -> list[str]:
        return list(self._t)
