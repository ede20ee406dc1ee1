"""Service (``layanan``) and official (``pejabat``) names, from the lexicon.

Values are catalog codes and jabatan codes. A child service
(``legalisir.ijazah``) is returned only when the child itself is named; a bare
category word ("kasi", "kabid", "kasubag") gives the category when it has several
jabatan, and the jabatan when it has one ("kabag" → ``kabag_tu``).
"""

from __future__ import annotations

from nlu.entities.found import Found
from nlu.entities.phrases import PhraseHit, PhraseMatcher
from nlu.lexicon import Lexicon
from nlu.normalize import Normalized, normalize_phrase

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
#: Services never given as a ``layanan`` entity: the guest book is its own intent
#: (``daftar_tamu``), so "isi buku tamu" needs no entity and "tamu" is too common.
UNNAMED_LAYANAN = frozenset({"tamu"})
#: Context showing that "kasi" is the informal verb "kasih", not a Kepala Seksi.
_KASIH_BEFORE = frozenset({"terima", "ngasi", "tolong", "dikasi"})
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
    return phrases


class LayananExtractor:
    """Catalog services by name or synonym, typo-tolerant."""

    def __init__(self, lexicon: Lexicon, exclude: frozenset[str] = UNNAMED_LAYANAN) -> None:
        names = {c: n for c, n in lexicon.layanan.items() if c.split(".")[0] not in exclude}
        self._matcher = PhraseMatcher(_layanan_phrases(names))

    def find(self, norm: Normalized) -> list[Found]:
        hits = self._matcher.find(norm.tokens())
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
        return [_to_found(h, norm, "layanan") for h in merged]


def _pejabat_phrases(lexicon: Lexicon) -> dict[str, tuple[str, int]]:
    phrases: dict[str, tuple[str, int]] = {}
    for code, (_kategori, names) in lexicon.jabatan.items():
        for name in [code.replace("_", " "), *names]:
            phrase = normalize_phrase(name)
            if phrase and phrase not in phrases:
                phrases[phrase] = (code, 0)
    for kategori, codes in lexicon.kategori().items():
        value = codes[0] if len(codes) == 1 else kategori
        for alias in (kategori, *_CATEGORY_ALIASES.get(kategori, ())):
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
    if hit.first_token != hit.last_token or words[hit.first_token] != "kasi":
        return False
    before = words[hit.first_token - 1] if hit.first_token > 0 else ""
    after = words[hit.last_token + 1] if hit.last_token + 1 < len(words) else ""
    return before in _KASIH_BEFORE or after in _KASIH_AFTER
