"""Greetings and closing formulas around a request, for long messages.

A formal letter pasted into the chat opens with "Assalamualaikum wr. wb., dengan
hormat" and ends with "atas perhatiannya kami ucapkan terima kasih"; the request sits
in between. Scored as a whole, the classifier may read the courtesy words
(``terima_kasih``, ``salam``). ``strip_courtesy`` removes those formulas so the
sentence that carries the request is scored on its own; the parser uses it only for
long messages whose first reading is a courtesy intent.
"""

from __future__ import annotations

import re

__all__ = ["COURTESY_INTENTS", "MIN_WORDS", "strip_courtesy"]

#: Intents a long message is re-read for.
COURTESY_INTENTS = frozenset({"terima_kasih", "salam"})
#: Normalised words a message needs before its courtesy is stripped, and after.
MIN_WORDS = 9
MIN_REST = 4

_FORMULAS = [
    r"(?:wa|a)?s?salamualaikum(?: (?:warahmatullahi|warahmatullah|wr|warohmatullahi))?"
    r"(?: (?:wabarakatuh|wb|wabarokatuh))?",
    r"waalaikumsalam(?: (?:wr|warahmatullahi))?(?: (?:wb|wabarakatuh))?",
    r"wassalam",
    r"salam sejahtera(?: untuk kita semua| bagi kita semua)?",
    r"shalom|salom|om swastiastu|namo buddhaya",
    r"selamat (?:pagi|siang|sore|malam)",
    r"dengan hormat",
    r"(?:kepada )?(?:yth|yang terhormat)(?: (?:bapak|ibu|admin|petugas)(?: ibu)?)?",
    r"hormat (?:kami|saya)",
    r"(?:atas|untuk) (?:perhatian|bantuan|kerjasama|kerja sama|informasi|waktu|respon)\w*"
    r"(?: (?:dan|serta) (?:kerjasama|kerja sama|bantuan|perhatian)\w*)?",
    r"(?:kami|saya) (?:ucapkan|sampaikan|haturkan)",
    r"terima kasih(?: banyak| sebelumnya| sebelum nya)?",
    r"mohon maaf (?:mengganggu|sebelumnya)",
    r"permisi",
    r"halo",
]
#: A remainder must carry a request or question to replace the courtesy reading;
#: "Salam sejahtera, Bapak dan Ibu sekalian" or "saya operator MI …" stay greetings.
_REQUEST_CUES = frozenset(
    "mau ingin hendak mohon minta tolong bisa bisakah apakah apa bagaimana berapa kapan"
    " dimana mana ? bermaksud menanyakan tanya bertanya mengajukan ajukan perlu butuh"
    " syarat persyaratan boleh cara kenapa akan berencana urus mengurus daftar cek"
    " lapor mengadu komplain keluhan kritik saran".split()
)
_COURTESY = re.compile(r"(?<!\S)(?:" + "|".join(_FORMULAS) + r")(?!\S)")


def strip_courtesy(text: str) -> str | None:
    """``text`` (normalised) without its courtesy formulas, or None when too short."""
    if len(text.split()) < MIN_WORDS:
        return None
    rest = " ".join(_COURTESY.sub(" ", text).split())
    words = rest.split()
    if len(words) < MIN_REST or rest == text or not _REQUEST_CUES.intersection(words):
        return None
    return rest
