"""The files the deployment guide uses: Procfile, systemd units, the Caddy site, the
environment file template and the `deploy/manage` wrapper."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
UNITS = ROOT / "deploy" / "systemd"
APP_ON_SERVER = "/srv/restoration/app"
REQUIRED = os.environ.get("E2E_REQUIRED") == "1"


def needs(program: str):
    """Skip without the program, unless the run requires every tool (CI)."""
    present = shutil.which(program) is not None
    return pytest.mark.skipif(
        not present and not REQUIRED, reason=f"{program} is not installed on this machine"
    )


def procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    entries = (line.split(":", 1) for line in lines if line.strip() and not line.startswith("#"))
    return {name.strip(): command.strip() for name, command in entries}


def exec_start(unit: str) -> str:
    text = (UNITS / unit).read_text()
    return re.search(r"^ExecStart=(.+)$", text, re.MULTILINE).group(1)


def as_procfile_command(exec_line: str) -> str:
    """A unit's command with the server's absolute paths taken off, as the Procfile says it."""
    return exec_line.replace(f"{APP_ON_SERVER}/.venv/bin/", "")


def test_the_web_unit_runs_the_procfile_web_command():
    assert as_procfile_command(exec_start("restoration-web.service")) == procfile()["web"]


def test_the_worker_unit_runs_the_procfile_worker_command_leaving_retention_to_the_timer():
    command = as_procfile_command(exec_start("restoration-worker@.service"))
    assert command == procfile()["worker"] + " --no-retention"


def test_the_retention_timer_runs_the_purge_command():
    command = as_procfile_command(exec_start("restoration-retention.service"))
    assert command == "python manage.py purge_expired_enquiries"


def test_the_bank_holidays_timer_loads_next_years_bank_holidays():
    command = as_procfile_command(exec_start("restoration-bank-holidays.service"))
    assert command == "python manage.py load_bank_holidays --next-year"


def test_every_unit_reads_the_same_environment_file():
    services = sorted(UNITS.glob("*.service"))
    files = {re.search(r"^EnvironmentFile=(.+)$", p.read_text(), re.M).group(1) for p in services}
    assert files == {"/etc/restoration/restoration.env"}


@needs("systemd-analyze")
def test_the_systemd_units_pass_systemd_analyze_verify(tmp_path):
    # Pointed at this checkout and an existing user, so every command and path can be checked.
    for unit in UNITS.iterdir():
        text = unit.read_text().replace(APP_ON_SERVER, str(ROOT))
        text = text.replace("/etc/restoration/restoration.env", str(tmp_path / "env"))
        text = re.sub(r"^(User|Group)=restoration$", r"\1=root", text, flags=re.M)
        text = text.replace("/srv/restoration/var", str(tmp_path))
        (tmp_path / unit.name).write_text(text)
    (tmp_path / "env").write_text("")
    shutil.copy(tmp_path / "restoration-worker@.service", tmp_path / "restoration-worker@1.service")
    units = sorted(p.name for p in tmp_path.iterdir() if p.suffix in {".service", ".timer"})
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *units],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert (result.returncode, result.stderr.strip()) == (0, "")


@needs("caddy")
def test_the_caddy_site_is_a_valid_configuration():
    result = subprocess.run(
        ["caddy", "validate", "--config", str(ROOT / "deploy" / "Caddyfile")],
        env={
            **os.environ,
            "SITE_ADDRESS": "http://127.0.0.1:8080",
            "WEB_UPSTREAMS": "127.0.0.1:8001 127.0.0.1:8002",
            "HOME": str(ROOT / "var"),
        },
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "Valid configuration" in result.stdout + result.stderr


def test_the_example_environment_file_passes_the_deployment_checks_through_the_wrapper(tmp_path):
    env_file = tmp_path / "restoration.env"
    env_file.write_text((ROOT / ".env.example").read_text())
    clean = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    result = subprocess.run(
        [str(ROOT / "deploy" / "manage"), "check", "--deploy", "--fail-level", "WARNING"],
        env={**clean, "RESTORATION_ENV_FILE": str(env_file)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def variables_read_by(path: Path) -> set[str]:
    pattern = r'(?:os\.environ\.get|env_bool|env_int|env_list)\(\s*"([A-Z0-9_]+)"'
    return set(re.findall(pattern, path.read_text()))


def variables_in_example() -> set[str]:
    lines = (ROOT / ".env.example").read_text().splitlines()
    return {line.split("=", 1)[0] for line in lines if "=" in line and not line.startswith("#")}


def test_the_example_environment_file_names_every_variable_the_site_reads():
    read = variables_read_by(ROOT / "restoration_site" / "settings.py") | variables_read_by(
        ROOT / "deploy" / "gunicorn.conf.py"
    )
    assert read - variables_in_example() == set()


def test_the_readme_explains_every_variable_of_the_example_environment_file():
    readme = (ROOT / "README.md").read_text()
    missing = {name for name in variables_in_example() if f"`{name}`" not in readme}
    assert missing == set()
