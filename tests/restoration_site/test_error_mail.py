"""Server errors reach the admins by email, never hold up the request, never for a visitor's
mistake, and never as a flood."""

import logging
import threading

import pytest

from restoration_site import error_mail

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def admins(settings):
    settings.ADMINS = [("Clinic tech", "tech@restoration-u.example")]
    error_mail.throttle.sent.clear()
    yield
    error_mail.wait_until_sent()
    error_mail.throttle.sent.clear()


def report(rf, path: str = "/book/", status: int = 500) -> None:
    logging.getLogger("django.request").error(
        f"Internal Server Error: {path}", extra={"status_code": status, "request": rf.get(path)}
    )


def test_a_server_error_is_emailed_to_the_admins(rf, mailoutbox):
    report(rf)
    assert error_mail.wait_until_sent()
    assert mailoutbox[0].to == ["tech@restoration-u.example"]
    assert "Internal Server Error" in mailoutbox[0].subject


class ThreadRecordingBackend:
    """A mail backend that notes which thread sent each message."""

    senders: list[threading.Thread] = []

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        self.senders.append(threading.current_thread())
        return len(messages)


def test_the_email_is_sent_by_another_thread_than_the_requests(rf, settings):
    settings.EMAIL_BACKEND = f"{__name__}.ThreadRecordingBackend"
    ThreadRecordingBackend.senders.clear()
    report(rf)
    assert error_mail.wait_until_sent()
    assert ThreadRecordingBackend.senders
    assert threading.current_thread() not in ThreadRecordingBackend.senders


def test_the_same_error_over_and_over_is_emailed_once(rf, mailoutbox):
    for _ in range(50):
        report(rf)
    error_mail.wait_until_sent()
    assert len(mailoutbox) == 1


def test_many_different_errors_are_emailed_up_to_the_windows_limit(rf, mailoutbox):
    for n in range(error_mail.MAX_EMAILS_PER_WINDOW * 3):
        report(rf, path=f"/page-{n}/")
    error_mail.wait_until_sent()
    assert len(mailoutbox) == error_mail.MAX_EMAILS_PER_WINDOW


def test_a_repeat_is_emailed_again_once_the_window_has_passed():
    throttle = error_mail.Throttle(window=600, limit=10)
    assert throttle.allow("boom", now=0)
    assert not throttle.allow("boom", now=599)
    assert throttle.allow("boom", now=601)


def test_a_clients_mistake_is_never_emailed(rf, mailoutbox):
    report(rf, status=404)
    error_mail.wait_until_sent()
    assert mailoutbox == []


def test_a_media_address_too_long_for_the_file_system_is_a_404_and_no_email(client, mailoutbox):
    response = client.get("/media/" + "a" * 5000 + ".jpg")
    error_mail.wait_until_sent()
    assert response.status_code == 404
    assert mailoutbox == []
