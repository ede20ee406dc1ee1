"""Property tests (hypothesis) of what reads untrusted text: the NLU's normaliser and
extractors, the catalog loader and the paper-survey import (issue 10).

Whatever a citizen types or an operator puts in a file, these never crash with anything
but their own documented error, and what they return keeps its promises: spans inside
the text, canonical values, all-or-nothing imports.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlu.entities import EntityExtractor
from nlu.lexicon import Lexicon
from nlu.normalize import normalize, normalize_phrase

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
LEXICON = Lexicon.from_files(ROOT / "config.yml", ROOT / "catalog")
EXTRACTOR = EntityExtractor(LEXICON, "Asia/Jakarta")
CODES = set(LEXICON.layanan) | {c.split(".")[0] for c in LEXICON.layanan}

# what people send: words of the domain, digits, punctuation, emoji, any Unicode
WORDS = ["legalisir", "ijazah", "bku", "nikah", "pe", "te", "es", "ptsp", "261120", "0042",
         "besok", "jam", "10", "kasi", "ka", "kan", "wil", "titik", "koma", "tanda", "tanya",
         "surat", "keterangan", "lulus", "rekom", "umrohku", "daptarin", "musholla",
         "3171011708850003", "0812-3456-7890", "+62", "sabtu", "kemarin", "?", "!!", "🙏",
         "\x00", "\u200b", "ﷺ"]
TEXTS = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(WORDS), max_size=25).map(" ".join),
    st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=6)), max_size=20).map(" ".join),
)
FAST = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])

_NOMOR = re.compile(r"^(PTSP|ADU|TMU)-\d{6}-\d{4,5}$")


@FAST
@given(TEXTS)
def test_the_normaliser_maps_every_character_back_into_the_text(text):
    norm = normalize(text)
    assert norm.text == norm.text.strip() or not norm.text.strip()
    assert len(norm.starts) == len(norm.text) == len(norm.ends)
    for s, e in zip(norm.starts, norm.ends, strict=True):
        assert 0 <= s <= e <= len(text)
    for token in norm.tokens():
        start, end = norm.original_span(token.start, token.end)
        assert 0 <= start <= end <= len(text)
    assert normalize_phrase(text) == normalize_phrase(normalize_phrase(text))  # idempotent


@FAST
@given(TEXTS)
def test_every_entity_is_a_span_of_the_text_with_a_canonical_value(text):
    found = EXTRACTOR.extract(text, NOW)
    for a, b in zip(found, found[1:], strict=False):
        assert a.start <= b.start and not a.overlaps(b)
    for f in found:
        assert 0 <= f.start < f.end <= len(text), f
        if f.entity == "nomor_registrasi":
            assert _NOMOR.match(f.value), f
        elif f.entity == "nik":
            assert re.fullmatch(r"\d{16}", f.value), f
        elif f.entity == "nomor_hp":
            assert re.fullmatch(r"\+62\d{8,13}", f.value), f
        elif f.entity == "layanan":
            assert f.value in CODES, f
        elif f.entity == "tanggal":
            datetime.fromisoformat(f.value)
        elif f.entity == "pejabat":
            assert f.value in LEXICON.jabatan or f.value in {"kasi", "kabid", "kabag",
                                                             "kasubag", "kakanwil"}, f


CELL = st.one_of(st.sampled_from(["1", "2", "3", "4", "5", "0", "", " 3 ", "x", "4.0",
                                  "2026-11-24", "legalisir", "tidak-ada", "\ufeff1"]),
                 st.text(alphabet=st.characters(blacklist_characters="\n\r"), max_size=5))


@FAST
@given(header=st.permutations([f"u{i}" for i in range(1, 10)] + ["tanggal", "layanan"]),
       rows=st.lists(st.lists(CELL, min_size=11, max_size=11), max_size=6),
       delim=st.sampled_from([",", ";"]), bom=st.booleans(), crlf=st.booleans())
def test_the_survey_import_is_all_or_nothing_with_answers_in_range(header, rows, delim,
                                                                   bom, crlf):
    from domain.skm import SKMImportError, parse_csv_skm

    nl = "\r\n" if crlf else "\n"
    text = ("\ufeff" if bom else "") + nl.join(
        delim.join(r) for r in [list(header), *rows])
    try:
        parsed = parse_csv_skm(text, layanan_dikenal=CODES)
    except SKMImportError as exc:
        assert exc.kesalahan and all(k.startswith("baris ") for k in exc.kesalahan)
        return
    assert len(parsed) <= len(rows)
    for baris in parsed:
        assert len(baris.jawaban.nilai) == 9 and all(1 <= v <= 4 for v in baris.jawaban.nilai)
        assert baris.layanan is None or baris.layanan in CODES


YAML_VALUE = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-5, 500), st.text(max_size=12)),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=8)


@settings(max_examples=60, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(key=st.sampled_from(["nama", "sinonim", "persyaratan", "biaya", "jangka_waktu",
                            "prosedur", "produk", "kode", "status", "pejabat_konfirmasi",
                            "tidak_dikenal"]),
       value=YAML_VALUE, raw=st.one_of(st.none(), st.text(max_size=80)))
def test_a_damaged_catalog_file_is_a_katalog_error_naming_the_file(key, value, raw):
    import yaml

    from bot.catalog_loader import load_katalog
    from domain.katalog import KatalogError

    tmp = Path(tempfile.mkdtemp(prefix="katalog-"))
    try:
        for f in (ROOT / "catalog").glob("*.yml"):
            shutil.copyfile(f, tmp / f.name)
        target = tmp / "legalisir.yml"
        if raw is not None:
            target.write_text(raw, encoding="utf-8")
        else:
            data = yaml.safe_load(target.read_text(encoding="utf-8"))
            data[key] = value
            target.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        jabatan = set(LEXICON.jabatan)
        try:
            katalog = load_katalog(tmp, jabatan)
        except KatalogError as exc:
            assert "legalisir" in str(exc) or "katalog" in str(exc), str(exc)
        else:
            assert katalog  # a change the schema allows still loads
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

