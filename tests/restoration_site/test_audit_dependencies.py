import io
import json
import subprocess

import pytest
from django.core.management import CommandError, call_command


def pip_audit_says(monkeypatch, report: dict) -> None:
    def fake_run(*args, **kwargs):
        return subprocess.CompletedProcess(args, 0, stdout=json.dumps(report), stderr="")

    monkeypatch.setattr(subprocess, "run", fake_run)


def test_a_known_vulnerability_fails_the_audit(monkeypatch):
    pip_audit_says(
        monkeypatch,
        {
            "dependencies": [
                {"name": "django", "version": "5.2.0", "vulns": [{"id": "PYSEC-2025-1"}]}
            ]
        },
    )
    with pytest.raises(CommandError, match="1 dependency"):
        call_command("audit_dependencies", stdout=io.StringIO(), stderr=io.StringIO())


def test_a_clean_audit_passes(monkeypatch):
    pip_audit_says(
        monkeypatch, {"dependencies": [{"name": "django", "version": "5.2.19", "vulns": []}]}
    )
    out = io.StringIO()
    call_command("audit_dependencies", stdout=out)
    assert "no known vulnerabilities in 1 dependencies" in out.getvalue()


def test_without_vulnerability_data_the_audit_is_skipped_with_a_message(monkeypatch):
    pip_audit_says(
        monkeypatch,
        {
            "dependencies": [
                {
                    "name": "django",
                    "version": "5.2.19",
                    "skip_reason": "Dependency not found on PyPI",
                }
            ]
        },
    )
    out = io.StringIO()
    call_command("audit_dependencies", stdout=out)
    assert out.getvalue().startswith("pip-audit skipped")
