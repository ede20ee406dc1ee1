"""The Rasa backend: intents from a Rasa server, entities from our extractors.

``aparse`` posts ``{"text": …}`` to ``{rasa_url}/model/parse``. The intent is Rasa's
unless it is outside the contract's 21 (or ``nlu_fallback``): then the next listed
intent of its ranking, else ``di_luar_topik``. Entities: ours (the dialog needs our
normalised values: ``PTSP-261120-0042``, E.164, catalog codes, ISO dates); a Rasa
entity of a type we do not extract, on a span none of ours covers, is passed through.
On a timeout, a connection error, a non-2xx answer or a malformed body, the embedded
parser answers instead; that is logged and counted in
``ptsp_nlu_rasa_fallback_total{reason}``.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any

import aiohttp
from prometheus_client import Counter

from nlu.embedded import EmbeddedParser, make_result
from nlu.types import ENTITIES, FALLBACK_INTENT, INTENTS, Entity, ParseResult

__all__ = ["RASA_FALLBACK_TOTAL", "RasaParser", "map_rasa_answer"]

log = logging.getLogger(__name__)

RASA_FALLBACK_TOTAL = Counter(
    "ptsp_nlu_rasa_fallback",
    "Messages parsed by the embedded NLU because the Rasa server failed",
    ["reason"],
)

_KNOWN = frozenset(INTENTS)


class RasaAnswerError(ValueError):
    """The Rasa server answered something that is not a parse result."""


def _ranking(answer: dict[str, Any]) -> list[tuple[str, float]]:
    intent = answer.get("intent") or {}
    raw = answer.get("intent_ranking") or ([intent] if intent else [])
    ranking = [
        (str(r.get("name")), float(r.get("confidence") or 0.0))
        for r in raw
        if isinstance(r, dict) and r.get("name")
    ]
    if intent.get("name") and all(name != intent["name"] for name, _ in ranking):
        ranking.insert(0, (str(intent["name"]), float(intent.get("confidence") or 0.0)))
    return ranking


def map_rasa_answer(text: str, answer: Any, ours: list[Entity]) -> ParseResult:
    """Turn a Rasa ``/model/parse`` answer into a contract parse result.

    Raises:
        RasaAnswerError: the answer is not a mapping with an intent.
    """
    if not isinstance(answer, dict) or not isinstance(answer.get("intent"), dict):
        raise RasaAnswerError("answer has no intent")
    ranking = [(n, c) for n, c in _ranking(answer) if n in _KNOWN]
    if not ranking:
        ranking = [(FALLBACK_INTENT, 0.0)]
    entities = list(ours)
    for ent in answer.get("entities") or []:
        if not isinstance(ent, dict) or ent.get("entity") in ENTITIES:
            continue
        start, end = ent.get("start"), ent.get("end")
        if not isinstance(start, int) or not isinstance(end, int):
            continue
        if any(start < e["end"] and e["start"] < end for e in ours):
            continue
        entities.append(
            {
                "entity": str(ent.get("entity")),
                "value": str(ent.get("value")),
                "start": start,
                "end": end,
                "extractor": str(ent.get("extractor") or "rasa"),
            }
        )
    entities.sort(key=lambda e: e["start"])
    return make_result(text, ranking, entities)


class RasaParser:
    """Parses through a Rasa server, with the embedded parser as the safety net.

    Args:
        url: base URL of the Rasa server (``http://127.0.0.1:5005``).
        timeout: seconds for the whole request before falling back.
        fallback: the embedded parser (entities always come from it).
    """

    def __init__(self, url: str, timeout: float, fallback: EmbeddedParser) -> None:
        self.url = url.rstrip("/") + "/model/parse"
        self.timeout = timeout
        self.fallback = fallback
        self._session: aiohttp.ClientSession | None = None

    def parse(self, text: str, now: datetime | None = None) -> ParseResult:
        """Synchronous callers (CLI, shell) get the embedded parse; use ``aparse`` for Rasa."""
        return self.fallback.parse(text, now)

    async def aparse(self, text: str, now: datetime | None = None) -> ParseResult:
        try:
            answer = await self._post(text)
            return map_rasa_answer(text, answer, self.fallback.entities(text, now))
        except TimeoutError:
            reason = "timeout"
        except aiohttp.ClientResponseError as exc:
            reason = f"http_{exc.status}"
        except aiohttp.ClientError as exc:
            reason = "connection"
            log.debug("Rasa connection error: %s", exc)
        except (RasaAnswerError, json.JSONDecodeError, aiohttp.ContentTypeError):
            reason = "bad_answer"
        log.warning("Rasa server %s failed (%s); parsed with the embedded NLU", self.url, reason)
        RASA_FALLBACK_TOTAL.labels(reason=reason).inc()
        return self.fallback.parse(text, now)

    async def _post(self, text: str) -> Any:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self.timeout)
            )
        async with self._session.post(self.url, json={"text": text}) as resp:
            resp.raise_for_status()
            return await resp.json(content_type=None)

    async def aclose(self) -> None:
        """Close the HTTP session (call on shutdown)."""
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None
