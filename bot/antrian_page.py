"""`GET /antrian`: the waiting-room display — numbers only, never names."""

from __future__ import annotations

import asyncio
import html
from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from bot.bootstrap import Container


def papan(c: Container, kantor_id: int | None = None) -> list[dict]:
    """Per loket: the number being served and how many are waiting."""
    profil = c.profil(kantor_id)
    hari = c.clock.now().astimezone(profil.kalender.tz).date()
    with c.uow(profil.id) as uow:
        semua = uow.antrian.hari_ini(hari)
    out = []
    for kode, nama in profil.loket.items():
        mine = [a for a in semua if a.loket == kode]
        dipanggil = [a for a in mine if a.status == "dipanggil"]
        out.append({"loket": kode, "nama": nama,
                    "dilayani": dipanggil[-1].nomor if dipanggil else None,
                    "menunggu": sum(1 for a in mine if a.status == "menunggu")})
    return out


def antrian_routes(c: Container):  # noqa: ANN201 - a route adder
    async def page(request: web.Request) -> web.Response:
        rows = await asyncio.to_thread(papan, c)
        if request.query.get("format") == "json":
            return web.json_response({"loket": rows})
        cells = "".join(
            f"<section><h2>{html.escape(r['nama'])}</h2><p class=n>{r['dilayani'] or '—'}</p>"
            f"<p>Menunggu: {r['menunggu']}</p></section>" for r in rows)
        body = ("<!doctype html><html lang=id><head><meta charset=utf-8>"
                "<meta http-equiv=refresh content=5><title>Antrian PTSP</title><style>"
                "body{font-family:sans-serif;display:flex;gap:2em;justify-content:center}"
                "section{text-align:center}.n{font-size:5em;font-weight:bold;margin:.2em}"
                f"</style></head><body>{cells}</body></html>")
        return web.Response(text=body, content_type="text/html")

    def add(app: web.Application) -> None:
        app.router.add_get("/antrian", page)

    return add
