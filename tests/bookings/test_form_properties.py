"""Property-based tests: whatever arrives in a POST, the form answers with a page, never a 500,
and either stores one whole request or nothing."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookings.models import ConsultationRequest
from restoration_site.common.choices import EnquiryType
from tests.bookings.helpers import valid_form_data

FIELDS = list(valid_form_data())
hostile_text = st.one_of(
    st.text(max_size=50),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=300),
    st.sampled_from(
        [
            "\x00",
            "' OR 1=1 --",
            "<script>alert(1)</script>",
            "9" * 5000,
            "2026-02-30",
            "-1",
            "+",
            "\ud7ff\u202e",
            "e" * 100_000,
        ]
    ),
)


def field_values(field: str):
    valid = valid_form_data()[field]
    return st.one_of(st.just(valid), st.none(), hostile_text)


@st.composite
def posts(draw) -> dict:
    data = {}
    for field in FIELDS:
        value = draw(field_values(field))
        if value is not None:
            data[field] = value
    return data


@pytest.fixture
def generous_rate_limit(settings):
    settings.CONSULTATION_RATE_LIMIT = 100_000


@pytest.mark.django_db
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=posts())
def test_any_post_gets_a_page_and_stores_a_whole_request_or_nothing(
    client, generous_rate_limit, data
):
    before = ConsultationRequest.objects.count()
    response = client.post("/book/", data)
    assert response.status_code in (200, 302)
    stored = ConsultationRequest.objects.count() - before
    if response.status_code == 200:
        assert stored == 0
    else:
        assert stored == 1
        enquiry = ConsultationRequest.objects.latest("pk")
        assert enquiry.full_name and enquiry.email and enquiry.phone.startswith("+")
        assert enquiry.enquiry_type in EnquiryType.values
        assert enquiry.notifications.count() == (0 if enquiry.is_spam else 2)


@pytest.mark.django_db
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=hostile_text)
def test_any_search_query_gets_a_page(client, query):
    assert client.get("/articles/search/", {"q": query}).status_code == 200
