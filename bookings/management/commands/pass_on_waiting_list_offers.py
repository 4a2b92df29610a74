from django.core.management.base import BaseCommand

from bookings.services.waiting_list import pass_on_lapsed_offers


class Command(BaseCommand):
    help = (
        "Pass on waiting-list offers not claimed by their deadline: each lapses and its time, "
        "if still free, is offered to the next matching entry; entries whose dates have passed "
        "end. The email worker does this on every loop; this is for a cron job when it runs "
        "without one."
    )

    def handle(self, *args, **options) -> None:
        report = pass_on_lapsed_offers()
        self.stdout.write(
            f"{report.lapsed} offer(s) lapsed, {report.offered} time(s) offered to the next "
            f"entry, {report.ended} entry(ies) ended."
        )
