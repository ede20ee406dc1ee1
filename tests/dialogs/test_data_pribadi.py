"""UU 27/2022 on chat and at the desk: a pemohon sees their data, corrects it, asks for
deletion; the koordinator carries it out with `ptsp-admin pemohon hapus`, the archive
kept without the person (inbox → dialogs → domain → outbox, and Typer's runner)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from domain import commands as c
from tests.chat import Chat
from tests.dialogs.test_flows import legalisir, register

runner = CliRunner()


async def test_see_and_correct_my_data(sqlite_app):
    chat = Chat(sqlite_app)
    out = await chat.send("data saya")
    assert "belum terdaftar" in out
    await register(chat)
    out = await chat.send("Data saya?")
    assert "Budi Santoso" in out and "317101******0003" in out and "3171011708850003" not in out
    assert "Jl. Merdeka" in out and "Notifikasi: aktif" in out and "UU 27/2022" in out
    out = await chat.send("ubah data")
    assert "1. Nama lengkap" in out and "3. Alamat" in out
    assert "Alamat yang benar" in await chat.send("alamat")
    out = await chat.send("jl")
    assert "terlalu pendek" in out
    out = await chat.send("Jl. Kebon Sirih No. 5, Kel. Gambir, Jakarta Pusat")
    assert "diperbarui" in out and "Kebon Sirih" in out
    await chat.send("ubah data")
    await chat.send("2")
    assert "NIK" in await chat.send("317101170885000")  # 15 digits: asked again
    await chat.send("3171015708850003")
    with sqlite_app.uow() as uow:
        p = uow.pemohon.by_kanal("sandbox", chat.phone)
    assert p.alamat.startswith("Jl. Kebon Sirih") and p.nik == "3171015708850003"


async def test_deletion_is_asked_on_chat_and_carried_out_by_the_koordinator(
        sqlite_app, tmp_path, monkeypatch):
    from admin_cli.main import app as admin

    monkeypatch.setenv("PTSP_DATABASE_URL", sqlite_app.settings.database_url)
    monkeypatch.setenv("PTSP_DATA_DIR", str(sqlite_app.settings.data_dir))
    monkeypatch.setenv("PTSP_SANDBOX", "on")
    chat = Chat(sqlite_app)
    await register(chat)
    receipt = await legalisir(chat)
    nomor = next(w.strip("*.,") for w in receipt.split() if w.strip("*.,").startswith("PTSP-"))
    with sqlite_app.uow() as uow:
        koor = sqlite_app.bus.handle(c.TambahPetugas(nama="Bu Koor", role="koordinator"), uow)
        cs = sqlite_app.bus.handle(c.TambahPetugas(nama="Ani", role="cs",
                                                   tugas=("layanan",)), uow)
    out = await chat.send("hapus data saya")
    assert "penghapusan data pribadi" in out and "ya" in out
    assert "tidak dihapus" in await chat.send("tidak")
    await chat.send("hapus data saya")
    assert "telah kami catat" in await chat.send("ya")
    listed = runner.invoke(admin, ["pemohon", "list", "--hapus-diminta", "--json"])
    assert listed.exit_code == 0, listed.output
    [row] = json.loads(listed.stdout)
    refused = runner.invoke(admin, ["pemohon", "hapus", str(row["id"]), "--oleh", str(cs.id)])
    assert refused.exit_code == 1 and "tidak berwenang" in refused.output
    done = runner.invoke(admin, ["pemohon", "hapus", str(row["id"]), "--oleh", str(koor.id),
                                 "--json"])
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)
    assert data["nama"] == "(data dihapus)" and data["hp"] is None and data["nik"] == "-"
    await chat.outbox.drain()
    assert any("telah dihapus" in r for r in chat._replies())
    with sqlite_app.uow() as uow:  # the archive stays, without the person
        p = uow.permohonan.get(nomor)
        assert p is not None and p.atas_nama == "(data dihapus)"
        assert uow.pemohon.by_kanal("sandbox", chat.phone) is None
    assert "belum terdaftar" in await chat.send("data saya")  # a stranger now
    again = runner.invoke(admin, ["pemohon", "hapus", str(row["id"]), "--oleh", str(koor.id)])
    assert again.exit_code == 1 and "sudah dihapus" in again.output
