"""Admin widgets of the article editor."""

from django.contrib.admin.widgets import AdminSplitDateTime
from django.utils.html import format_html


class LabelledSplitDateTime(AdminSplitDateTime):
    """The admin's date and time inputs, each with a label of its own.

    Django's admin shows "Date:" and "Time:" as plain words beside the two inputs, and the
    field's label points at neither, so a screen reader announces two text boxes without a
    name. Here each word is the label of its input, completed by words only screen readers and
    voice control get ("Publish Date:"), so the name still holds what is seen (WCAG 1.3.1,
    2.5.3, 4.1.2). The inputs keep their classes and place, so the admin's Today and Now links
    and its calendar and clock work as before.
    """

    def __init__(self, attrs=None, *, spoken_prefix: str):
        super().__init__(attrs)
        self.spoken_prefix = spoken_prefix

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        date, time = context["widget"]["subwidgets"]
        # The admin's own template prints these before each input; a label is marked safe
        # by format_html, so it is printed as markup, its words escaped.
        context["date_label"] = self._label(date, context["date_label"])
        context["time_label"] = self._label(time, context["time_label"])
        return context

    def _label(self, subwidget: dict, shown: str):
        input_id = subwidget["attrs"].get("id")
        if not input_id:
            return shown
        return format_html(
            '<label for="{}"><span class="visually-hidden">{} </span>{}</label>',
            input_id,
            self.spoken_prefix,
            shown,
        )
