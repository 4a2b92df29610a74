import io

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_seed_demo_creates_a_demo_staff_account_with_a_printed_password(settings, monkeypatch):
    settings.DEMO_ACCOUNTS = True
    monkeypatch.delenv("DEMO_ADMIN_PASSWORD", raising=False)
    output = seed()
    user = get_user_model().objects.get(username="admin")
    password = output.split("(password: ")[1].split(")")[0]
    assert user.is_staff and user.check_password(password)


@pytest.mark.django_db
def test_seed_demo_takes_the_demo_password_from_the_environment(settings, monkeypatch):
    settings.DEMO_ACCOUNTS = True
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "a-long-demo-password")
    seed()
    assert get_user_model().objects.get(username="admin").check_password("a-long-demo-password")


@pytest.mark.django_db
def test_seed_demo_creates_no_staff_account_unless_demo_accounts_are_on(settings):
    settings.DEMO_ACCOUNTS = False
    seed()
    assert not get_user_model().objects.exists()


@pytest.mark.django_db
def test_a_second_seed_demo_run_creates_and_changes_nothing(settings):
    settings.DEMO_ACCOUNTS = True
    seed()
    counts = row_counts()
    password_hash = get_user_model().objects.get(username="admin").password
    second = seed()
    assert "created" not in second
    assert "updated" not in second
    assert row_counts() == counts
    assert get_user_model().objects.get(username="admin").password == password_hash
