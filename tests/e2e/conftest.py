"""End-to-end fixtures: the fake Twilio server."""

from __future__ import annotations

from tests.e2e.fake_twilio import fake_twilio  # noqa: F401 - a fixture, used by name
