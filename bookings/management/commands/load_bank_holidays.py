from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from bookings.services import closures
from restoration_site.common.clinic_clock import clinic_today, day_label


class Command(BaseCommand):
    help = (
        "Close every clinic on the bank holidays of England and Wales: this year and next, "
        "or the years given. Dates a clinic already has a closure for are left as they are."
    )

    def add_arguments(self, parser) -> None:
        choice = parser.add_mutually_exclusive_group()
        choice.add_argument("--years", nargs="+", type=int, metavar="YEAR")
        choice.add_argument(
            "--next-year",
            action="store_true",
            help="Only next year: what the yearly timer runs, so a bank holiday staff chose "
            "to open on (by deleting its closure) is never put back.",
        )

    def handle(self, *args, years: list[int] | None, next_year: bool, **options) -> None:
        this_year = clinic_today(timezone.now()).year
        if next_year:
            years = [this_year + 1]
        elif not years:
            years = [this_year, this_year + 1]
        if any(year < 2000 or year > 2100 for year in years):
            raise CommandError("Give years between 2000 and 2100.")
        added = closures.load_bank_holidays(years=years)
        for closure in added:
            day = day_label(closure.date)
            self.stdout.write(f"  added {closure.clinic}: {closure.name}, {day}")
        named = ", ".join(str(year) for year in sorted(set(years)))
        self.stdout.write(
            self.style.SUCCESS(
                f"Bank holidays for {named}: {len(added)} closure(s) added; dates a clinic "
                "already had a closure for were left as they were."
            )
        )
