"""Every message key the code asks for exists in pesan.yml, and every text formats."""

from __future__ import annotations

import re
import string
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
CALLS = re.compile(r"""(?:pesan|_p)\(\s*["']([a-z][a-z0-9_]*)["']""")


def catalog() -> dict[str, str]:
    return yaml.safe_load((ROOT / "pesan.yml").read_text(encoding="utf-8"))


def test_every_key_used_in_the_code_is_in_the_catalog():
    used = set()
    for folder in ("bot", "domain", "dialogs", "admin_cli"):
        for path in (ROOT / folder).rglob("*.py"):
            used |= set(CALLS.findall(path.read_text(encoding="utf-8")))
    used |= {f"aduan_{k}" for k in ("kategori", "teks", "lampiran", "nomor", "anonim",
                                    "ringkasan")}
    used |= {f"non_teks_{k}" for k in ("audio", "video", "stiker", "kontak", "lokasi", "lain")}
    missing = sorted(used - set(catalog()))
    assert missing == []


def test_every_text_is_a_valid_format_string():
    for key, text in catalog().items():
        assert isinstance(text, str), key
        list(string.Formatter().parse(text))  # raises on a broken {placeholder}
