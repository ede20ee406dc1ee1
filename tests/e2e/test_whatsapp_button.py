"""A quick-reply or list-picker press arrives with `ButtonPayload` (the option's id) beside
`Body` (its label): the payload is what the dialogs answer."""

from __future__ import annotations

from tests.e2e.test_whatsapp_e2e import serve, wa  # noqa: F401 - fixtures

CITIZEN = "+6281234567890"


async def test_the_button_payload_is_routed_before_the_body(wa):  # noqa: F811
    out = await wa.send(CITIZEN, "Informasi layanan & persyaratan", ButtonPayload="2")
    assert "Layanan apa yang ingin Anda ajukan" in out  # the payload's choice: 2, ajukan
    out = await wa.send("+6281234567891", "Informasi layanan & persyaratan")
    assert "Layanan apa yang ingin Anda ajukan" not in out  # the label alone: 1, informasi
