"""The notification worker command: what it logs, and its daily purge."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from bookings.models import ConsultationRequest
from tests.factories import make_enquiry

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker_log(caplog):
    caplog.set_level("INFO", logger="restoration.bookings")
    return caplog


@pytest.fixture
def expired_enquiry(settings):
    settings.ENQUIRY_RETENTION_DAYS = 30
    enquiry = make_enquiry()
    long_ago = timezone.now() - datetime.timedelta(days=31)
    ConsultationRequest.objects.filter(pk=enquiry.pk).update(last_activity_at=long_ago)
    return enquiry


def test_the_worker_purges_expired_enquiries_by_default(expired_enquiry, mailoutbox):
    call_command("notification_worker", "--once")
    assert not ConsultationRequest.objects.filter(pk=expired_enquiry.pk).exists()


def test_the_worker_leaves_the_purge_to_a_timer_with_no_retention(expired_enquiry, mailoutbox):
    call_command("notification_worker", "--once", "--no-retention")
    assert ConsultationRequest.objects.filter(pk=expired_enquiry.pk).exists()


def test_the_worker_logs_that_retention_is_off(worker_log, mailoutbox):
    call_command("notification_worker", "--once", "--no-retention")
    assert not [m for m in worker_log.messages if m.startswith("worker_retention ")]
    assert any(m.endswith("retention=off") for m in worker_log.messages)


def test_the_worker_logs_start_retention_deliveries_and_stop(worker_log, mailoutbox):
    make_enquiry()
    call_command("notification_worker", "--once")
    events = [message.split()[0] for message in worker_log.messages]
    assert events == [
        "worker_started",
        "worker_retention",
        "worker_delivered",
        "worker_stopped",
    ]


def test_the_worker_writes_nothing_to_standard_output(mailoutbox):
    out = io.StringIO()
    call_command("notification_worker", "--once", stdout=out)
    assert out.getvalue() == ""


def test_the_worker_logs_its_counts_as_fields(worker_log, mailoutbox):
    make_enquiry()
    call_command("notification_worker", "--once")
    (delivered,) = [r for r in worker_log.records if r.getMessage().startswith("worker_delivered")]
    assert (delivered.sent, delivered.failed) == (2, 0)


def test_a_database_error_during_the_purge_is_logged_and_the_worker_keeps_running(
    monkeypatch, worker_log, mailoutbox
):
    def database_away():
        from django.db import OperationalError

        raise OperationalError("connection refused")

    monkeypatch.setattr("bookings.services.privacy.purge_expired_enquiries", database_away)
    call_command("notification_worker", "--once")
    messages = [record.getMessage() for record in worker_log.records]
    assert "worker_error error=OperationalError" in messages
    assert messages[-1].startswith("worker_stopped")
