"""`ptsp-admin db`: backup and restore of the database and the file store."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

db_app = typer.Typer(help="Basis data: cadangan (backup) dan pemulihan (restore) beserta "
                     "berkas unggahan.", no_args_is_help=True)


def _ringkas(m) -> str:  # noqa: ANN001 - storage.cadangan.Manifest
    jenis = "SQLite" if m.dialek == "sqlite" else "PostgreSQL"
    kunci = ", kunci tanda terima disertakan" if m.kunci else ""
    return f"{jenis}, revisi {m.revisi or '-'}, {m.berkas} berkas{kunci}"


@db_app.command("backup")
def db_backup(
    ke: Annotated[Path, typer.Option(
        "--ke", help="folder tujuan (atau nama berkas .tar.gz); bawaan: <data_dir>/cadangan"
    )] = None,  # type: ignore[assignment]
) -> None:
    """Cadangkan basis data dan berkas unggahan ke satu arsip .tar.gz.

    SQLite: salinan daring, aman saat server jalan; PostgreSQL: pg_dump. Arsip bermode
    0600 karena berisi data pribadi; simpan salinannya di luar mesin ini.
    """
    from admin_cli.main import handled
    from bot.settings import load_settings
    from storage.cadangan import cadangkan

    with handled():
        s = load_settings()
        path, manifest = cadangkan(s.database_url, s.data_dir, ke or s.data_dir / "cadangan",
                                   sekarang=datetime.now().astimezone())
    typer.echo(f"Cadangan tersimpan: {path} ({_ringkas(manifest)})")


@db_app.command("restore")
def db_restore(
    arsip: Annotated[Path, typer.Argument(help="arsip dari `ptsp-admin db backup`")],
    timpa: Annotated[bool, typer.Option(
        "--timpa", help="ganti basis data tujuan walau sudah berisi data")] = False,
) -> None:
    """Pulihkan arsip cadangan ke PTSP_DATABASE_URL dan folder data.

    Hentikan server dahulu; sesudahnya jalankan `ptsp db upgrade` bila cadangan dari
    versi sebelumnya.
    """
    from admin_cli.main import handled
    from bot.settings import load_settings
    from storage.cadangan import CadanganError, pulihkan

    with handled():
        s = load_settings()
        if not arsip.is_file():
            raise CadanganError(f"arsip {arsip} tidak ada")
        manifest = pulihkan(arsip, s.database_url, s.data_dir, timpa=timpa)
    typer.echo(f"Dipulihkan dari {arsip} (dibuat {manifest.dibuat}; {_ringkas(manifest)}).")
