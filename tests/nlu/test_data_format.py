"""Format checks for the NLU training data (nlu/data/*.yml) and the held-out set.

The files are Rasa 3.x YAML (``version: "3.1"``). These tests only read the files
with PyYAML; they never train or load a model, so they run in well under a second.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = ROOT / "nlu" / "data"
HELDOUT = ROOT / "tests" / "nlu" / "heldout.yml"

INTENTS = [
    "salam",
    "bantuan",
    "daftar",
    "ajukan_permohonan",
    "kirim_dokumen",
    "cek_status",
    "pengaduan",
    "tanya_persyaratan",
    "tanya_biaya",
    "tanya_waktu",
    "tanya_jam_layanan",
    "tanya_lokasi",
    "ambil_antrian",
    "daftar_tamu",
    "isi_survei",
    "bicara_petugas",
    "batal",
    "setuju",
    "tolak",
    "terima_kasih",
    "di_luar_topik",
]
MIN_TRAIN_EXAMPLES = 40
MIN_HELDOUT_EXAMPLES = 10

ENTITIES = {"nomor_registrasi", "nik", "nomor_hp", "layanan", "pejabat", "tanggal"}

LAYANAN_TOP = {
    "audiensi",
    "legalisir",
    "surat_rekomendasi",
    "surat_keterangan",
    "surat_izin",
    "narasumber",
    "data_keagamaan",
    "surat_keputusan",
    "surat_pengantar",
    "tanda_daftar",
    "jadwal_sholat",
    "lembar_pengesahan",
    "tamu",
}
LAYANAN_CHILD = {
    "surat_rekomendasi.paspor_umrah",
    "surat_rekomendasi.paspor_haji",
    "legalisir.ijazah",
    "legalisir.buku_nikah",
    "surat_keterangan.pindah_madrasah",
    "surat_izin.pendirian_madrasah",
    "tanda_daftar.majelis_taklim",
    "tanda_daftar.rumah_ibadah",
}
LAYANAN = LAYANAN_TOP | LAYANAN_CHILD

PEJABAT_CODES = {
    "kakanwil",
    "kabag_tu",
    "kasubag_umum",
    "kasubag_perencanaan",
    "kasubag_kepegawaian",
    "kasubag_hukum_kub",
    "kabid_pendma",
    "kabid_phu",
    "kabid_bimas_islam",
    "kasi_kurikulum",
    "kasi_kelembagaan",
    "kasi_pendaftaran_haji",
    "kasi_umrah",
    "kasi_kepenghuluan",
    "kasi_kemasjidan",
    "pembimas_kristen",
    "pembimas_katolik",
    "pembimas_hindu",
    "pembimas_buddha",
}
# A bare category word ("kasi", "kabid", "kasubag", "pembimas") gives the category;
# a bare "kabag" is kabag_tu (there is only one).
PEJABAT_CATEGORIES = {"kasi", "kabid", "kasubag", "pembimas"}
PEJABAT = PEJABAT_CODES | PEJABAT_CATEGORIES

# Dates in the data are resolved against this reference time.
REFERENCE = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
TANGGAL_COMMENT = "# tanggal values are relative to 2026-11-24T09:00:00+07:00 (Tuesday)"

NIK_PROVINCES = (
    set(range(11, 20))
    | {21}
    | set(range(31, 37))
    | set(range(51, 54))
    | set(range(61, 66))
    | set(range(71, 77))
    | {81, 82}
    | set(range(91, 97))
)

ANNOTATION = re.compile(
    r"\[(?P<text>[^\[\]]+)\]"
    r"(?:\((?P<short>[^()]*)\)|\{(?P<json>[^{}]*)\})"
)


# --------------------------------------------------------------------------- parsing


class FormatError(ValueError):
    pass


def parse_example(line: str) -> tuple[str, list[dict]]:
    """Return the plain text and the entities of one annotated example."""
    plain: list[str] = []
    entities: list[dict] = []
    pos = 0
    length = 0
    for m in ANNOTATION.finditer(line):
        before = line[pos : m.start()]
        plain.append(before)
        length += len(before)
        surface = m.group("text")
        if surface != surface.strip() or not surface.strip():
            raise FormatError(f"entity text with outer spaces or empty: {m.group(0)!r}")
        if m.group("short") is not None:
            name = m.group("short")
            if ":" in name or name != name.strip():
                raise FormatError(f"use the JSON form for values: {m.group(0)!r}")
            value = surface
        else:
            try:
                obj = json.loads("{" + m.group("json") + "}")
            except json.JSONDecodeError as exc:
                raise FormatError(f"bad JSON in {m.group(0)!r}: {exc}") from exc
            if set(obj) != {"entity", "value"}:
                raise FormatError(f"JSON must have exactly entity and value: {m.group(0)!r}")
            name, value = obj["entity"], obj["value"]
            if not isinstance(value, str) or not value:
                raise FormatError(f"value must be a non-empty string: {m.group(0)!r}")
        entities.append(
            {"entity": name, "value": value, "text": surface, "start": length,
             "end": length + len(surface)}
        )
        plain.append(surface)
        length += len(surface)
        pos = m.end()
    plain.append(line[pos:])
    text = "".join(plain)
    for ch in "[]{}":
        if ch in text:
            raise FormatError(f"stray {ch!r} (broken annotation?) in {line!r}")
    if not text.strip():
        raise FormatError(f"empty example: {line!r}")
    return text, entities


def _examples_block(block: str, where: str) -> list[str]:
    lines = []
    for raw in block.splitlines():
        if not raw.strip():
            continue
        if not raw.startswith("- "):
            raise FormatError(f"{where}: example line must start with '- ': {raw!r}")
        example = raw[2:]
        if example != example.strip():
            raise FormatError(f"{where}: example with outer whitespace: {raw!r}")
        if not example:
            raise FormatError(f"{where}: empty example")
        lines.append(example)
    return lines


def load_file(path: Path) -> list[tuple[str, str, list[dict], str]]:
    """(intent, plain text, entities, raw line) for every example in a Rasa NLU file."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(doc, dict), f"{path}: top level must be a mapping"
    assert doc.get("version") == "3.1", f'{path}: version must be the string "3.1"'
    extra = set(doc) - {"version", "nlu"}
    assert not extra, f"{path}: unexpected keys {extra}"
    items = doc.get("nlu")
    assert isinstance(items, list) and items, f"{path}: nlu must be a non-empty list"
    out = []
    for item in items:
        assert isinstance(item, dict), f"{path}: every nlu item must be a mapping"
        assert set(item) == {"intent", "examples"}, \
            f"{path}: item keys must be intent and examples: {item!r:.120}"
        intent = item["intent"]
        assert intent in INTENTS, f"{path}: unknown intent {intent!r}"
        block = item["examples"]
        assert isinstance(block, str), \
            f"{path}: {intent}: examples must be a block string (examples: |)"
        for line in _examples_block(block, f"{path.name}:{intent}"):
            text, ents = parse_example(line)
            out.append((intent, text, ents, line))
    return out


def norm(text: str) -> str:
    return " ".join(text.lower().split())


# ------------------------------------------------------------------ value checks


def _valid_date(yy: int, mm: int, dd: int) -> bool:
    try:
        dt.date(2000 + yy, mm, dd)
    except ValueError:
        return False
    return True


def nomor_from_text(text: str) -> str | None:
    m = re.fullmatch(r"(?i)(ptsp|adu|tmu)[\s\-./_]*(\d{6})[\s\-./_]*(\d{1,5})", text.strip())
    if not m:
        return None
    return f"{m.group(1).upper()}-{m.group(2)}-{m.group(3).zfill(4)}"


def check_nomor_registrasi(value: str, text: str) -> str | None:
    m = re.fullmatch(r"(PTSP|ADU|TMU)-(\d{2})(\d{2})(\d{2})-(\d{4,5})", value)
    if not m:
        return "not PTSP|ADU|TMU-YYMMDD-NNNN"
    yy, mm, dd = int(m.group(2)), int(m.group(3)), int(m.group(4))
    if not _valid_date(yy, mm, dd):
        return "YYMMDD is not a real date"
    if int(m.group(5)) == 0:
        return "sequence 0000"
    if len(m.group(5)) == 5 and m.group(5).startswith("0"):
        return "5-digit sequence with a leading zero"
    if nomor_from_text(text) != value:
        return f"text {text!r} does not normalise to the value"
    return None


def check_nik(value: str, text: str) -> str | None:
    if not re.fullmatch(r"\d{16}", value):
        return "not 16 digits"
    if re.sub(r"\D", "", text) != value:
        return f"digits of {text!r} differ from the value"
    if int(value[0:2]) not in NIK_PROVINCES:
        return "unknown province code"
    if value[2:4] == "00" or value[4:6] == "00":
        return "kabupaten/kecamatan code 00"
    day, month, year = int(value[6:8]), int(value[8:10]), int(value[10:12])
    if day > 40:
        day -= 40
    if not _valid_date(year, month, day):
        return "birth date not a real date"
    if value[12:16] == "0000":
        return "serial 0000"
    return None


def check_nomor_hp(value: str, text: str) -> str | None:
    if not re.fullmatch(r"\+628[1-9]\d{7,10}", value):
        return "not an E.164 Indonesian mobile number (+628…)"
    digits = re.sub(r"\D", "", text)
    if digits.startswith("620"):
        digits = "62" + digits[3:]
    elif digits.startswith("0"):
        digits = "62" + digits[1:]
    if "+" + digits != value:
        return f"text {text!r} does not normalise to the value"
    return None


def check_tanggal(value: str, text: str) -> str | None:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            return "not a real date"
        if day < REFERENCE.date():
            return "before the reference date"
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00", value):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return "not a real datetime"
        if moment < REFERENCE:
            return "before the reference time"
        return None
    return "not YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+07:00"


def check_layanan(value: str, text: str) -> str | None:
    return None if value in LAYANAN else "not a catalog code"


def check_pejabat(value: str, text: str) -> str | None:
    return None if value in PEJABAT else "not a jabatan code or category"


CHECKS = {
    "nomor_registrasi": check_nomor_registrasi,
    "nik": check_nik,
    "nomor_hp": check_nomor_hp,
    "tanggal": check_tanggal,
    "layanan": check_layanan,
    "pejabat": check_pejabat,
}


def entity_problems(path: Path, rows) -> list[str]:
    problems = []
    for intent, text, ents, line in rows:
        last_end = -1
        for e in ents:
            if e["entity"] not in ENTITIES:
                problems.append(
                    f"{path.name}: {intent}: unknown entity {e['entity']!r} in {line!r}")
                continue
            if e["start"] < last_end:
                problems.append(f"{path.name}: overlapping entities in {line!r}")
            last_end = e["end"]
            # entity spans should sit on word boundaries
            if e["start"] > 0 and text[e["start"] - 1].isalnum():
                problems.append(f"{path.name}: entity starts inside a word in {line!r}")
            if e["end"] < len(text) and text[e["end"]].isalnum():
                problems.append(f"{path.name}: entity ends inside a word in {line!r}")
            why = CHECKS[e["entity"]](e["value"], e["text"])
            if why:
                problems.append(f"{path.name}: {intent}: {e['entity']}={e['value']!r} "
                                f"({why}) in {line!r}")
    return problems


# ------------------------------------------------------------------------- fixtures


def data_files() -> list[Path]:
    return sorted(DATA_DIR.glob("*.yml"))


@pytest.fixture(scope="module")
def training():
    files = data_files()
    assert files, f"no training files in {DATA_DIR}"
    return {path: load_file(path) for path in files}


@pytest.fixture(scope="module")
def heldout():
    assert HELDOUT.exists(), f"{HELDOUT} missing"
    return load_file(HELDOUT)


# ---------------------------------------------------------------------------- tests


def test_training_files_are_split_by_theme():
    assert len(data_files()) >= 3


@pytest.mark.parametrize("path", data_files(), ids=lambda p: p.name)
def test_training_file_format(path):
    load_file(path)  # raises on any format problem


def test_every_intent_has_enough_training_examples(training):
    counts = Counter(intent for rows in training.values() for intent, *_ in rows)
    missing = [i for i in INTENTS if counts[i] < MIN_TRAIN_EXAMPLES]
    assert not missing, {i: counts[i] for i in missing}


def test_each_intent_lives_in_one_file(training):
    where = defaultdict(set)
    for path, rows in training.items():
        for intent, *_ in rows:
            where[intent].add(path.name)
    split = {i: sorted(f) for i, f in where.items() if len(f) > 1}
    assert not split, split


def test_training_entities_are_valid(training):
    problems = [p for path, rows in training.items() for p in entity_problems(path, rows)]
    assert not problems, "\n".join(problems)


def test_no_duplicate_or_conflicting_training_examples(training):
    # The same text twice is a copy-paste slip; the same text (ignoring case and
    # spacing) under two intents is a labelling conflict. An ALL-CAPS variant of an
    # example under the same intent is allowed on purpose.
    exact = Counter(text for rows in training.values() for _, text, _, _ in rows)
    problems = [f"{text!r} appears {n} times" for text, n in exact.items() if n > 1]
    seen: dict[str, str] = {}
    for rows in training.values():
        for intent, text, _, _ in rows:
            key = norm(text)
            if key in seen and seen[key] != intent:
                problems.append(f"{text!r}: {seen[key]} and {intent}")
            seen.setdefault(key, intent)
    assert not problems, "\n".join(problems)


def test_files_with_dates_carry_the_reference_comment(training):
    paths = list(training) + [HELDOUT]
    for path in paths:
        raw = path.read_text(encoding="utf-8")
        if '"tanggal"' in raw:
            assert TANGGAL_COMMENT in raw.splitlines()[:5], \
                f"{path.name}: add the reference-time comment"


def test_heldout_format_and_coverage(heldout):
    counts = Counter(intent for intent, *_ in heldout)
    missing = [i for i in INTENTS if counts[i] < MIN_HELDOUT_EXAMPLES]
    assert not missing, {i: counts[i] for i in missing}


def test_heldout_entities_are_valid(heldout):
    problems = entity_problems(HELDOUT, heldout)
    assert not problems, "\n".join(problems)


def test_heldout_has_no_duplicates(heldout):
    counts = Counter(norm(text) for _, text, _, _ in heldout)
    dupes = [t for t, n in counts.items() if n > 1]
    assert not dupes, dupes


def test_heldout_never_seen_in_training(training, heldout):
    train_texts = {norm(text) for rows in training.values() for _, text, _, _ in rows}
    leaked = [text for _, text, _, _ in heldout if norm(text) in train_texts]
    assert not leaked, leaked


def test_parser_rejects_broken_annotations():
    for bad in [
        "cek [PTSP-261120-0042(nomor_registrasi)",
        'cek [ptsp 261120 42]{"entity": "nomor_registrasi" "value": "x"}',
        "cek [ptsp 261120 42](nomor_registrasi:PTSP-261120-0042)",
        'mau [legalisir]{"entity": "layanan"}',
    ]:
        with pytest.raises(FormatError):
            parse_example(bad)
    text, ents = parse_example(
        'gmn kabar [ptsp 261120 42]{"entity": "nomor_registrasi", "value": "PTSP-261120-0042"} ya'
    )
    assert text == "gmn kabar ptsp 261120 42 ya"
    assert ents[0]["start"] == 10 and ents[0]["end"] == 24
    assert check_nomor_registrasi(ents[0]["value"], ents[0]["text"]) is None
    assert check_nik("3171011708850003", "3171 0117 0885 0003") is None
    assert check_nik("6171015708900001", "6171015708900001") is None
    assert check_nik("3171013208850003", "3171013208850003") is not None  # day 32
    assert check_nomor_hp("+6281234567890", "0812-3456-7890") is None
    assert check_nomor_hp("+6281234567890", "+62 0812 3456 7890") is None
