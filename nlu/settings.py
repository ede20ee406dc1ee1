"""Where the NLU CLI finds its inputs, from the environment and ``config.yml``.

The app builds its parser from its own settings; ``ptsp nlu …`` uses these defaults:
data dir ``PTSP_DATA_DIR`` (``./var``), training data ``./nlu/data``, config
``PTSP_CONFIG`` (``config.yml``), catalog dir ``PTSP_CATALOG_DIR`` or the config's
``catalog_dir`` (``catalog``, relative to the config file), the first kantor's
timezone, backend ``PTSP_NLU_BACKEND``,
Rasa ``PTSP_RASA_URL`` and ``PTSP_NLU__RASA_TIMEOUT_SECONDS``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from nlu.lexicon import Lexicon
from nlu.training_data import TRAINING_DIR
from nlu.types import NluError

__all__ = ["NluSettings"]

DEFAULT_TZ = "Asia/Jakarta"


@dataclass(frozen=True, slots=True)
class NluSettings:
    data_dir: Path
    training_dir: Path
    config_path: Path
    catalog_dir: Path
    tz: str
    backend: str
    rasa_url: str | None
    rasa_timeout: float

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> NluSettings:
        """Read the defaults; a missing config file is an error (exit 1 in the CLI)."""
        env = os.environ if env is None else env
        config_path = Path(env.get("PTSP_CONFIG", "config.yml"))
        installed = Path(sys.prefix) / "share" / "ptsp" / "config.yml"
        if "PTSP_CONFIG" not in env and not config_path.exists() and installed.exists():
            config_path = installed  # an installed wheel, run outside the checkout
        try:
            config: dict[str, Any] = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise NluError(f"cannot read config {config_path}: {exc}") from exc
        catalog = Path(env.get("PTSP_CATALOG_DIR") or config.get("catalog_dir") or "catalog")
        if not catalog.is_absolute():
            catalog = config_path.parent / catalog
        kantor = (config.get("kantor") or [{}])[0]
        tz = kantor.get("timezone") or DEFAULT_TZ
        nlu_cfg = config.get("nlu") or {}
        timeout = env.get("PTSP_NLU__RASA_TIMEOUT_SECONDS") or nlu_cfg.get("rasa_timeout_seconds")
        return cls(
            data_dir=Path(env.get("PTSP_DATA_DIR", "./var")),
            training_dir=TRAINING_DIR,
            config_path=config_path,
            catalog_dir=catalog,
            tz=str(tz),
            backend=env.get("PTSP_NLU_BACKEND", "embedded"),
            rasa_url=env.get("PTSP_RASA_URL"),
            rasa_timeout=float(timeout or 2.0),
        )

    def lexicon(self) -> Lexicon:
        return Lexicon.from_files(self.config_path, self.catalog_dir)
