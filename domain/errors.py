"""Named errors of the domain; the dialog and CLI layers turn them into Indonesian replies."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error a user's action can cause."""


class InvalidTransition(DomainError):
    """A status move outside CONTRACT.md's table."""

    def __init__(self, dari: str, ke: str):
        super().__init__(f"perpindahan status {dari} → {ke} tidak diizinkan")
        self.dari, self.ke = dari, ke


class TidakBerwenang(DomainError):
    """The actor may not make this move or action."""


class SyaratTidakTerpenuhi(DomainError):
    """The move is allowed for the actor but its condition does not hold."""


class PermohonanTidakDitemukan(DomainError):
    """No permohonan with that number is visible to the caller."""

    def __init__(self, nomor: str):
        super().__init__(f"nomor {nomor} tidak ditemukan")
        self.nomor = nomor


class PengaduanTidakDitemukan(DomainError):
    """No pengaduan with that number is visible to the caller."""


class PemohonTidakDitemukan(DomainError):
    """No pemohon record for this sender."""


class PetugasTidakDitemukan(DomainError):
    """No active petugas with that id."""


class DataTidakValid(DomainError):
    """Input that fails validation (NIK, phone number, role, jabatan…)."""
