"""Fuzzy phrase matching over normalised tokens, for service and official names.

Each message word that is not a known lexicon word is first corrected to the closest
lexicon word (rapidfuzz ratio, long words only); then exact word n-grams are looked
up. Correcting words instead of scoring every window against every name keeps a parse
well under a millisecond with a few hundred names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from nlu.abbreviations import ABBREVIATIONS
from nlu.normalize import Token
from nlu.stem import stem

__all__ = ["PhraseHit", "PhraseMatcher"]


@dataclass(frozen=True, slots=True)
class PhraseHit:
    """A phrase found in the normalised text (normalised coordinates)."""

    value: str
    start: int
    end: int
    score: float
    priority: int
    first_token: int
    last_token: int


class PhraseMatcher:
    """Finds the longest non-overlapping lexicon phrases in a token list.

    Args:
        phrases: normalised phrase to ``(value, priority)``; a lower priority wins
            between equally long matches.
        min_fuzzy_len: words shorter than this are only matched exactly.
        cutoff: minimal rapidfuzz ratio (0–100) to correct a word.
        protected: words never corrected (common words close to lexicon words).
    """

    def __init__(
        self,
        phrases: Mapping[str, tuple[str, int]],
        *,
        min_fuzzy_len: int = 5,
        cutoff: float = 84.0,
        protected: frozenset[str] = frozenset(),
        stems: bool = False,
    ) -> None:
        self._phrases: dict[tuple[str, ...], tuple[str, int]] = {}
        for phrase, hit in phrases.items():
            key = tuple(phrase.split())
            if key and (key not in self._phrases or hit[1] < self._phrases[key][1]):
                self._phrases[key] = hit
        self._max_len = max((len(k) for k in self._phrases), default=0)
        self._vocab = frozenset(w for k in self._phrases for w in k)
        self._fuzzy_vocab = sorted(w for w in self._vocab if len(w) >= min_fuzzy_len)
        self._min_fuzzy_len = min_fuzzy_len
        self._cutoff = cutoff
        self._protected = protected
        self._cache: dict[str, tuple[str, float]] = {}
        # A derived form ("dilegalisir", "ijazahnya", "mendaftarkan") corrected to the
        # lexicon base word it is built on ("legalisir", "ijazah", "daftar").
        self._stems: dict[str, str] = {}
        if stems:
            # Only base forms: "berbicara" must not become "pembicara".
            for w in sorted(self._vocab, key=lambda v: (len(v), v)):
                if len(w) >= 3 and w.isalpha() and stem(w) == w:
                    self._stems.setdefault(w, w)

    def _correct(self, word: str) -> tuple[str, float]:
        if word in self._vocab or len(word) < self._min_fuzzy_len or word in self._protected:
            return word, 1.0
        if not word.isalpha():
            return word, 1.0
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        by_stem = self._stems.get(stem(word)) if self._stems else None
        if by_stem is not None:
            result = (by_stem, 0.95)
        else:
            best = process.extractOne(
                word, self._fuzzy_vocab, scorer=fuzz.ratio, score_cutoff=self._cutoff
            )
            result = (best[0], best[1] / 100.0) if best else (word, 1.0)
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[word] = result
        return result

    def split_glued(self, tokens: list[Token]) -> list[Token]:
        """Two lexicon words typed without the space ("legalisirijazah", "rekompaspor")
        become two tokens over the same characters; every other token is kept.

        A token is split only when it is no lexicon word and corrects to none, at the one
        place where its head is a lexicon word (4+ letters) and its tail is or corrects to
        one (4+ letters): an ordinary word is never split.
        """
        out: list[Token] = []
        for t in tokens:
            w = t.text
            if (len(w) < 8 or not w.isalpha() or w in self._vocab
                    or self._correct(w)[0] != w):
                out.append(t)
                continue
            cuts = [(k, self._head(w[:k])) for k in range(4, len(w) - 3)
                    if self._head(w[:k]) and self._correct(w[k:])[0] in self._vocab]
            if len(cuts) != 1:
                out.append(t)
                continue
            k, head = cuts[0]
            out += [Token(head, t.start, t.start + k), Token(w[k:], t.start + k, t.end)]
        return out

    def _head(self, part: str) -> str | None:
        """`part` as a lexicon word: itself, or the one word its abbreviation stands for
        ("rekom" → "rekomendasi"); None when it is neither."""
        if part in self._vocab:
            return part
        full = ABBREVIATIONS.get(part)
        return full if full in self._vocab else None

    def corrected(self, tokens: list[Token]) -> list[str]:
        """Each token's text as corrected towards the lexicon words (cached)."""
        return [self._correct(t.text)[0] for t in tokens]

    def find(self, tokens: list[Token]) -> list[PhraseHit]:
        """Longest matches first, then best score, then priority; no overlaps."""
        if not self._phrases:
            return []
        fixed = [self._correct(t.text) for t in tokens]
        hits: list[PhraseHit] = []
        for i in range(len(tokens)):
            for n in range(min(self._max_len, len(tokens) - i), 0, -1):
                key = tuple(w for w, _ in fixed[i : i + n])
                hit = self._phrases.get(key)
                if hit is None:
                    continue
                score = min(s for _, s in fixed[i : i + n])
                hits.append(
                    PhraseHit(
                        hit[0], tokens[i].start, tokens[i + n - 1].end, score, hit[1], i, i + n - 1
                    )
                )
        hits.sort(key=lambda h: (-(h.last_token - h.first_token), -h.score, h.priority, h.start))
        chosen: list[PhraseHit] = []
        for h in hits:
            if all(h.last_token < c.first_token or h.first_token > c.last_token for c in chosen):
                chosen.append(h)
        return sorted(chosen, key=lambda h: h.start)
