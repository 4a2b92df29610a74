from django.core.management.base import BaseCommand

from bookings.services import send_pending_notifications


class Command(BaseCommand):
    help = "Deliver every email that is due, once (for cron, or by hand after an outage)."

    def handle(self, *args, **options) -> None:
        report = send_pending_notifications()
        self.stdout.write(f"Sent {report.sent} email(s); {report.failed} failed and will retry.")
