from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_permission_codename
from django.core.exceptions import ValidationError
from django.core.validators import MinLengthValidator
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join

from blog import services
from blog.models import DESCRIBE_THE_IMAGE, Article, ArticleImage, Author, ClaimPhrase, Tag, Topic
from blog.widgets import LabelledSplitDateTime
from restoration_site.common.admin_display import NamedListEditable, rendition_thumbnail
from restoration_site.common.forms import PhotoField


class ArticleAdminForm(forms.ModelForm):
    """The admin's own form (ModelAdmin supplies model and fields), with the upload check;
    blog.services stores the cleaned copy."""

    hero_image = PhotoField(label="Hero image")
    wording_reviewed = forms.BooleanField(
        label="I have reviewed the wording",
        required=False,
        help_text="Needed once to publish or schedule an article whose wording matches the "
        "claims to review, and again when a new claim appears. Recorded with your name and "
        "the time. Drafts can be saved without it.",
    )

    class Meta:
        widgets = {"published_at": LabelledSplitDateTime(spoken_prefix="Publish")}
        help_texts = {
            "body": "To show an image in the text, add it under “Images in the body” and save; "
            "then put its placeholder, such as [image 1], on a line of its own where it belongs."
        }

    class Media:
        # The summary's live length count; the help text states the rule without it. The
        # names of the rich-text editor and the tags chooser's filters, which their own
        # scripts build without one.
        js = ["js/summary-length.js", "js/admin-field-names.js"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "summary" in self.fields:
            summary = Article._meta.get_field("summary")
            shortest = next(
                v.limit_value for v in summary.validators if isinstance(v, MinLengthValidator)
            )
            self.fields["summary"].widget.attrs.update(
                {"data-length-min": shortest, "data-length-max": summary.max_length}
            )

    def _post_clean(self):
        # After Django has put the typed wording and status on the instance (the body
        # cleaned), so the check reads what would be saved.
        super()._post_clean()
        try:
            services.check_claims_review(
                article=self.instance, reviewing=self.cleaned_data.get("wording_reviewed", False)
            )
        except ValidationError as error:
            if "hero_image" in self.files:
                error.error_list.append(
                    ValidationError(
                        "Choose the hero image again before saving: a browser does not keep a "
                        "chosen file when the form comes back."
                    )
                )
            self.add_error("wording_reviewed", error)


class VisibilityFilter(admin.SimpleListFilter):
    """What visitors see, as the Visibility column says: a published article whose publish
    time is still to come is scheduled."""

    title = "visibility"
    parameter_name = "visibility"

    def lookups(self, request, model_admin):
        return [("draft", "Draft"), ("scheduled", "Scheduled"), ("published", "Published")]

    def queryset(self, request, queryset):
        if self.value() == "draft":
            return queryset.filter(status=Article.Status.DRAFT)
        if self.value() == "scheduled":
            return queryset.scheduled()
        if self.value() == "published":
            return queryset.published()
        return queryset


class ClaimsFilter(admin.SimpleListFilter):
    """Articles whose wording matched the claims to review when last saved."""

    title = "claims warnings"
    parameter_name = "claims"

    def lookups(self, request, model_admin):
        return [
            ("found", "Carries claims warnings"),
            ("to_review", "Not reviewed yet"),
            ("reviewed", "Wording reviewed"),
            ("none", "No claims found"),
        ]

    def queryset(self, request, queryset):
        found = queryset.filter(claims_found__gt=0)
        if self.value() == "found":
            return found
        if self.value() == "to_review":
            return found.filter(claims_reviewed_at__isnull=True)
        if self.value() == "reviewed":
            return found.filter(claims_reviewed_at__isnull=False)
        if self.value() == "none":
            return queryset.filter(claims_found=0)
        return queryset


class ArticleImageForm(forms.ModelForm):
    """An image for the article's body, with the same upload check as the hero image."""

    image = PhotoField(label="Image")

    class Meta:
        model = ArticleImage
        fields = ["image", "alt", "caption"]
        labels = {"alt": "Description"}
        error_messages = {"alt": {"required": DESCRIBE_THE_IMAGE}}


class ArticleImageInline(admin.StackedInline):
    """The images of an article's body. Each shows the placeholder staff copy into the body,
    as a paragraph of its own, where the image should appear."""

    model = ArticleImage
    form = ArticleImageForm
    extra = 0
    verbose_name = "image in the body"
    verbose_name_plural = "Images in the body"
    fields = ["placeholder_to_copy", "image", "alt", "caption", "preview"]
    readonly_fields = ["placeholder_to_copy", "preview"]

    # The images are part of the article: whoever may add or change articles may add, change
    # and delete their images, without permissions of their own to grant.
    def _may_edit_articles(self, request, obj=None) -> bool:
        action = "change" if obj else "add"
        return request.user.has_perm(f"blog.{get_permission_codename(action, Article._meta)}")

    def has_add_permission(self, request, obj=None) -> bool:
        return self._may_edit_articles(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._may_edit_articles(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._may_edit_articles(request, obj)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._may_edit_articles(request, obj) or request.user.has_perm(
            f"blog.{get_permission_codename('view', Article._meta)}"
        )

    @admin.display(description="Placeholder")
    def placeholder_to_copy(self, image: ArticleImage) -> str:
        if not image.pk:
            return "Given when the article is saved."
        return format_html(
            "<code>{}</code><br>Copy this onto a line of its own in the body, where the image "
            "should appear.",
            image.placeholder,
        )

    @admin.display(description="Preview")
    def preview(self, image: ArticleImage) -> str:
        return rendition_thumbnail(image.renditions, image.alt, 160)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    inlines = [ArticleImageInline]
    list_display = [
        "title",
        "topic",
        "visibility",
        "claims_warnings",
        "published_at",
        "updated_at",
        "reading_minutes",
    ]
    list_filter = [VisibilityFilter, ClaimsFilter, "topic", "published_at"]
    list_select_related = ["topic"]
    search_fields = ["title", "summary", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["tags"]
    readonly_fields = [
        "hero_preview",
        "claims_review",
        "reading_minutes",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body"]}),
        ("Hero image", {"fields": ["hero_image", "hero_alt", "hero_preview"]}),
        (
            "Publishing",
            {
                "fields": ["status", "published_at", "author", "topic", "tags", "cta_enquiry_type"],
                "description": "Drafts and scheduled articles are visible only to staff: use "
                "“View on site” to preview.",
            },
        ),
        (
            "Claims review",
            {
                "fields": ["claims_review", "wording_reviewed"],
                "description": "Wording from Articles → Claims to review may break UK "
                "advertising rules for cosmetic treatments: an editor reviews it before the "
                "article is published or scheduled.",
            },
        ),
        ("Record", {"fields": ["reading_minutes", "created_at", "updated_at"]}),
    ]

    @admin.display(description="Visibility", ordering="status")
    def visibility(self, article: Article) -> str:
        if article.is_scheduled:
            return "Scheduled"
        return article.get_status_display()

    @admin.display(description="Claims", ordering="claims_found")
    def claims_warnings(self, article: Article) -> str:
        """From the count stored on save: no query per row."""
        if not article.claims_found:
            return "None"
        if article.claims_reviewed_at:
            return f"{article.claims_found}, reviewed"
        return f"{article.claims_found} to review"

    @admin.display(description="Claims found")
    def claims_review(self, article: Article) -> str:
        if article.pk is None:
            return "The wording is checked when the article is saved."
        claims = services.find_claims(article=article)
        if not claims:
            return "None in this wording."
        found = format_html_join(
            "",
            "<li>“{}” in “{}”{}</li>",
            (
                (claim.phrase, claim.sentence, f" — {claim.reason}" if claim.reason else "")
                for claim in claims
            ),
        )
        if services.claims_reviewed(article=article, claims=claims):
            reviewer = article.claims_reviewed_by
            name = (reviewer.get_full_name() or reviewer.get_username()) if reviewer else "someone"
            when = formats.date_format(timezone.localtime(article.claims_reviewed_at), "j F Y, H:i")
            record = format_html("Wording reviewed by {} on {}.", name, when)
        else:
            record = "Not reviewed yet."
        return format_html('<ul class="claims-found">{}</ul><p>{}</p>', found, record)

    @admin.display(description="Preview")
    def hero_preview(self, article: Article) -> str:
        return rendition_thumbnail(article.hero_renditions, article.hero_alt, 240)

    def save_model(self, request, obj: Article, form, change: bool) -> None:
        reviewing = form.cleaned_data.get("wording_reviewed", False)
        claims = services.save_article(
            article=obj,
            hero_changed="hero_image" in form.changed_data,
            claims_reviewed_by=request.user if reviewing else None,
        )
        if claims and reviewing:
            messages.info(request, "Your review of the wording is recorded with your name.")
        if not claims or obj.claims_reviewed_at:
            return
        for claim in claims:
            messages.warning(
                request,
                format_html(
                    "Review before publishing: “{}” may break advertising rules for cosmetic "
                    "treatments. Sentence: “{}”",
                    claim.phrase,
                    claim.sentence,
                ),
            )

    def save_formset(self, request, form, formset, change: bool) -> None:
        if formset.model is not ArticleImage:
            super().save_formset(request, form, formset, change)
            return
        formset.save(commit=False)
        for image in formset.deleted_objects:
            services.delete_article_image(image=image)
        for image in formset.new_objects:
            services.save_article_image(image=image, image_changed=True)
        for image, changed in formset.changed_objects:
            services.save_article_image(image=image, image_changed="image" in changed)

    def save_related(self, request, form, formsets, change: bool) -> None:
        # After the images are saved, so a placeholder for an image uploaded in the same save
        # counts as placed.
        super().save_related(request, form, formsets, change)
        for problem in services.image_placement_problems(article=form.instance):
            messages.warning(request, problem)

    def delete_model(self, request, obj: Article) -> None:
        services.delete_article(article=obj)

    def delete_queryset(self, request, queryset) -> None:
        for article in queryset:
            services.delete_article(article=article)


class FixedSlugAdmin(admin.ModelAdmin):
    """Topics and tags keep the address they were made with: other pages link to them by slug
    (old links, search results, the portfolio's related articles), so renaming one changes
    its name only."""

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return [*fields, "slug"] if obj else fields

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj else super().get_prepopulated_fields(request, obj)


@admin.register(Topic)
class TopicAdmin(NamedListEditable, FixedSlugAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(FixedSlugAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "job_title"]
    search_fields = ["name"]


@admin.register(ClaimPhrase)
class ClaimPhraseAdmin(admin.ModelAdmin):
    """A change to the list is checked against every article at once, so the article list's
    claims column and filter stay true."""

    list_display = ["phrase", "reason"]
    search_fields = ["phrase"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.refresh_claims_found()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        services.refresh_claims_found()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        services.refresh_claims_found()
