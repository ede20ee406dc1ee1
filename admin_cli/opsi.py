"""Options shared by the staff commands: `--json` and `--kantor KODE`.

`--kantor` names the office a command acts on; the first in config.yml by default.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

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
