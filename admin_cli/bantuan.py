"""The frame of `ptsp-admin --help` in Bahasa Indonesia, like the help texts inside it.

Typer (0.29, its vendored Click) prints the panel titles, the usage line, the `--help`
option's own line and the [default]/[required] markers in English. Its panel titles and
markers are module constants meant to be set; the usage prefix and the help option's
text are replaced where Typer builds them. `tests/integration/test_bantuan.py` walks
the whole tree, so an upgrade that moves these fails a test instead of mixing languages.
"""

from __future__ import annotations

from typing import Any

TEKS_BANTUAN = "Tampilkan bantuan ini lalu keluar."
PENGGUNAAN = "Penggunaan: "

_JUDUL = {
    "ARGUMENTS_PANEL_TITLE": "Argumen",
    "OPTIONS_PANEL_TITLE": "Opsi",
    "COMMANDS_PANEL_TITLE": "Perintah",
    "ERRORS_PANEL_TITLE": "Galat",
    "ABORTED_TEXT": "Dibatalkan.",
    "RICH_HELP": "Ketik [blue]'{command_path} {help_option}'[/] untuk bantuan.",
    "DEFAULT_STRING": "[bawaan: {}]",
    "ENVVAR_STRING": "[variabel lingkungan: {}]",
    "REQUIRED_LONG_STRING": "[wajib]",
    "DEPRECATED_STRING": "(usang) ",
}

_terpasang = False


def pasang() -> None:
    """Sets the Indonesian frame once per process (idempotent)."""
    global _terpasang
    if _terpasang:
        return
    from typer import rich_utils
    from typer._click import decorators, formatting

    for nama, teks in _JUDUL.items():
        setattr(rich_utils, nama, teks)
    # the usage line is highlighted by its English prefix; highlight ours instead
    rich_utils.OptionHighlighter.highlights = [
        h.replace("Usage: ", PENGGUNAAN) for h in rich_utils.OptionHighlighter.highlights]

    tulis_asli = formatting.HelpFormatter.write_usage

    def write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        args = args.replace("[OPTIONS]", "[OPSI]").replace("COMMAND [ARGS]...",
                                                            "PERINTAH [ARGUMEN]...")
        tulis_asli(self, prog, args, PENGGUNAAN if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = write_usage  # type: ignore[method-assign]

    help_asli = decorators.help_option

    def help_option(param_decls: list[str]) -> Any:
        pasang_opsi = help_asli(param_decls)

        def terapkan(cmd: Any) -> Any:
            cmd = pasang_opsi(cmd)
            cmd.params[-1].help = TEKS_BANTUAN  # the option it just appended
            return cmd

        return terapkan

    decorators.help_option = help_option
    _terpasang = True
