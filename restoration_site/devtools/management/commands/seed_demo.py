from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from restoration_site.devtools.demo.accounts import ensure_demo_admin, seed_reception_accounts
from restoration_site.devtools.demo.articles import seed_articles
from restoration_site.devtools.demo.cases import seed_cases
from restoration_site.devtools.demo.prices import seed_prices
from restoration_site.devtools.demo.reception import seed_reception_day
from restoration_site.devtools.demo.reviews import seed_reviews
from restoration_site.devtools.demo.team import seed_team
from restoration_site.devtools.demo.visits import seed_visits


class Command(BaseCommand):
    help = (
        "Load the demo content (idempotent: a second run finds everything and changes nothing). "
        "With DEMO_ACCOUNTS on (debug, or make run), also ensure demo staff accounts (an "
        "administrator and one receptionist per clinic) and a demo morning for reception."
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
            # Example reviews, one shown beside its demo case.
            seed_reviews(log=log)
            seed_team(log=log)
            seed_visits(log=log)
            seed_prices(log=log)
            if settings.DEMO_ACCOUNTS:
                # Reception's demo morning needs the team, and demo staff to look at it.
                seed_reception_day(log=log)
        self.stdout.write(self.style.SUCCESS("Demo content is in place."))
