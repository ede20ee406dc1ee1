"""Everyday words of the archipelago's languages and voice-to-text artefacts.

Citizens write WhatsApp Indonesian mixed with their own language: Minang ("ambo
nio baa caro urus"), Banjar ("ulun handak betakun"), Batak ("horas lae"), Acehnese
("teurimong geunaseh"), Manado and Ternate ("kita pe berkas so selesai?", "nyanda"),
Ambon, Kupang and Papuan Malay ("beta su kirim", "sa mau pi kantor", "danke"),
Bugis-Makassar particles ("bisa ji", "tabe"), Betawi ("aye mau nanya, syaratnye ape
aje?"), Palembang ("cak mano"), Pontianak Malay ("macam mane"), Sasak and Balinese,
Javanese and Sundanese (those live in ``nlu.abbreviations``). The normaliser maps them
to standard Indonesian so one training example covers every region.

Choices:

- Only words whose meaning in the office's chats is clear are mapped; a word that is
  also a standard Indonesian word with another common meaning is left out, and so are
  the jabatan and catalog words ("kasi", "tu", "ka", "mi", "ma").
- Pure particles ("ji", "ki", "kah" as a word, "kodong") carry no meaning for the
  office and are dropped (``DROP``).
- Weekday names of the regional calendars become the Indonesian day ("rebo" → "rabu",
  "kemis" → "kamis"), relative days their Indonesian word ("sesuk", "bisuak",
  "baisuk" → "besok"), so the date extractor needs no regional knowledge.
- Voice-to-text spells punctuation ("titik", "koma", "tanda tanya") and acronyms
  ("pe te es pe", "ka u a"); ``SPOKEN_PUNCTUATION`` and ``ACRONYMS`` undo that.
"""

from __future__ import annotations

__all__ = [
    "ACRONYMS",
    "DROP",
    "LETTER_NAMES",
    "REGIONAL_GROUPS",
    "REGIONAL_PHRASES",
    "SPOKEN_PUNCTUATION",
    "TITIK_KEEP_AFTER",
]

#: canonical Indonesian word -> space-separated regional variants (already lower-case,
#: without apostrophes, runs of 3+ equal letters squeezed).
REGIONAL_GROUPS: dict[str, str] = {
    # pronouns
    "saya": (
        "ambo awak ulun beta sa sy aku aye ane ana lon ulon tiang titiang ogut inyong"
        " kame kamek sayo"
    ),
    "kamu": "ngana ko ente kau lu lo pian ikam kitak side droneuh ngoni kalian",
    "kami": "katong torang kamong kito",
    "mereka": "dorang",
    # negation and aspect
    "tidak": (
        "nyanda nda ndak ndag seng sonde son tra tara trada tida hana kada dak ndek"
        " ndang tena indak nggak tak kagak kaga kage"
    ),
    "bukan": "bukang",
    "sudah": "so su alah sadah geus wes uwes wis udah",
    "belum": "balun alun balom blom beloman durung blum blon blm",
    # question words
    "apa": "apo ape aha peu napi apaan",
    "bagaimana": "baa bagaimano bagimana bagemana gimane kenken berembe boha pripun piye kumaha",
    "berapa": "bara barapa berapo berape piga padum pire sabarapa brape",
    "kapan": "bilo bile pabila piran bilokah",
    "dimana": "dimano dimane dija dimna dimanakah dmn",
    "mana": "mano mane",
    "siapa": "sapo sape",
    "kenapa": "mangapo ngapo kenape nape",
    # verbs and everyday words
    "mau": "nio nak handak hendak mao",
    "bisa": "pacak kawa jeut iso isa dapek",
    "boleh": "buleh bulih",
    "ada": "ado ade wonten",
    "cara": "caro carana",
    "urus": "urui uruih",
    "tutup": "tutuik tutok",
    "buka": "bukak",
    "kantor": "kantua kantur",
    "orang": "urang wong",
    "selesai": "salasai tuntung rampung baresan kelar",
    "lama": "lamo lawas",
    "biasanya": "biasonyo biasonya biasane biasana",
    "untuk": "untuak par",
    "bayar": "bayia bayie",
    "ini": "iko ieu nyoe",
    "itu": "itu nyan eta",
    "sini": "siko dieu sinih",
    "syarat": "syaraik sarat saraik",
    "surat": "surek",
    "uang": "pitih duit",
    "minta": "mintak njaluk menta mintaq",
    "tanya": "batanya batakun betakun takon nakon tanyo batanyo",
    "punya": "pe pung punyo",
    "pergi": "pi pigi pegi pai",
    "datang": "datang dateng tibo",
    "dengan": "deng jo",
    "dari": "dri ti",
    "juga": "jua jugo",
    "lagi": "agi",
    "sekali": "nian bana pisan",
    "saja": "wae bae je sajo aje aja",
    "dulu": "dolo dulu heula",
    "sekarang": "kini wayahini jani sakarang",
    "nanti": "kagek",
    "kak": "kaka lae ito daeng bli bung abang bang usi nyong",
    "terima kasih": "mauliate danke makase makaseh tengkiu makasi tampiasih tampiaseh",
    "permisi": "tabe tabea tabik punten",
    "halo": "horas",
    "selamat": "wilujeng sugeng rahajeng slamat salamaik",
    "pukul": "pukua",
    "ambil": "jupuk ambiak",
    "antri": "antre",
    "kirim": "kirem kiring",
    "harus": "musti mesti",
    "besok": "bisuak baisuk isuak besuk ngesuk singoh ammuko marsogot sogot beso",
    "minggu": "akaik",
    "senin": "senen sinayan sanayan soma",
    "selasa": "salasa seulasa anggara",
    "rabu": "rebo rabaa arba",
    "kamis": "kemis kamih hamih",
    "jumat": "jemuah jumuah jumah jumaah jumaik jumahat jumeuat sukra jumat",
    "sabtu": "setu saptu saniscara",
    "sekolah": "sikola skolah",
    "depan": "ngarep payun muko ngarepe",
    "pagi": "isuk esuk",
    "siang": "beurang",
    "sore": "sanjo",
    "malam": "bengi peuting",
    "madrasah": "madrasa madrosah",
}

#: Multi-word regional expressions (2–3 words), looked up before single words.
REGIONAL_PHRASES: dict[str, str] = {
    "teurimong geunaseh": "terima kasih",
    "terimong geunaseh": "terima kasih",
    "teurima geunaseh": "terima kasih",
    "kurru sumange": "terima kasih",
    "tarima kasih": "terima kasih",
    "tarimo kasih": "terima kasih",
    "tarima kasi": "terima kasih",
    "terima kasi": "terima kasih",
    "trima kasih": "terima kasih",
    "trima kasi": "terima kasih",
    "trimakasih banyak": "terima kasih banyak",
    "matur suksma": "terima kasih",
    "suksma mewali": "terima kasih",
    "om swastiastu": "salam sejahtera",
    "ya ahowu": "halo",
    "mejuah juah": "halo",
    "kita pe": "saya punya",
    "kita p": "saya punya",
    "ana pe": "saya punya",
    "beta pung": "saya punya",
    "sa pu": "saya punya",
    "sa punya": "saya punya",
    "kaya apa": "bagaimana",
    "kayapa": "bagaimana",
    "cak mano": "bagaimana",
    "macam mane": "bagaimana",
    "macam mana": "bagaimana",
    "kek mana": "bagaimana",
    "songon dia": "bagaimana",
    "ba a": "bagaimana",
    "hari ko": "hari ini",
    "hari iko": "hari ini",
    "dino iki": "hari ini",
    "dinten menika": "hari ini",
    "poe ieu": "hari ini",
    "dinten ieu": "hari ini",
    "uroe nyoe": "hari ini",
    "legal sir": "legalisir",
    "legal isir": "legalisir",
    "lega lisir": "legalisir",
    "buin mani": "besok",
    "buin puan": "lusa",
    "minggu ngarep": "minggu depan",
    "minggu payun": "minggu depan",
    "minggu ngajeng": "minggu depan",
    "pekan muko": "minggu depan",
    "minggu muko": "minggu depan",
    "minggu dimuka": "minggu depan",
    "hari akaik": "hari minggu",
    "tanda tanya": "?",
    "tanda seru": "",
    "titik dua": "",
    "titik koma": "",
    "buka puasa": "buka puasa",
    "ndak ada": "tidak ada",
    "tra ada": "tidak ada",
    "seng ada": "tidak ada",
    "nda ada": "tidak ada",
    "sonde ada": "tidak ada",
    "indak ado": "tidak ada",
    "kada ada": "tidak ada",
    "so bisa": "sudah bisa",
    "bisa ka": "bisa",
}

#: Particles dropped from the text (they carry no meaning the office can use).
DROP: frozenset[str] = frozenset(
    {"ji", "ki", "kah", "kodong", "bah", "ges", "gaes", "jon", "euy", "atuh", "mah", "koma"}
)

#: Spoken punctuation: "titik" is dropped unless it names a place ("titik lokasi").
SPOKEN_PUNCTUATION: frozenset[str] = frozenset({"titik"})
TITIK_KEEP_AFTER: frozenset[str] = frozenset(
    {"lokasi", "koordinat", "kumpul", "temu", "nol", "terang", "balik", "awal", "akhir"}
)

#: Indonesian names of the letters, as voice-to-text writes a spelled acronym.
LETTER_NAMES: dict[str, str] = {
    "a": "a", "be": "b", "ce": "c", "de": "d", "e": "e", "ef": "f", "ge": "g", "ha": "h",
    "i": "i", "je": "j", "ka": "k", "el": "l", "em": "m", "en": "n", "o": "o", "pe": "p",
    "ki": "q", "er": "r", "es": "s", "te": "t", "u": "u", "fe": "v", "ve": "v", "we": "w",
    "eks": "x", "ye": "y", "zet": "z",
}  # fmt: skip

#: Acronyms a spelled sequence may be joined into (only these: "te u" → "tu").
ACRONYMS: frozenset[str] = frozenset(
    {
        "ptsp", "ktp", "kua", "sk", "skt", "mts", "mtsn", "ma", "man", "mi", "min",
        "sttb", "skhun", "nik", "hp", "wa", "tu", "phu", "kub", "psi", "kk", "ra",
        "sd", "smp", "sma", "smk", "pns", "asn", "bpjs", "npwp", "tpq", "tpa", "pai",
        "skm", "ikm", "kakanwil",
    }
)  # fmt: skip
