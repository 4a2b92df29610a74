import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from bookings.services import outbox, privacy, waiting_list

DAY_SECONDS = 24 * 60 * 60


class Command(BaseCommand):
    help = (
        "Run the email worker: pass on waiting-list offers not claimed in time and deliver due "
        "notifications every few seconds (retrying failures with backoff), and purge expired "
        "enquiries once a day. Several may run at once, on several machines, against the same "
        "database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=2.0, help="Seconds between polls.")
        parser.add_argument(
            "--once", action="store_true", help="Deliver what is due and purge, then stop."
        )
        parser.add_argument(
            "--no-retention",
            action="store_false",
            dest="retention",
            help=(
                "Skip the daily purge of expired enquiries (when purge_expired_enquiries runs "
                "from a timer of its own)."
            ),
        )

    def handle(self, *args, interval: float, once: bool, retention: bool, **options) -> None:
        # Everything goes through the logger, not self.stdout, so that in production the
        # worker's output is the same JSON lines as the web processes' (settings.LOGGING).
        log = outbox.logger
        self.running = True
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        name = outbox.worker_name()
        log.info(
            "worker_started worker=%s interval=%ss retention=%s",
            name,
            interval,
            "on" if retention else "off",
            extra={"worker": name},
        )
        next_purge = 0.0 if retention else float("inf")
        while self.running:
            if not connection.in_atomic_block:  # (a test's transaction must stay open)
                # Drop a connection the database closed or timed out, as a request would.
                close_old_connections()
            try:
                if time.monotonic() >= next_purge:
                    deleted = privacy.purge_expired_enquiries()
                    log.info(
                        "worker_retention deleted=%s",
                        deleted,
                        extra={"worker": name, "deleted": deleted},
                    )
                    next_purge = time.monotonic() + DAY_SECONDS
                # Before sending, so a time passed on goes out in this same loop.
                passed_on = waiting_list.pass_on_lapsed_offers()
                if passed_on.handled:
                    log.info(
                        "worker_waiting_list lapsed=%s offered=%s ended=%s",
                        passed_on.lapsed,
                        passed_on.offered,
                        passed_on.ended,
                        extra={"worker": name},
                    )
                report = outbox.send_pending_notifications()
            except Exception as error:  # the database may be away for a moment: keep going
                log.exception("worker_error error=%s", type(error).__name__)
                report = outbox.DeliveryReport()
            if report.handled:
                log.info(
                    "worker_delivered sent=%s failed=%s refused=%s",
                    report.sent,
                    report.failed,
                    report.refused,
                    extra={
                        "worker": name,
                        "sent": report.sent,
                        "failed": report.failed,
                        "refused": report.refused,
                        "superseded": report.superseded,
                    },
                )
            if once:
                break
            time.sleep(interval)
        log.info("worker_stopped worker=%s", name, extra={"worker": name})

    def stop(self, *args) -> None:
        self.running = False
