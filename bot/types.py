"""The one internal message type every channel translates to, and what replies look like."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

Channel = Literal["whatsapp", "telegram", "sandbox", "shell"]


@dataclass(frozen=True)
class MediaRef:
    """An attachment as the provider announced it (downloaded later by the worker)."""

    url: str
    content_type: str | None = None


@dataclass(frozen=True)
class IncomingMessage:
    channel: Channel
    sender_id: str
    message_id: str
    received_at: datetime
    text: str | None = None
    button_payload: str | None = None
    location: tuple[float, float] | None = None
    media: tuple[MediaRef, ...] = ()
    kind: str = "text"  # text | media | audio | video | sticker | contact | location | other
    profile_name: str | None = None
    to: str | None = None  # the office number written to (selects the kantor)
    raw: Mapping[str, Any] = field(default_factory=dict)

    def to_payload(self) -> dict[str, Any]:
        """JSON for the inbox row."""
        return {
            "text": self.text, "button_payload": self.button_payload,
            "location": list(self.location) if self.location else None,
            "media": [{"url": m.url, "content_type": m.content_type} for m in self.media],
            "kind": self.kind, "profile_name": self.profile_name, "to": self.to,
            "received_at": self.received_at.isoformat(), "raw": dict(self.raw),
        }

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> IncomingMessage:
        p = row["payload"]
        return cls(
            channel=row["channel"], sender_id=row["sender"], message_id=row["provider_id"],
            received_at=datetime.fromisoformat(p["received_at"]), text=p.get("text"),
            button_payload=p.get("button_payload"),
            location=tuple(p["location"]) if p.get("location") else None,  # type: ignore[arg-type]
            media=tuple(MediaRef(m["url"], m.get("content_type")) for m in p.get("media", [])),
            kind=p.get("kind", "text"), profile_name=p.get("profile_name"), to=p.get("to"),
            raw=p.get("raw", {}),
        )
