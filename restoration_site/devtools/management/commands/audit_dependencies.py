import json
import subprocess
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Check the installed dependencies for known vulnerabilities with pip-audit; skipped with "
        "a message when the package index's vulnerability data cannot be reached."
    )

    def handle(self, *args, **options) -> None:
        pip_audit = Path(sys.executable).parent / "pip-audit"
        result = subprocess.run(
            [str(pip_audit), "--skip-editable", "--progress-spinner", "off", "--format", "json"],
            capture_output=True,
            text=True,
            timeout=300,
        )
        try:
            report = json.loads(result.stdout)
        except json.JSONDecodeError:
            self.stdout.write(
                "pip-audit skipped: it could not reach the vulnerability data "
                f"({(result.stderr.strip().splitlines() or ['no output'])[-1][:200]})"
            )
            return
        dependencies = report.get("dependencies", [])
        audited = [d for d in dependencies if "skip_reason" not in d]
        if not audited:
            self.stdout.write(
                f"pip-audit skipped: none of the {len(dependencies)} dependencies could be looked "
                "up (this machine's package index serves no vulnerability data)."
            )
            return
        vulnerable = [d for d in audited if d.get("vulns")]
        for dependency in vulnerable:
            ids = ", ".join(v["id"] for v in dependency["vulns"])
            self.stderr.write(f"{dependency['name']} {dependency['version']}: {ids}")
        if vulnerable:
            raise CommandError(f"{len(vulnerable)} dependency(ies) with known vulnerabilities.")
        self.stdout.write(f"pip-audit: no known vulnerabilities in {len(audited)} dependencies.")
