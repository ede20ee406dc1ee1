"""The package runs from an installed wheel, outside the checkout, from an empty folder.

The wheel is built from this checkout and installed into a fresh virtual environment
(its dependencies borrowed from the test environment by a path file, so nothing is
downloaded and the checkout itself is not importable there); `ptsp serve` started in an
empty folder finds its config, catalog, messages and NLU data, answers `/healthz` and a
sandbox message.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, data: bytes | None = None) -> dict:
    with urllib.request.urlopen(url, data=data, timeout=5) as resp:  # noqa: S310 - loopback
        return json.loads(resp.read())


def test_the_wheel_serves_from_an_empty_folder(tmp_path):
    wheels = tmp_path / "wheels"
    # offline: the test environment's setuptools and wheel build it (no build isolation)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                    "--no-build-isolation", "--disable-pip-version-check", "--no-index",
                    "-w", str(wheels), str(ROOT)], check=True, capture_output=True, timeout=300)
    [wheel] = wheels.glob("ptsp_bot-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    site = next((venv / "lib").glob("python3*/site-packages"))
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([venv / "bin" / "python", "-m", "pip", "install", "-q", "--no-deps",
                    "--no-index", "--disable-pip-version-check", str(wheel)],
                   check=True, capture_output=True, timeout=300)
    empty = tmp_path / "kantor"
    empty.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PTSP_")}
    where = subprocess.run([venv / "bin" / "python", "-c", "import bot; print(bot.__file__)"],
                           cwd=empty, env=env, capture_output=True, text=True, check=True)
    assert str(ROOT) not in where.stdout  # the installed copy, not the checkout
    port = _free_port()
    proc = subprocess.Popen([venv / "bin" / "ptsp", "serve", "--port", str(port)], cwd=empty,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                assert _get(base + "/healthz") == {"status": "ok", "database": "ok"}
                break
            except OSError:
                assert proc.poll() is None, proc.stderr.read().decode()[-2000:]
                assert time.monotonic() < deadline, "not healthy within 60 s"
                time.sleep(0.2)
        phone = "+6281234567890"
        form = urllib.parse.urlencode({"phone": phone, "text": "halo"}).encode()
        assert _get(base + "/sandbox/send", form) == {"ok": True}
        url = f"{base}/sandbox/messages?phone={urllib.parse.quote(phone)}"
        while not [m for m in _get(url)["messages"] if m["arah"] == "out"]:
            assert time.monotonic() < deadline, "no reply"
            time.sleep(0.2)
        reply = [m for m in _get(url)["messages"] if m["arah"] == "out"][0]["text"]
        assert "selamat datang" in reply.lower() and "1. Informasi layanan" in reply
        assert (empty / "var" / "ptsp.db").exists()  # the documented default data folder
        assert sorted(p.name for p in empty.iterdir()) == ["var"]
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    # `ptsp init` writes the editable office profile from the installed defaults
    done = subprocess.run([venv / "bin" / "ptsp", "init", "profil"], cwd=empty, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    profil = empty / "profil"
    assert (profil / "config.yml").read_text() == (ROOT / "config.yml").read_text()
    assert (profil / "catalog" / "audiensi.yml").exists() and (profil / "pesan.yml").exists()
