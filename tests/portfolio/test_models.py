import pytest
from django.core.exceptions import ValidationError

from portfolio.models import BeforeAfterCase
from tests.factories import BeforeAfterCaseFactory

pytestmark = pytest.mark.django_db


def test_a_case_cannot_be_published_without_the_clients_written_consent():
    case = BeforeAfterCaseFactory.build(consent_recorded_on=None)
    with pytest.raises(ValidationError) as error:
        case.clean()
    assert "written consent" in error.value.message_dict["consent_recorded_on"][0]


def test_a_case_cannot_be_published_without_confirming_the_photos_are_unretouched():
    case = BeforeAfterCaseFactory.build(photos_unretouched=False)
    with pytest.raises(ValidationError) as error:
        case.clean()
    assert "unretouched" in error.value.message_dict["photos_unretouched"][0]


def test_a_draft_may_wait_for_consent():
    BeforeAfterCaseFactory.build(
        status=BeforeAfterCase.Status.DRAFT, consent_recorded_on=None, photos_unretouched=False
    ).clean()


def test_an_example_of_poor_smp_can_never_be_featured():
    case = BeforeAfterCaseFactory.build(not_our_work=True, featured=True)
    with pytest.raises(ValidationError) as error:
        case.clean()
    assert "cannot be featured" in error.value.message_dict["featured"][0]


def test_featured_cases_are_published_and_our_own_work():
    ours = BeforeAfterCaseFactory(featured=True)
    BeforeAfterCaseFactory(featured=True, status=BeforeAfterCase.Status.DRAFT)
    BeforeAfterCaseFactory(featured=False)
    BeforeAfterCase.objects.filter(pk=BeforeAfterCaseFactory(not_our_work=True).pk).update(
        featured=True
    )
    assert list(BeforeAfterCase.objects.featured()) == [ours]


@pytest.mark.parametrize(
    ("treatment", "enquiry_type"),
    [
        ("hairline-restoration", "new_smp"),
        ("smp-correction", "smp_correction"),
        ("laser-removal-of-smp", "laser_smp"),
    ],
)
def test_a_case_books_the_consultation_its_treatment_needs(treatment, enquiry_type):
    assert BeforeAfterCaseFactory.build(treatment=treatment).enquiry_type == enquiry_type
