"""The local sandbox: chat as any phone number in the browser, same dialogs, store and NLU.

Replies are read back from the outbox (the sandbox channel's sender delivers locally).
With several offices the page chooses which office the messages go to, as writing to
that office's WhatsApp number would.
"""

from __future__ import annotations

import asyncio
import html
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from aiohttp import web
from sqlmodel import Session, select

from bot.inbox import store_incoming
from bot.settings import ConfigError
from bot.types import IncomingMessage, MediaRef
from domain.identitas import normalize_hp
from storage.files import ext_of
from storage.repositories import utcnow
from storage.tables import InboxRow, OutboxRow

if TYPE_CHECKING:
    from bot.bootstrap import Container

MAX_UPLOAD = 16 * 1024 * 1024
PAGE = """<!doctype html><html lang="id"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>PTSP — Sandbox WhatsApp</title>
<style>
body{font-family:sans-serif;max-width:640px;margin:0 auto;padding:8px;background:#ece5dd}
#log{background:#fff;height:60vh;overflow-y:auto;padding:8px;border-radius:6px}
.m{margin:6px 0;padding:6px 9px;border-radius:8px;white-space:pre-wrap;max-width:85%}
.in{background:#dcf8c6;margin-left:auto}.out{background:#f1f0f0}
form{display:flex;gap:4px;margin-top:6px}#text{flex:1}
</style></head><body>
<h2>Sandbox PTSP (pemohon)</h2>
<label>Nomor HP: <input id="phone" value="081234567890"></label>
{{KANTOR}}<button id="ganti" type="button">Ganti nomor</button>
<div id="log" aria-live="polite"></div>
<form id="f"><input id="text" name="text" autocomplete="off" placeholder="Ketik pesan…">
<input id="file" name="file" type="file" accept="image/*,application/pdf">
<button id="kirim" type="submit">Kirim</button></form>
<p id="err" role="alert" style="color:#a00"></p>
<script>
let after=0, phone=document.getElementById('phone').value;
const log=document.getElementById('log'), pilihKantor=document.getElementById('kantor');
const kantor=()=>pilihKantor?pilihKantor.value:'';
function add(cls,text){const d=document.createElement('div');d.className='m '+cls;
 d.textContent=text;log.appendChild(d);log.scrollTop=log.scrollHeight;}
async function poll(){try{const r=await fetch('/sandbox/messages?phone='
 +encodeURIComponent(phone)+'&kantor='+encodeURIComponent(kantor())+'&after='+after);
 if(r.ok){const j=await r.json();
  for(const m of j.messages){add(m.arah,m.text);after=Math.max(after,m.seq);}}}catch(e){}
 setTimeout(poll,500);}
document.getElementById('ganti').onclick=()=>{phone=document.getElementById('phone').value;log.innerHTML='';after=0;};
if(pilihKantor)pilihKantor.onchange=()=>{log.innerHTML='';after=0;};
document.getElementById('f').onsubmit=async(e)=>{e.preventDefault();
 const fd=new FormData();fd.append('phone',phone);fd.append('kantor',kantor());
 fd.append('text',document.getElementById('text').value);
 const file=document.getElementById('file').files[0];if(file)fd.append('file',file);
 const r=await fetch('/sandbox/send',{method:'POST',body:fd});
 document.getElementById('err').textContent=r.ok?'':(await r.json()).error;
 if(r.ok){document.getElementById('text').value='';document.getElementById('file').value='';}};
poll();
</script></body></html>"""


def _phone(raw: str) -> str:
    hp = normalize_hp(raw or "")
    if hp is None:
        raise web.HTTPBadRequest(
            text='{"error": "Nomor HP tidak valid. Contoh: 081234567890"}',
            content_type="application/json")
    return hp


def sandbox_routes(c: Container) -> Callable[[web.Application], None]:
    """Routes of the sandbox page; added only when the sandbox is on."""
    files = c.extras["files"]

    # with several offices the page lets one choose which office's number to write to
    pilihan = "" if len(c.kantor) < 2 else (
        '<label>Kantor: <select id="kantor">' + "".join(
            f'<option value="{html.escape(p.kode)}">{html.escape(p.nama)}</option>'
            for p in c.kantor.values()) + "</select></label> ")
    halaman = PAGE.replace("{{KANTOR}}", pilihan)

    def _kantor(kode: str) -> int:
        try:
            return c.kantor_id_of(kode or None)
        except ConfigError:
            raise web.HTTPBadRequest(text='{"error": "Kantor tidak dikenal."}',
                                     content_type="application/json") from None

    async def page(request: web.Request) -> web.Response:
        return web.Response(text=halaman, content_type="text/html")

    async def send(request: web.Request) -> web.Response:
        form = await request.post()
        phone = _phone(str(form.get("phone", "")))
        kantor_id = _kantor(str(form.get("kantor") or ""))
        text = str(form.get("text") or "").strip() or None
        media: tuple[MediaRef, ...] = ()
        upload = form.get("file")
        if isinstance(upload, web.FileField):
            data = upload.file.read(MAX_UPLOAD + 1)
            if len(data) > MAX_UPLOAD:
                return web.json_response({"error": "File melebihi 16 MB."}, status=413)
            ext = ext_of(upload.filename or "")
            sha = await asyncio.to_thread(files.put, data, ext)
            media = (MediaRef(url=f"store:{sha}.{ext}", content_type=upload.content_type),)
        if text is None and not media:
            return web.json_response({"error": "Pesan kosong."}, status=400)
        msg = IncomingMessage(channel="sandbox", sender_id=phone, message_id=uuid.uuid4().hex,
                              received_at=utcnow(), text=text, media=media,
                              kind="media" if media else "text")
        await asyncio.to_thread(store_incoming, c.db, kantor_id, msg)
        return web.json_response({"ok": True})

    def _messages(phone: str, kantor_id: int, after: int) -> list[dict]:
        with Session(c.db.engine) as s:
            keluar = s.exec(select(OutboxRow).where(
                OutboxRow.channel == "sandbox", OutboxRow.recipient == phone,
                OutboxRow.kantor_id == kantor_id, OutboxRow.status == "done")).all()
            masuk = s.exec(select(InboxRow).where(
                InboxRow.channel == "sandbox", InboxRow.sender == phone,
                InboxRow.kantor_id == kantor_id)).all()
        items = [(r.done_at or r.created_at, "out", r.message.get("text", ""), r.id)
                 for r in keluar]
        items += [(r.created_at, "in", r.payload.get("text") or "[file]", r.id) for r in masuk]
        items.sort(key=lambda t: t[0])
        out = []
        for when, arah, text, _ in items:
            seq = int(when.timestamp() * 1_000_000)
            if seq > after:
                out.append({"arah": arah, "text": text, "seq": seq})
        return out

    async def messages(request: web.Request) -> web.Response:
        phone = _phone(request.query.get("phone", ""))
        kantor_id = _kantor(request.query.get("kantor", ""))
        try:
            after = int(request.query.get("after", "0"))
        except ValueError:
            after = 0
        return web.json_response(
            {"messages": await asyncio.to_thread(_messages, phone, kantor_id, after)})

    def add(app: web.Application) -> None:
        app.router.add_get("/", page, name="sandbox")
        app.router.add_post("/sandbox/send", send)
        app.router.add_get("/sandbox/messages", messages)
        from bot.sandbox_petugas import petugas_routes

        petugas_routes(c)(app)  # the officials' view (loopback clients only)

    return add

