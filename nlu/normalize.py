"""Text normalisation for informal WhatsApp Indonesian, shared by training and parsing.

``normalize("Min sy mau legalisir ijazah, syaratnya apa aja??")`` gives
``"admin saya mau legalisir ijazah syaratnya apa saja ?"`` together with a map from
every normalised character back to its span in the original text, so entities found
in the normalised text are reported with offsets into what the citizen typed.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from nlu.abbreviations import ABBREVIATIONS, EMOJI, OTHER_EMOJI, PHRASES
from nlu.regional import ACRONYMS, DROP, LETTER_NAMES, SPOKEN_PUNCTUATION, TITIK_KEEP_AFTER

__all__ = ["Normalized", "Token", "normalize", "normalize_phrase"]

_APOSTROPHES = frozenset("'`´‘’ʼ")
#: Kept between two digits ("27/11", "13.30", "10:00", "1,5"), a space elsewhere.
_DIGIT_JOINERS = frozenset("/:.,-")
_PHRASE_LENGTHS = sorted({len(p.split()) for p in PHRASES}, reverse=True)
_MAX_ACRONYM = max(len(a) for a in ACRONYMS)


@dataclass(frozen=True, slots=True)
class Token:
    """A word of the normalised text with its span there (not in the original)."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Normalized:
    """A normalised text and, per character, the span it came from in ``original``."""

    original: str
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a ``[start, end)`` span of the normalised text to the original text."""
        if end <= start:
            pos = self.starts[start] if start < len(self.starts) else len(self.original)
            return pos, pos
        return self.starts[start], self.ends[end - 1]

    def tokens(self) -> list[Token]:
        """Split on spaces, keeping each word's position in the normalised text."""
        out: list[Token] = []
        pos = 0
        for word in self.text.split(" "):
            if word:
                out.append(Token(word, pos, pos + len(word)))
            pos += len(word) + 1
        return out


def _is_digit(text: str, i: int) -> bool:
    return 0 <= i < len(text) and text[i].isdigit()


def _char_units(text: str) -> list[tuple[str, int, int]]:
    """Lower-case, fold accents, map emoji and punctuation; one unit per output char."""
    units: list[tuple[str, int, int]] = []
    for i, ch in enumerate(text):
        if ch in _APOSTROPHES:
            continue
        if ch in EMOJI:
            units.extend((c, i, i + 1) for c in f" {EMOJI[ch]} ")
            continue
        if ch in _DIGIT_JOINERS and _is_digit(text, i - 1) and _is_digit(text, i + 1):
            units.append((ch, i, i + 1))
            continue
        if ch == "?":
            if not any(u[0] == "?" for u in units[-2:]):
                units.extend((c, i, i + 1) for c in " ? ")
            continue
        if unicodedata.category(ch) == "So":
            units.extend((c, i, i + 1) for c in f" {OTHER_EMOJI} ")
            continue
        folded = "".join(
            c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)
        ).lower()
        for c in folded:
            units.append((c if c.isalnum() else " ", i, i + 1))
    return units


def _squeeze(units: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Squeeze runs of 3+ equal letters to one ("haloooo" → "halo") and of spaces."""
    out: list[tuple[str, int, int]] = []
    i = 0
    while i < len(units):
        ch = units[i][0]
        j = i
        while j + 1 < len(units) and units[j + 1][0] == ch:
            j += 1
        run = j - i + 1
        if ch == " " or (ch.isalpha() and run >= 3):
            if not (ch == " " and (not out or out[-1][0] == " ")):
                out.append((ch, units[i][1], units[j][2]))
        else:
            out.extend(units[i : j + 1])
        i = j + 1
    while out and out[-1][0] == " ":
        out.pop()
    return out


def _words(units: list[tuple[str, int, int]]) -> list[list[tuple[str, int, int]]]:
    words: list[list[tuple[str, int, int]]] = [[]]
    for unit in units:
        if unit[0] == " ":
            if words[-1]:
                words.append([])
        else:
            words[-1].append(unit)
    return [w for w in words if w]


def normalize(text: str) -> Normalized:
    """Normalise a message: case, accents, repeated letters, abbreviations, punctuation.

    Emoji with a clear meaning become words (👍 → "oke"), others a space; ``?`` is a
    word of its own; ``/ : . , -`` survive only between digits. WhatsApp abbreviations
    and regional words (sy, yg, gmn, blm, gak, brp, tlg, nggih, matur nuwun, …) are
    replaced by their standard Indonesian form, two-word phrases first.
    """
    words = _words(_squeeze(_char_units(text)))
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []

    def emit(piece: str, span: list[tuple[str, int, int]], keep: bool) -> None:
        if chars:
            chars.append(" ")
            starts.append(span[0][1])
            ends.append(span[0][1])
        if keep:
            for ch, s, e in span:
                chars.append(ch)
                starts.append(s)
                ends.append(e)
        else:
            chars.extend(piece)
            starts.extend([span[0][1]] * len(piece))
            ends.extend([span[-1][2]] * len(piece))

    texts = ["".join(u[0] for u in w) for w in words]
    i = 0
    while i < len(words):
        n, piece = _phrase_at(texts, i)
        if n:
            if piece:
                emit(piece, [u for w in words[i : i + n] for u in w], keep=False)
            i += n
            continue
        word = texts[i]
        if word in DROP or (
            word in SPOKEN_PUNCTUATION
            and (i + 1 >= len(texts) or texts[i + 1] not in TITIK_KEEP_AFTER)
        ):
            i += 1
            continue
        expansion = ABBREVIATIONS.get(word) or _suffix_variant(word)
        emit(expansion or word, words[i], keep=expansion is None)
        i += 1
    return Normalized(text, "".join(chars), tuple(starts), tuple(ends))


def _phrase_at(texts: list[str], i: int) -> tuple[int, str]:
    """A spelled acronym ("pe te es pe") or a known 2–3 word phrase starting at word i."""
    letters = ""
    best = (0, "")
    for j in range(i, min(len(texts), i + _MAX_ACRONYM)):
        letter = LETTER_NAMES.get(texts[j])
        if letter is None:
            break
        letters += letter
        if j > i and letters in ACRONYMS:
            best = (j - i + 1, letters)
    if best[0]:
        return best
    for n in _PHRASE_LENGTHS:
        if i + n <= len(texts):
            phrase = " ".join(texts[i : i + n])
            if phrase in PHRASES:
                return n, PHRASES[phrase]
    return 0, ""


def _suffix_variant(word: str) -> str | None:
    """Betawi/Malay -nye and Minang -nyo for -nya ("syaratnye", "biayonyo")."""
    if len(word) >= 6 and word.isalpha() and word.endswith(("nye", "nyo")):
        base = word[:-3]
        return ABBREVIATIONS.get(base, base) + "nya"
    return None


def normalize_phrase(text: str) -> str:
    """Normalise a lexicon name or synonym the same way messages are normalised."""
    return normalize(text).text
