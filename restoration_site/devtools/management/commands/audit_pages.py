"""`make audit`: Lighthouse (mobile preset) against the production-like site, with budgets."""

import json
import os
import shutil
import statistics
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from restoration_site.devtools.serving import free_port, gunicorn, prepare_site

PAGES = {
    "home": "/",
    "article": "/articles/regretting-smp-laser-tattoo-removal/",
    "tag": "/articles/tag/hairline/",
    "gallery": "/portfolio/",
    "case": "/portfolio/natural-hairline-early-thirties/",
    "reviews": "/portfolio/reviews/",
    "team": "/team/",
    "visit": "/visit/restoration-u/",
    "prices": "/prices/",
    "times": "/book/times/?type=new_smp",
    "form": "/book/",
}
ATTEMPTS = 3
# Lighthouse's scores vary from run to run with the machine's load (Total Blocking Time most:
# the team page measured 53 to 194 ms on unchanged code); its documentation on variability
# advises the median of several runs, as Lighthouse CI does (three by default).
RUNS = 3
BUDGETS = {"performance": 98, "accessibility": 100, "best-practices": 100, "seo": 100}
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-quic --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)


def median_scores(runs: list[dict[str, float]]) -> dict[str, int]:
    """Each category's median score over a page's runs, as Lighthouse shows it (0 to 100)."""
    return {key: round(statistics.median(run[key] for run in runs)) for key in runs[0]}


class Command(BaseCommand):
    help = "Run Lighthouse (mobile) on the main page types and fail below the score budgets."

    def handle(self, *args, **options) -> None:
        tool = Path(settings.BASE_DIR) / ".ci" / "lighthouse"
        lighthouse = tool / "node_modules" / ".bin" / "lighthouse"
        if not lighthouse.exists():
            raise CommandError("Lighthouse is not installed: run make audit (it runs npm ci).")
        chrome = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
        if not shutil.which(chrome):
            raise CommandError(f"No Chromium at {chrome} (apt-get install chromium).")
        reports = Path(settings.BASE_DIR) / "var" / "lighthouse"
        reports.mkdir(parents=True, exist_ok=True)
        self.stdout.write("Preparing a production-like site under var/audit/ ...")
        port = free_port()
        # Canonical links name SITE_URL: the address Lighthouse visits.
        env = prepare_site("audit", DJANGO_SITE_URL=f"http://127.0.0.1:{port}")
        scores = {}
        with gunicorn(env, port, workers=2) as base:
            for label, path in PAGES.items():
                runs = []
                for run in range(1, RUNS + 1):
                    report = reports / f"{label}-{run}.json"
                    self.lighthouse(lighthouse, chrome, base + path, report)
                    categories = json.loads(report.read_text())["categories"]
                    runs.append({key: cat["score"] * 100 for key, cat in categories.items()})
                scores[label] = median_scores(runs)
        self.report(scores, reports)

    def lighthouse(self, lighthouse: Path, chrome: str, url: str, report: Path) -> None:
        """One Lighthouse run. Lighthouse sometimes fails to record a trace (NO_NAVSTART) and
        asks to be run again; a failed run is retried up to twice, never a low score."""
        for attempt in range(1, ATTEMPTS + 1):
            result = subprocess.run(
                [
                    str(lighthouse),
                    url,
                    "--quiet",
                    "--output",
                    "json",
                    "--output-path",
                    str(report),
                    f"--chrome-flags={CHROME_FLAGS}",
                ],
                env={**os.environ, "CHROME_PATH": chrome},
                capture_output=True,
                text=True,
                timeout=180,
            )
            if result.returncode == 0:
                return
            self.stdout.write(f"Lighthouse run {attempt} for {url} failed: {result.stderr[-300:]}")
        raise CommandError(f"Lighthouse failed {ATTEMPTS} times for {url}.")

    def report(self, scores: dict, reports: Path) -> None:
        header = f"{'page':<10}" + "".join(f"{name:>16}" for name in BUDGETS)
        self.stdout.write("\n" + header)
        self.stdout.write("-" * len(header))
        failures = []
        for label, page in scores.items():
            self.stdout.write(f"{label:<10}" + "".join(f"{page[n]:>16}" for n in BUDGETS))
            failures += [
                f"{label} {name} {page[name]} < {budget}"
                for name, budget in BUDGETS.items()
                if page[name] < budget
            ]
        budget_line = ", ".join(f"{name} {budget}" for name, budget in BUDGETS.items())
        self.stdout.write(
            f"\nEach score is the median of {RUNS} runs. Budgets: {budget_line}. "
            f"Reports: {reports}/"
        )
        if failures:
            raise CommandError("Below budget: " + "; ".join(failures))
        self.stdout.write(self.style.SUCCESS("All pages within budget."))
