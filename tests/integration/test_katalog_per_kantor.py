"""Each office's `layanan_override` applies to that office only (a province deployment)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from typer.testing import CliRunner

from bot.settings import ConfigError
from domain import commands as c
from tests.conftest import make_container
from tests.province import FIRST, kota, use_config

KOTA = kota(layanan_override={"audiensi": {"jangka_waktu": {"menit_kerja": 30}},
                              "legalisir": {"biaya": "Rp5.000,- per lembar"}})


@pytest.fixture
def province(tmp_path, clock):
    k = make_container(f"sqlite:///{tmp_path / 'ptsp.db'}", tmp_path / "data", clock,
                       kantor=[FIRST, KOTA])
    yield k
    k.db.dispose()


def submit_audiensi(k, kantor_id: int):
    with k.uow(kantor_id) as uow:
        p = k.bus.handle(c.DaftarPemohon(kanal="whatsapp", kanal_id="+6281234567890",
                                         nama="Budi Santoso", hp="+6281234567890",
                                         nik="3171011708850003", persetujuan=True), uow)
    with k.uow(kantor_id) as uow:
        nomor = k.bus.handle(c.AjukanPermohonan(pemohon_id=p.id, layanan="audiensi",
                                                atas_nama="Budi Santoso",
                                                data={"tujuan": "silaturahmi"}), uow)
    with k.uow(kantor_id) as uow:
        return uow.permohonan.get(nomor)


def test_an_offices_override_changes_its_sla_and_nobody_elses(province, clock):
    kota = province.kantor_by_kode["kankemenag_kota"]
    # Tuesday 09:00 WIB, a working morning: minutes of work are minutes on the clock
    here = submit_audiensi(province, province.default_kantor_id)
    there = submit_audiensi(province, kota)
    assert here.sla_tenggat - clock.now() == timedelta(minutes=65)
    assert there.sla_tenggat - clock.now() == timedelta(minutes=30)


def test_each_office_resolves_and_shows_its_own_catalog(province, tmp_path, monkeypatch):
    kota = province.kantor_by_kode["kankemenag_kota"]
    assert province.katalog_of(kota)["legalisir"].biaya == "Rp5.000,- per lembar"
    assert province.katalog_of(kota)["legalisir.ijazah"].biaya == "Rp5.000,- per lembar"
    assert province.katalog_of()["legalisir"].biaya != "Rp5.000,- per lembar"

    from admin_cli.main import app as admin

    use_config(tmp_path, monkeypatch, province.settings.database_url, [FIRST, KOTA])
    runner = CliRunner()
    shown = runner.invoke(admin, ["layanan", "show", "legalisir", "--kantor", "kankemenag_kota"],
                          env={"COLUMNS": "200"})
    assert shown.exit_code == 0 and "Rp5.000,- per lembar" in shown.output
    default = runner.invoke(admin, ["layanan", "show", "legalisir"], env={"COLUMNS": "200"})
    assert default.exit_code == 0 and "Rp5.000" not in default.output
    bad = runner.invoke(admin, ["layanan", "list", "--kantor", "tidak_ada"])
    assert bad.exit_code == 1 and "kantor 'tidak_ada' tidak ada" in bad.output


def test_a_wrong_override_of_the_second_office_names_that_office(tmp_path, clock):
    bad = KOTA | {"layanan_override": {"halal": {"biaya": "gratis"}}}
    with pytest.raises(ConfigError,
                       match=r"config\.yml: kantor\.1\.layanan_override\.halal: layanan tidak"):
        make_container(f"sqlite:///{tmp_path / 'ptsp.db'}", tmp_path / "data", clock,
                       kantor=[FIRST, bad])
    zero = KOTA | {"layanan_override": {"audiensi": {"jangka_waktu": {"menit_kerja": 0}}}}
    with pytest.raises(ConfigError,
                       match=r"config\.yml: kantor\.1\.layanan_override: .*audiensi\.yml"):
        make_container(f"sqlite:///{tmp_path / 'ptsp.db'}", tmp_path / "data", clock,
                       kantor=[FIRST, zero])
