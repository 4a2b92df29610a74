"""Server-error emails to ADMINS that never hold up a request and cannot be turned into a flood.

Django's AdminEmailHandler talks to the SMTP server inside the failing request, once per error:
an anonymous visitor who finds one reproducible 500 could keep a web worker waiting on SMTP and
fill the admins' inboxes, a request at a time. Here the report is still written in the request
(where the request can still be read), but it is sent from a background thread, at most once per
distinct error per window and a few times per window in all; the rest are only logged, as every
error already is on standard output.
"""

import logging
import queue
import threading
import time

from django.core import mail
from django.utils.log import AdminEmailHandler

# Per process: one email per distinct error (its subject line) in this many seconds ...
REPEAT_WINDOW_SECONDS = 600
# ... and no more than this many emails in that window in all.
MAX_EMAILS_PER_WINDOW = 10

_outgoing: queue.Queue = queue.Queue()
_sender_lock = threading.Lock()
_sender: threading.Thread | None = None


class Throttle:
    """Which error emails may go now: not a repeat of one sent within the window, and not over
    the window's total."""

    def __init__(self, *, window: float, limit: int):
        self.window, self.limit = window, limit
        self.sent: dict[str, float] = {}
        self.lock = threading.Lock()

    def allow(self, key: str, *, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        with self.lock:
            self.sent = {k: at for k, at in self.sent.items() if now - at < self.window}
            if key in self.sent or len(self.sent) >= self.limit:
                return False
            self.sent[key] = now
            return True


throttle = Throttle(window=REPEAT_WINDOW_SECONDS, limit=MAX_EMAILS_PER_WINDOW)


class BackgroundAdminEmailHandler(AdminEmailHandler):
    """AdminEmailHandler for server errors only, sent off the request's thread, throttled."""

    def emit(self, record: logging.LogRecord) -> None:
        # A 4xx is the client's mistake (a missing page, a bad form): logged, never emailed.
        status = getattr(record, "status_code", None)
        if status is not None and status < 500:
            return
        super().emit(record)

    def send_mail(self, subject: str, message: str, *args, **kwargs) -> None:
        if not throttle.allow(subject):
            return
        _outgoing.put((subject, message, kwargs.get("html_message")))
        _start_sender()


def _start_sender() -> None:
    global _sender
    with _sender_lock:
        if _sender is None or not _sender.is_alive():
            _sender = threading.Thread(target=_send_forever, name="error-mail", daemon=True)
            _sender.start()


def _send_forever() -> None:
    while True:
        subject, message, html_message = _outgoing.get()
        try:
            mail.mail_admins(subject, message, fail_silently=True, html_message=html_message)
        except Exception:  # a report about a report would loop; stdout has the error already
            pass
        finally:
            _outgoing.task_done()


def wait_until_sent(timeout: float = 5.0) -> bool:
    """Wait until every queued report has been through the mail backend; False on timeout."""
    with _outgoing.all_tasks_done:
        return _outgoing.all_tasks_done.wait_for(
            lambda: _outgoing.unfinished_tasks == 0, timeout=timeout
        )
