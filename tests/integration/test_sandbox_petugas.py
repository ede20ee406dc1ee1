"""The sandbox's official's view over HTTP: loopback only, linking through a real /start,
and a CS acting on a citizen's audiensi with the prompt's buttons, workers running."""

from __future__ import annotations

import asyncio
import time
from unittest import mock

import aiohttp
import pytest
from aiohttp.test_utils import make_mocked_request
from sqlmodel import Session, select

from bot.app import wire
from bot.sandbox_petugas import SANDBOX_ID_BASE, petugas_routes
from bot.server import create_app
from domain import commands as cmd
from storage.tables import InboxRow, OutboxRow, PetugasRow
from tests.conftest import make_container

PDF = b"%PDF-1.4\n1 0 obj<</Title (Surat permohonan audiensi)>>endobj\ntrailer<<>>\n%%EOF\n"
HP = "081234567890"


async def until(check, what: str, timeout: float = 15):
    """Poll `check` (sync or async) until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while True:
        got = check()
        if asyncio.iscoroutine(got):
            got = await got
        if got:
            return got
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


@pytest.fixture
def office(db_url, tmp_path, clock, nlu_parser):
    """A wired container on SQLite and on PostgreSQL, with the official's view mounted."""
    c = wire(make_container(db_url, tmp_path / "data", clock, sandbox="on"), nlu=nlu_parser)
    c.extras["routes"].append(petugas_routes(c))
    yield c
    c.db.dispose()


@pytest.fixture
async def client(office, aiohttp_client):
    # `office` first: the app (and its workers) stop before the database is dropped
    return await aiohttp_client(create_app(office))  # workers run with the app


def tambah(c, nama, role, jabatan=None, tugas=()):
    with c.uow() as uow:
        p = c.bus.handle(cmd.TambahPetugas(nama=nama, role=role, jabatan=jabatan,
                                           tugas=tuple(tugas)), uow)
    return p.id


def petugas_row(c, pid) -> PetugasRow:
    with Session(c.db.engine) as s:
        return s.get(PetugasRow, pid)


async def pesan(client, pid, after=0) -> dict:
    resp = await client.get(f"/petugas/{pid}/pesan", params={"after": after})
    assert resp.status == 200, await resp.text()
    return await resp.json()


async def pesan_dengan(client, pid, teks: str) -> dict:
    async def check():
        return next((m for m in (await pesan(client, pid))["messages"] if teks in m["text"]),
                    None)
    return await until(check, f"a message with {teks!r} to petugas {pid}")


def tombol(m: dict, label: str) -> str:
    return next(b["data"] for row in m["buttons"] for b in row if label in b["text"])


async def masuk(client, c, pid) -> None:
    resp = await client.post(f"/petugas/{pid}/masuk")
    assert resp.status == 200, await resp.text()
    await until(lambda: petugas_row(c, pid).telegram_user_id == SANDBOX_ID_BASE + pid,
                f"petugas {pid} linked")


async def pemohon(client, text=None, expect="", *, pdf=False) -> str:
    """Send as the pemohon through the pemohon page's endpoints; wait for `expect`."""
    before = len(await balasan(client))
    form = aiohttp.FormData()
    form.add_field("phone", HP)
    form.add_field("text", text or "")
    if pdf:
        form.add_field("file", PDF, filename="surat.pdf", content_type="application/pdf")
    resp = await client.post("/sandbox/send", data=form)
    assert resp.status == 200, await resp.text()

    new: list[str] = []

    async def check():
        new[:] = (await balasan(client))[before:]
        return "\n---\n".join(new) if any(expect in t for t in new) else None
    try:
        return await until(check, f"a reply with {expect!r} to {text!r}")
    except AssertionError as exc:
        raise AssertionError(f"{exc}; the pemohon got {new!r}") from None


async def balasan(client) -> list[str]:
    resp = await client.get("/sandbox/messages", params={"phone": HP})
    return [m["text"] for m in (await resp.json())["messages"] if m["arah"] == "out"]


async def audiensi(client) -> None:
    await pemohon(client, "daftar", "1. Perorangan")
    await pemohon(client, "1", "nama lengkap")
    await pemohon(client, "Budi Santoso", "NIK")
    await pemohon(client, "3171011708850003", "+6281234567890")
    await pemohon(client, "ya", "alamat")
    await pemohon(client, "Jl. Merdeka No. 1, Jakarta Pusat", "SETUJU")
    await pemohon(client, "setuju", "tersimpan")
    await pemohon(client, "sy mau audiensi dengan kakanwil", "untuk siapa")
    await pemohon(client, "1", "tujuan/keperluan audiensi")
    await pemohon(client, "Koordinasi kegiatan MTQ tingkat provinsi", "Kapan waktu")
    await pemohon(client, "besok jam 10", "Kirim dokumen")
    await pemohon(client, None, "1 file", pdf=True)
    await pemohon(client, "selesai", "Ringkasan permohonan")
    out = await pemohon(client, "ya", "Bukti Pengajuan")
    assert "PTSP-261124-0001" in out


def route_handler(app, method: str, path: str):
    for route in app.router.routes():
        if route.method == method and route.resource.canonical == path:
            return route.handler
    raise AssertionError(f"no route {method} {path}")


@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/petugas"), ("POST", "/petugas/{id}/masuk"), ("POST", "/petugas/{id}/kirim"),
    ("GET", "/petugas/{id}/pesan")])
async def test_a_non_loopback_client_is_refused_even_with_the_sandbox_on(office, method, path):
    app = create_app(office, run_workers=False)
    transport = mock.Mock()
    transport.get_extra_info.side_effect = lambda name, default=None: (
        ("203.0.113.7", 40000) if name == "peername" else default)
    request = make_mocked_request(method, path.replace("{id}", "1"), app=app,
                                  transport=transport, match_info={"id": "1"})
    assert office.settings.sandbox_enabled and request.remote == "203.0.113.7"
    with pytest.raises(aiohttp.web.HTTPForbidden):
        await route_handler(app, method, path)(request)


async def test_a_proxied_request_is_refused_though_the_proxy_is_local(client, office):
    for header in ("X-Forwarded-For", "X-Real-IP", "Forwarded"):
        resp = await client.get("/petugas", headers={header: "203.0.113.7"})
        assert resp.status == 403
    assert (await client.get("/petugas")).status == 200


async def test_masuk_links_the_petugas_through_start_once(client, office):
    pid = tambah(office, "Ani Rahmawati", "cs", tugas=("layanan",))
    page = await (await client.get("/petugas")).text()
    assert "Ani Rahmawati" in page and "Masuk sebagai Ani Rahmawati" in page and "cs" in page
    assert petugas_row(office, pid).telegram_user_id is None
    await masuk(client, office, pid)
    welcome = await pesan_dengan(client, pid, "Selamat datang, Ani Rahmawati")
    assert "terhubung" in welcome["text"] and welcome["buttons"] == []
    # pressing Masuk again does not send another /start
    assert (await client.post(f"/petugas/{pid}/masuk")).status == 200
    resp = await client.post(f"/petugas/{pid}/kirim", json={"text": "/tugas"})
    assert resp.status == 200
    await pesan_dengan(client, pid, "Tidak ada tugas terbuka")
    with Session(office.db.engine) as s:
        starts = [r for r in s.exec(select(InboxRow).where(InboxRow.channel == "telegram"))
                  if (r.payload.get("text") or "").startswith("/start")]
        assert len(starts) == 1
        texts = [r.message.get("text", "") for r in s.exec(select(OutboxRow))]
    assert not any("tidak valid" in t for t in texts)
    assert [m["text"] for m in (await pesan(client, pid))["sent"]][-1] == "/tugas"


async def test_an_expired_code_is_renewed_before_linking(client, office):
    pid = tambah(office, "Wati", "koordinator")
    with office.uow() as uow:
        p = uow.petugas.get(pid)
        p.kode_kedaluwarsa = office.clock.now().replace(year=2020)
        uow.petugas.add(p)
        uow.commit()
    await masuk(client, office, pid)
    await pesan_dengan(client, pid, "Selamat datang, Wati")


async def test_bad_requests_are_answered_in_indonesian(client, office):
    pid = tambah(office, "Ani", "cs")
    resp = await client.post(f"/petugas/{pid}/kirim", json={"text": "  "})
    assert resp.status == 400 and "kosong" in (await resp.json())["error"]
    resp = await client.post("/petugas/9999/kirim", json={"text": "/tugas"})
    assert resp.status == 404 and "tidak ditemukan" in (await resp.json())["error"]
    assert (await client.get("/petugas/abc/pesan")).status == 404


async def test_a_cs_checks_an_audiensi_from_the_pemohon_sandbox(client, office):
    cs = tambah(office, "Ani", "cs", tugas=("layanan", "aduan_skm"))
    kakanwil = tambah(office, "Pak Kakanwil", "pejabat", "kakanwil")
    await masuk(client, office, cs)
    await masuk(client, office, kakanwil)
    await audiensi(client)
    prompt = await pesan_dengan(client, cs, "Permohonan baru")
    assert "PTSP-261124-0001" in prompt["text"] and not prompt["edited"]
    assert [b["text"] for row in prompt["buttons"] for b in row] == ["Lengkap", "Tidak lengkap"]
    resp = await client.post(f"/petugas/{cs}/kirim", json={"button": tombol(prompt, "Lengkap")})
    assert resp.status == 200

    def status():
        with office.uow() as uow:
            return uow.permohonan.get("PTSP-261124-0001").status == "konfirmasi"
    await until(status, "status konfirmasi")

    async def edited():
        got = (await pesan(client, cs))["messages"]
        return next((m for m in got if m["id"] == prompt["id"] and m["edited"]), None)
    now = await until(edited, "the prompt edited in place")
    assert now["buttons"] == [] and "✅" in now["text"] and "Permohonan baru" in now["text"]
    got = await pesan(client, cs)
    assert [m["id"] for m in got["messages"]].count(prompt["id"]) == 1  # no separate edit row
    assert any(t["text"] == "Berkas lengkap" for t in got["toasts"])
    # polling after a version returns only what changed since
    since = await pesan(client, cs, after=now["versi"])
    assert all(m["versi"] > now["versi"] for m in since["messages"])
    # the kakanwil now has the konfirmasi prompt
    konf = await pesan_dengan(client, kakanwil, "menunggu konfirmasi")
    assert "Disposisi" in [b["text"] for row in konf["buttons"] for b in row]


async def test_a_petugas_linked_to_real_telegram_cannot_be_used(client, office):
    pid = tambah(office, "Pak Kasi", "pejabat", "kasi_umrah")
    with office.uow() as uow:
        p = uow.petugas.get(pid)
        p.telegram_user_id, p.kode_tautan = 123456789, None
        uow.petugas.add(p)
        uow.commit()
    page = await (await client.get("/petugas")).text()
    assert "Pak Kasi" in page and "tertaut ke Telegram" in page
    assert f'data-masuk="{pid}"' not in page
    for method, path, body in [("POST", "masuk", None), ("POST", "kirim", {"text": "/tugas"}),
                               ("GET", "pesan", None)]:
        resp = await client.request(method, f"/petugas/{pid}/{path}", json=body)
        assert resp.status == 403
        assert "Telegram sungguhan" in (await resp.json())["error"]
    with Session(office.db.engine) as s:
        assert s.exec(select(InboxRow).where(InboxRow.channel == "telegram")).all() == []
    assert petugas_row(office, pid).telegram_user_id == 123456789


async def test_a_cs_who_enters_after_the_prompt_gets_it_with_tugas(client, office):
    cs = tambah(office, "Ani", "cs", tugas=("layanan",))
    await audiensi(client)
    await masuk(client, office, cs)
    await pesan_dengan(client, cs, "Selamat datang")
    assert (await client.post(f"/petugas/{cs}/kirim", json={"text": "/tugas"})).status == 200
    daftar = await pesan_dengan(client, cs, "Tugas terbuka")
    assert "PTSP-261124-0001" in daftar["text"]
    prompt = await pesan_dengan(client, cs, "Permohonan baru")
    assert "Lengkap" in [b["text"] for row in prompt["buttons"] for b in row]


async def test_a_cs_answers_a_relayed_question_by_replying_to_it(client, office):
    cs = tambah(office, "Ani", "cs", tugas=("layanan",))
    await masuk(client, office, cs)
    await pemohon(client, "daftar", "1. Perorangan")
    for text, expect in [("1", "nama lengkap"), ("Budi Santoso", "NIK"),
                         ("3171011708850003", "+6281234567890"), ("ya", "alamat"),
                         ("Jl. Merdeka No. 1", "SETUJU"), ("setuju", "tersimpan"),
                         ("saya mau bicara dengan petugas", "sudah kami teruskan")]:
        await pemohon(client, text, expect)
    await pesan_dengan(client, cs, "ingin bicara dengan petugas")
    resp = await client.post("/sandbox/send", data={"phone": HP,
                                                    "text": "Apakah legalisir bisa diwakilkan?"})
    assert resp.status == 200
    q = await pesan_dengan(client, cs, "diwakilkan")
    assert q["bisa_dibalas"] and not q["force_reply"] and q["balas_id"]
    resp = await client.post(f"/petugas/{cs}/kirim", json={
        "text": "Bisa, dengan surat kuasa bermeterai.", "reply_to": q["balas_id"]})
    assert resp.status == 200
    await until(lambda: _any_reply(client, "surat kuasa"), "the answer relayed to the pemohon")
    await pesan_dengan(client, cs, "Terkirim ke Budi Santoso")


async def _any_reply(client, teks: str) -> bool:
    return any(teks in t for t in await balasan(client))
