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
    if kode is None:
        return int(k.default_kantor_id)
    if kode not in k.kantor_by_kode:
        typer.echo(f"Galat: kantor '{kode}' tidak ada di konfigurasi "
                   f"(ada: {', '.join(k.kantor_by_kode)})", err=True)
        raise typer.Exit(1)
    return int(k.kantor_by_kode[kode])
