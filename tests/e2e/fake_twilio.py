"""A fake Twilio: the Messages REST endpoint and media URLs, on 127.0.0.1 at a random port.

Point `PTSP_TWILIO_API_BASE_URL` at `fake.url`; the real SDK then posts to
`/2010-04-01/Accounts/{sid}/Messages.json` here. Media live at `/media/{name}` (basic
auth required, like api.twilio.com), `/redirect/{name}` answers 302 to another host
name of the same server (`localhost` instead of `127.0.0.1`) at `/cdn/{name}`, which
records whether the client leaked the Authorization header to it.

`hang("whatsapp:+62…")` makes every Messages call to that recipient hang (no answer at
all) until `release()`; `hanging` counts the calls held right now. `redirect_to` answers
302 to any URL (the SSRF tests).
"""

from __future__ import annotations

import asyncio
import base64
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

import pytest
from aiohttp import web

ACCOUNT_SID = "AC" + "1" * 32
AUTH_TOKEN = "secret"


@dataclass
class _Failure:
    remaining: int
    status: int
    code: int | None
    after: int = 0  # calls let through before the failures start


@dataclass
class FakeTwilio:
    account_sid: str = ACCOUNT_SID
    auth_token: str = AUTH_TOKEN
    # other accounts (offices with their own): AccountSid → AuthToken
    more_accounts: dict[str, str] = field(default_factory=dict)
    messages: list[dict[str, Any]] = field(default_factory=list)
    media: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    media_requests: list[dict[str, Any]] = field(default_factory=list)
    cdn_requests: list[dict[str, Any]] = field(default_factory=list)
    media_delay: float = 0.0
    # Messages calls to these recipients ("whatsapp:+62…") hang until `release()`
    hang_to: set[str] = field(default_factory=set)
    hanging: int = 0  # calls held by `hang_to` right now
    hung: list[str] = field(default_factory=list)  # the recipient of every held call
    redirects: dict[str, str] = field(default_factory=dict)  # name → Location
    url: str = ""
    port: int = 0
    _fail: _Failure | None = None
    _media_fail: _Failure | None = None
    _runner: web.AppRunner | None = None
    _released: asyncio.Event | None = None

    # -- control -------------------------------------------------------------------
    def add_media(self, name: str, data: bytes, content_type: str = "image/jpeg") -> str:
        """Serve `data` at `/media/{name}`; returns that URL."""
        self.media[name] = (data, content_type)
        return self.media_url(name)

    def media_url(self, name: str) -> str:
        return f"{self.url}/media/{name}"

    def redirect_url(self, name: str) -> str:
        return f"{self.url}/redirect/{name}"

    def chunked_url(self, name: str) -> str:
        """Like `media_url` but streamed without a Content-Length."""
        return f"{self.url}/media/{name}?chunked=1"

    def fail_next(self, n: int = 1, status: int = 500, code: int | None = None, *,
                  after: int = 0) -> None:
        """The next `n` Messages calls (after `after` good ones) fail with `status`.

        A 4xx answers Twilio's error JSON with `code` (default 21211, invalid number).
        """
        if code is None and 400 <= status < 500:
            code = 21211
        self._fail = _Failure(n, status, code, after)

    def fail_media_next(self, n: int = 1, status: int = 500) -> None:
        self._media_fail = _Failure(n, status, None)

    def hang(self, *recipients: str) -> None:
        """Messages calls to these recipients get no answer until `release()`."""
        self.hang_to.update(recipients)
        self._released = asyncio.Event()

    def release(self) -> None:
        """Stop hanging: held calls end with a 503 (never recorded), later ones go through."""
        self.hang_to.clear()
        if self._released is not None:
            self._released.set()

    def redirect_to(self, name: str, location: str) -> str:
        """A URL on this server answering 302 to `location` (any host); returns it."""
        self.redirects[name] = location
        return f"{self.url}/goto/{name}"

    # -- life cycle ----------------------------------------------------------------
    async def start(self) -> FakeTwilio:
        app = web.Application()
        app.router.add_post("/2010-04-01/Accounts/{sid}/Messages.json", self._create_message)
        app.router.add_get("/media/{name}", self._media)
        app.router.add_get("/redirect/{name}", self._redirect)
        app.router.add_get("/cdn/{name}", self._cdn)
        app.router.add_get("/goto/{name}", self._goto)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{self.port}"
        return self

    async def close(self) -> None:
        self.release()  # held calls must not keep the server's shutdown waiting
        if self._runner is not None:
            await self._runner.cleanup()

    # -- handlers ------------------------------------------------------------------
    def _authorized(self, request: web.Request, sid: str | None = None) -> bool:
        """Basic auth of the main account, or of `sid` (the account in the path)."""
        tokens = {self.account_sid: self.auth_token, **self.more_accounts}
        sid = sid or self.account_sid
        if sid not in tokens:
            return False
        expected = base64.b64encode(f"{sid}:{tokens[sid]}".encode()).decode()
        return request.headers.get("Authorization") == f"Basic {expected}"

    @staticmethod
    def _error(status: int, code: int, message: str) -> web.Response:
        return web.json_response({
            "code": code, "message": message, "status": status,
            "more_info": f"https://www.twilio.com/docs/errors/{code}"}, status=status)

    async def _create_message(self, request: web.Request) -> web.Response:
        account = request.match_info["sid"]
        if not self._authorized(request, account):
            return self._error(401, 20003, "Authenticate")
        if self.hang_to and self._released is not None:
            to = (await request.post()).get("To")
            if to in self.hang_to:
                self.hanging += 1
                self.hung.append(str(to))
                try:
                    await self._released.wait()
                finally:
                    self.hanging -= 1
                return web.Response(status=503, text="Service Unavailable")
        if self._fail and self._fail.after > 0:
            self._fail.after -= 1
        elif self._fail and self._fail.remaining > 0:
            self._fail.remaining -= 1
            if self._fail.status >= 500:
                return web.Response(status=self._fail.status, text="Internal Server Error")
            return self._error(self._fail.status, self._fail.code or 21211,
                               "The 'To' number is not a valid phone number.")
        form = await request.post()
        sid = "SM" + secrets.token_hex(16)
        record = {"sid": sid, "account": account, "From": form.get("From"), "To": form.get("To"),
                  "Body": form.get("Body"), "MediaUrl": form.getall("MediaUrl", []),
                  "StatusCallback": form.get("StatusCallback"),
                  "ContentSid": form.get("ContentSid"),
                  "ContentVariables": form.get("ContentVariables")}
        self.messages.append(record)
        now = format_datetime(datetime.now(UTC))
        base = f"/2010-04-01/Accounts/{account}/Messages/{sid}"
        return web.json_response({
            "account_sid": account, "api_version": "2010-04-01",
            "body": record["Body"] or "", "date_created": now, "date_sent": None,
            "date_updated": now, "direction": "outbound-api", "error_code": None,
            "error_message": None, "from": record["From"], "messaging_service_sid": None,
            "num_media": str(len(record["MediaUrl"])), "num_segments": "1", "price": None,
            "price_unit": None, "sid": sid, "status": "queued", "to": record["To"],
            "uri": base + ".json",
            "subresource_uris": {"media": base + "/Media.json"},
        }, status=201)

    async def _media(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        authorized = self._authorized(request)
        self.media_requests.append({"name": name, "authorized": authorized,
                                    "authorization": request.headers.get("Authorization")})
        if self.media_delay:
            await asyncio.sleep(self.media_delay)
        if self._media_fail and self._media_fail.remaining > 0:
            self._media_fail.remaining -= 1
            return web.Response(status=self._media_fail.status)
        if not authorized:
            return self._error(401, 20003, "Authenticate")
        return await self._serve(request, name)

    async def _redirect(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        self.media_requests.append({"name": name, "authorized": self._authorized(request),
                                    "authorization": request.headers.get("Authorization")})
        if not self._authorized(request):
            return self._error(401, 20003, "Authenticate")
        raise web.HTTPFound(f"http://localhost:{self.port}/cdn/{name}")

    async def _goto(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        self.media_requests.append({"name": name, "authorized": self._authorized(request),
                                    "authorization": request.headers.get("Authorization")})
        raise web.HTTPFound(self.redirects[name])

    async def _cdn(self, request: web.Request) -> web.StreamResponse:
        self.cdn_requests.append({"name": request.match_info["name"],
                                  "authorization": request.headers.get("Authorization")})
        return await self._serve(request, request.match_info["name"])

    async def _serve(self, request: web.Request, name: str) -> web.StreamResponse:
        if name not in self.media:
            return self._error(404, 20404, "The requested resource was not found")
        data, content_type = self.media[name]
        if request.query.get("chunked"):
            resp = web.StreamResponse(headers={"Content-Type": content_type})
            resp.enable_chunked_encoding()
            await resp.prepare(request)
            try:
                for i in range(0, len(data), 256 * 1024):
                    await resp.write(data[i:i + 256 * 1024])
                await resp.write_eof()
            except ConnectionError:  # the client gave up (size cap): expected
                pass
            return resp
        return web.Response(body=data, content_type=content_type)


@pytest.fixture
async def fake_twilio():
    """A running `FakeTwilio` for one test."""
    fake = await FakeTwilio().start()
    try:
        yield fake
    finally:
        await fake.close()
