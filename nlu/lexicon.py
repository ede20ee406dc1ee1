"""The names citizens use for services (catalog) and officials (config jabatan).

The lexicon is read straight from ``config.yml`` and ``catalog/*.yml`` with PyYAML so
the NLU does not depend on the app's settings or catalog loader. Its fingerprint is
part of the model key: editing a synonym retrains the embedded model.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from nlu.types import NluError

__all__ = ["Lexicon"]

log = logging.getLogger(__name__)

_CODE = re.compile(r"[a-z0-9_]+(?:\.[a-z0-9_]+)*")


@dataclass(frozen=True, eq=False)
class Lexicon:
    """Service and official names.

    Args:
        layanan: catalog code (``legalisir``, ``surat_rekomendasi.paspor_umrah``) to the
            names a citizen may use (``nama`` first, then ``sinonim``).
        jabatan: jabatan code to ``(kategori, names)``; a bare category word ("kasi")
            resolves to the category when it has several jabatan.
    """

    layanan: dict[str, list[str]] = field(default_factory=dict)
    jabatan: dict[str, tuple[str, list[str]]] = field(default_factory=dict)

    @classmethod
    def from_files(cls, config_path: Path, catalog_dir: Path) -> Lexicon:
        """Read the first kantor's ``jabatan`` and every catalog file's kode/nama/sinonim.

        A missing or empty catalog directory gives an empty service list (logged).

        Raises:
            NluError: the config file cannot be read.
        """
        return cls(layanan=_read_catalog(catalog_dir), jabatan=_read_jabatan(config_path))

    def kategori(self) -> dict[str, list[str]]:
        """Category (``kasi``, ``kabid``…) to its jabatan codes, in config order."""
        out: dict[str, list[str]] = {}
        for kode, (kategori, _names) in self.jabatan.items():
            out.setdefault(kategori, []).append(kode)
        return out

    def fingerprint(self) -> str:
        """A stable hash of the content, used to key the trained model."""
        payload = json.dumps(
            {"layanan": self.layanan, "jabatan": self.jabatan}, sort_keys=True, ensure_ascii=False
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _names(node: dict[str, Any]) -> list[str]:
    names: list[str] = []
    for key in ("nama", "singkatan", "sinonim"):
        value = node.get(key)
        items = value if isinstance(value, list) else [value]
        names.extend(str(v).strip() for v in items if isinstance(v, str | int) and str(v).strip())
    return list(dict.fromkeys(names))


def _dicts(node: Any) -> Iterator[dict[str, Any]]:
    """Every mapping inside ``node``, depth first (the node itself included)."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _dicts(value)
    elif isinstance(node, list):
        for value in node:
            yield from _dicts(value)


def _roots(doc: Any) -> Iterable[dict[str, Any]]:
    if isinstance(doc, dict) and "kode" in doc:
        return [doc]
    if isinstance(doc, dict):
        doc = doc.get("layanan", [])
    return [d for d in doc if isinstance(d, dict)] if isinstance(doc, list) else []


def _read_catalog(catalog_dir: Path) -> dict[str, list[str]]:
    if not catalog_dir.is_dir():
        log.warning("catalog directory %s not found: no layanan names for the NLU", catalog_dir)
        return {}
    layanan: dict[str, list[str]] = {}
    files = sorted([*catalog_dir.glob("*.yml"), *catalog_dir.glob("*.yaml")])
    for path in files:
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            log.warning("catalog file %s skipped: %s", path, exc)
            continue
        for root in _roots(doc):
            top = str(root.get("kode", ""))
            if not _CODE.fullmatch(top):
                continue
            layanan[top] = _names(root)
            for node in _dicts(root):
                kode = str(node.get("kode", ""))
                if kode.startswith(top + ".") and _CODE.fullmatch(kode):
                    layanan[kode] = _names(node)
    if not layanan:
        log.warning("catalog directory %s holds no layanan", catalog_dir)
    return layanan


def _read_jabatan(config_path: Path) -> dict[str, tuple[str, list[str]]]:
    try:
        config = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise NluError(f"cannot read {config_path}: {exc}") from exc
    kantor = config.get("kantor") or [{}]
    jabatan: dict[str, tuple[str, list[str]]] = {}
    for item in kantor[0].get("jabatan") or []:
        kode = str(item.get("kode", "")).strip()
        if kode:
            jabatan[kode] = (str(item.get("kategori") or kode), _names(item))
    return jabatan
