import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from bookings import services

DAY_SECONDS = 24 * 60 * 60


class Command(BaseCommand):
    help = (
        "Run the email worker: deliver due notifications every few seconds (retrying failures "
        "with backoff) and purge expired enquiries once a day. Several may run at once, on "
        "several machines, against the same database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=2.0, help="Seconds between polls.")
        parser.add_argument(
            "--once", action="store_true", help="Deliver what is due and purge, then stop."
        )

    def handle(self, *args, interval: float, once: bool, **options) -> None:
        self.running = True
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        name = services.worker_name()
        self.stdout.write(f"Notification worker {name} started (polling every {interval}s).")
        next_purge = 0.0
        while self.running:
            if not connection.in_atomic_block:  # (a test's transaction must stay open)
                # Drop a connection the database closed or timed out, as a request would.
                close_old_connections()
            if time.monotonic() >= next_purge:
                deleted = services.purge_expired_enquiries()
                self.stdout.write(f"Retention: deleted {deleted} expired enquiry(ies).")
                next_purge = time.monotonic() + DAY_SECONDS
            try:
                report = services.send_pending_notifications()
            except Exception as error:  # the database may be away for a moment: keep going
                services.logger.exception("worker_error error=%s", type(error).__name__)
                report = services.DeliveryReport()
            if report.sent or report.failed:
                self.stdout.write(f"Sent {report.sent}; {report.failed} will retry.")
            if once:
                break
            time.sleep(interval)
        self.stdout.write(f"Notification worker {name} stopped.")

    def stop(self, *args) -> None:
        self.running = False
