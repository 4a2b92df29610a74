from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from blog.demo import seed_articles
from bookings.demo import seed_reception_accounts
from portfolio.demo import seed_cases
from restoration_site.demo import ensure_demo_admin


class Command(BaseCommand):
    help = (
        "Load the demo content (idempotent: a second run finds everything and changes nothing). "
        "With DEMO_ACCOUNTS on (debug, or make run), also ensure demo staff accounts (an "
        "administrator and one receptionist per clinic)."
    )

    def handle(self, *args, **options) -> None:
        def log(message: str) -> None:
            self.stdout.write(f"  {message}")

        with transaction.atomic():
            if settings.DEMO_ACCOUNTS:
                ensure_demo_admin(log=log)
                seed_reception_accounts(log=log)
            seed_articles(log=log)
            seed_cases(log=log)
        self.stdout.write(self.style.SUCCESS("Demo content is in place."))
