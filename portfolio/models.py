from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from portfolio.typos import typo_fix_problem
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
# Addresses under /portfolio/ that are pages of their own, so no case may take them as a slug.
RESERVED_CASE_SLUGS = {"reviews"}


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
        if self.slug in RESERVED_CASE_SLUGS:
            errors["slug"] = f"“{self.slug}” is the address of another portfolio page."
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


class ClientReviewQuerySet(models.QuerySet):
    def published(self) -> "ClientReviewQuerySet":
        """What visitors see: published, with the client's written consent recorded and not
        withdrawn. Reviews from real clients come before examples, newest first."""
        return self.filter(
            status=ClientReview.Status.PUBLISHED,
            consent_recorded_on__isnull=False,
            consent_withdrawn_on__isnull=True,
        ).order_by("is_example", "-reviewed_on", "-pk")

    def real(self) -> "ClientReviewQuerySet":
        """Published reviews by real clients: the only ones search engines are told about."""
        return self.published().filter(is_example=False)


class ClientReview(models.Model):
    """A client's testimonial, published only with their written consent and kept in their own
    words: the text as first saved is kept, and later edits may only correct typos (see
    portfolio.typos)."""

    Status = PublicationStatus

    class ConsentMethod(models.TextChoices):
        SIGNED_FORM = "signed_form", "Signed consent form"
        EMAIL = "email", "Email from the client"
        LETTER = "letter", "Letter from the client"

    text = models.TextField(
        "the client's words",
        max_length=2000,
        help_text="Exactly as the client wrote them. Once saved, only typos may be corrected: "
        "the original is kept and shown beside it.",
    )
    original_text = models.TextField("the client's original words", editable=False)
    rating = models.PositiveSmallIntegerField(
        "star rating",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="1 to 5 stars, only if the client gave a rating.",
    )
    reviewed_on = models.DateField("date of the review", help_text="When the client wrote it.")
    treatment = models.CharField(max_length=40, choices=Treatment.choices)
    case = models.ForeignKey(
        BeforeAfterCase,
        verbose_name="before/after case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviews",
        # A review is about our work, never an example of another practitioner's.
        limit_choices_to={"not_our_work": False},
        help_text="The client's own case in the portfolio, if there is one.",
    )
    first_name = models.CharField(
        "client's first name",
        max_length=40,
        blank=True,
        help_text="Shown only if the client agreed to it; otherwise the review is signed "
        "“A client”.",
    )
    consent_recorded_on = models.DateField(
        "client's written consent received on",
        null=True,
        blank=True,
        help_text="Required before publishing.",
    )
    consent_method = models.CharField(
        "consent recorded by",
        max_length=20,
        choices=ConsentMethod.choices,
        blank=True,
        help_text="Required before publishing.",
    )
    consent_reference = models.CharField(
        "consent reference",
        max_length=120,
        blank=True,
        help_text="Required before publishing: where to find the consent, such as the form's "
        "number or the email's date and subject.",
    )
    show_first_name = models.BooleanField(
        "the client agreed to show their first name", default=False
    )
    show_treatment = models.BooleanField("the client agreed to show the treatment", default=False)
    show_case_photo = models.BooleanField(
        "the client agreed to show the review with their case's photos",
        default=False,
        help_text="The review then appears on the case's page, and the case's after photo "
        "beside the review.",
    )
    consent_withdrawn_on = models.DateField(
        "consent withdrawn on",
        null=True,
        blank=True,
        help_text="The review leaves the site as soon as this is saved.",
    )
    is_example = models.BooleanField(
        "example review (invented, for demonstration)",
        default=False,
        help_text="Shown labelled “Example review” and never counted in the ratings search "
        "engines read.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ClientReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-reviewed_on", "-pk"]
        indexes = [models.Index(fields=["status", "-reviewed_on"], name="review_list")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=PublicationStatus.DRAFT)
                | (
                    Q(consent_recorded_on__isnull=False)
                    & ~Q(consent_method="")
                    & ~Q(consent_reference="")
                ),
                name="review_published_with_consent",
                violation_error_message="A review can only be published with the client's "
                "written consent recorded.",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="review_rating_1_to_5",
            ),
        ]
        verbose_name = "client review"

    def __str__(self) -> str:
        words = self.text.split()
        excerpt = " ".join(words[:8]) + ("…" if len(words) > 8 else "")
        # Staff see the first name whether or not visitors may.
        return f"{self.first_name or 'A client'}: {excerpt}"

    def save(self, *args, **kwargs) -> None:
        """The text as first saved is the original, written once and never again."""
        if self._state.adding:
            self.original_text = self.text
        elif kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "original_text"
            ]
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return self.first_name if self.show_first_name and self.first_name else "A client"

    @property
    def shown_treatment(self) -> str:
        """The treatment's name, if the client agreed to show it."""
        return self.get_treatment_display() if self.show_treatment else ""

    @property
    def shown_case(self) -> BeforeAfterCase | None:
        """The client's published case, if they agreed to show the review with its photos."""
        if not self.show_case_photo or self.case is None:
            return None
        return self.case if self.case.status == BeforeAfterCase.Status.PUBLISHED else None

    @property
    def is_shown(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.consent_recorded_on is not None
            and self.consent_withdrawn_on is None
        )

    def publication_problems(self) -> dict[str, str]:
        """What stands in the way of publishing this review, by field (empty when nothing)."""
        needed = "A review can only be published once the client's written consent is recorded: "
        problems = {}
        if not self.consent_recorded_on:
            problems["consent_recorded_on"] = needed + "enter the date it was received."
        if not self.consent_method:
            problems["consent_method"] = needed + "say how it was given."
        if not self.consent_reference.strip():
            problems["consent_reference"] = needed + "say where to find it."
        return problems

    def clean(self) -> None:
        today = timezone.localdate()
        errors = {}
        if self.status == self.Status.PUBLISHED:
            errors.update(self.publication_problems())
        if self.reviewed_on and self.reviewed_on > today:
            errors["reviewed_on"] = "The date of the review cannot be in the future."
        if self.consent_recorded_on and self.consent_recorded_on > today:
            errors["consent_recorded_on"] = "The date consent was received cannot be in the future."
        if self.consent_withdrawn_on:
            if self.consent_withdrawn_on > today:
                errors["consent_withdrawn_on"] = (
                    "Enter the date the client withdrew their consent, today at the latest."
                )
            elif self.consent_recorded_on and self.consent_withdrawn_on < self.consent_recorded_on:
                errors["consent_withdrawn_on"] = (
                    "Consent cannot be withdrawn before the date it was received."
                )
        if self.show_first_name and not self.first_name.strip():
            errors["first_name"] = (
                "Enter the client's first name, or untick “the client agreed to show their "
                "first name”."
            )
        if self.case_id and self.case.treatment != self.treatment:
            errors["case"] = (
                f"This case is {self.case.get_treatment_display()}; the review is about "
                f"{self.get_treatment_display()}."
            )
        if self.show_case_photo and not self.case_id:
            errors["show_case_photo"] = (
                "Choose the client's case, or untick showing the review with its photos."
            )
        elif self.show_case_photo and not self.show_treatment:
            errors["show_treatment"] = (
                "The case's page names the treatment, so a review shown with the case's photos "
                "shows it too: the client must have agreed to both."
            )
        if self.pk and self.text and (problem := typo_fix_problem(self.original_text, self.text)):
            errors["text"] = (
                f"Only typos may be corrected in a client's words, and this is more: {problem} "
                "The original is shown beside it. If the client wants to say something else, add "
                "it as a new review with its own consent."
            )
        if errors:
            raise ValidationError(errors)
