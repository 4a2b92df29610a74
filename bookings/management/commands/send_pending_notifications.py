from django.core.management.base import BaseCommand

from bookings.services.outbox import send_pending_notifications


class Command(BaseCommand):
    help = "Deliver every email that is due, once (for cron, or by hand after an outage)."

    def handle(self, *args, **options) -> None:
        report = send_pending_notifications()
        line = f"Sent {report.sent} email(s); {report.failed} failed and will retry."
        if report.refused:
            line += f" {report.refused} refused by the mail server, not retried (see the admin)."
        if report.superseded:
            line += (
                f" {report.superseded} not sent: their appointment had changed since "
                "(see the admin)."
            )
        self.stdout.write(line)
