"""The permohonan life cycle: CONTRACT.md's status codes and transition table, nothing else."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    MENUNGGU = "menunggu"
    DIKEMBALIKAN = "dikembalikan"
    KONFIRMASI = "konfirmasi"
    PROSES = "proses"
    SELESAI = "selesai"
    TIDAK_SESUAI = "tidak_sesuai"
    DITOLAK = "ditolak"
    DISERAHKAN = "diserahkan"
    DIARSIPKAN = "diarsipkan"
    DIBATALKAN = "dibatalkan"


class Peran(StrEnum):
    """Who a move names in the table, relative to one permohonan."""

    CS = "cs"
    BO = "bo"
    PEMOHON = "pemohon"  # the account that submitted it (pengaju)
    KONFIRMATOR = "konfirmator"  # holder of the catalog's confirming jabatan
    PEMEGANG = "pemegang"  # the jabatan or role currently holding it
    ARSIPARIS = "arsiparis"
    SISTEM = "sistem"


S, P = Status, Peran

# (from, to) → who may make the move. Every other pair is refused.
MOVES: dict[tuple[Status, Status], frozenset[Peran]] = {
    (S.MENUNGGU, S.KONFIRMASI): frozenset({P.CS}),
    (S.MENUNGGU, S.PROSES): frozenset({P.CS}),
    (S.MENUNGGU, S.DIKEMBALIKAN): frozenset({P.CS}),
    (S.DIKEMBALIKAN, S.MENUNGGU): frozenset({P.PEMOHON}),
    (S.KONFIRMASI, S.PROSES): frozenset({P.KONFIRMATOR}),
    (S.KONFIRMASI, S.DITOLAK): frozenset({P.PEMEGANG}),
    (S.PROSES, S.DITOLAK): frozenset({P.PEMEGANG}),
    (S.PROSES, S.SELESAI): frozenset({P.PEMEGANG}),
    (S.PROSES, S.TIDAK_SESUAI): frozenset({P.BO, P.PEMEGANG}),
    (S.SELESAI, S.PROSES): frozenset({P.PEMEGANG}),
    (S.SELESAI, S.DISERAHKAN): frozenset({P.CS, P.PEMEGANG}),
    (S.TIDAK_SESUAI, S.DISERAHKAN): frozenset({P.CS, P.PEMEGANG}),
    **{
        (s, S.DIARSIPKAN): frozenset({P.ARSIPARIS, P.SISTEM})
        for s in (S.SELESAI, S.DISERAHKAN, S.TIDAK_SESUAI, S.DITOLAK, S.DIBATALKAN)
    },
    (S.MENUNGGU, S.DIBATALKAN): frozenset({P.PEMOHON}),
    (S.KONFIRMASI, S.DIBATALKAN): frozenset({P.PEMOHON}),
    (S.DIKEMBALIKAN, S.DIBATALKAN): frozenset({P.PEMOHON, P.SISTEM}),
}

TRANSITIONS: dict[Status, frozenset[Status]] = {
    s: frozenset(t for (f, t) in MOVES if f == s) for s in Status
}

# Moves that need a written reason (catatan).
BUTUH_ALASAN: frozenset[tuple[Status, Status]] = frozenset(
    {
        (S.MENUNGGU, S.DIKEMBALIKAN),
        (S.KONFIRMASI, S.DITOLAK),
        (S.PROSES, S.DITOLAK),
        (S.PROSES, S.TIDAK_SESUAI),
        (S.SELESAI, S.PROSES),
    }
)

# The SLA clock stops in these.
BERHENTI: frozenset[Status] = frozenset(
    {S.SELESAI, S.TIDAK_SESUAI, S.DITOLAK, S.DISERAHKAN, S.DIARSIPKAN, S.DIBATALKAN}
)

# Plain words for the pemohon.
LABEL: dict[Status, str] = {
    S.MENUNGGU: "Menunggu pemeriksaan kelengkapan",
    S.DIKEMBALIKAN: "Dikembalikan: berkas belum lengkap",
    S.KONFIRMASI: "Menunggu konfirmasi pejabat",
    S.PROSES: "Sedang diproses",
    S.SELESAI: "Selesai",
    S.TIDAK_SESUAI: "Tidak sesuai (berita acara ketidaksesuaian)",
    S.DITOLAK: "Ditolak",
    S.DISERAHKAN: "Sudah diserahkan",
    S.DIARSIPKAN: "Diarsipkan",
    S.DIBATALKAN: "Dibatalkan",
}
