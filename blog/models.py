import math
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinLengthValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django_prose_editor.fields import ProseEditorField

from blog import body_images
from blog.booking_links import with_booking_details
from restoration_site.common.choices import EnquiryType, PublicationStatus

# What staff can put in an article body; the same list drives the editor's buttons and the
# server-side nh3 allow-list, so nothing the editor cannot make survives a save.
BODY_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Heading": {"levels": [2, 3]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto", "tel"]},
}
WORDS_PER_MINUTE = 200


class Topic(models.Model):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    description = models.CharField(
        max_length=160,
        help_text="One or two sentences shown on the topic page and to search engines.",
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in topic lists.")
    # Read by the content version (blog.selectors), so a rename shows on cached pages at once.
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("blog:topic", kwargs={"slug": self.slug})


class Tag(models.Model):
    name = models.CharField(max_length=40, unique=True)
    slug = models.SlugField(max_length=40, unique=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("blog:tag", kwargs={"slug": self.slug})


class Author(models.Model):
    name = models.CharField(max_length=100)
    job_title = models.CharField(max_length=100, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ClaimPhrase(models.Model):
    """Wording that UK advertising rules for cosmetic treatments treat as a risky claim.

    Saving an article that uses one warns the editor (it does not block the save).
    """

    phrase = models.CharField(max_length=80, unique=True)
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["phrase"]
        verbose_name = "claim to review"
        verbose_name_plural = "claims to review"

    def __str__(self) -> str:
        return self.phrase


class ArticleQuerySet(models.QuerySet):
    def published(self) -> "ArticleQuerySet":
        """Articles a visitor may see: published, with a publish time that has come."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def scheduled(self) -> "ArticleQuerySet":
        """Published by staff, with a publish time still to come: hidden from visitors."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())

    def for_cards(self) -> "ArticleQuerySet":
        return self.select_related("topic").defer("body")


class Article(models.Model):
    Status = PublicationStatus

    title = models.CharField(max_length=150)
    slug = models.SlugField(max_length=160, unique=True)
    summary = models.CharField(
        max_length=160,
        validators=[
            MinLengthValidator(
                70,
                message="Write at least %(limit_value)d characters (this summary has "
                "%(show_value)d): search engines show 70 to 160.",
            )
        ],
        help_text="70 to 160 characters. Shown in lists and used as the description search "
        "engines show.",
    )
    body = ProseEditorField(extensions=BODY_EXTENSIONS, sanitize=True)
    # No width_field/height_field: Django would open the file to fill them whenever an article
    # is loaded without them. The renditions record every size a page needs.
    hero_image = models.ImageField(upload_to="articles/originals/")
    hero_alt = models.CharField(
        "hero image description",
        max_length=200,
        help_text="What the image shows, for people who cannot see it.",
    )
    hero_renditions = models.JSONField(default=dict, blank=True, editable=False)
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="articles")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="articles")
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        "publish date and time",
        default=timezone.now,
        help_text="A time in the future schedules the article: it stays hidden until then.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    created_at = models.DateTimeField(auto_now_add=True)
    reading_minutes = models.PositiveSmallIntegerField(default=1, editable=False)
    cta_enquiry_type = models.CharField(
        "call to action preselects",
        max_length=20,
        choices=EnquiryType.choices,
        blank=True,
        help_text="The enquiry type chosen on the consultation form when a reader follows the "
        "article's call to action.",
    )
    # The advertising-claims review (blog.services): how many claims the wording had when last
    # saved, and who confirmed they had reviewed them, when. The fingerprints are those of the
    # claims reviewed: a claim without one (new or reworded) needs a new review before the
    # article can be published or scheduled.
    claims_found = models.PositiveSmallIntegerField(default=0, editable=False)
    claims_fingerprints = models.JSONField(default=list, blank=True, editable=False)
    claims_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name="wording reviewed by",
    )
    claims_reviewed_at = models.DateTimeField(
        "wording reviewed at", null=True, blank=True, editable=False
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_listing"),
            models.Index(fields=["topic", "status", "-published_at"], name="article_topic_listing"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        # Sanitised on every save, not only through forms, so no code path stores a script.
        self.body = self._meta.get_field("body").sanitize(self.body or "")
        self.reading_minutes = reading_minutes(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("blog:article", kwargs={"slug": self.slug})

    @property
    def body_for_readers(self) -> str:
        """The body as the article page shows it: links to the consultation form carry the
        article's enquiry type and the article as their source, as its call to action does,
        and each image placeholder is the image (blog.body_images). The article page
        prefetches `images`, so this reads no more rows."""
        body = with_booking_details(
            self.body, enquiry_type=self.cta_enquiry_type, source=self.get_absolute_url()
        )
        return body_images.with_images(
            body, images={image.number: image for image in self.images.all()}
        )

    def clean(self) -> None:
        if self.hero_image and not self.hero_alt.strip():
            raise ValidationError({"hero_alt": "Describe the image for people who cannot see it."})

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()

    @property
    def is_scheduled(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.published_at > timezone.now()

    @property
    def was_revised(self) -> bool:
        """Worth showing an "updated" date: changed on a later day than it was published."""
        return self.updated_at.date() > self.published_at.date()


# The hero image's message, for every image in an article.
DESCRIBE_THE_IMAGE = "Describe the image for people who cannot see it."


class ArticleImage(models.Model):
    """An image shown inside an article's body, where its placeholder (`[image 2]`) stands.

    Saved through blog.services, which stores the upload cleaned and writes its renditions
    as for hero images, and numbers it.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="images")
    # Given on the first save (the article's highest so far, plus one) and never changed, so a
    # placeholder keeps naming the same image.
    number = models.PositiveIntegerField(editable=False)
    # A random name is given on save (blog.services), never the uploader's.
    image = models.ImageField(upload_to="articles/body/")
    alt = models.CharField(
        "description",
        max_length=200,
        help_text="What the image shows, for people who cannot see it.",
    )
    caption = models.CharField(
        max_length=300, blank=True, help_text="Optional. Shown under the image to every reader."
    )
    renditions = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["article", "number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="article_image_number")
        ]

    def __str__(self) -> str:
        return self.placeholder if self.number else "New image"

    @property
    def placeholder(self) -> str:
        """What staff write, as a paragraph of its own, where the image goes in the body."""
        return body_images.placeholder(self.number)

    def clean(self) -> None:
        if self.image and not self.alt.strip():
            raise ValidationError({"alt": DESCRIBE_THE_IMAGE})


def reading_minutes(html: str) -> int:
    """Minutes to read the body at 200 words a minute; image placeholders are not words."""
    words = len(re.findall(r"\w+", body_images.without_placeholders(strip_tags(html))))
    return max(1, math.ceil(words / WORDS_PER_MINUTE))
