"""The layers point inward: only `storage/` and the composition root touch the ORM.

`domain/`, `dialogs/`, `nlu/`, `admin_cli/` and the officials' edge (`bot/officials/`)
import no ORM at all. A few edge modules of `bot/` still do (the queue workers, the
webhooks' status updates, the sandbox and shell views); they are listed below so the list
can only shrink: a new module importing the ORM fails, and so does a listed one that no
longer needs to be listed.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ORM = ("sqlmodel", "sqlalchemy", "storage.tables", "storage.repositories", "storage.queue")
COMPOSITION_ROOT = {"bot/bootstrap.py"}
# Edge modules not yet behind ports (issue 15 leaves them; each names what it still does).
DEBT = {
    "bot/inbox.py": "the webhook's inbox insert",
    "bot/outbox.py": "the outbox worker's claim and completion",
    "bot/inbound.py": "the inbox worker's conversation row and completion",
    "bot/channels/twilio.py": "status callbacks updating outbox rows",
    "bot/channels/telegram_poll.py": "the poller's offset",
    "bot/sandbox.py": "the sandbox page's chat view",
    "bot/sandbox_petugas.py": "the sandbox's official view",
    "bot/shell.py": "the shell's replies",
}
CLEAN = ("domain", "dialogs", "nlu", "admin_cli", "bot/officials")


def _imports(path: Path) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            out.add(node.module)
    return out


def _orm_users() -> set[str]:
    found = set()
    for pkg in ("bot", "dialogs", "domain", "nlu", "admin_cli"):
        for path in (ROOT / pkg).rglob("*.py"):
            mods = _imports(path)
            if any(m == o or m.startswith(o + ".") for m in mods for o in ORM):
                found.add(path.relative_to(ROOT).as_posix())
    return found


def test_no_module_outside_storage_and_the_composition_root_imports_the_orm():
    extra = _orm_users() - COMPOSITION_ROOT - set(DEBT)
    assert not extra, f"these modules import the ORM; use a port from domain/ports.py: {extra}"


def test_the_inner_layers_and_the_officials_edge_have_no_orm_debt():
    assert not [m for m in DEBT if m.startswith(CLEAN)]
    assert not [m for m in _orm_users() if m.startswith(CLEAN)]


def test_the_debt_list_only_shrinks():
    stale = set(DEBT) - _orm_users()
    assert not stale, f"no longer importing the ORM, remove from DEBT: {stale}"
