"""A province deployment: each office's officials link, see and act on their office only."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from bot.app import wire
from domain import commands as c
from tests.conftest import make_container
from tests.officials.harness import Office
from tests.province import FIRST, kota, use_config

KOTA = kota()
CS_KANWIL, CS_KOTA = 601, 602


@pytest.fixture
def province(tmp_path, clock, nlu_parser):
    k = wire(make_container(f"sqlite:///{tmp_path / 'ptsp.db'}", tmp_path / "data", clock,
                            kantor=[FIRST, KOTA]), nlu=nlu_parser)
    yield k
    k.db.dispose()


def add_cs(k, kantor_id: int, nama: str) -> str:
    with k.uow(kantor_id) as uow:
        return k.bus.handle(c.TambahPetugas(nama=nama, role="cs", tugas=("layanan",)),
                            uow).kode_tautan


def submit_legalisir(k, kantor_id: int) -> str:
    with k.uow(kantor_id) as uow:
        p = k.bus.handle(c.DaftarPemohon(kanal="whatsapp", kanal_id="+6281234567890",
                                         nama="Budi Santoso", hp="+6281234567890",
                                         nik="3171011708850003", persetujuan=True), uow)
    with k.uow(kantor_id) as uow:
        return k.bus.handle(c.AjukanPermohonan(pemohon_id=p.id, layanan="legalisir",
                                               atas_nama="Budi Santoso"), uow)


async def test_an_offices_cs_links_gets_its_prompts_and_acts_on_them(province):
    k = province
    kota = k.kantor_by_kode["kankemenag_kota"]
    office = Office(k)
    await office.tg_send(CS_KANWIL, f"/start {add_cs(k, k.default_kantor_id, 'Ani')}")
    await office.tg_send(CS_KOTA, f"/start {add_cs(k, kota, 'Rina')}")
    assert "terhubung" in office.last_text(CS_KOTA)  # the code of the second office works

    nomor = submit_legalisir(k, kota)
    await office.pump()
    assert nomor in office.last_text(CS_KOTA)
    assert not any(nomor in m.get("text", "") for m in office.to(CS_KANWIL))

    await office.tg_send(CS_KOTA, button=office.button(CS_KOTA, "Lengkap"))
    with k.uow(kota) as uow:
        assert uow.permohonan.get(nomor).status == "proses"
    # the other office's CS cannot find it at all
    await office.tg_send(CS_KANWIL, f"/status {nomor}")
    assert "tidak ditemukan" in office.last_text(CS_KANWIL)


async def test_linking_in_another_office_drops_the_earlier_link(province):
    k = province
    kota = k.kantor_by_kode["kankemenag_kota"]
    office = Office(k)
    await office.tg_send(CS_KOTA, f"/start {add_cs(k, k.default_kantor_id, 'Rina')}")
    await office.tg_send(CS_KOTA, f"/start {add_cs(k, kota, 'Rina (mutasi)')}")
    with k.uow() as uow:
        assert [p.telegram_user_id for p in uow.petugas.list(aktif=None)] == [None]
    with k.uow(kota) as uow:
        assert [p.telegram_user_id for p in uow.petugas.list(aktif=None)] == [CS_KOTA]


def test_ptsp_admin_adds_and_lists_petugas_per_office(province, tmp_path, monkeypatch):
    from admin_cli.main import app as admin

    use_config(tmp_path, monkeypatch, province.settings.database_url, [FIRST, KOTA])
    runner = CliRunner()
    added = runner.invoke(admin, ["petugas", "add", "--nama", "Rina", "--role", "cs",
                                  "--kantor", "kankemenag_kota", "--json"])
    assert added.exit_code == 0, added.output
    assert json.loads(added.output)["kode_tautan"]
    kota = json.loads(runner.invoke(admin, ["petugas", "list", "--json",
                                            "--kantor", "kankemenag_kota"]).stdout)
    kanwil = json.loads(runner.invoke(admin, ["petugas", "list", "--json"]).stdout)
    assert [p["nama"] for p in kota] == ["Rina"] and kanwil == []
    bad = runner.invoke(admin, ["petugas", "list", "--kantor", "tidak_ada"])
    assert bad.exit_code == 1 and "kantor 'tidak_ada' tidak ada" in bad.output
