"""Channel adapters: provider payloads in as `IncomingMessage`, outbox messages out.

`twilio` serves WhatsApp (citizens); `telegram` serves the officials.
"""

from __future__ import annotations
