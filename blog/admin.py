from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html

from blog import services
from blog.models import Article, Author, ClaimPhrase, Tag, Topic
from restoration_site.common.admin_display import rendition_thumbnail
from restoration_site.common.forms import PhotoField


class ArticleAdminForm(forms.ModelForm):
    """The admin's own form (ModelAdmin supplies model and fields), with the upload check;
    blog.services stores the cleaned copy."""

    hero_image = PhotoField(label="Hero image")


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
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
