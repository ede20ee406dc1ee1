"""`ptsp-admin outbox`: what the bot could not deliver, and sending it again."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.table import Table

from admin_cli.opsi import JsonOpt, Konsol

console = Konsol()
outbox_app = typer.Typer(help="Pesan keluar: daftar (yang gagal) dan kirim ulang.",
                         no_args_is_help=True)
STATUS = ("pending", "running", "done", "failed", "jendela")


def _k() -> Any:
    from admin_cli.main import _container, handled

    with handled():
        return _container()


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


@outbox_app.command("list")
def outbox_list(
    status: Annotated[str, typer.Option(
        "--status", help="failed (bawaan), pending, running, done, jendela (menunggu "
        "warga menulis lagi: di luar jendela 24 jam WhatsApp tanpa template)")] = "failed",
    limit: Annotated[int, typer.Option("--limit", help="paling banyak sekian baris")] = 100,
    as_json: JsonOpt = False,
) -> None:
    """Daftar pesan keluar; bawaan: yang gagal terkirim (surat mati)."""
    if status not in STATUS:
        typer.echo(f"Galat: status harus salah satu dari {', '.join(STATUS)}", err=True)
        raise typer.Exit(2)
    rows = _k().db.antrean("outbox", status=status, limit=limit)
    data = [{"id": r["id"], "kanal": r["channel"], "penerima": r["recipient"],
             "status": r["status"], "percobaan": r["attempts"], "galat": r["last_error"],
             "dibuat": _iso(r["created_at"]), "teks": (r["message"] or {}).get("text")}
            for r in rows]
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    t = Table("ID", "Kanal", "Penerima", "Status", "Coba", "Galat", "Teks")
    for d in data:
        t.add_row(str(d["id"]), d["kanal"], d["penerima"], d["status"], str(d["percobaan"]),
                  (d["galat"] or "-")[:40], (d["teks"] or "-")[:40])
    console.print(t)


@outbox_app.command("retry")
def outbox_retry(
    ids: Annotated[list[int] | None, typer.Argument(help="id pesan (lihat `outbox list`)")] = None,
    semua: Annotated[bool, typer.Option("--semua", help="semua yang gagal")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Kirim ulang pesan yang gagal (setelah gangguan teratasi)."""
    if not ids and not semua:
        typer.echo("Galat: sebutkan id pesan atau --semua", err=True)
        raise typer.Exit(2)
    done = _k().db.kirim_ulang(None if semua else list(ids or []))
    if as_json:
        typer.echo(json.dumps({"dikirim_ulang": done}))
        return
    if not done:
        typer.echo("Galat: tidak ada pesan gagal dengan id itu", err=True)
        raise typer.Exit(1)
    console.print(f"{len(done)} pesan dijadwalkan ulang: {', '.join(map(str, done))}")
