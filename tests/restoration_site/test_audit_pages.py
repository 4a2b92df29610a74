import io

import pytest
from django.core.management.base import CommandError

from restoration_site.management.commands.audit_pages import Command


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
