from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse

from restoration_site.common.choices import EnquiryType, PublicationStatus


class Treatment(models.TextChoices):
    """What was done; the value is also the gallery filter's address."""

    HAIRLINE = "hairline-restoration", "Hairline restoration"
    DENSITY = "density-for-thinning-hair", "Density for thinning hair"
    SCAR = "scar-camouflage", "Scar camouflage"
    CORRECTION = "smp-correction", "SMP correction"
    LASER_REMOVAL = "laser-removal-of-smp", "Laser removal of SMP"


# The consultation a case's call to action asks for, and the article tag it relates to.
TREATMENT_ENQUIRY_TYPE = {
    Treatment.HAIRLINE: EnquiryType.NEW_SMP,
    Treatment.DENSITY: EnquiryType.NEW_SMP,
    Treatment.SCAR: EnquiryType.NEW_SMP,
    Treatment.CORRECTION: EnquiryType.SMP_CORRECTION,
    Treatment.LASER_REMOVAL: EnquiryType.LASER_SMP,
}
TREATMENT_ARTICLE_TAG = {
    Treatment.HAIRLINE: "hairline",
    Treatment.DENSITY: "density",
    Treatment.SCAR: "scars",
    Treatment.CORRECTION: "correction",
    Treatment.LASER_REMOVAL: "laser",
}


class BeforeAfterCaseQuerySet(models.QuerySet):
    def published(self) -> "BeforeAfterCaseQuerySet":
        return self.filter(status=BeforeAfterCase.Status.PUBLISHED)

    def featured(self) -> "BeforeAfterCaseQuerySet":
        """The clinic's own results chosen for the home page; never an example of poor work."""
        return self.published().filter(featured=True, not_our_work=False)


class BeforeAfterCase(models.Model):
    Status = PublicationStatus

    title = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    treatment = models.CharField(max_length=40, choices=Treatment.choices)
    description = models.TextField(max_length=800)
    sessions = models.PositiveSmallIntegerField(
        "number of sessions", default=3, validators=[MinValueValidator(1)]
    )
    weeks_between_photos = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="How long after the before photo the after photo was taken.",
    )
    before_image = models.ImageField(upload_to="portfolio/originals/")
    before_alt = models.CharField("before photo description", max_length=200)
    before_renditions = models.JSONField(default=dict, blank=True, editable=False)
    after_image = models.ImageField(upload_to="portfolio/originals/")
    after_alt = models.CharField("after photo description", max_length=200)
    after_renditions = models.JSONField(default=dict, blank=True, editable=False)
    not_our_work = models.BooleanField(
        "example of poor SMP - not our work",
        default=False,
        help_text="Shown with a prominent “Not our work” label and never featured.",
    )
    consent_recorded_on = models.DateField(
        "client's written consent received on",
        null=True,
        blank=True,
        help_text="Required before publishing: the date of the client's written consent.",
    )
    photos_unretouched = models.BooleanField(
        "I confirm the photos are unretouched",
        default=False,
        help_text="Required before publishing: no editing beyond cropping.",
    )
    featured = models.BooleanField("feature on the home page", default=False)
    position = models.PositiveIntegerField("display order", default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BeforeAfterCaseQuerySet.as_manager()

    class Meta:
        ordering = ["position", "-created_at"]
        indexes = [
            models.Index(fields=["status", "position"], name="case_gallery"),
            models.Index(fields=["treatment", "status", "position"], name="case_treatment"),
        ]
        verbose_name = "before/after case"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portfolio:case", kwargs={"slug": self.slug})

    def publication_problems(self) -> dict[str, str]:
        """What stands in the way of publishing this case, by field (empty when nothing does)."""
        problems = {}
        if not self.consent_recorded_on:
            problems["consent_recorded_on"] = (
                "A case can only be published once the client's written consent is recorded: "
                "enter the date it was received."
            )
        if not self.photos_unretouched:
            problems["photos_unretouched"] = (
                "A case can only be published once you confirm the photos are unretouched."
            )
        return problems

    def clean(self) -> None:
        errors = {}
        if self.status == self.Status.PUBLISHED:
            errors.update(self.publication_problems())
        if self.featured and self.not_our_work:
            errors["featured"] = (
                "An example of poor SMP that is not our work cannot be featured as our results."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def enquiry_type(self) -> str:
        return TREATMENT_ENQUIRY_TYPE[self.treatment]

    @property
    def article_tag(self) -> str:
        return TREATMENT_ARTICLE_TAG[self.treatment]
