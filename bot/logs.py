"""Structured logs (JSON lines) for the stdlib and structlog loggers alike.

At INFO there is one line per handled inbound message (`inbox handled`, from the
worker, with queue, row id, channel, office, attempt and milliseconds) plus start-up,
warnings and errors. Per-request detail is DEBUG: the Twilio SDK's request/response
lines and httpx's (python-telegram-bot) are shown only at DEBUG, and the channels' own
INFO lines about each request or delivery count as DEBUG. The level is the argument,
else `PTSP_LOG_LEVEL`, else INFO.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from typing import Any

import structlog

# third-party loggers that log every HTTP request at INFO
QUIET_LOGGERS = ("twilio", "httpx", "httpcore", "aiohttp.access")
# our loggers whose INFO lines are per request (webhook in, message out): DEBUG detail
DETAIL_LOGGERS = frozenset({
    "bot.channels.twilio", "bot.channels.twilio_sender",
    "bot.channels.telegram", "bot.channels.telegram_sender",
})


class _DetailAsDebug(logging.Filter):
    """Count the channels' per-request INFO lines as DEBUG (shown only at DEBUG)."""

    def __init__(self, level: int):
        super().__init__()
        self.level = level

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.INFO and record.name in DETAIL_LOGGERS:
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
            return self.level <= logging.DEBUG
        return True


# Personal data never reaches the logs (UU 27/2022): the values of a failed statement
# (names, NIK, addresses), a database's "Key (…)=(…)" detail, NIK and mobile numbers.
_PARAMETERS = re.compile(r"\[parameters: .*?\](?=\s*(?:\n|\(Background|$))", re.S)
_KEY_DETAIL = re.compile(r"(\bKey \([^)]*\))=\([^)]*\)")
_NIK = re.compile(r"(?<!\d)\d{16}(?!\d)")
_HP = re.compile(r"(?<![\d+])(?:\+?62|0)8\d{6,11}(?!\d)")


def samarkan(text: str) -> str:
    """The text with personal data masked (a mobile number keeps its last 3 digits)."""
    text = _PARAMETERS.sub("[parameters: (disembunyikan)]", text)
    text = _KEY_DETAIL.sub(r"\1=(disembunyikan)", text)
    text = _NIK.sub("<NIK>", text)
    return _HP.sub(lambda m: "<HP …" + m.group(0)[-3:] + ">", text)


def _samarkan(_logger: Any, _method: str, event: dict[str, Any]) -> dict[str, Any]:
    return {k: samarkan(v) if isinstance(v, str) else v for k, v in event.items()}


def setup_logging(level: str | None = None) -> None:
    """JSON lines on stderr at `level` (default `PTSP_LOG_LEVEL` or INFO)."""
    name = (level or os.environ.get("PTSP_LOG_LEVEL") or "INFO").upper()
    numeric = logging.getLevelName(name)
    if not isinstance(numeric, int):
        numeric, name = logging.INFO, "INFO"
    shared = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.ExtraAdder(),  # `extra={...}` of stdlib calls become fields
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.processors.format_exc_info,
                    _samarkan,
                    structlog.processors.JSONRenderer(ensure_ascii=False)],
    ))
    handler.addFilter(_DetailAsDebug(numeric))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(numeric)
    for quiet in QUIET_LOGGERS:
        logging.getLogger(quiet).setLevel(logging.DEBUG if numeric <= logging.DEBUG
                                          else logging.WARNING)
