"""A province deployment for tests: the default office and a Kankemenag Kota beside it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.settings import load_settings

FIRST: dict[str, Any] = load_settings().kantor[0].model_dump()
KOTA_NUMBER = "+6281199990000"


def kota(**extra: Any) -> dict[str, Any]:
    """The second office's `kantor` entry (the first one's profile, its own code and number)."""
    return FIRST | {"kode": "kankemenag_kota", "nama": "Kantor Kemenag Kota Contoh",
                    "whatsapp": KOTA_NUMBER, **extra}


def use_config(tmp_path: Path, monkeypatch: Any, database_url: str,
               kantor: list[dict[str, Any]]) -> None:
    """Point the CLIs at a config.yml listing `kantor` and at `database_url`."""
    config = yaml.safe_load(Path("config.yml").read_text(encoding="utf-8"))
    config["kantor"] = kantor
    root = Path(__file__).resolve().parents[1]  # the copy is read from elsewhere
    config["catalog_dir"] = str(root / "catalog")
    config["pesan_file"] = str(root / "pesan.yml")
    path = tmp_path / "provinsi.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("PTSP_CONFIG", str(path))
    monkeypatch.setenv("PTSP_DATABASE_URL", database_url)
