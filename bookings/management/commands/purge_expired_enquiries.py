from django.conf import settings
from django.core.management.base import BaseCommand

from bookings.services.privacy import purge_expired_enquiries


class Command(BaseCommand):
    help = (
        "Delete consultation requests (with their photos, notes and emails) closed, or untouched, "
        "for longer than ENQUIRY_RETENTION_DAYS."
    )

    def handle(self, *args, **options) -> None:
        deleted = purge_expired_enquiries()
        self.stdout.write(
            f"Deleted {deleted} enquiry(ies) older than {settings.ENQUIRY_RETENTION_DAYS} days."
        )
