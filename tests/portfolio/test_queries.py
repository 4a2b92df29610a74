"""Portfolio pages run the same number of SQL queries however many cases there are."""

import pytest
from django.urls import reverse

from tests.factories import BeforeAfterCaseFactory

pytestmark = pytest.mark.django_db

TREATMENTS = ["hairline-restoration", "density-for-thinning-hair", "scar-camouflage"]


@pytest.fixture(params=[5, 50], ids=["5-cases", "50-cases"])
def cases(request):
    return [
        BeforeAfterCaseFactory(treatment=TREATMENTS[n % 3], featured=n % 2 == 0)
        for n in range(request.param)
    ]


def test_the_gallery_runs_a_constant_number_of_queries(client, cases, django_assert_num_queries):
    with django_assert_num_queries(3):  # version, count, page
        assert client.get(reverse("portfolio:gallery")).status_code == 200


def test_a_treatment_page_runs_a_constant_number_of_queries(
    client, cases, django_assert_num_queries
):
    with django_assert_num_queries(3):
        assert (
            client.get(reverse("portfolio:treatment", args=["scar-camouflage"])).status_code == 200
        )


def test_a_case_page_runs_a_constant_number_of_queries(client, cases, django_assert_num_queries):
    # two versions, case, related articles, the clinic for its call to action's enquiry type
    with django_assert_num_queries(5):
        assert client.get(cases[-1].get_absolute_url()).status_code == 200


def test_the_home_page_with_featured_cases_runs_a_constant_number_of_queries(
    client, cases, django_assert_num_queries
):
    # three versions (articles, cases, schedules and prices), latest articles, featured
    # cases, the clinic's opening hours and its price range for its structured data
    with django_assert_num_queries(7):
        assert client.get(reverse("home")).status_code == 200
