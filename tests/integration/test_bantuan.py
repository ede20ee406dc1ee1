"""The whole `ptsp-admin --help` tree is in Bahasa Indonesia (issue 12): every group and
command has its own help, and the frame Typer draws around it (usage line, panel titles,
the --help option's line, markers) is not left in English."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
import typer
from typer.testing import CliRunner

from admin_cli.bantuan import pasang
from admin_cli.main import app

INGGRIS = ("Usage:", "Options", "Commands", "Arguments", "Show this message", "[default:",
           "[required]", "[env var:", "[OPTIONS]", "COMMAND [ARGS]")
#: English words that would betray an untranslated help text (command names excluded)
KATA_INGGRIS = re.compile(r"\b(the|and|with|from|for|of|to|list all|show|create|delete|"
                          r"print|write|file|number|date|office|report)\b", re.I)


def _pohon(cmd, jalur=()):
    yield jalur, cmd
    for nama, sub in sorted(getattr(cmd, "commands", {}).items()):
        yield from _pohon(sub, (*jalur, nama))


POHON = list(_pohon(typer.main.get_command(app)))


def test_the_tree_is_walked():
    jalur = {" ".join(j) for j, _ in POHON}
    assert {"laporan kinerja", "permohonan ajukan", "pengaduan catat", "skm report",
            "tamu export"} <= jalur
    assert len(POHON) > 50


@pytest.mark.parametrize(("jalur", "cmd"), POHON, ids=[" ".join(j) or "-" for j, _ in POHON])
def test_every_help_page_is_indonesian(jalur, cmd, tmp_path, monkeypatch):
    monkeypatch.setenv("PTSP_DATA_DIR", str(tmp_path))
    pasang()
    out = CliRunner().invoke(app, [*jalur, "--help"], env={"COLUMNS": "160"},
                            prog_name="ptsp-admin").output
    assert "Penggunaan: ptsp-admin" in out and "Tampilkan bantuan ini lalu keluar." in out
    for kata in INGGRIS:
        assert kata not in out, f"{' '.join(jalur)}: {kata!r}"
    teks = " ".join(filter(None, [cmd.help, *(getattr(p, "help", None) for p in cmd.params)]))
    assert cmd.help, f"{' '.join(jalur)} has no help"
    teks = re.sub(r"--[\w-]+", " ", teks)  # option names (--from, --to) are the CONTRACT's
    kata = KATA_INGGRIS.search(teks)
    assert kata is None, f"{' '.join(jalur)}: {kata.group(0)!r} in {teks!r}"


def test_the_installed_command_prints_it(tmp_path):
    env = {**os.environ, "PTSP_DATA_DIR": str(tmp_path), "COLUMNS": "120"}
    exe = os.path.join(os.path.dirname(sys.executable), "ptsp-admin")
    out = subprocess.run([exe, "--help"], env=env, capture_output=True, text=True,
                         timeout=60).stdout
    assert "Penggunaan: ptsp-admin [OPSI] PERINTAH [ARGUMEN]..." in out
    assert "╭─ Perintah" in out and "Options" not in out
