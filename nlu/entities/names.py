"""Service (``layanan``) and official (``pejabat``) names, from the lexicon.

Values are catalog codes and jabatan codes. A child service
(``legalisir.ijazah``) is returned only when the child itself is named; a bare
category word ("kasi", "kabid", "kasubag") gives the category when it has several
jabatan, and the jabatan when it has one ("kabag" → ``kabag_tu``).
"""

from __future__ import annotations

from nlu.deskripsi import BUKAN_LAYANAN, DESKRIPSI, JENIS_MADRASAH, OBJEK, PEMICU
from nlu.entities.found import Found
from nlu.entities.phrases import PhraseHit, PhraseMatcher
from nlu.lexicon import Lexicon
from nlu.normalize import Normalized, Token, normalize_phrase
from nlu.stem import stem

__all__ = ["EXTRACTOR", "UNNAMED_LAYANAN", "LayananExtractor", "PejabatExtractor"]

EXTRACTOR = "ptsp_lexicon"

#: Words that open many service names without telling them apart.
_LEADING_GENERIC = ("surat", "layanan", "pelayanan", "permohonan", "penerbitan", "pemberian")
#: Phrases too vague to name a service on their own.
_TOO_GENERIC = frozenset(
    {
        "surat",
        "layanan",
        "pelayanan",
        "permohonan",
        "data",
        "izin",
        "daftar",
        "jadwal",
        "tamu",
        "keterangan",
        "pengantar",
        "keputusan",
        "pengesahan",
        "tanda",
        "lembar",
    }
)
#: Services never given as a ``layanan`` entity. The guest book is one (CONTRACT: every
#: top-level code): "isi buku tamu" names it; a bare "tamu" is too common (_TOO_GENERIC).
UNNAMED_LAYANAN: frozenset[str] = frozenset()
#: Context showing that "kasi" is the informal verb "kasih", not a Kepala Seksi.
_KASIH_BEFORE = frozenset({"terima", "ngasi", "tolong", "dikasi", "dikasih", "ngasih"})
_KASIH_AFTER = frozenset(
    {
        "tau",
        "tahu",
        "info",
        "informasi",
        "liat",
        "lihat",
        "saran",
        "masukan",
        "rating",
        "nilai",
        "bintang",
        "kabar",
        "contoh",
        "link",
        "alamat",
        "jawaban",
        "solusi",
        "penjelasan",
        "kepastian",
        "nomor",
        "waktu",
        "jadwal",
        "kesempatan",
        "izin",
        "uang",
        "bukti",
    }
)
#: Category words, as typed, for the jabatan categories of config.yml.
_CATEGORY_ALIASES: dict[str, tuple[str, ...]] = {
    "kakanwil": ("kakanwil", "kepala kanwil"),
    "kabag": ("kabag", "kepala bagian", "ka bag"),
    "kasubag": (
        "kasubag",
        "kasubbag",
        "kepala subbagian",
        "kepala subbag",
        "ka subbag",
        "kasubbagian",
        "ka subag",
    ),
    "kabid": ("kabid", "kepala bidang", "ka bid"),
    "kasi": ("kasi", "kasie", "kepala seksi"),
    "pembimas": ("pembimas", "pembimbing masyarakat"),
}


def _to_found(hit: PhraseHit, norm: Normalized, entity: str) -> Found:
    start, end = norm.original_span(hit.start, hit.end)
    return Found(entity, hit.value, start, end, EXTRACTOR, hit.score)


def _layanan_phrases(layanan: dict[str, list[str]]) -> dict[str, tuple[str, int]]:
    """Phrase -> (code, priority) for every service name, synonym and safe variant.

    A child's synonym that shares no word with its parent's names ("ijazah",
    "buku nikah", "majelis taklim", "paspor haji") names a document or an object, not
    the service: "foto ijazah sudah saya kirim" is no request for ``legalisir.ijazah``.
    Such bare synonyms are left out; "legalisir ijazah", "rekom haji" and
    "daftar majelis taklim" still name the child.
    """
    phrases: dict[str, tuple[str, int]] = {}

    def add(phrase: str, code: str, priority: int) -> None:
        if phrase and phrase not in _TOO_GENERIC:
            current = phrases.get(phrase)
            if current is None or priority < current[1]:
                phrases[phrase] = (code, priority)

    normalised = {code: [normalize_phrase(n) for n in names] for code, names in layanan.items()}
    for code, names in normalised.items():
        parent = code.rpartition(".")[0]
        parent_words = {w for n in normalised.get(parent, []) for w in n.split()}
        for name in names:
            if parent and parent_words and not parent_words & set(name.split()):
                continue
            add(name, code, 0)
        if not names:
            continue
        words = names[0].split()
        while len(words) > 2 and words[0] in _LEADING_GENERIC:
            words = words[1:]
            add(" ".join(words), code, 1)
        if parent and parent in normalised and normalised[parent]:
            parent_name = normalised[parent][0].split()
            words = names[0].split()
            if words[: len(parent_name)] == parent_name and len(words) > len(parent_name):
                rest = " ".join(words[len(parent_name) :])
                for alias in normalised[parent]:
                    add(f"{alias} {rest}", code, 1)
    for code, described in DESKRIPSI.items():
        if code in layanan:
            for phrase in _with_madrasah_kinds(described):
                add(phrase, code, 1)
    return phrases


def _with_madrasah_kinds(phrases: list[str]) -> list[str]:
    out: list[str] = []
    for phrase in phrases:
        norm = normalize_phrase(phrase)
        out.append(norm)
        if "madrasah" in norm.split():
            out.extend(
                " ".join(kind if w == "madrasah" else w for w in norm.split())
                for kind in JENIS_MADRASAH
            )
    return out


#: Objects that name a child only next to the parent's own name, not a mere trigger.
_WEAK_OBJECTS = frozenset({"haji", "umrah", "umrah plus", "haji khusus"})
#: Words between a parent mention and a child object ("legalisir 2 lembar fotokopi ijazah").
_OBJECT_GAP_AFTER = 3
_OBJECT_GAP_BEFORE = 2


class _ChildObjects:
    """Turns a parent mention near an object of one of its children into that child."""

    def __init__(self, codes: set[str]) -> None:
        self.objects: dict[tuple[str, ...], tuple[str, bool]] = {}
        for child, objects in OBJEK.items():
            if child not in codes:
                continue
            for obj in objects:
                key = tuple(normalize_phrase(obj).split())
                self.objects.setdefault(key, (child, obj in _WEAK_OBJECTS))
        self.max_len = max((len(k) for k in self.objects), default=0)
        self.triggers = {
            parent: frozenset(stem(normalize_phrase(w)) for w in words)
            for parent, words in PEMICU.items()
            if parent in codes
        }

    def _objects_in(self, words: list[str], lo: int, hi: int) -> list[tuple[int, int, str, bool]]:
        found = []
        for i in range(max(lo, 0), min(hi, len(words))):
            for n in range(self.max_len, 0, -1):
                hit = self.objects.get(tuple(words[i : i + n]))
                if hit and i + n <= len(words):
                    found.append((i, i + n - 1, *hit))
                    break
        return found

    def upgrade(
        self, hits: list[PhraseHit], tokens: list[Token], words: list[str]
    ) -> list[PhraseHit]:
        """``words``: the tokens as the matcher corrected them (typos, derived forms)."""
        if not self.objects:
            return hits
        used = [(h.first_token, h.last_token) for h in hits]
        out: list[PhraseHit] = []
        for hit in hits:
            if "." in hit.value:
                out.append(hit)
                continue
            out.append(self._child_of(hit, words, tokens, used) or hit)
        claimed = [(h.first_token, h.last_token) for h in out]
        # Triggers that are no service name on their own ("surat … paspor umrah").
        for i, word in enumerate(words):
            if any(a <= i <= b for a, b in claimed):
                continue
            for parent, stems in self.triggers.items():
                if stem(word) not in stems:
                    continue
                probe = PhraseHit(parent, tokens[i].start, tokens[i].end, 0.9, 1, i, i)
                child = self._child_of(probe, words, tokens, claimed, weak=False)
                if child is not None:
                    out.append(child)
                    claimed.append((child.first_token, child.last_token))
                    break
        return sorted(out, key=lambda h: h.start)

    def _child_of(
        self,
        hit: PhraseHit,
        words: list[str],
        tokens: list[Token],
        used: list[tuple[int, int]],
        weak: bool = True,
    ) -> PhraseHit | None:
        after = self._objects_in(words, hit.last_token + 1, hit.last_token + 2 + _OBJECT_GAP_AFTER)
        before = self._objects_in(
            words, hit.first_token - _OBJECT_GAP_BEFORE - 2, hit.first_token
        )
        before = [b for b in before if b[1] < hit.first_token]
        for first, last, child, is_weak in [*after, *reversed(before)]:
            if child.rpartition(".")[0] != hit.value or (is_weak and not weak):
                continue
            if any(
                (a, b) != (hit.first_token, hit.last_token) and a <= last and first <= b
                for a, b in used
            ):
                continue
            lo, hi = min(first, hit.first_token), max(last, hit.last_token)
            between = range(lo, hi + 1)
            if any(
                (a, b) != (hit.first_token, hit.last_token) and any(a <= k <= b for k in between)
                for a, b in used
            ):
                continue
            return PhraseHit(
                child, tokens[lo].start, tokens[hi].end, hit.score, hit.priority, lo, hi
            )
        return None


_BUKAN = {code: frozenset(words) for code, words in BUKAN_LAYANAN.items()}


def _bukan_layanan(hit: PhraseHit, words: list[str]) -> bool:
    """The service's name begins another institution's paper ("surat keterangan lulus")."""
    after = hit.last_token + 1
    return after < len(words) and words[after] in _BUKAN.get(hit.value, ())


class LayananExtractor:
    """Catalog services by name or synonym, typo-tolerant."""

    def __init__(self, lexicon: Lexicon, exclude: frozenset[str] = UNNAMED_LAYANAN) -> None:
        names = {c: n for c, n in lexicon.layanan.items() if c.split(".")[0] not in exclude}
        self._matcher = PhraseMatcher(_layanan_phrases(names), stems=True)
        self._children = _ChildObjects(set(names))

    def find(self, norm: Normalized) -> list[Found]:
        tokens = self._matcher.split_glued(norm.tokens())
        words = self._matcher.corrected(tokens)
        hits = [h for h in self._matcher.find(tokens) if not _bukan_layanan(h, words)]
        hits = self._children.upgrade(hits, tokens, words)
        merged: list[PhraseHit] = []
        for hit in hits:
            prev = merged[-1] if merged else None
            if (
                prev is not None
                and prev.last_token + 1 == hit.first_token
                and hit.value.startswith(prev.value + ".")
            ):
                merged[-1] = PhraseHit(
                    hit.value,
                    prev.start,
                    hit.end,
                    min(prev.score, hit.score),
                    hit.priority,
                    prev.first_token,
                    hit.last_token,
                )
                continue
            merged.append(hit)
        # A name and its description side by side ("data keagamaan jumlah madrasah")
        # are one request: each service once per message.
        # A child named anywhere in the message is the request; its parent's name
        # beside it says the same ("surat rekomendasi … paspor haji"): the child alone.
        named_parents = {h.value.rpartition(".")[0] for h in merged if "." in h.value}
        seen: set[str] = set()
        unique = []
        for hit in merged:
            if hit.value not in seen and hit.value not in named_parents:
                seen.add(hit.value)
                unique.append(hit)
        return [_to_found(h, norm, "layanan") for h in unique]


#: How voice-to-text (and hurried thumbs) write the first word of a title: "kasih
#: kurikulum", "kabak tu", "kabit haji". Used only before the rest of a jabatan name,
#: never alone ("kasih" alone is the verb).
_MISHEARD_HEAD: dict[str, tuple[str, ...]] = {
    "kasi": ("kasih", "kasie", "kasii", "kase", "kepala seksi", "ka seksi"),
    "kabag": ("kabak", "kabah", "kepala bagian", "ka bag"),
    "kabid": ("kabit", "kapid", "kabit", "kepala bidang", "ka bid"),
    "kasubag": ("kasubak", "kasubbag", "kasub bag", "kasubag", "kasubbak", "kepala subbagian"),
    "kakanwil": ("kaka wil", "kakan wil", "kaka kanwil", "kakan wilayah"),
}
#: Misheard category words that are safe alone (no common word sounds like them).
_MISHEARD_CATEGORY: dict[str, tuple[str, ...]] = {
    "kabag": ("kabak",),
    "kabid": ("kabit", "kapid"),
    "kakanwil": ("kaka wil", "kakan wil", "kaka kanwil", "kakanwi", "kakanwel", "ka kan wil",
                 "ka kanwil"),
    "kasubag": ("kasubak", "kasubbak"),
}


def _misheard(phrase: str) -> list[str]:
    words = phrase.split()
    if len(words) < 2:
        return []
    out = []
    for head, variants in _MISHEARD_HEAD.items():
        if words[0] == head:
            out.extend(normalize_phrase(f"{v} {' '.join(words[1:])}") for v in variants)
    return out


def _pejabat_phrases(lexicon: Lexicon) -> dict[str, tuple[str, int]]:
    phrases: dict[str, tuple[str, int]] = {}
    for code, (_kategori, names) in lexicon.jabatan.items():
        for name in [code.replace("_", " "), *names]:
            phrase = normalize_phrase(name)
            if phrase and phrase not in phrases:
                phrases[phrase] = (code, 0)
    for code, (_kategori, names) in lexicon.jabatan.items():
        for name in [code.replace("_", " "), *names]:
            for variant in _misheard(normalize_phrase(name)):
                if variant not in phrases:
                    phrases[variant] = (code, 1)
    for kategori, codes in lexicon.kategori().items():
        value = codes[0] if len(codes) == 1 else kategori
        aliases = (
            kategori,
            *_CATEGORY_ALIASES.get(kategori, ()),
            *_MISHEARD_CATEGORY.get(kategori, ()),
        )
        for alias in aliases:
            phrase = normalize_phrase(alias)
            if phrase and phrase not in phrases:
                phrases[phrase] = (value, 2)
    return phrases


class PejabatExtractor:
    """Officials by jabatan name, synonym or bare category word."""

    def __init__(self, lexicon: Lexicon) -> None:
        self._matcher = PhraseMatcher(_pejabat_phrases(lexicon), protected=frozenset({"kasih"}))

    def find(self, norm: Normalized) -> list[Found]:
        tokens = norm.tokens()
        words = [t.text for t in tokens]
        return [
            _to_found(h, norm, "pejabat")
            for h in self._matcher.find(tokens)
            if not _is_kasih(h, words)
        ]


def _is_kasih(hit: PhraseHit, words: list[str]) -> bool:
    """A bare "kasi" that is the verb "kasih" (give): "kasi tau", "terima kasi"."""
    before = words[hit.first_token - 1] if hit.first_token > 0 else ""
    if words[hit.first_token] in ("kasih", "kasi", "kase") and before in _KASIH_BEFORE:
        return True  # "terima kasih kurikulumnya", "tolong kasih kurikulum …"
    if hit.first_token != hit.last_token or words[hit.first_token] != "kasi":
        return False
    after = words[hit.last_token + 1] if hit.last_token + 1 < len(words) else ""
    return before in _KASIH_BEFORE or after in _KASIH_AFTER
