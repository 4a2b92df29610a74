from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html

from blog import services
from blog.models import DESCRIBE_THE_IMAGE, Article, ArticleImage, Author, ClaimPhrase, Tag, Topic
from restoration_site.common.admin_display import rendition_thumbnail
from restoration_site.common.forms import PhotoField


class ArticleAdminForm(forms.ModelForm):
    """The admin's own form (ModelAdmin supplies model and fields), with the upload check;
    blog.services stores the cleaned copy."""

    hero_image = PhotoField(label="Hero image")

    class Meta:
        help_texts = {
            "body": "To show an image in the text, add it under “Images in the body” and save; "
            "then put its placeholder, such as [image 1], on a line of its own where it belongs."
        }


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
    list_display = ["title", "topic", "visibility", "published_at", "updated_at", "reading_minutes"]
    list_filter = ["status", "topic", "published_at"]
    list_select_related = ["topic"]
    search_fields = ["title", "summary", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["tags"]
    readonly_fields = ["hero_preview", "reading_minutes", "created_at", "updated_at"]
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
        ("Record", {"fields": ["reading_minutes", "created_at", "updated_at"]}),
    ]

    @admin.display(description="Visibility", ordering="status")
    def visibility(self, article: Article) -> str:
        if article.is_scheduled:
            return "Scheduled"
        return article.get_status_display()

    @admin.display(description="Preview")
    def hero_preview(self, article: Article) -> str:
        return rendition_thumbnail(article.hero_renditions, article.hero_alt, 240)

    def save_model(self, request, obj: Article, form, change: bool) -> None:
        claims = services.save_article(article=obj, hero_changed="hero_image" in form.changed_data)
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
class TopicAdmin(FixedSlugAdmin):
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
    list_display = ["phrase", "reason"]
    search_fields = ["phrase"]
