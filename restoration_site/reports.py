"""The business report in the admin (`admin:reports`, /admin/reports/) and the CSV of its
appointments (`admin:reports_appointments_csv`): the page side of `bookings.reports`.

It lives in the project, not in bookings, because it names the articles and portfolio cases
visitors came from, and bookings may not import blog or portfolio (README, Layout). Staff
need to view both enquiries and appointments to open it; the figures are read through
`for_staff` like everything else, so each clinic's staff see their own clinic's.
"""

import csv
import datetime
import itertools
import math
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import Resolver404, path, resolve
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.safestring import SafeString

from blog.models import Article
from bookings import reports
from bookings.models import Clinic
from bookings.services import exports
from portfolio.models import BeforeAfterCase
from restoration_site.common import charts
from restoration_site.common.choices import EnquiryType
from restoration_site.common.clinic_clock import clinic_today, day_label

REPORT_PERMISSIONS = ("bookings.view_consultationrequest", "bookings.view_appointment")
# Dates the report accepts: wide enough for any real question, narrow enough that the
# arithmetic on them cannot leave the calendar, and at most two years at a time (a year of
# weeks or months is the page's everyday use).
EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2099, 12, 31)
LONGEST = datetime.timedelta(days=731)
DEFAULT_PERIODS = 12


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class DateEntry(forms.DateInput):
    """A date field (the browser's own date entry, typing allowed) that never echoes back a
    value that is not a date: a date input cannot hold one, and browsers would drop it."""

    input_type = "date"

    def format_value(self, value):
        if isinstance(value, str):
            try:
                datetime.date.fromisoformat(value)
            except ValueError:
                return None
            # Only the form the HTML standard gives a date (Python also reads 20260131).
            return value if ISO_DATE.fullmatch(value) else None
        return super().format_value(value)


DATE_WIDGET = DateEntry(format="%Y-%m-%d")
INVALID_DATE = "Give a real date, such as 2026-01-31. The report uses its default dates instead."


class ReportFilters(forms.Form):
    """The report's filters, sent as a plain GET form. Anything that cannot be used is
    reported next to its field and replaced by its default: the page always shows a report."""

    period = forms.ChoiceField(
        label="Show figures per",
        choices=list(reports.PERIODS.items()),
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose month or week. The report is per month."},
    )
    start = forms.DateField(
        label="From",
        required=False,
        widget=DATE_WIDGET,
        error_messages={"invalid": INVALID_DATE},
    )
    end = forms.DateField(
        label="To",
        required=False,
        widget=DATE_WIDGET,
        help_text="Both dates are included. Without them: the last 12 months, or 12 weeks.",
        error_messages={"invalid": INVALID_DATE},
    )
    clinic = forms.TypedChoiceField(
        label="Clinic",
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": "Choose a clinic from the list. The report shows all."},
    )
    enquiry_type = forms.ChoiceField(
        label="Enquiry type",
        choices=[("", "All enquiry types"), *EnquiryType.choices],
        required=False,
        error_messages={
            "invalid_choice": "Choose an enquiry type from the list. The report shows all types."
        },
    )

    def __init__(self, *args, clinics: list[Clinic] | None, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        if clinics is None:
            # Staff of one clinic see their own: there is nothing to choose.
            del self.fields["clinic"]
        else:
            self.fields["clinic"].choices = [
                ("", "All clinics"),
                *((clinic.pk, clinic.name) for clinic in clinics),
            ]

    def _clean_day(self, name: str) -> datetime.date | None:
        day = self.cleaned_data.get(name)
        if day is not None and not EARLIEST <= day <= LATEST:
            raise forms.ValidationError(
                f"Give a date from {EARLIEST.year} to {LATEST.year}. "
                "The report uses its default dates instead."
            )
        return day

    def clean_start(self) -> datetime.date | None:
        return self._clean_day("start")

    def clean_end(self) -> datetime.date | None:
        return self._clean_day("end")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start is None or "end" in self.errors:
            return cleaned
        if end is None:
            end = self.today
            if start > end:
                self.add_error(
                    "start",
                    "Without an end date the report runs to today: give a start on or before "
                    "today. The report uses its default dates instead.",
                )
                return cleaned
        if end < start:
            self.add_error(
                "end",
                "The end date must be the same as or after the start date. The report uses its "
                "default dates instead.",
            )
        elif end - start > LONGEST:
            self.add_error(
                # Next to the date that was typed: without an end, the report runs to today.
                "end" if cleaned.get("end") else "start",
                "Choose dates at most two years apart. The report uses its default dates instead.",
            )
        return cleaned


@dataclass(frozen=True)
class Filters:
    """The filters a report is drawn with: what was asked, or the defaults."""

    period: str
    start: datetime.date
    end: datetime.date
    clinic_id: int | None
    enquiry_type: str | None

    def query(self) -> str:
        """The filters as a query string, for the CSV link and links back to the page."""
        params = {"period": self.period, "start": self.start, "end": self.end}
        if self.clinic_id is not None:
            params["clinic"] = self.clinic_id
        if self.enquiry_type:
            params["enquiry_type"] = self.enquiry_type
        return urlencode(params)


def default_start(*, period: str, end: datetime.date) -> datetime.date:
    """The first day of the twelfth month, or week, back from `end`'s."""
    if period == reports.WEEK:
        monday = end - datetime.timedelta(days=end.weekday())
        return monday - datetime.timedelta(weeks=DEFAULT_PERIODS - 1)
    months = end.year * 12 + end.month - 1 - (DEFAULT_PERIODS - 1)
    return datetime.date(months // 12, months % 12 + 1, 1)


def read_filters(request: HttpRequest) -> tuple[ReportFilters, Filters]:
    """The filter form, bound to the query string, and the filters to use: each one asked
    for where it could be used, its default where not (the form says which and why)."""
    user = request.user
    today = clinic_today(timezone.now())
    clinics = list(Clinic.objects.staffed_by(user)) if user.is_superuser else None
    form = ReportFilters(request.GET, clinics=clinics, today=today)
    form.is_valid()
    cleaned = form.cleaned_data
    period = cleaned.get("period") or reports.MONTH
    if form.has_error("start") or form.has_error("end"):
        start, end = None, None
    else:
        start, end = cleaned.get("start"), cleaned.get("end")
    end = end or today
    start = start or default_start(period=period, end=end)
    filters = Filters(
        period=period,
        start=start,
        end=end,
        clinic_id=cleaned.get("clinic"),
        enquiry_type=cleaned.get("enquiry_type") or None,
    )
    if not form.errors:
        # Show the dates and choices the report uses, defaults included.
        form = ReportFilters(
            clinics=clinics,
            today=today,
            initial={
                "period": filters.period,
                "start": filters.start,
                "end": filters.end,
                "clinic": filters.clinic_id,
                "enquiry_type": filters.enquiry_type or "",
            },
        )
    return form, filters


@dataclass(frozen=True)
class Row:
    """A row of a figure's data table: its heading cell (with an optional second line,
    such as a page's path) and its figures."""

    heading: str
    cells: list[str]
    detail: str = ""


@dataclass(frozen=True)
class Figure:
    """A chart with its heading and a data table of the same figures."""

    slug: str
    heading: str
    chart: SafeString
    caption: str
    columns: list[str]
    rows: list[Row]
    total: Row | None = None
    note: str = ""
    column_header: str = ""


def duration_label(wait: datetime.timedelta | None) -> str:
    """“3 h 20 min”, “2 days 1 h 5 min”, to the nearest minute; “Not known yet” for none."""
    if wait is None:
        return "Not known yet"
    minutes = math.floor(wait.total_seconds() / 60 + 0.5)
    if minutes < 1:
        return "Under a minute"
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if days:
        parts.append(f"{days} day" if days == 1 else f"{days} days")
    if hours:
        parts.append(f"{hours} h")
    if minutes:
        parts.append(f"{minutes} min")
    return " ".join(parts)


def percentage(share: float | None) -> str:
    return "—" if share is None else f"{share:.0%}"


# Pages every visitor knows by name; articles and cases are named by their titles.
PAGE_NAMES = {
    "home": "Home page",
    "smp": "Scalp micropigmentation page",
    "laser_removal": "Laser removal page",
    "about": "About page",
    "team": "Our team page",
    "blog:article_list": "Articles list",
    "portfolio:gallery": "Portfolio gallery",
}


def page_names(paths: list[str]) -> dict[str, str]:
    """What each path visitors came from is, as staff know it: “Article: <its title>”,
    “Portfolio case: <its title>”, or the page's name; paths not found are left out.
    At most two queries, one for the articles and one for the cases."""
    names: dict[str, str] = {}
    articles: dict[str, str] = {}
    cases: dict[str, str] = {}
    for page in paths:
        try:
            match = resolve(page)
        except Resolver404:
            continue
        if match.view_name == "blog:article":
            articles[match.kwargs["slug"]] = page
        elif match.view_name == "portfolio:case":
            cases[match.kwargs["slug"]] = page
        elif match.view_name in PAGE_NAMES:
            names[page] = PAGE_NAMES[match.view_name]
    if articles:
        for slug, title in Article.objects.filter(slug__in=articles).values_list("slug", "title"):
            names[articles[slug]] = f"Article: {title}"
    if cases:
        for slug, title in BeforeAfterCase.objects.filter(slug__in=cases).values_list(
            "slug", "title"
        ):
            names[cases[slug]] = f"Portfolio case: {title}"
    return names


def _count(value: int) -> str:
    return f"{value:,}"


def report_figures(report: reports.Report) -> list[Figure]:
    """The report's charts, each with the data table of its figures."""
    per = "week" if report.period == reports.WEEK else "month"
    dates = f"from {day_label(report.start)} to {day_label(report.end)}"
    totals = report.totals
    busiest = max(report.periods, key=lambda p: p.enquiries)
    figures = [
        Figure(
            slug="per-period",
            heading=f"Enquiries and appointments per {per}",
            chart=charts.grouped_bar_chart(
                chart_id="per-period-chart",
                title=f"Enquiries and appointments per {per}",
                description=(
                    f"{len(report.periods)} {per}s {dates}: {_count(totals.enquiries)} "
                    f"enquiries, {_count(totals.booked)} appointments booked, "
                    f"{_count(totals.attended)} attended, {_count(totals.no_shows)} no-shows. "
                    + (
                        f"Most enquiries: {busiest.label}, {_count(busiest.enquiries)}. "
                        if busiest.enquiries
                        else ""
                    )
                    + "The table beside the chart gives every figure."
                ),
                categories=[p.label for p in report.periods],
                series=[
                    charts.Series("Enquiries", [p.enquiries for p in report.periods]),
                    charts.Series("Appointments booked", [p.booked for p in report.periods]),
                    charts.Series("Attended", [p.attended for p in report.periods]),
                    charts.Series("No-shows", [p.no_shows for p in report.periods]),
                ],
                value_axis_label="Number of enquiries and appointments",
            ),
            caption=f"Enquiries and appointments per {per}, {dates}",
            column_header=per.capitalize(),
            columns=["Enquiries", "Booked", "Attended", "No-shows"],
            rows=[
                Row(p.label, [_count(v) for v in (p.enquiries, p.booked, p.attended, p.no_shows)])
                for p in report.periods
            ],
            total=Row(
                "Total",
                [
                    _count(v)
                    for v in (totals.enquiries, totals.booked, totals.attended, totals.no_shows)
                ],
            ),
            note=(
                "Enquiries count when they arrive, appointments booked (“Booked”) when they "
                "are made, attended and no-shows on the day of the appointment."
            ),
        ),
        _conversion_figure(
            slug="by-type",
            heading="Enquiries by type, and how many went on to book",
            column_header="Enquiry type",
            rows=report.by_type,
            dates=dates,
        ),
    ]
    names = page_names([row.key for row in report.by_source if row.key.startswith("/")])
    sources = [
        reports.Conversion(
            key=row.key,
            label=names.get(row.key, row.label),
            enquiries=row.enquiries,
            went_on_to_book=row.went_on_to_book,
        )
        for row in report.by_source
    ]
    figures.append(
        _conversion_figure(
            slug="by-source",
            heading="Where visitors came from: enquiries and bookings by page",
            column_header="Page",
            rows=sources,
            dates=dates,
            note=(
                "The page a visitor was reading when they went to the booking pages. "
                "Pages with fewer enquiries are added up in the last row."
            ),
        )
    )
    if report.by_clinic:
        figures += _clinic_figures(report.by_clinic, dates=dates)
    return figures


def _conversion_figure(
    *,
    slug: str,
    heading: str,
    column_header: str,
    rows: list[reports.Conversion],
    dates: str,
    note: str = "",
) -> Figure:
    went_on = sum(row.went_on_to_book for row in rows)
    enquiries = sum(row.enquiries for row in rows)
    return Figure(
        slug=slug,
        heading=heading,
        chart=charts.grouped_bar_chart(
            chart_id=f"{slug}-chart",
            title=heading,
            description=(
                f"{len(rows)} rows {dates}: {_count(enquiries)} enquiries, of which "
                f"{_count(went_on)} went on to book. The table beside the chart gives every "
                "figure."
            ),
            categories=[row.label for row in rows],
            series=[
                charts.Series("Enquiries", [row.enquiries for row in rows]),
                charts.Series("Went on to book", [row.went_on_to_book for row in rows]),
            ],
            value_axis_label="Number of enquiries",
        ),
        caption=f"{heading}, {dates}",
        column_header=column_header,
        columns=["Enquiries", "Went on to book", "Conversion"],
        rows=[
            Row(
                row.label,
                [_count(row.enquiries), _count(row.went_on_to_book), percentage(row.rate)],
                detail=row.key if row.key.startswith("/") and row.key != row.label else "",
            )
            for row in rows
        ],
        total=Row(
            "Total",
            [
                _count(enquiries),
                _count(went_on),
                percentage(went_on / enquiries if enquiries else None),
            ],
        ),
        note=(note + " " if note else "")
        + "Went on to book: enquiries of these dates with an appointment, booked then or since.",
    )


def _clinic_figures(clinics: list[reports.ClinicFigures], *, dates: str) -> list[Figure]:
    names = [clinic.name for clinic in clinics]
    waits = [clinic.first_contact for clinic in clinics]
    return [
        Figure(
            slug="by-clinic",
            heading="Enquiries and appointments by clinic",
            chart=charts.grouped_bar_chart(
                chart_id="by-clinic-chart",
                title="Enquiries and appointments by clinic",
                description=" ".join(
                    f"{c.name}: {_count(c.enquiries)} enquiries, {_count(c.booked)} "
                    f"appointments booked, {_count(c.attended)} attended, "
                    f"{_count(c.no_shows)} no-shows."
                    for c in clinics
                ),
                categories=names,
                series=[
                    charts.Series("Enquiries", [c.enquiries for c in clinics]),
                    charts.Series("Appointments booked", [c.booked for c in clinics]),
                    charts.Series("Attended", [c.attended for c in clinics]),
                    charts.Series("No-shows", [c.no_shows for c in clinics]),
                ],
                value_axis_label="Number of enquiries and appointments",
            ),
            caption=f"Enquiries and appointments by clinic, {dates}",
            column_header="Clinic",
            columns=["Enquiries", "Went on to book", "Booked", "Attended", "No-shows"],
            rows=[
                Row(
                    c.name,
                    [
                        _count(v)
                        for v in (c.enquiries, c.went_on_to_book, c.booked, c.attended, c.no_shows)
                    ],
                )
                for c in clinics
            ],
        ),
        Figure(
            slug="first-contact",
            heading="Median time to first contact by clinic",
            chart=charts.horizontal_bar_chart(
                chart_id="first-contact-chart",
                title="Median time to first contact by clinic",
                description=" ".join(
                    f"{name}: {duration_label(wait.median)} over {_count(wait.contacted)} "
                    "enquiries."
                    for name, wait in zip(names, waits, strict=True)
                ),
                labels=names,
                values=[
                    (wait.median.total_seconds() / 3600 if wait.median else 0) for wait in waits
                ],
                value_labels=[duration_label(wait.median) for wait in waits],
                value_axis_label="Hours to first contact (median)",
            ),
            caption=f"Median time from enquiry to first contact by clinic, {dates}",
            column_header="Clinic",
            columns=["Median time to first contact", "Enquiries contacted"],
            rows=[
                Row(name, [duration_label(wait.median), _count(wait.contacted)])
                for name, wait in zip(names, waits, strict=True)
            ],
        ),
    ]


def _clinic_name(form: ReportFilters, clinic_id: int | None) -> str | None:
    if clinic_id is None or "clinic" not in form.fields:
        return None
    return dict(form.fields["clinic"].choices).get(clinic_id)


class _Lines:
    """The file csv.writer writes to: each write hands back the line, so rows stream out as
    they are written (as the enquiry export does)."""

    def write(self, value: str) -> str:
        return value


class ReportViews:
    """The report's two addresses, served inside the admin site's sign-in and look."""

    def __init__(self, site):
        self.site = site

    @property
    def urls(self) -> list:
        return [
            path("reports/", self.site.admin_view(self.page), name="reports"),
            path(
                "reports/appointments.csv",
                self.site.admin_view(self.appointments_csv),
                name="reports_appointments_csv",
            ),
        ]

    @staticmethod
    def _check(request: HttpRequest) -> None:
        if not request.user.has_perms(REPORT_PERMISSIONS):
            raise PermissionDenied

    def page(self, request: HttpRequest) -> HttpResponse:
        """The report page: filters, key figures, then each chart with its data table."""
        self._check(request)
        form, filters = read_filters(request)
        report = reports.business_report(
            user=request.user,
            start=filters.start,
            end=filters.end,
            period=filters.period,
            clinic_id=filters.clinic_id,
            enquiry_type=filters.enquiry_type,
        )
        return TemplateResponse(
            request,
            "admin/reports/report.html",
            {
                **self.site.each_context(request),
                "title": "Business report",
                "form": form,
                "filters": filters,
                "report": report,
                "figures": report_figures(report),
                "key_figures": [
                    ("Enquiries", _count(report.totals.enquiries)),
                    ("Appointments booked", _count(report.totals.booked)),
                    ("Attended", _count(report.totals.attended)),
                    ("No-shows", _count(report.totals.no_shows)),
                    ("Median time to first contact", duration_label(report.first_contact.median)),
                ],
                "contacted": _count(report.first_contact.contacted),
                "awaiting": _count(report.awaiting_first_contact),
                "dates": f"{day_label(filters.start)} to {day_label(filters.end)}",
                "clinic_name": _clinic_name(form, filters.clinic_id),
                "enquiry_type_name": dict(EnquiryType.choices).get(filters.enquiry_type),
                "query": filters.query(),
            },
        )

    def appointments_csv(self, request: HttpRequest) -> StreamingHttpResponse:
        """The appointments whose time falls in the report's dates, with its filters, as a
        CSV file streamed in chunks: memory and queries stay flat at any size."""
        self._check(request)
        _, filters = read_filters(request)
        appointments = reports.report_appointments(
            user=request.user,
            start=filters.start,
            end=filters.end,
            clinic_id=filters.clinic_id,
            enquiry_type=filters.enquiry_type,
        )
        writer = csv.writer(_Lines())
        response = StreamingHttpResponse(
            itertools.chain(
                [exports.CSV_BYTE_ORDER_MARK],
                (
                    writer.writerow(row)
                    for row in exports.appointment_csv_rows(
                        appointments=appointments, now=timezone.now()
                    )
                ),
            ),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="appointments-{filters.start}-to-{filters.end}.csv"'
        )
        # Clients' appointments: never kept by a browser or a proxy.
        add_never_cache_headers(response)
        return response
