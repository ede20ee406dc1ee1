"""Build the running system: the container plus NLU, dialogs, channels, sandbox and inbox."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from bot.bootstrap import Container, bootstrap
from bot.inbound import Inbound
from bot.settings import KantorConfig, Settings, config_path
from dialogs.base import DialogContext
from nlu.training_data import TRAINING_DIR

HARI = ("senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu")


def jadwal_teks(cfg: KantorConfig) -> str:
    """`Senin–Kamis: 08.00–16.00` lines, consecutive days with the same hours grouped."""
    def fmt(ranges: list[list[str]]) -> str:
        return ", ".join(f"{a}–{b}".replace(":", ".") for a, b in ranges) or "tutup"

    rows = [(h, fmt(cfg.jam_layanan.get(h, []))) for h in HARI]
    lines = []
    for jam, grp in groupby(rows, key=lambda r: r[1]):
        days = [d.title() for d, _ in grp]
        label = days[0] if len(days) == 1 else f"{days[0]}–{days[-1]}"
        lines.append(f"{label}: {jam}")
    return "\n".join(lines)


def build_nlu(settings: Settings) -> Any:
    """The configured NLU parser; trains the embedded model on first use."""
    from nlu.factory import build_parser
    from nlu.lexicon import Lexicon

    lexicon = Lexicon.from_files(config_path(), settings.catalog_dir)
    return build_parser(
        settings.nlu_backend, data_dir=settings.data_dir, training_dir=TRAINING_DIR,
        lexicon=lexicon, tz=settings.kantor[0].timezone, rasa_url=settings.rasa_url,
        rasa_timeout=settings.nlu.rasa_timeout_seconds,
    )


def twilio_fetcher(s: Settings) -> Any:
    """Download a Twilio media URL with the posting account's credentials."""
    from urllib.parse import urlparse

    import aiohttp

    from bot.media import BATAS_DOKUMEN, MediaGuard, download_media

    tokens = s.twilio_tokens()
    allowed = {urlparse(s.twilio_api_base_url).hostname or ""}
    guard = MediaGuard.from_settings(s)  # Twilio's media hosts only, never a private address

    async def fetch(msg: Any, ref: Any) -> bytes:
        sid = str(msg.raw.get("AccountSid", s.twilio_account_sid or ""))
        auth = (sid, tokens[sid]) if sid in tokens else None
        async with aiohttp.ClientSession() as session:
            return await download_media(session, ref.url, auth=auth, guard=guard,
                                        allowed_auth_hosts=allowed, max_bytes=BATAS_DOKUMEN)

    return fetch


def wire(c: Container, *, nlu: Any = None) -> Container:
    """Attach channels, sandbox and the inbox handler to a bootstrapped container."""
    s = c.settings
    files = c.extras["files"]
    routes: list[Any] = []
    senders: dict[str, Any] = {}
    fetchers: dict[str, Any] = {}

    async def from_store(msg: Any, ref: Any) -> bytes:
        # the sandbox stored the upload already: `store:<sha256>.<ext>`
        sha, _, ext = ref.url.removeprefix("store:").partition(".")
        return files.get(sha, ext)

    fetchers["sandbox"] = fetchers["shell"] = from_store
    if s.twilio_enabled:
        from bot.channels.twilio import STATUS_JOB, status_job, twilio_routes
        from bot.channels.twilio_sender import TwilioSender, routes_per_kantor

        routes.append(twilio_routes(c))
        c.extras.setdefault("jobs", {})[STATUS_JOB] = status_job
        senders["whatsapp"] = TwilioSender(s, routes=routes_per_kantor(s, c.kantor_by_kode))
        fetchers["whatsapp"] = twilio_fetcher(s)
    if s.sandbox_enabled:
        from bot.sandbox import sandbox_routes

        routes.append(sandbox_routes(c))
    dialog_ctx = {
        kid: DialogContext(pesan=c.pesan, katalog=c.katalog_of(kid), profil=c.kantor[kid],
                           threshold=s.nlu.threshold, expire_minutes=s.conversation.expire_minutes,
                           jadwal=jadwal_teks(next(k for k in s.kantor
                                                   if k.kode == c.kantor[kid].kode)))
        for kid in c.kantor
    }
    background: list[Any] = []
    if s.telegram_enabled:
        from bot.channels.telegram_sender import TelegramSender
        from bot.sandbox_petugas import lepas_tautan_sandbox

        lepas_tautan_sandbox(c)  # sandbox chat ids are not Telegram chats

        senders["telegram"] = tg = TelegramSender(s)

        async def from_telegram(msg: Any, ref: Any) -> bytes:
            return await tg.fetch_file(ref.url)

        fetchers["telegram"] = from_telegram
        if s.telegram_transport == "webhook":
            from bot.channels.telegram import telegram_routes

            routes.append(telegram_routes(c))
        else:
            from bot.channels.telegram_poll import TelegramPoller

            background.append(TelegramPoller.from_container(c).run)
    from bot.antrian_page import antrian_routes
    from bot.media_route import media_routes
    from bot.officials.handler import Officials
    from bot.officials.notify import pasang

    routes.append(media_routes(c))
    routes.append(antrian_routes(c))
    pasang(c)
    nlu = nlu or build_nlu(s)
    c.extras.update(
        routes=routes, senders=senders, background=background,
        inbox_handler=Inbound(container=c, nlu=nlu, dialog_ctx=dialog_ctx, fetchers=fetchers,
                              files=files, officials=Officials(c, nlu)),
    )
    return c


def build_container(settings: Settings | None = None, *, nlu: Any = None) -> Container:
    """The container `ptsp serve` and `ptsp shell` run."""
    return wire(bootstrap(settings), nlu=nlu)
