"""The sandbox's official's view: act as any petugas in a Telegram-like chat page.

Served to loopback clients only, whatever the setting (DESIGN "Safety of the sandbox").
A petugas gets a sandbox chat id (never a real Telegram id) and is linked by a real
`/start KODE` message, so everything goes through the same officials' handler as Telegram;
replies are read back from the outbox, where the local sender leaves them.
"""

from __future__ import annotations

import asyncio
import html
import json
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from aiohttp import web
from sqlmodel import Session, select

from bot.inbox import store_incoming
from bot.server import is_loopback
from bot.types import IncomingMessage
from domain.services import KODE_TAUTAN_BERLAKU, buat_kode_tautan
from storage.repositories import utcnow
from storage.tables import InboxRow, OutboxRow, PetugasRow

if TYPE_CHECKING:
    from bot.bootstrap import Container

SANDBOX_ID_BASE = 9_000_000_000_000  # above every real Telegram user id
BARU = timedelta(seconds=2)  # rows this young are sent again (ids may commit out of order)
PROXY_HEADERS = ("Forwarded", "X-Forwarded-For", "X-Real-IP")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
CSS = """body{font-family:sans-serif;max-width:680px;margin:0 auto;padding:8px;background:#dfe7ee}
#log{background:#fff;height:58vh;overflow-y:auto;padding:8px;border-radius:6px}
.m{margin:6px 0;padding:6px 9px;border-radius:8px;max-width:88%;background:#f1f3f4}
.m .t,.in{white-space:pre-wrap;overflow-wrap:anywhere}.in{background:#d6ecff;margin-left:auto}
.kb button{display:block;width:100%;margin-top:4px;padding:6px;border:1px solid #8ab;
background:#eef6fb;border-radius:6px}.balas{font-size:.85em;margin-top:4px}
.pilih{outline:2px solid #2a7}.p{background:#fff;margin:6px 0;padding:8px;border-radius:6px}
form{display:flex;gap:4px;margin-top:6px}#text{flex:1;padding:6px}
#status{min-height:1.3em;color:#055}#status.alert{color:#a00;font-weight:bold}"""
PAGE = """<!doctype html><html lang="id"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>PTSP — Sandbox petugas (Telegram)</title><style>%(css)s</style></head><body>
<h2>Sandbox PTSP (petugas)</h2>%(catatan)s
<div id="daftar"><p>Pilih petugas yang akan diperankan:</p>%(daftar)s</div>
<div id="chat" hidden><p><strong id="siapa"></strong>
<button id="ganti" type="button">Ganti petugas</button></p>
<div id="log" aria-live="polite"></div><p id="status" role="status"></p>
<p id="balasinfo" hidden>Membalas: <span id="balasteks"></span>
<button id="batalbalas" type="button">✕</button></p>
<form id="f"><input id="text" autocomplete="off" placeholder="Ketik jawaban atau /tugas…">
<button id="kirim" type="submit">Kirim</button></form></div>
<p id="err" role="alert" style="color:#a00"></p>
<script>
let pid=null,gen=0,after=0,masuk=0,reply=null,tt=null,awal=true;
const seen=new Set(),shown=new Map();
const $=id=>document.getElementById(id),log=$('log'),el=(t,c,x)=>{
 const e=document.createElement(t);e.className=c||'';e.textContent=x||'';return e;};
function place(e,urut){e.dataset.urut=urut;for(const c of log.children){
 if(+c.dataset.urut>urut){log.insertBefore(e,c);return;}}log.appendChild(e);}
function pilih(m){reply=m;$('balasinfo').hidden=!m;$('balasteks').textContent=m?m.text:'';
 $('text').placeholder=(m&&m.placeholder)||'Ketik jawaban atau /tugas…';
 for(const c of log.children)c.classList.toggle('pilih',!!m&&c.id==='m'+m.id);}
function render(m){if(shown.get(m.id)===m.versi)return false;shown.set(m.id,m.versi);
 let d=$('m'+m.id);const fresh=!d;if(fresh){d=el('div');d.id='m'+m.id;}
 d.className='m out'+(m.edited?' edited':'');d.replaceChildren(el('div','t',m.text));
 const kb=d.appendChild(el('div','kb'));
 for(const row of m.buttons)for(const b of row){const e=kb.appendChild(el('button','',b.text));
  e.type='button';e.onclick=()=>kirim({button:b.data});}
 if(m.bisa_dibalas){const e=d.appendChild(el('button','balas','↩ balas pesan ini'));
  e.type='button';e.onclick=()=>pilih(m);}
 if(fresh)place(d,m.urut);log.scrollTop=log.scrollHeight;return fresh;}
function toast(x){const s=$('status');s.textContent=x.text;s.className=x.alert?'alert':'';
 clearTimeout(tt);tt=setTimeout(()=>{s.textContent='';},x.alert?6000:3000);}
async function poll(g){if(g!==gen)return;try{
 const r=await fetch('/petugas/'+pid+'/pesan?after='+after+'&masuk='+masuk);
 if(r.ok&&g===gen){const j=await r.json();let last=null;
  for(const m of j.messages)if(render(m)&&m.force_reply)last=m;
  if(last)pilih(last);
  for(const m of j.sent){if(!$('i'+m.id)){const d=el('div','m in',m.text);d.id='i'+m.id;
   place(d,m.urut);}masuk=Math.max(masuk,m.id);}
  for(const x of j.toasts)if(!seen.has(x.id)){seen.add(x.id);if(!awal)toast(x);}
  after=j.cursor;awal=false;}}catch(e){}
 setTimeout(()=>poll(g),700);}
async function kirim(body){if(reply&&body.text!==undefined)body.reply_to=reply.balas_id;
 const r=await fetch('/petugas/'+pid+'/kirim',{method:'POST',body:JSON.stringify(body),
  headers:{'Content-Type':'application/json'}});
 $('err').textContent=r.ok?'':(await r.json()).error;return r.ok;}
async function masukSebagai(id){const r=await fetch('/petugas/'+id+'/masuk',{method:'POST'});
 const j=await r.json();if(!r.ok){$('err').textContent=j.error;return;}
 pid=id;gen++;after=0;masuk=0;awal=true;shown.clear();log.replaceChildren();pilih(null);
 $('err').textContent='';$('siapa').textContent='Masuk sebagai '+j.nama+' ('+j.peran+')';
 $('daftar').hidden=true;$('chat').hidden=false;location.hash='p'+id;poll(gen);}
for(const b of document.querySelectorAll('button[data-masuk]'))
 b.onclick=()=>masukSebagai(b.dataset.masuk);
$('ganti').onclick=()=>{gen++;pid=null;$('chat').hidden=true;$('daftar').hidden=false;
 location.hash='';};
$('batalbalas').onclick=()=>pilih(null);
$('f').onsubmit=async(e)=>{e.preventDefault();
 if(await kirim({text:$('text').value})){$('text').value='';pilih(null);}};
if(/^#p\\d+$/.test(location.hash))masukSebagai(location.hash.slice(2));
</script></body></html>"""


def _lokal(handler: Handler) -> Handler:
    """Refuse every client but a direct loopback one (a proxied request never is)."""
    async def wrapped(request: web.Request) -> web.StreamResponse:
        if not is_loopback(request) or any(h in request.headers for h in PROXY_HEADERS):
            raise web.HTTPForbidden(text="Tampilan petugas hanya untuk akses lokal (loopback).")
        return await handler(request)
    return wrapped


def _galat(error: type[web.HTTPException], pesan: str) -> web.HTTPException:
    return error(text=json.dumps({"error": pesan}), content_type="application/json")


def chat_id(row: PetugasRow) -> int | None:
    """The petugas's sandbox chat id; None when linked to a real Telegram account."""
    tg = row.telegram_user_id
    if tg is not None and tg < SANDBOX_ID_BASE:
        return None
    return tg if tg is not None else SANDBOX_ID_BASE + int(row.id or 0)


def petugas_routes(c: Container) -> Callable[[web.Application], None]:
    """Routes of the official's view; `add(app)` mounts them on an app.

    Args:
        c: the wired container (its officials' handler processes what is sent here).

    Returns:
        A function that adds `/petugas`, `/petugas/{id}/masuk`, `/petugas/{id}/kirim`
        and `/petugas/{id}/pesan` to an aiohttp application.
    """

    def aktif(pid: int | None = None) -> list[PetugasRow]:
        q = select(PetugasRow).where(PetugasRow.aktif == True)  # noqa: E712
        q = q.where(PetugasRow.id == pid) if pid is not None else q.order_by(PetugasRow.id)
        with Session(c.db.engine) as s:
            return list(s.exec(q))

    def peran(row: PetugasRow) -> str:
        jab = c.profil(row.kantor_id).nama_jabatan(row.jabatan) if row.jabatan else None
        return f"{row.role}, {jab}" if jab else row.role

    def tautkan(row: PetugasRow) -> int:
        """Link through a real `/start KODE` unless linked already; returns the chat id."""
        chat = chat_id(row)
        if chat is None:
            raise ValueError(f"petugas {row.id} tertaut ke Telegram sungguhan")
        if row.telegram_user_id == chat:
            return chat
        with c.uow(row.kantor_id) as uow:
            p = uow.petugas.get(row.id)
            now = c.clock.now()
            if not p.kode_tautan or (p.kode_kedaluwarsa and p.kode_kedaluwarsa < now):
                p.kode_tautan, p.kode_kedaluwarsa = buat_kode_tautan(), now + KODE_TAUTAN_BERLAKU
                uow.petugas.add(p)
                uow.commit()
            kode = p.kode_tautan
        # one id per code: pressing "Masuk" twice stores the /start once
        store_incoming(c.db, row.kantor_id, IncomingMessage(
            channel="telegram", sender_id=str(chat), message_id=f"sandbox-tautan-{row.id}-{kode}",
            received_at=utcnow(), text=f"/start {kode}",
            raw={"chat_id": chat, "callback_query_id": None, "reply_to_message_id": None}))
        return chat

    def pesan(chat: str, after: int, masuk: int) -> dict[str, Any]:
        """Messages changed after row `after` (edits applied in place), toasts, own texts."""
        with Session(c.db.engine) as s:
            rows = s.exec(select(OutboxRow).where(
                OutboxRow.channel == "telegram", OutboxRow.recipient == chat)
                .order_by(OutboxRow.id)).all()
            sent = s.exec(select(InboxRow).where(
                InboxRow.channel == "telegram", InboxRow.sender == chat, InboxRow.id > masuk)
                .order_by(InboxRow.id)).all()
        msgs: dict[int, dict[str, Any]] = {}
        toasts, baru = [], utcnow() - BARU
        for r in rows:
            m = r.message
            if r.status != "done":
                continue
            if "answer_callback" in m:
                toasts.append({"id": r.id, "text": m.get("text", ""),
                               "alert": bool(m.get("alert"))})
            elif "edit_outbox_id" in m:
                orig = msgs.get(int(m["edit_outbox_id"]))
                if orig is not None:
                    orig.update(text=m.get("text", orig["text"]), versi=r.id, edited=True,
                                buttons=m.get("buttons", orig["buttons"]) or [])
            else:
                msgs[r.id] = {
                    "id": r.id, "versi": r.id, "edited": False, "urut": _urut(r.created_at),
                    "text": m.get("text") or "",
                    "buttons": m.get("buttons") or [], "force_reply": bool(m.get("force_reply")),
                    "placeholder": m.get("placeholder"),  # relayed chat: answered by replying
                    "bisa_dibalas": bool(m.get("force_reply") or m.get("relay_to")),
                    "balas_id": (r.provider_id or "").rpartition(":")[2] or None}
        # the cursor: every row up to it is settled and old enough to be committed in order
        open_ = [r.id for r in rows if r.status not in ("done", "failed") or r.created_at > baru]
        cursor = min(open_) - 1 if open_ else (rows[-1].id if rows else 0)
        return {
            "messages": [m for m in msgs.values() if m["versi"] > after],
            "toasts": [t for t in toasts if t["id"] > after], "cursor": max(0, cursor),
            "sent": [{"id": r.id, "text": r.payload.get("text"), "urut": _urut(r.created_at)}
                     for r in sent if r.payload.get("text")]}

    async def cari(request: web.Request) -> PetugasRow:
        """The petugas of the URL, if the sandbox may act as them; else an HTTP error."""
        pid = request.match_info["id"]
        rows = await asyncio.to_thread(aktif, int(pid)) if pid.isdigit() else []
        if not rows:
            raise _galat(web.HTTPNotFound, "Petugas tidak ditemukan atau tidak aktif.")
        row = rows[0]
        if chat_id(row) is None:
            raise _galat(web.HTTPForbidden, f"{row.nama} tertaut ke akun Telegram sungguhan; "
                                            "tidak dapat diperankan dari sandbox.")
        if c.settings.telegram_enabled:
            raise _galat(web.HTTPConflict, "Bot Telegram sungguhan aktif: pesan untuk petugas "
                                           "sandbox tidak dapat ditampilkan di sini.")
        return row

    async def page(request: web.Request) -> web.Response:
        rows = await asyncio.to_thread(aktif)
        e = html.escape
        items = []
        for r in rows:
            aksi = (f'<button type="button" data-masuk="{r.id}" id="masuk-{r.id}">Masuk sebagai '
                    f'{e(r.nama)}</button>' if chat_id(r) is not None else
                    "<em>tertaut ke Telegram — tidak dapat diperankan dari sandbox</em>")
            items.append(f'<div class="p" id="petugas-{r.id}"><strong>{e(r.nama)}</strong> '
                         f"({e(peran(r))})<br>{aksi}</div>")
        catatan = ("<p><em>Bot Telegram sungguhan aktif; tampilan ini tidak dapat dipakai."
                   "</em></p>" if c.settings.telegram_enabled else "")
        body = PAGE % {"css": CSS, "catatan": catatan,
                       "daftar": "".join(items) or "<p>Belum ada petugas aktif. Tambahkan dengan "
                                                   "<code>ptsp-admin petugas add</code>.</p>"}
        return web.Response(text=body, content_type="text/html")

    async def masuk(request: web.Request) -> web.Response:
        row = await cari(request)
        chat = await asyncio.to_thread(tautkan, row)
        return web.json_response({"ok": True, "id": row.id, "nama": row.nama,
                                  "peran": peran(row), "chat_id": chat})

    async def kirim(request: web.Request) -> web.Response:
        row = await cari(request)
        try:
            data = await request.json()
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise _galat(web.HTTPBadRequest, "Permintaan harus JSON: {text, button, reply_to}.")
        text = str(data.get("text") or "").strip() or None
        button = str(data.get("button") or "").strip() or None
        if text is None and button is None:
            raise _galat(web.HTTPBadRequest, "Pesan kosong: ketik jawaban atau tekan tombol.")
        reply_to = data.get("reply_to") or None
        if isinstance(reply_to, str) and reply_to.isdigit():
            reply_to = int(reply_to)  # as Telegram sends it
        chat = await asyncio.to_thread(tautkan, row)
        msg = IncomingMessage(
            channel="telegram", sender_id=str(chat), message_id=uuid.uuid4().hex,
            received_at=utcnow(), text=None if button else text, button_payload=button,
            raw={"chat_id": chat, "callback_query_id": uuid.uuid4().hex if button else None,
                 "reply_to_message_id": reply_to})
        await asyncio.to_thread(store_incoming, c.db, row.kantor_id, msg)
        return web.json_response({"ok": True})

    async def daftar_pesan(request: web.Request) -> web.Response:
        row = await cari(request)
        q = request.query
        after, masuk_ = (int(v) if v.isdigit() else 0 for v in (q.get("after", "0"),
                                                                  q.get("masuk", "0")))
        chat = str(chat_id(row))
        return web.json_response(await asyncio.to_thread(pesan, chat, after, masuk_))

    def add(app: web.Application) -> None:
        if "sandbox_petugas" in app.router.named_resources():
            return  # mounted already (by the sandbox and by a caller)
        app.router.add_get("/petugas", _lokal(page), name="sandbox_petugas")
        app.router.add_post("/petugas/{id}/masuk", _lokal(masuk))
        app.router.add_post("/petugas/{id}/kirim", _lokal(kirim))
        app.router.add_get("/petugas/{id}/pesan", _lokal(daftar_pesan))

    return add


def _urut(when: Any) -> int:
    return int(when.timestamp() * 1_000_000)


def lepas_tautan_sandbox(c: Container) -> int:
    """Unlink petugas linked only in the sandbox (with a real bot their prompts would fail)."""
    from sqlmodel import Session, update

    from storage.tables import PetugasRow

    with Session(c.db.engine) as s:
        n = s.execute(update(PetugasRow).where(PetugasRow.telegram_user_id >= SANDBOX_ID_BASE)
                      .values(telegram_user_id=None)).rowcount
        s.commit()
    return int(n or 0)
