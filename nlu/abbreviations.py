"""WhatsApp Indonesian abbreviations and spelling variants, and emoji with a meaning.

Keys are already lower-case with runs of 3+ equal letters squeezed (the normaliser
looks words up after those steps). Words that are also jabatan or catalog terms
("kasi", "tu", "ka") must never appear here.
"""

from __future__ import annotations

from nlu.regional import REGIONAL_GROUPS, REGIONAL_PHRASES

__all__ = ["ABBREVIATIONS", "EMOJI", "OTHER_EMOJI", "PHRASES"]


def _expand(groups: dict[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for canonical, variants in groups.items():
        for variant in variants.split():
            out[variant] = canonical
    return out


#: canonical form -> space-separated variants as typed.
_GROUPS: dict[str, str] = {
    "saya": "sy sya sayah aq gw gue gua",
    "yang": "yg yng",
    "bagaimana": "gmn gmna gimana bgmn bgmna gmana gimna",
    "belum": "blm blom blum belom",
    "sudah": "sdh udh udah sudh dah sdah",
    "tidak": "tdk gak ga gk nggak ngga engga enggak ndak gag kagak tak ngak gaa",
    "berapa": "brp brapa brpa",
    "dengan": "dgn dg dngn",
    "untuk": "utk utuk",
    "tolong": "tlg tolg tlong",
    "karena": "krn karna krna",
    "bisa": "bs bsa bisakah",
    "ingin": "pgn pengen pingin pengin kepengen",
    "mau": "mo mw mao",
    "sekarang": "skrg skrang skr",
    "kapan": "kpn kapn",
    "kenapa": "knp napa",
    "dimana": "dmn dmana dimn",
    "ada": "ad",
    "saja": "aja aj sj",
    "sama": "sm",
    "jadi": "jd jdi",
    "lagi": "lg",
    "kalau": "klo kalo kl klau",
    "tapi": "tp tpi",
    "dulu": "dl dlu",
    "masih": "msh masi",
    "sampai": "sampe smpe smp",
    "terus": "trs trus",
    "tadi": "td",
    "nomor": "nmr nomer nmor",
    "tanggal": "tgl tggl tangal",
    "besok": "bsk besuk bsok",
    "jam": "jm",
    "hari": "hr",
    "minggu": "mgg mgu",
    "depan": "dpn",
    "bulan": "bln",
    "tahun": "thn",
    "juga": "jg",
    "mohon": "mhn",
    "tentang": "ttg",
    "seperti": "spt",
    "pada": "pd",
    "kepada": "kpd",
    "bapak": "bpk",
    "banget": "bgt",
    "terima kasih": (
        "makasih makasi mksh mks makasiih trims trimakasih terimakasih trmksh tq tks"
        " thx thanks thank tengkyu makacih"
    ),
    "oke": "ok okey okay okeh okee oce okek",
    "iya": "y iy iyaa yoi",
    "admin": "min mimin",
    "izin": "ijin",
    "ijazah": "ijasah ijasa ijaza ijajah",
    "tanya": "nanya tanyak",
    "umrah": "umroh umrohku umrahku umrohnya umrahnya",
    "buku": "bku",
    "syarat": "syart syrat syrt syarst",
    # Sundanese, Betawi and Madurese say f as p or e as a ("daptar", "deftar")
    "daftar": "daptar deftar dftr",
    "daftarkan": "daftarin daptarin daptarkeun daftarkeun",
    "didaftarkan": "didaptarkeun didaftarin didaptarin",
    "legalisir": "legalisasi",
    "sholat": "shalat salat solat",
    "surat": "srt",
    "rekomendasi": "rekom",
    "ini": "ni",
    "begitu": "gt gitu",
    "sebelum": "sblm",
    "setelah": "stlh",
    "kemarin": "kmrn kemaren",
    "orang": "org",
    "dari": "dr",
    "sedang": "sdg",
    "langsung": "lgsg lgsung",
    "memang": "emg emang",
    "apa": "ap",
    "benar": "bener",
    "pakai": "pake",
    "lihat": "liat",
    "tahu": "tau",
    "silakan": "silahkan",
    "assalamualaikum": ("asalamualaikum assalamualaikom asalamualaikom askum aslm assalam"),
    "waalaikumsalam": "waalaikumsalam walaikumsalam waalaikum",
}

#: Javanese, Sundanese and Balinese politeness and everyday words citizens mix in.
_REGIONAL: dict[str, str] = {
    "iya": "nggih enggih inggih njih injih nggeh ngih sumuhun muhun",
    "tidak": "mboten boten henteu teu ora hente embung",
    "bukan": "sanes bkn",
    "permisi": "punten kulonuwun sampurasun nuwunsewu",
    "terima kasih": "suwun maturnuwun nuhun suksma tengkyu ty",
    "silakan": "mangga monggo",
    "mau": "badhe bade ajeng arep hoyong",
    "saya": "kula kulo abdi",
    "anda": "panjenengan njenengan sampeyan",
    "berapa": "pinten sabaraha pira piro",
    "hari": "dinten",
    "ada": "wonten enten onten aya",
    "mana": "pundi endi ngendi",
    "apa": "menapa punapa naon nopo opo",
    "benar": "leres",
    "sudah": "sampun wis uwis empun atos parantos",
    "belum": "dereng durung acan",
    "lama": "lami dangu suwe",
    "bagaimana": "kumaha pripun kepriye",
    "tolong": "nyuwun",
    "minta": "nyuhunkeun neda",
    "harus": "kedah kudu",
    "bisa": "saged saget tiasa",
    "bayar": "mbayar mayar",
    "buat": "damel ndamel ngadamel nggawe",
    "bawa": "bekta mbekta nggowo",
    "besok": "mbenjing mbenjang sesuk mbesuk isukan",
    "lusa": "pageto",
    "pagi": "enjing",
    "siang": "siyang",
    "sore": "sonten",
    "malam": "dalu",
    "kapan": "iraha",
    "sekarang": "sakmenika saiki ayeuna",
    "nanti": "mangke engko engke",
    "ini": "niki punika iki",
    "itu": "niku menika iku",
    "untuk": "kangge kagem kanggo",
    "kalau": "menawi upami lamun",
    "yang": "ingkang",
    "depan": "ngajeng",
    "anak": "lare",
    "rumah": "griya",
    "kabar": "wartos",
    "nilai": "peunteun",
    "pelayanan": "palayanan",
    "pernah": "kantos",
}
ABBREVIATIONS: dict[str, str] = _expand(REGIONAL_GROUPS) | _expand(_GROUPS) | _expand(_REGIONAL)
ABBREVIATIONS = {k: v for k, v in ABBREVIATIONS.items() if k != v}

#: Two-word expressions, looked up before single words.
PHRASES: dict[str, str] = {
    "nyuwun sewu": "permisi",
    "nuwun sewu": "permisi",
    "kula nuwun": "permisi",
    "matur nuwun": "terima kasih",
    "matur suwun": "terima kasih",
    "hatur nuhun": "terima kasih",
    "terima kasih": "terima kasih",
    "makasih banyak": "terima kasih banyak",
    "nyuwun pirsa": "mau tanya",
    "teu acan": "belum",
    "teu aya": "tidak ada",
    **REGIONAL_PHRASES,
}

#: Emoji whose meaning the classifier should see; every other symbol becomes a space.
EMOJI: dict[str, str] = {
    "👍": "oke",
    "👌": "oke",
    "✅": "oke",
    "✔": "oke",
    "🆗": "oke",
    "👎": "tidak",
    "❌": "tidak",
    "🙏": "xsembah",
    "👋": "halo",
    "⭐": "bintang",
    "🌟": "bintang",
    "😂": "haha",
    "🤣": "haha",
    "😆": "haha",
    "😁": "haha",
    "😅": "haha",
}
#: What any other emoji or pictograph becomes.
OTHER_EMOJI = "xemoji"
