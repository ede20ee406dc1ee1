"""A light stemmer for informal Indonesian, for classifier features only.

Strips particles (-lah, -kah, -pun), possessives (-nya, -ku, -mu, Javanese -ipun),
suffixes (-kan, -in, -an, -i) and prefixes (di-, ke-, ter-, ber-, meN-, peN-, colloquial
ng-/nge-/ny-), so "membatalkan", "dibatalkan", "batalin" and "pembatalan" all give
"batal". No dictionary: stems need not be real words, only consistent. Short words
and placeholders are left alone.
"""

from __future__ import annotations

from functools import lru_cache

__all__ = ["stem", "stem_text"]

_PARTICLES = ("lah", "kah", "pun")
_POSSESSIVES = ("ipun", "nya", "ku", "mu")
_SUFFIXES = ("kan", "in", "an", "i")
# Longest first; meN-/peN- variants before me-/pe-.
_PREFIXES = (
    "menge",
    "penge",
    "meng",
    "peng",
    "meny",
    "peny",
    "mem",
    "pem",
    "men",
    "pen",
    "nge",
    "ber",
    "per",
    "ter",
    "me",
    "pe",
    "di",
    "ke",
    "ng",
    "ny",
)
_MIN_STEM = 3


def _strip_suffix(word: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=20_000)
def stem(word: str) -> str:
    """The stem of one lower-case word (unchanged when short, numeric or a placeholder)."""
    if len(word) <= _MIN_STEM + 1 or not word.isalpha() or word.startswith("x"):
        return word
    word = _strip_suffix(word, _PARTICLES)
    word = _strip_suffix(word, _POSSESSIVES)
    for prefix in _PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= _MIN_STEM:
            word = word[len(prefix) :]
            break
    return _strip_suffix(word, _SUFFIXES)


def stem_text(text: str) -> str:
    """Stem every word of a normalised text."""
    return " ".join(stem(w) for w in text.split())
