"""Portfolio pages run the same number of SQL queries however many cases and client reviews
there are."""

import pytest
from django.urls import reverse

from tests.factories import BeforeAfterCaseFactory, ClientReviewFactory

pytestmark = pytest.mark.django_db

TREATMENTS = ["hairline-restoration", "density-for-thinning-hair", "scar-camouflage"]


@pytest.fixture(params=[5, 50], ids=["5-of-each", "50-of-each"])
def cases(request):
    """Cases, and as many reviews: some beside their case's photos, some examples."""
    cases = [
        BeforeAfterCaseFactory(treatment=TREATMENTS[n % 3], featured=n % 2 == 0)
        for n in range(request.param)
    ]
    for n, case in enumerate(cases):
        ClientReviewFactory(
            case=case,
            treatment=case.treatment,
            show_case_photo=n % 2 == 0,
            is_example=n % 5 == 0,
            rating=None if n % 3 == 0 else 4,
        )
    return cases


def test_the_gallery_runs_a_constant_number_of_queries(client, cases, django_assert_num_queries):
    with django_assert_num_queries(4):  # version, count, page, whether to link to reviews
        assert client.get(reverse("portfolio:gallery")).status_code == 200


def test_a_treatment_page_runs_a_constant_number_of_queries(
    client, cases, django_assert_num_queries
):
    with django_assert_num_queries(4):
        assert (
            client.get(reverse("portfolio:treatment", args=["scar-camouflage"])).status_code == 200
        )


def test_a_case_page_runs_a_constant_number_of_queries(client, cases, django_assert_num_queries):
    # two versions, case, related articles, its clients' reviews, the clinic for its call to
    # action's enquiry type
    with django_assert_num_queries(6):
        assert client.get(cases[-1].get_absolute_url()).status_code == 200


def test_the_home_page_with_featured_cases_runs_a_constant_number_of_queries(
    client, cases, django_assert_num_queries
):
    # three versions (articles, cases and reviews, schedules and prices), latest articles,
    # featured cases, latest reviews, and for the structured data the clinic's opening hours,
    # its price range and its clients' rating
    with django_assert_num_queries(9):
        assert client.get(reverse("home")).status_code == 200


def test_the_reviews_page_runs_a_constant_number_of_queries(
    client, cases, django_assert_num_queries
):
    with django_assert_num_queries(3):  # version, count, page with the reviews' cases
        assert client.get(reverse("portfolio:reviews")).status_code == 200


def test_a_cached_reviews_page_runs_only_its_version_query(
    client, cases, django_assert_num_queries
):
    client.get(reverse("portfolio:reviews"))
    with django_assert_num_queries(1):
        assert client.get(reverse("portfolio:reviews")).status_code == 200
