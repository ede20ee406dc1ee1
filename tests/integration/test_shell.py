"""`ptsp shell` chats through the same dialogs and store."""

from __future__ import annotations

from typer.testing import CliRunner

from bot.cli import app as ptsp


def test_shell_greets_and_answers(tmp_path, monkeypatch):
    monkeypatch.setenv("PTSP_DATABASE_URL", f"sqlite:///{tmp_path / 'ptsp.db'}")
    monkeypatch.setenv("PTSP_DATA_DIR", str(tmp_path / "var"))
    runner = CliRunner()
    assert runner.invoke(ptsp, ["db", "upgrade"]).exit_code == 0
    result = runner.invoke(ptsp, ["shell", "--phone", "0812-3456-7890"],
                           input="halo\njam buka kapan\n")
    assert result.exit_code == 0, result.output
    assert "+6281234567890" in result.output
    assert "1. Informasi layanan" in result.output and "Jam layanan" in result.output
    bad = runner.invoke(ptsp, ["shell", "--phone", "12345"])
    assert bad.exit_code == 1 and "tidak valid" in bad.output


def test_shell_talks_to_the_office_chosen(tmp_path, monkeypatch):
    from tests.province import FIRST, kota, use_config

    use_config(tmp_path, monkeypatch, f"sqlite:///{tmp_path / 'ptsp.db'}", [FIRST, kota()])
    monkeypatch.setenv("PTSP_DATA_DIR", str(tmp_path / "var"))
    runner = CliRunner()
    result = runner.invoke(ptsp, ["shell", "--kantor", "kankemenag_kota"], input="halo\n")
    assert result.exit_code == 0, result.output
    assert "Kantor Kemenag Kota Contoh" in result.output
    bad = runner.invoke(ptsp, ["shell", "--kantor", "tidak_ada"], input="halo\n")
    assert bad.exit_code == 1 and "kantor 'tidak_ada' tidak ada" in bad.output


def test_a_file_without_an_extension_is_refused_politely(tmp_path, monkeypatch):
    monkeypatch.setenv("PTSP_DATABASE_URL", f"sqlite:///{tmp_path / 'ptsp.db'}")
    monkeypatch.setenv("PTSP_DATA_DIR", str(tmp_path / "var"))
    catatan = tmp_path / "catatan"
    catatan.write_text("bukan foto")
    result = CliRunner().invoke(ptsp, ["shell"], input=f"/file {catatan}\n")
    assert result.exit_code == 0, result.output
    assert "jenis file ini belum bisa kami terima" in result.output
