"""The key behind receipt QR codes and file links: secret, stable, rotatable.

Before, with no channel configured the key was derived from the data folder's path (a
receipt could be forged from public facts), and with channels from their tokens (rotating
a token voided every printed receipt).
"""

from __future__ import annotations

import stat

import pytest

from bot.media_route import media_routes
from bot.receipt import qr_payload, verify_qr
from bot.server import create_app
from bot.settings import load_settings

NOMOR = "PTSP-261124-0001"


def genuine(settings, payload: str) -> bool:
    return any(verify_qr(payload, k) == NOMOR for k in settings.verification_keys())


def test_without_a_configured_key_a_random_one_is_kept_in_the_data_folder(tmp_path):
    s = load_settings(data_dir=tmp_path / "var")
    key = s.signing_key()
    path = tmp_path / "var" / "secret.key"
    assert path.exists() and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(key) >= 64 and str(tmp_path).encode() not in key
    # the old derivation from public facts no longer verifies
    forged = qr_payload(NOMOR, ("ptsp-local-" + str((tmp_path / "var").resolve())).encode())
    assert not genuine(s, forged)
    # the same key on the next start (and for another instance on the same folder)
    assert load_settings(data_dir=tmp_path / "var").signing_key() == key


def test_rotating_a_channel_token_keeps_receipts_valid(tmp_path):
    a = load_settings(data_dir=tmp_path / "var", telegram_token="111:AAA")
    payload = qr_payload(NOMOR, a.signing_key())
    b = load_settings(data_dir=tmp_path / "var", telegram_token="222:BBB")
    assert genuine(b, payload)


def test_a_new_secret_key_keeps_old_receipts_verifiable(tmp_path):
    before = load_settings(data_dir=tmp_path / "var")  # the key from the data folder
    old = qr_payload(NOMOR, before.signing_key())
    after = load_settings(data_dir=tmp_path / "var", secret_key="kunci-baru-" + "x" * 40)
    assert genuine(after, old) and genuine(after, qr_payload(NOMOR, after.signing_key()))
    # rotating again: the previous PTSP_SECRET_KEY is listed in PTSP_SECRET_KEY_LAMA
    signed = qr_payload(NOMOR, after.signing_key())
    later = load_settings(data_dir=tmp_path / "var", secret_key="kunci-ketiga-" + "y" * 40,
                          secret_key_lama="kunci-baru-" + "x" * 40)
    assert genuine(later, signed)
    stranger = load_settings(data_dir=tmp_path / "other", secret_key="lain-" + "z" * 40)
    assert not genuine(stranger, signed)


@pytest.mark.parametrize("rotated", [False, True])
async def test_the_verification_page_accepts_old_keys_and_refuses_forgeries(
        tmp_path, clock, aiohttp_client, rotated):
    from tests.conftest import make_container

    url = f"sqlite:///{tmp_path / 'ptsp.db'}"
    first = make_container(url, tmp_path / "data", clock)
    payload = qr_payload(NOMOR, first.settings.signing_key())
    first.db.dispose()
    extra = {"secret_key": "kunci-baru-" + "x" * 40} if rotated else {}
    k = make_container(url, tmp_path / "data", clock, **extra)
    k.extras.setdefault("routes", []).append(media_routes(k))
    client = await aiohttp_client(create_app(k, run_workers=False))
    page = await (await client.get(f"/verifikasi/{payload}")).text()
    assert f"Tanda terima ASLI: {NOMOR}" in page
    forged = qr_payload(NOMOR, b"ptsp-local-" + str((tmp_path / "data").resolve()).encode())
    assert "Kode tidak valid" in await (await client.get(f"/verifikasi/{forged}")).text()
