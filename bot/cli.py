"""`ptsp`: serve, migrate, NLU tools, shell. Errors are one line on stderr, exit 1."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from bot.settings import ConfigError, load_settings

app = typer.Typer(help="PTSP front office bot.", no_args_is_help=True,
                  pretty_exceptions_enable=False, add_completion=False)
db_app = typer.Typer(help="Database: migrations.", no_args_is_help=True)
app.add_typer(db_app, name="db")


def fail(message: str) -> typer.Exit:
    typer.echo(f"Galat: {message}", err=True)
    return typer.Exit(1)


@db_app.command("upgrade")
def db_upgrade(revision: str = "heads") -> None:
    """Apply migrations to PTSP_DATABASE_URL."""
    from storage.db import GALAT_DB, pesan_galat_db
    from storage.migrate import upgrade_locked

    try:
        settings = load_settings()
        upgrade_locked(settings.database_url, revision)
    except ConfigError as exc:
        raise fail(str(exc)) from None
    except GALAT_DB as exc:
        raise fail(pesan_galat_db(exc, settings.database_url)) from None
    except Exception as exc:  # noqa: BLE001 - report, no traceback for operators
        raise fail(f"migrasi gagal: {exc}") from None
    typer.echo(f"Database siap: {settings.database_url.split('@')[-1]}")


@app.command()
def init(
    folder: Annotated[str, typer.Argument(help="folder kantor (bawaan: folder ini)")] = ".",
    timpa: Annotated[bool, typer.Option("--timpa", help="ganti berkas yang sudah ada")] = False,
) -> None:
    """Write an editable office profile: config.yml, pesan.yml and catalog/ (the defaults)."""
    import shutil
    from pathlib import Path

    from bot.settings import bawaan

    src, dest = bawaan(), Path(folder)
    items = ["config.yml", "pesan.yml", "catalog"]
    ada = [name for name in items if (dest / name).exists()]
    if ada and not timpa:
        raise fail(f"{', '.join(ada)} sudah ada di {dest.resolve()}; tambahkan --timpa "
                   "untuk menggantinya")
    dest.mkdir(parents=True, exist_ok=True)
    for name in items:
        if (src / name).is_dir():
            shutil.copytree(src / name, dest / name, dirs_exist_ok=True)
        else:
            shutil.copyfile(src / name, dest / name)
    typer.echo(f"Profil kantor ditulis di {dest.resolve()}: config.yml, pesan.yml, catalog/.\n"
               "Berikutnya: sunting `kantor` dan `jabatan` di config.yml (nama, alamat, jam "
               "layanan, pejabat), sesuaikan katalog dengan SK/SOP kantor, lalu jalankan "
               "`ptsp db upgrade` dan `ptsp serve` di folder itu (atau PTSP_CONFIG=<folder>/"
               "config.yml).")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="listen address")] = None,
    port: Annotated[int | None, typer.Option(help="listen port")] = None,
) -> None:
    """Start the web app: webhooks, sandbox, health, metrics and the workers."""
    from aiohttp import web

    from bot.app import build_container
    from bot.logs import setup_logging
    from bot.server import create_app
    from storage.db import GALAT_DB, pesan_galat_db
    from storage.migrate import ensure_schema

    setup_logging()
    try:
        settings = load_settings()
    except ConfigError as exc:
        raise fail(str(exc)) from None
    try:
        ensure_schema(settings.database_url)  # a fresh database works without `db upgrade`
        container = build_container(settings)
    except ConfigError as exc:
        raise fail(str(exc)) from None
    except GALAT_DB as exc:
        raise fail(pesan_galat_db(exc, settings.database_url)) from None
    s = container.settings
    warn_jabatan_kosong(container)
    web.run_app(create_app(container), host=host or s.host, port=port or s.port,
                print=lambda m: print(m, file=sys.stderr), shutdown_timeout=15)


def warn_jabatan_kosong(container: Any) -> None:
    """At start-up: the jabatan nobody holds (their items will go to the koordinator)."""
    import logging

    from domain.penerima import jabatan_kosong

    for kid, profil in container.kantor.items():
        today = container.clock.now().astimezone(profil.kalender.tz).date()
        with container.uow(kid) as uow:
            kosong = jabatan_kosong(profil, uow.petugas.list(), uow.petugas.delegasi(today),
                                    today)
        if kosong:
            logging.getLogger("ptsp").warning(
                "kantor %s: jabatan tanpa petugas aktif (diteruskan ke koordinator): %s",
                profil.kode, ", ".join(kosong))


@app.command()
def shell(phone: Annotated[str, typer.Option("--phone", help="the pemohon's number")]
          = "+6281234567890",
          kantor: Annotated[str | None, typer.Option(
              "--kantor", help="kode kantor yang dihubungi (bawaan: yang pertama)")] = None,
          ) -> None:
    """Chat as a pemohon in the terminal: same dialogs, store and NLU as WhatsApp."""
    import asyncio

    from bot.shell import run_shell
    from domain.identitas import normalize_hp

    hp = normalize_hp(phone)
    if hp is None:
        raise fail(f"nomor HP tidak valid: {phone}")
    try:
        asyncio.run(run_shell(hp, kantor=kantor))
    except ConfigError as exc:
        raise fail(str(exc)) from None


telegram_app = typer.Typer(help="Telegram: webhook registration.", no_args_is_help=True)
app.add_typer(telegram_app, name="telegram")


@telegram_app.command("set-webhook")
def telegram_set_webhook() -> None:
    """Register PTSP_PUBLIC_URL/webhooks/telegram with the secret token."""
    import asyncio

    from bot.channels.telegram import set_webhook

    try:
        url = asyncio.run(set_webhook(load_settings()))
    except Exception as exc:  # noqa: BLE001 - one line for the operator
        raise fail(str(exc)) from None
    typer.echo(f"Webhook Telegram terdaftar: {url}")


def _mount_optional() -> None:
    try:
        from nlu.cli import app as nlu_app
    except ImportError:  # pragma: no cover - the NLU package is always shipped
        return
    app.add_typer(nlu_app, name="nlu", help="NLU: train, parse, evaluate.")


_mount_optional()


def main() -> None:
    app()
