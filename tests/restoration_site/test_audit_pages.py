import io

import pytest
from django.core.management.base import CommandError

from restoration_site.devtools.management.commands.audit_pages import Command, median_scores


def scores(**overrides) -> dict:
    page = {"performance": 100, "accessibility": 100, "best-practices": 100, "seo": 100}
    return {"home": page | overrides}


def test_scores_within_the_budgets_pass(tmp_path):
    out = io.StringIO()
    Command(stdout=out).report(scores(performance=98), tmp_path)
    assert "All pages within budget." in out.getvalue()


@pytest.mark.parametrize(
    ("category", "score"),
    [("performance", 97), ("accessibility", 99), ("best-practices", 96), ("seo", 92)],
)
def test_a_score_below_its_budget_fails_the_audit(tmp_path, category, score):
    with pytest.raises(CommandError, match=f"home {category} {score}"):
        Command(stdout=io.StringIO()).report(scores(**{category: score}), tmp_path)


def fake_lighthouse(tmp_path, failures: int):
    """A stand-in for Lighthouse that fails `failures` times, then writes its report."""
    script = tmp_path / "lighthouse"
    counter = tmp_path / "runs"
    script.write_text(
        "#!/bin/sh\n"
        f'echo x >> "{counter}"\n'
        f'[ "$(wc -l < "{counter}")" -le {failures} ] && echo NO_NAVSTART >&2 && exit 1\n'
        'while [ "$1" != "--output-path" ]; do shift; done; echo "{}" > "$2"\n'
    )
    script.chmod(0o755)
    return script


def test_a_lighthouse_run_that_fails_to_record_is_run_again(tmp_path):
    report = tmp_path / "home.json"
    Command(stdout=io.StringIO()).lighthouse(
        fake_lighthouse(tmp_path, failures=2), "/bin/true", "http://x/", report
    )
    assert report.exists()


def test_lighthouse_failing_every_time_fails_the_audit(tmp_path):
    with pytest.raises(CommandError, match="failed 3 times"):
        Command(stdout=io.StringIO()).lighthouse(
            fake_lighthouse(tmp_path, failures=3), "/bin/true", "http://x/", tmp_path / "r.json"
        )


def test_a_page_scores_the_median_of_its_runs_so_one_slow_run_does_not_fail_it():
    runs = [
        {"performance": 100.0, "seo": 100.0},
        {"performance": 97.0, "seo": 100.0},
        {"performance": 99.4, "seo": 100.0},
    ]
    assert median_scores(runs) == {"performance": 99, "seo": 100}
