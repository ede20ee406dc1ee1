"""Building the configured NLU parser (the app's and the CLI's single entry point)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from nlu.types import NluError

if TYPE_CHECKING:  # imported when a parser is built: scikit-learn is heavy to import
    from nlu.embedded import EmbeddedParser
    from nlu.lexicon import Lexicon
    from nlu.rasa_backend import RasaParser

__all__ = ["BACKENDS", "DEFAULT_RASA_URL", "build_parser"]

BACKENDS = ("embedded", "rasa")
DEFAULT_RASA_URL = "http://127.0.0.1:5005"


def build_parser(
    backend: str,
    *,
    data_dir: Path,
    training_dir: Path,
    lexicon: Lexicon,
    tz: str,
    rasa_url: str | None = None,
    rasa_timeout: float = 2.0,
) -> EmbeddedParser | RasaParser:
    """Build the parser for ``backend`` (``embedded`` or ``rasa``).

    The embedded model is always built: it is the Rasa backend's fallback. It is
    loaded from ``data_dir/nlu/`` or trained there first when missing or stale (the
    training data or the lexicon changed), so a fresh clone needs no extra step.

    Args:
        backend: ``embedded`` or ``rasa`` (``PTSP_NLU_BACKEND``).
        data_dir: where the trained model is kept (``PTSP_DATA_DIR``).
        training_dir: the Rasa YAML training data (``nlu/data``).
        lexicon: service and official names.
        tz: the office timezone for relative dates (``Asia/Jakarta``).
        rasa_url: the Rasa server (``PTSP_RASA_URL``), default ``http://127.0.0.1:5005``.
        rasa_timeout: seconds before a Rasa request falls back to the embedded model.

    Returns:
        An object implementing ``nlu.types.NluParser``.

    Raises:
        NluError: unknown backend or no training data.
    """
    if backend not in BACKENDS:
        raise NluError(f"unknown NLU backend {backend!r}; use one of {', '.join(BACKENDS)}")
    from nlu.embedded import EmbeddedParser

    embedded = EmbeddedParser.load(
        data_dir=data_dir, training_dir=training_dir, lexicon=lexicon, tz=tz
    )
    if backend == "embedded":
        return embedded
    from nlu.rasa_backend import RasaParser

    return RasaParser(rasa_url or DEFAULT_RASA_URL, rasa_timeout, embedded)
