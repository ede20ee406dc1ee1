"""Options shared by the staff commands: `--json` and `--kantor KODE`.

`--kantor` names the office a command acts on; the first in config.yml by default.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer


class Konsol:
    """The staff CLI's Rich console, made afresh for each use: it takes the terminal's (or
    `COLUMNS`') width at that moment, not the one when the module was first imported."""

    def __getattr__(self, name: str) -> Any:
        from rich.console import Console

        return getattr(Console(), name)


JsonOpt = Annotated[bool, typer.Option("--json", help="keluaran JSON")]
KantorOpt = Annotated[str | None, typer.Option(
    "--kantor", help="kode kantor (bawaan: kantor pertama di config.yml)")]


def pilih_kantor(k: Any, kode: str | None) -> int:
    """The id of the office `kode` names; an unknown code is one line and exit 1."""
    from bot.settings import ConfigError

    try:
        return int(k.kantor_id_of(kode))
    except ConfigError as exc:
        typer.echo(f"Galat: {exc}", err=True)
        raise typer.Exit(1) from None


OlehOpt = Annotated[int | None, typer.Option(
    "--oleh", envvar="PTSP_PETUGAS",
    help="id petugas yang bertindak (lihat `petugas list`); atau PTSP_PETUGAS")]


def tolak(pesan: str) -> typer.Exit:
    """A refused or impossible action: one line on stderr, exit 1 (raise the result)."""
    typer.echo(f"Galat: {pesan}", err=True)
    return typer.Exit(1)


def pelaku(k: Any, uow: Any, oleh: int | None) -> tuple[Any, Any]:
    """The petugas acting (`--oleh` / PTSP_PETUGAS) and their `domain.wewenang.Pelaku`.

    Staff act as themselves (seed 002: a login per person): with no petugas named the
    command is bad usage (exit 2); an unknown, inactive or other office's petugas is
    refused (exit 1).
    """
    from domain.wewenang import Pelaku

    if oleh is None:
        raise typer.BadParameter("--oleh ID wajib diisi (atau PTSP_PETUGAS)", param_hint="--oleh")
    p = uow.petugas.get(oleh)
    if p is None or p.kantor_id != uow.kantor_id:
        raise tolak(f"petugas {oleh} tidak ditemukan di kantor ini")
    if not p.aktif:
        raise tolak(f"petugas {oleh} ({p.nama}) tidak aktif")
    profil = k.profil(uow.kantor_id)
    today = k.clock.now().astimezone(profil.kalender.tz).date()
    return p, Pelaku.dari(p, uow.petugas.delegasi(today), today)


def wajib_boleh(k: Any, aksi: Any, pl: Any, item: Any, nomor: str = "-") -> None:
    """Refuse (exit 1) unless the domain's table lets this petugas take this action."""
    from domain.wewenang import boleh

    if not boleh(aksi, pl, item):
        raise tolak(k.pesan("admin_tidak_berwenang", nama=pl.aktor.nama, aksi=str(aksi),
                            nomor=nomor))
