"""Build the running system: the container plus the channels, the inbox and the routes."""

from __future__ import annotations

from bot.bootstrap import Container, bootstrap
from bot.settings import Settings


def build_container(settings: Settings | None = None) -> Container:
    """The container `ptsp serve` runs: bootstrap plus the configured channels."""
    return bootstrap(settings)
