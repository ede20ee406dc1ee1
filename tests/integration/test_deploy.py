"""The deployment files under deploy/ hang together, and name only what the project knows.

No network and nothing is built or started: the files are parsed and their wiring
compared (compose services, nginx upstreams, the systemd unit, the image), every
`PTSP_…` variable they mention is checked against the settings class, and when Docker
Compose is installed `docker compose config -q` validates the compose file.
"""

from __future__ import annotations

import configparser
import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any, get_args, get_origin

import pytest
import yaml
from pydantic import BaseModel

from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
COMPOSE = DEPLOY / "compose.yml"
NGINX_COMPOSE = DEPLOY / "nginx" / "ptsp.conf"
NGINX_SERVER = DEPLOY / "nginx" / "ptsp-server.conf"
UNIT = DEPLOY / "systemd" / "ptsp.service"
ENV_EXAMPLE = DEPLOY / "systemd" / "ptsp.env.example"
DOCKERFILE = DEPLOY / "Dockerfile"
ENTRYPOINT = DEPLOY / "entrypoint.sh"

# PTSP_FOO, PTSP_FOO_BAR, PTSP_NESTED__KEY (never the bare prefix of a sentence)
PTSP_NAME = re.compile(r"\bPTSP_[A-Z0-9]+(?:__?[A-Z0-9]+)*")


def _compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def _services() -> dict[str, Any]:
    return _compose()["services"]


def _env(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {k: str(v) for k, v in env.items()}


def _depends(service: dict[str, Any]) -> dict[str, dict[str, Any]]:
    dep = service.get("depends_on") or {}
    if isinstance(dep, list):
        return {name: {"condition": "service_started"} for name in dep}
    return dep


def _nginx(path: Path) -> str:
    """The configuration without comments."""
    return "\n".join(line.split("#", 1)[0] for line in path.read_text(encoding="utf-8")
                     .splitlines())


def _upstreams(conf: str) -> dict[str, list[str]]:
    return {name: re.findall(r"^\s*server\s+(\S+?)(?:\s[^;]*)?;", body, re.M)
            for name, body in re.findall(r"upstream\s+(\w+)\s*\{(.*?)\}", conf, re.S)}


def _unit() -> configparser.ConfigParser:
    cp = configparser.ConfigParser(strict=False, interpolation=None)
    cp.optionxform = str  # keep systemd's CamelCase keys
    cp.read_string(UNIT.read_text(encoding="utf-8"))
    return cp


def _accepts(model: type[BaseModel], parts: list[str]) -> bool:
    """Whether `PTSP_` + parts (joined by `__`) names a field of `model` (pydantic-settings:
    env_prefix PTSP_, env_nested_delimiter `__`, case-insensitive)."""
    field = model.model_fields.get(parts[0])
    if field is None:
        return False
    if len(parts) == 1:
        return True
    kind = field.annotation
    if get_origin(kind) is dict:
        return len(parts) == 2  # e.g. whatsapp.templates.<kind>
    inner = [kind, *get_args(kind)]
    sub = next((t for t in inner if isinstance(t, type) and issubclass(t, BaseModel)), None)
    return sub is not None and _accepts(sub, parts[1:])


def _known(name: str) -> bool:
    assert Settings.model_config.get("env_prefix") == "PTSP_"
    assert Settings.model_config.get("env_nested_delimiter") == "__"
    return _accepts(Settings, name.removeprefix("PTSP_").lower().split("__"))


def _deploy_files() -> list[Path]:
    return sorted(p for p in DEPLOY.rglob("*") if p.is_file())


# -- compose ----------------------------------------------------------------------------


def test_compose_has_the_four_services():
    assert {"postgres", "app1", "app2", "nginx"} <= set(_services())


def test_postgres_is_16_with_a_volume_and_pg_isready():
    pg = _services()["postgres"]
    assert pg["image"].startswith("postgres:16")
    assert any(str(v).endswith(":/var/lib/postgresql/data") for v in pg["volumes"])
    test = pg["healthcheck"]["test"]
    assert "pg_isready" in (test if isinstance(test, str) else " ".join(test))


def test_both_apps_are_built_from_the_checkout_with_the_deploy_dockerfile():
    for name in ("app1", "app2"):
        build = _services()[name]["build"]
        context = (COMPOSE.parent / build["context"]).resolve()
        assert context == ROOT, name
        assert build["dockerfile"] == "deploy/Dockerfile"
        assert (context / build["dockerfile"]).is_file()


def test_both_apps_use_the_same_postgresql_database_as_postgres_serves():
    s = _services()
    urls = {name: _env(s[name])["PTSP_DATABASE_URL"] for name in ("app1", "app2")}
    assert urls["app1"] == urls["app2"]
    url = urls["app1"]
    # the driver the project depends on (psycopg 3)
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert any(d.startswith("psycopg") for d in deps)
    m = re.fullmatch(r"postgresql\+psycopg://(\w+):\$\{(\w+)[^}]*\}@postgres:5432/(\w+)", url)
    assert m, url
    user, password_var, db = m.groups()
    pg = _env(s["postgres"])
    assert pg["POSTGRES_USER"] == user
    assert pg["POSTGRES_DB"] == db
    assert pg["POSTGRES_PASSWORD"].startswith("${" + password_var)


def test_both_apps_share_the_data_folder_and_the_secrets_file():
    s = _services()
    dirs = {_env(s[n])["PTSP_DATA_DIR"] for n in ("app1", "app2")}
    assert len(dirs) == 1
    [data_dir] = dirs
    named = set(_compose()["volumes"])
    mounts = []
    for name in ("app1", "app2"):
        [mount] = [v for v in s[name]["volumes"] if str(v).split(":")[1] == data_dir]
        assert mount.split(":")[0] in named  # a named volume, not a per-container folder
        mounts.append(mount)
        assert {"path": ".env", "required": False} in s[name]["env_file"]
        assert _env(s[name])["PTSP_SANDBOX"] == "off"
        assert _env(s[name])["PTSP_PUBLIC_URL"].startswith("${PTSP_PUBLIC_URL")
    assert mounts[0] == mounts[1]
    # the image keeps its data in the same folder
    assert f"PTSP_DATA_DIR={data_dir}" in DOCKERFILE.read_text()


def test_the_apps_wait_for_postgres_and_app2_for_the_migrating_app1():
    s = _services()
    for name in ("app1", "app2"):
        assert _depends(s[name])["postgres"]["condition"] == "service_healthy"
    assert _depends(s["app2"])["app1"]["condition"] == "service_healthy"
    assert "app2" not in _depends(s["app1"])


def test_nginx_fronts_both_apps_on_80_and_443_with_the_site_and_certs_mounted():
    nginx = _services()["nginx"]
    assert nginx["image"].startswith("nginx:stable")
    assert set(_depends(nginx)) >= {"app1", "app2"}
    published = {str(p).rsplit(":", 1)[-1] for p in nginx["ports"]}
    assert published >= {"80", "443"}
    mounts = {str(v).split(":")[1]: str(v).split(":")[0] for v in nginx["volumes"]}
    site = next(src for dest, src in mounts.items() if dest.startswith("/etc/nginx/conf.d/"))
    assert (COMPOSE.parent / site).resolve() == NGINX_COMPOSE
    certs = mounts["/etc/nginx/certs"]
    assert certs == "./certs"
    conf = _nginx(NGINX_COMPOSE)
    assert "/etc/nginx/certs/fullchain.pem" in conf and "/etc/nginx/certs/privkey.pem" in conf
    acme = re.search(r"acme-challenge/\s*\{[^}]*root\s+(\S+);", conf)
    assert acme and acme.group(1) in mounts


# -- nginx ------------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "servers"), [
    (NGINX_COMPOSE, ["app1:8080", "app2:8080"]),
    (NGINX_SERVER, ["127.0.0.1:8080"]),
])
def test_nginx_site_proxies_to_the_upstream_with_the_forwarded_headers(path, servers):
    conf = _nginx(path)
    ups = _upstreams(conf)
    assert len(ups) == 1, ups
    [(name, entries)] = ups.items()
    assert entries == servers
    # no URI after the upstream: the path reaches the app as sent (Twilio's signature)
    assert re.findall(r"proxy_pass\s+([^;]+);", conf) == [f"http://{name}"]
    for header in ("Host $host", "X-Forwarded-Proto $scheme",
                   "X-Forwarded-For $proxy_add_x_forwarded_for"):
        assert re.search(r"proxy_set_header\s+" + re.escape(header).replace(r"\ ", r"\s+")
                         + r"\s*;", conf), header
    assert re.search(r"listen\s+443\s+ssl", conf)
    assert re.search(r"client_max_body_size\s+\d+[km]?;", conf)
    # port 80: the ACME challenge stays, the rest goes to https
    assert "location ^~ /.well-known/acme-challenge/" in conf
    assert "return 301 https://$host$request_uri;" in conf
    # the comment that ties PTSP_PUBLIC_URL to the URL nginx serves
    assert "PTSP_PUBLIC_URL" in path.read_text()


def test_the_server_site_uses_certbots_paths():
    conf = _nginx(NGINX_SERVER)
    certs = re.findall(r"ssl_certificate(?:_key)?\s+(\S+);", conf)
    assert len(certs) == 2
    assert all(re.fullmatch(r"/etc/letsencrypt/live/[^/]+/(fullchain|privkey)\.pem", c)
               for c in certs), certs


# -- systemd ----------------------------------------------------------------------------


def test_the_unit_serves_on_the_port_nginx_proxies_to_and_is_hardened():
    svc = _unit()["Service"]
    assert svc["ExecStart"] == "/opt/ptsp/venv/bin/ptsp serve --host 127.0.0.1 --port 8080"
    assert "ptsp serve" in svc["ExecStart"]
    assert svc["ExecStartPre"] == "/opt/ptsp/venv/bin/ptsp db upgrade"
    assert _upstreams(_nginx(NGINX_SERVER))["ptsp_app"] == ["127.0.0.1:8080"]
    assert svc["User"] == "ptsp"
    assert svc["WorkingDirectory"] == "/var/lib/ptsp"
    assert svc["EnvironmentFile"] == "/etc/ptsp/ptsp.env"
    assert svc["Restart"] == "on-failure"
    assert svc["NoNewPrivileges"] == "yes"
    assert svc["ProtectSystem"] == "strict"
    assert svc["ReadWritePaths"] == "/var/lib/ptsp"
    assert svc["PrivateTmp"] == "yes"
    assert _unit()["Install"]["WantedBy"] == "multi-user.target"


def test_the_env_example_sets_the_data_folder_the_unit_may_write():
    values = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, sep, value = line.partition("=")
            assert sep and key == key.strip() and re.fullmatch(r"[A-Z0-9_]+", key), line
            values[key] = value
    assert values["PTSP_DATA_DIR"] == _unit()["Service"]["ReadWritePaths"]
    assert values["PTSP_DATABASE_URL"].startswith("postgresql+psycopg://")
    assert values["PTSP_PUBLIC_URL"].startswith("https://")
    assert values["PTSP_SANDBOX"] == "off"
    text = ENV_EXAMPLE.read_text()
    for name in ("PTSP_SECRET_KEY", "PTSP_TWILIO_ACCOUNT_SID", "PTSP_TWILIO_AUTH_TOKEN",
                 "PTSP_TWILIO_WHATSAPP_FROM", "PTSP_TWILIO_ACCOUNTS", "PTSP_TELEGRAM_TOKEN",
                 "PTSP_TELEGRAM_WEBHOOK_SECRET", "PTSP_TELEGRAM_MODE"):
        assert name in text, name


# -- the image --------------------------------------------------------------------------


def test_the_image_copies_every_package_the_wheel_is_made_of():
    text = DOCKERFILE.read_text()
    assert re.search(r"^ARG PYTHON_IMAGE=python:3\.11-slim$", text, re.M)
    copied = set()
    for args in re.findall(r"^COPY\s+(?!--from)(.+)$", text, re.M):
        *sources, _dest = args.split()
        for src in sources:
            assert (ROOT / src).exists(), src
            copied.add(src.rstrip("/"))
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    include = project["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = {p.name for p in ROOT.iterdir() if (p / "__init__.py").is_file()
                and any(re.fullmatch(pat.replace("*", ".*"), p.name) for pat in include)}
    assert packages <= copied
    for sources in project["tool"]["setuptools"]["data-files"].values():
        assert {s.split("/")[0] for s in sources} <= copied
    assert {"pyproject.toml", project["project"]["readme"]} <= copied


def test_the_image_runs_unprivileged_migrates_serves_and_checks_healthz():
    text = DOCKERFILE.read_text()
    users = re.findall(r"^USER\s+(\S+)", text, re.M)
    assert users and users[-1] not in ("root", "0")
    assert re.search(r"^VOLUME\s.*/var/lib/ptsp", text, re.M)
    health = re.search(r"^HEALTHCHECK\s.*?CMD\s+(.+)$", text, re.M | re.S)
    assert health and "/healthz" in health.group(1) and "python" in health.group(1)
    assert "curl" not in health.group(1)
    assert "deploy/entrypoint.sh" in text
    script = ENTRYPOINT.read_text()
    assert script.index("ptsp db upgrade") < script.index(
        "exec ptsp serve --host 0.0.0.0 --port 8080")
    assert os.access(ENTRYPOINT, os.X_OK)
    subprocess.run(["sh", "-n", str(ENTRYPOINT)], check=True, timeout=10)


# -- names ------------------------------------------------------------------------------


def test_every_ptsp_variable_in_the_deploy_files_is_a_setting():
    seen: dict[str, set[str]] = {}
    for path in _deploy_files():
        for name in PTSP_NAME.findall(path.read_text(encoding="utf-8")):
            seen.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    assert {"PTSP_DATABASE_URL", "PTSP_DATA_DIR", "PTSP_PUBLIC_URL"} <= set(seen)
    unknown = {name: sorted(files) for name, files in seen.items() if not _known(name)}
    assert not unknown, f"not fields of bot.settings.Settings: {unknown}"


def test_the_name_check_knows_nested_keys_and_refuses_made_up_ones():
    assert _known("PTSP_TWILIO_AUTH_TOKEN")
    assert _known("PTSP_NUMBERING__TIMEZONE")
    assert _known("PTSP_WHATSAPP__TEMPLATES__HASIL_SIAP")
    assert not _known("PTSP_DATA_FOLDER")
    assert not _known("PTSP_NUMBERING__ZONA")


# -- docker compose ---------------------------------------------------------------------


def _compose_cli() -> list[str] | None:
    if shutil.which("docker") is None:
        return None
    try:
        done = subprocess.run(["docker", "compose", "version"], capture_output=True,
                              timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return ["docker", "compose"] if done.returncode == 0 else None


def test_docker_compose_accepts_the_file(tmp_path):
    cli = _compose_cli()
    if cli is None:
        pytest.skip("docker compose is not installed (`docker compose version` failed)")
    env_file = tmp_path / "compose.env"
    env_file.write_text("POSTGRES_PASSWORD=test\nPTSP_PUBLIC_URL=https://ptsp.example.go.id\n")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PTSP_", "POSTGRES_", "COMPOSE_"))}
    done = subprocess.run([*cli, "-f", str(COMPOSE), "--env-file", str(env_file),
                           "config", "-q"], capture_output=True, text=True, timeout=60,
                          check=False, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
