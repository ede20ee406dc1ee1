from __future__ import annotations

import pytest

from nlu.normalize import normalize, normalize_phrase
from nlu.stem import stem


def words_with_sources(text: str) -> list[tuple[str, str]]:
    norm = normalize(text)
    out = []
    for token in norm.tokens():
        start, end = norm.original_span(token.start, token.end)
        out.append((token.text, text[start:end]))
    return out


def test_whatsapp_message_is_lower_cased_and_abbreviations_expanded():
    assert (
        normalize("min sy mau legalisir ijazah syaratnya apa aja").text
        == "admin saya mau legalisir ijazah syaratnya apa saja"
    )


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("sy", "saya"),
        ("yg", "yang"),
        ("gmn", "bagaimana"),
        ("blm", "belum"),
        ("sdh", "sudah"),
        ("udh", "sudah"),
        ("tdk", "tidak"),
        ("gak", "tidak"),
        ("brp", "berapa"),
        ("dgn", "dengan"),
        ("utk", "untuk"),
        ("tlg", "tolong"),
        ("krn", "karena"),
        ("bs", "bisa"),
        ("pgn", "ingin"),
        ("mo", "mau"),
        ("mau", "mau"),
        ("tgl", "tanggal"),
        ("bsk", "besok"),
    ],
)
def test_common_abbreviations_are_expanded(typed, expected):
    assert normalize(typed).text == expected


def test_repeated_letters_are_squeezed():
    assert normalize("haloooo").text == "halo"
    assert normalize("makasiiiih kaaak").text == "terima kasih kak"


def test_double_letters_of_real_words_survive():
    assert normalize("maaf").text == "maaf"
    assert normalize("kasubbag").text == "kasubbag"


def test_digits_are_never_squeezed():
    assert normalize("PTSP-261120-1000").text == "ptsp 261120-1000"


def test_punctuation_becomes_space_but_survives_between_digits():
    assert normalize("27/11, pukul 13.30!!").text == "27/11 pukul 13.30"
    assert normalize("halo... ada orang?").text == "halo ada orang ?"


def test_repeated_question_marks_give_one_word():
    assert normalize("buka jam berapa???").text == "buka jam berapa ?"


def test_emoji_with_a_meaning_become_words_and_others_a_placeholder():
    assert normalize("ok 👍").text == "oke oke"
    assert normalize("⭐⭐⭐").text == "bintang bintang bintang"
    assert normalize("mantap 🎉").text == "mantap xemoji"


def test_apostrophes_join_the_word():
    assert normalize("Assalamu'alaikum").text == "assalamualaikum"
    assert normalize("Jum'at").text == "jumat"


def test_accents_are_folded():
    assert normalize("CAFÉ").text == "cafe"


def test_regional_phrases_are_translated():
    assert normalize("matur nuwun pak").text == "terima kasih pak"
    assert normalize("nyuwun sewu").text == "permisi"
    assert normalize("nggih").text == "iya"


def test_offsets_point_into_the_original_text():
    assert words_with_sources("Min, sy mau Legalisirrrr!") == [
        ("admin", "Min"),
        ("saya", "sy"),
        ("mau", "mau"),
        ("legalisir", "Legalisirrrr"),
    ]


def test_offsets_of_a_two_word_phrase_cover_both_words():
    assert words_with_sources("ok matur nuwun") == [
        ("oke", "ok"),
        ("terima", "matur nuwun"),
        ("kasih", "matur nuwun"),
    ]


def test_empty_and_punctuation_only_text_normalise_to_nothing():
    assert normalize("").text == ""
    assert normalize(" ... !! ").text == ""


def test_lexicon_phrases_use_the_same_normalisation():
    assert normalize_phrase("Ka. Subbag Umum") == "ka subbag umum"


@pytest.mark.parametrize(
    "word", ["membatalkan", "dibatalkan", "batalin", "pembatalan", "batalnya"]
)
def test_stemmer_joins_derived_forms(word):
    assert stem(word) == "batal"


def test_stemmer_leaves_short_words_and_placeholders_alone():
    assert stem("cek") == "cek"
    assert stem("xnomor") == "xnomor"


@pytest.mark.parametrize(("typed", "expected"), [
    ("kulo badhe ngurus surat mbenjing", "saya mau ngurus surat besok"),
    ("pinten biayanipun, kedah mbayar mboten", "berapa biayanipun harus bayar tidak"),
    ("abdi hoyong naros, tiasa isukan", "saya mau naros bisa besok"),
    ("nyuwun pirsa, sampun dugi pundi", "mau tanya sudah dugi mana"),
    ("teu acan aya wartos", "belum ada kabar"),
])
def test_javanese_and_sundanese_everyday_words_read_as_indonesian(typed, expected):
    assert normalize(typed).text == expected
