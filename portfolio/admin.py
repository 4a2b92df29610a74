import difflib

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from portfolio import services
from portfolio.models import BeforeAfterCase, ClientReview
from restoration_site.common.admin_display import NamedListEditable, rendition_thumbnail
from restoration_site.common.forms import PhotoField


class BeforeAfterCaseForm(forms.ModelForm):
    """The admin's form (ModelAdmin supplies model and fields) with specific upload checks;
    portfolio.services stores cleaned copies."""

    before_image = PhotoField(label="Before photo")
    after_image = PhotoField(label="After photo")

    def clean(self):
        """A case that may not be published yet is kept as a draft instead of refused, so the
        photos just uploaded are not lost; the admin says why it was not published."""
        cleaned = super().clean()
        self.publication_refused: list[str] = []
        if cleaned.get("status") == BeforeAfterCase.Status.PUBLISHED:
            case = BeforeAfterCase(
                consent_recorded_on=cleaned.get("consent_recorded_on"),
                photos_unretouched=cleaned.get("photos_unretouched", False),
            )
            self.publication_refused = list(case.publication_problems().values())
            if self.publication_refused:
                cleaned["status"] = BeforeAfterCase.Status.DRAFT
        return cleaned


@admin.register(BeforeAfterCase)
class BeforeAfterCaseAdmin(NamedListEditable, admin.ModelAdmin):
    form = BeforeAfterCaseForm
    list_display = [
        "before_thumbnail",
        "after_thumbnail",
        "title",
        "treatment",
        "status",
        "featured",
        "not_our_work",
        "position",
    ]
    list_display_links = ["title"]
    list_editable = ["position"]
    list_filter = ["treatment", "status", "featured", "not_our_work"]
    search_fields = ["title", "description"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["before_preview", "after_preview", "created_at", "updated_at"]
    actions = ["publish_selected"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "treatment",
                    "description",
                    "sessions",
                    "weeks_between_photos",
                ]
            },
        ),
        (
            "Before",
            {
                "fields": ["before_image", "before_alt", "before_preview"],
                "description": "For an example of poor SMP that is not our work: the scalp "
                "before the other practitioner's SMP (shown as “Before SMP elsewhere”).",
            },
        ),
        (
            "After",
            {
                "fields": ["after_image", "after_alt", "after_preview"],
                "description": "For an example of poor SMP that is not our work: the other "
                "practitioner's SMP (shown as “Poor SMP by another practitioner”, never as an "
                "after photo). Describe it as theirs, not as a result of treatment.",
            },
        ),
        (
            "Consent and honesty",
            {
                "fields": ["consent_recorded_on", "photos_unretouched", "not_our_work"],
                "description": "UK advertising rules: publish only with the client's written "
                "consent and unretouched photos. Label other practitioners' work as not ours.",
            },
        ),
        ("Publishing", {"fields": ["status", "featured", "position", "created_at", "updated_at"]}),
    ]

    @admin.display(description="Before")
    def before_thumbnail(self, case: BeforeAfterCase) -> str:
        return rendition_thumbnail(case.before_renditions, case.before_alt, 80)

    @admin.display(description="After")
    def after_thumbnail(self, case: BeforeAfterCase) -> str:
        return rendition_thumbnail(case.after_renditions, case.after_alt, 80)

    @admin.display(description="Preview")
    def before_preview(self, case: BeforeAfterCase) -> str:
        return rendition_thumbnail(case.before_renditions, case.before_alt, 240)

    @admin.display(description="Preview")
    def after_preview(self, case: BeforeAfterCase) -> str:
        return rendition_thumbnail(case.after_renditions, case.after_alt, 240)

    def save_model(self, request, obj: BeforeAfterCase, form, change: bool) -> None:
        changed = {name for name in ("before_image", "after_image") if name in form.changed_data}
        services.save_case(case=obj, changed_images=changed)
        # (The list's own form for the display order has no such check.)
        obj.publication_refused = getattr(form, "publication_refused", [])

    def response_add(self, request, obj, post_url_continue=None):
        return self._back_to_the_draft(request, obj) or super().response_add(
            request, obj, post_url_continue
        )

    def response_change(self, request, obj):
        return self._back_to_the_draft(request, obj) or super().response_change(request, obj)

    def _back_to_the_draft(self, request, obj: BeforeAfterCase):
        """After a refused publication: the case's own page, with the reason at the top."""
        if not getattr(obj, "publication_refused", None):
            return None
        self.message_user(
            request,
            f"“{obj}” was saved as a draft with its photos, not published: "
            + " ".join(obj.publication_refused),
            messages.WARNING,
        )
        return HttpResponseRedirect(
            reverse("admin:portfolio_beforeaftercase_change", args=[obj.pk])
        )

    @admin.action(description="Publish selected cases (checks consent)")
    def publish_selected(self, request, queryset) -> None:
        published = 0
        for case in queryset:
            try:
                services.publish_case(case=case)
                published += 1
            except ValidationError as error:
                reasons = " ".join(
                    message for messages_ in error.message_dict.values() for message in messages_
                )
                self.message_user(request, f"“{case}” was not published: {reasons}", messages.ERROR)
        if published:
            self.message_user(request, f"Published {published} case(s).", messages.SUCCESS)


def marked_changes(original: str, current: str) -> str:
    """The current text word by word against the original: words taken out struck through,
    words put in underlined, each also said in words for screen readers."""
    before, after = original.split(), current.split()
    if before == after:
        return "No changes: the text is the client's original."
    parts = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(format_html("{}", " ".join(before[i1:i2])))
            continue
        if i2 > i1:
            parts.append(
                format_html(
                    '<del><span class="visually-hidden">(was: </span>{}'
                    '<span class="visually-hidden">)</span></del>',
                    " ".join(before[i1:i2]),
                )
            )
        if j2 > j1:
            parts.append(
                format_html(
                    '<ins><span class="visually-hidden">(now: </span>{}'
                    '<span class="visually-hidden">)</span></ins>',
                    " ".join(after[j1:j2]),
                )
            )
    return format_html('<p class="review-changes">{}</p>', mark_safe(" ".join(parts)))


class ConsentWithdrawnFilter(admin.SimpleListFilter):
    title = "consent"
    parameter_name = "consent"

    def lookups(self, request, model_admin):
        return [("given", "Given"), ("withdrawn", "Withdrawn")]

    def queryset(self, request, queryset):
        if self.value() == "given":
            return queryset.filter(consent_withdrawn_on__isnull=True)
        if self.value() == "withdrawn":
            return queryset.filter(consent_withdrawn_on__isnull=False)
        return queryset


@admin.register(ClientReview)
class ClientReviewAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "treatment",
        "reviewed_on",
        "rating",
        "status",
        "on_the_site",
        "consent_withdrawn_on",
        "is_example",
    ]
    list_filter = ["status", "treatment", ConsentWithdrawnFilter, "is_example"]
    search_fields = ["text", "first_name", "consent_reference"]
    list_select_related = ["case"]
    readonly_fields = ["original_text", "changes_from_original", "created_at", "updated_at"]
    consent_fieldset = (
        "The client's written consent",
        {
            "fields": [
                "consent_recorded_on",
                "consent_method",
                "consent_reference",
                "show_first_name",
                "show_treatment",
                "show_case_photo",
                "consent_withdrawn_on",
            ],
            "description": "Publish a review only with the client's written consent, "
            "recorded here with what they agreed may be shown. If they withdraw it, enter the "
            "date: the review leaves the site at once.",
        },
    )

    def get_fieldsets(self, request, obj=None):
        words = ["text"] if obj is None else [("text", "original_text"), "changes_from_original"]
        details = ["rating", "reviewed_on", "treatment", "case", "first_name"]
        publishing = ["status", "is_example"]
        if obj is not None:
            publishing += ["created_at", "updated_at"]
        return [
            (None, {"fields": [*words, *details]}),
            self.consent_fieldset,
            ("Publishing", {"fields": publishing}),
        ]

    @admin.display(description="On the site", boolean=True)
    def on_the_site(self, review: ClientReview) -> bool:
        return review.is_shown

    @admin.display(description="Changes from the original")
    def changes_from_original(self, review: ClientReview) -> str:
        return marked_changes(review.original_text, review.text)
