"""Small pieces the apps' admin pages share."""

from django import forms
from django.core.files.storage import default_storage
from django.utils.html import format_html


def rendition_thumbnail(renditions: dict, alt: str, width: int) -> str:
    """The smallest JPEG copy of an image (as described by images.build_renditions)."""
    sources = (renditions or {}).get("sources")
    if not sources:
        return "—"
    return format_html(
        '<img src="{}" alt="{}" width="{}" loading="lazy">',
        default_storage.url(sources[0]["jpeg"]),
        alt,
        width,
    )


class ListEditableForm(forms.ModelForm):
    """A change list row's editable fields, each named by its column and its row ("Position of
    Aftercare"): in the list a field sits under its column's heading, beside the row's name,
    neither of which a screen reader announces as the field's label (WCAG 1.3.1, 4.1.2)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            # The formset's blank form (for its media): no row, and a name its __str__ may not
            # be able to give without the row's relations.
            return
        for field in self.fields.values():
            # A foreign key's select sits inside the admin's wrapper (its add and change links),
            # which renders the inner widget's attributes, not its own.
            widget = getattr(field.widget, "widget", field.widget)
            widget.attrs.setdefault("aria-label", f"{field.label} of {self.instance}")
            # The list shows no help text, so no description may point at one.
            field.help_text = ""


class NamedListEditable:
    """For a ModelAdmin with list_editable: its fields named as ListEditableForm says."""

    def get_changelist_form(self, request, **kwargs):
        kwargs.setdefault("form", ListEditableForm)
        return super().get_changelist_form(request, **kwargs)
