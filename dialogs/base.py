"""Dialog types and helpers: a step is a pure function of (state, turn, context)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from domain.kantor import ProfilKantor
from domain.pesan import Pesan


@dataclass(frozen=True)
class FileInfo:
    """A file the pemohon sent, already checked and stored by the edge."""

    nama: str
    mime: str
    bytes: int
    sha256: str
    mutu: str | None = None  # a doubtful photo: kecil, gelap, polos, buram (bot.media)

    def as_dict(self) -> dict[str, Any]:
        """The form kept in conversation state (and given to `domain.model.Berkas`)."""
        return {"nama": self.nama, "mime": self.mime, "bytes": self.bytes, "sha256": self.sha256}


@dataclass(frozen=True)
class PemohonInfo:
    id: int
    nama: str
    hp: str
    jenis: str = "perorangan"
    instansi: str | None = None


@dataclass(frozen=True)
class Turn:
    """One incoming message, as the dialogs see it."""

    channel: str
    sender: str
    now: datetime
    text: str | None = None
    kind: str = "text"
    nlu: dict[str, Any] = field(default_factory=dict)
    files: tuple[FileInfo, ...] = ()
    file_errors: tuple[str, ...] = ()
    pemohon: PemohonInfo | None = None
    dikembalikan: tuple[str, ...] = ()  # the sender's own numbers waiting for documents
    menunggu_info: tuple[str, ...] = ()  # own numbers where a petugas awaits an answer
    jadwal_baru: tuple[str, ...] = ()  # own audiensi with a time given but not yet answered

    @property
    def clean(self) -> str:
        return " ".join((self.text or "").lower().split())

    @property
    def intent(self) -> str | None:
        return (self.nlu.get("intent") or {}).get("name")

    @property
    def confidence(self) -> float:
        return float((self.nlu.get("intent") or {}).get("confidence") or 0.0)

    def entity(self, name: str) -> Any:
        for e in self.nlu.get("entities", []):
            if e.get("entity") == name:
                return e.get("value")
        return None


@dataclass(frozen=True)
class DialogContext:
    """Static facts the dialogs need: messages, catalog, office, thresholds."""

    pesan: Pesan
    katalog: Any
    profil: ProfilKantor
    threshold: float = 0.45
    expire_minutes: int = 30
    jadwal: str = ""  # the weekly hours as text, from config


@dataclass
class Out:
    """What a step produces: the new state, replies and domain commands."""

    state: dict[str, Any]
    replies: list[str] = field(default_factory=list)
    commands: list[Any] = field(default_factory=list)

    def say(self, text: str) -> Out:
        self.replies.append(text)
        return self


Step = Callable[[dict[str, Any], Turn, DialogContext], Out]

YES = {"ya", "y", "iya", "iy", "yes", "ok", "oke", "okey", "setuju", "benar", "betul", "lanjut",
       "siap", "nggih", "injih", "leres", "sip", "boleh", "kirim", "yup", "yap"}
NO = {"tidak", "tdk", "gak", "ga", "nggak", "enggak", "no", "bukan", "salah", "jangan", "belum"}
MENU = {"menu", "menu utama", "mulai dari awal", "mulai lagi", "home", "0"}
BATAL = {"batal", "batalkan", "cancel", "stop", "keluar", "udahan", "sudah cukup"}
KEMBALI = {"kembali", "back", "sebelumnya"}
# "STOP" outside a form (inside one, `stop` cancels the form) and these anywhere stop the
# notifications the office starts; "MULAI" resumes them
BERHENTI_NOTIFIKASI = {"berhenti notifikasi", "stop notifikasi", "matikan notifikasi",
                       "berhenti kirim notifikasi", "jangan kirim notifikasi", "unsubscribe",
                       "berhenti berlangganan"}
MULAI_NOTIFIKASI = {"mulai", "start", "mulai notifikasi", "aktifkan notifikasi",
                    "nyalakan notifikasi", "lanjutkan notifikasi"}
SELESAI = {"selesai", "sudah", "udah", "sdh", "done", "cukup", "lanjut", "sudah semua"}
LEWATI = {"lewati", "skip", "tidak ada", "tdk ada", "ga ada", "gak ada", "-", "lewat"}


def is_yes(turn: Turn) -> bool:
    return turn.clean.strip(".!") in YES or (turn.intent == "setuju" and turn.confidence >= 0.6
                                             and len(turn.clean) < 40)


def is_no(turn: Turn) -> bool:
    return turn.clean.strip(".!") in NO or (turn.intent == "tolak" and turn.confidence >= 0.6
                                            and len(turn.clean) < 40)


_ANGKA = {"satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7,
          "delapan": 8, "sembilan": 9, "sepuluh": 10}


Opsi = str | Sequence[str]  # an option's label, or its label and the words people use


def _kata(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def pilihan(turn: Turn, n: int, opsi: Sequence[Opsi] = ()) -> int | None:
    """A menu choice 1..n: `2`, `2.`, `no 2`, `dua` — or, with `opsi`, the option's words.

    "sangat baik", "kurikulum" (for Kepala Seksi Kurikulum), "yayasan" (for
    Instansi/lembaga), a close typo ("instnsi"): the option they name when only one fits.
    None if it is not a choice.
    """
    t = turn.clean.strip(".)!")
    m = re.fullmatch(r"(?:no\.?|nomor|pilih|pilihan)?\s*(\d{1,2})", t)
    value = int(m.group(1)) if m else _ANGKA.get(t)
    if value is not None:
        return value if 1 <= value <= n else None
    return _pilih_kata(_kata(turn.text or ""), list(opsi)[:n]) if opsi else None


def _pilih_kata(teks: str, opsi: list[Opsi]) -> int | None:
    if not teks:
        return None
    varian = [[_kata(o)] if isinstance(o, str) else [_kata(x) for x in o] for o in opsi]
    for i, vs in enumerate(varian, 1):  # the whole label or one of its words for it
        if teks in vs:
            return i
    kata = set(teks.split())
    cocok = [i for i, vs in enumerate(varian, 1)
             if any(kata <= set(v.split()) for v in vs)]
    if len(cocok) == 1:  # every word typed belongs to one option only
        return cocok[0]
    from rapidfuzz import fuzz

    skor = sorted(((max(fuzz.ratio(teks, v) for v in vs), i)
                   for i, vs in enumerate(varian, 1)), reverse=True)
    if skor and skor[0][0] >= 85 and (len(skor) == 1 or skor[0][0] - skor[1][0] >= 10):
        return skor[0][1]
    return None


MAKS_BERKAS = 20  # files one draft keeps (a permohonan's documents, a complaint's photos)


def terima_berkas(data: dict[str, Any], turn: Turn, out: Out, ctx: DialogContext) -> int:
    """Keep the files of this message in `data["berkas"]` and report bad ones; the count."""
    for err in turn.file_errors:
        out.say(err)
    berkas = data.setdefault("berkas", [])
    ada = {b["sha256"] for b in berkas}
    ditolak = 0
    for f in turn.files:  # the same photo sent twice (a double send) is kept once
        if f.sha256 in ada:
            continue
        if len(berkas) >= MAKS_BERKAS:
            ditolak += 1
            continue
        berkas.append(f.as_dict())
        ada.add(f.sha256)
    if ditolak:
        out.say(ctx.pesan("berkas_terlalu_banyak", maks=MAKS_BERKAS, jumlah=ditolak))
    return len(berkas)


def numbered(items: list[str]) -> str:
    return "\n".join(f"{i}. {s}" for i, s in enumerate(items, 1))


def go(state: dict[str, Any], step: str) -> dict[str, Any]:
    """Move to `step`, remembering where we were for `kembali`."""
    history = list(state.get("history", []))
    if state.get("step") and state.get("step") != step:
        history.append(state["step"])
    return {**state, "step": step, "history": history[-10:]}


@dataclass(frozen=True)
class MintaPetugas:
    """The pemohon asked for a human: open a relay thread to the CS on duty."""

    teks: str | None = None


@dataclass(frozen=True)
class AkhiriRelay:
    """The pemohon left the relay (menu, batal, selesai, or silence): the petugas is told."""

    sebab: str = "pemohon"  # "pemohon" or "kedaluwarsa"


@dataclass(frozen=True)
class TeruskanKePetugas:
    """While a relay is open, the pemohon's words go to the petugas."""

    teks: str
