"""Log records as one JSON object per line (restoration_site/log_format.py)."""

import datetime
import json
import logging
import re

import pytest
from django.test import RequestFactory

from restoration_site.log_format import AccessLogJsonFormatter, JsonFormatter
from tests.support import PRODUCTION, clean_environment, manage


def record(message="hello", *args, level=logging.INFO, exc_info=None, **extra):
    made = logging.getLogger("restoration.test").makeRecord(
        "restoration.test", level, __file__, 1, message, args, exc_info, extra=extra or None
    )
    return made


def formatted(log_record, formatter=None) -> str:
    return (formatter or JsonFormatter()).format(log_record)


def as_json(log_record, formatter=None) -> dict:
    return json.loads(formatted(log_record, formatter))


def test_a_record_becomes_one_json_object_with_the_standard_keys():
    line = as_json(record("sent %s emails", 2, level=logging.WARNING))
    assert line == {
        "time": line["time"],
        "level": "WARNING",
        "logger": "restoration.test",
        "message": "sent 2 emails",
        "process": line["process"],
    }


def test_the_time_is_iso_8601_utc_with_milliseconds():
    log_record = record()
    log_record.created = datetime.datetime(2026, 3, 1, 9, 30, 5, 123456, datetime.UTC).timestamp()
    assert as_json(log_record)["time"] == "2026-03-01T09:30:05.123Z"


def test_the_process_id_is_a_number():
    assert isinstance(as_json(record())["process"], int)


def test_extra_fields_of_the_call_are_kept():
    line = as_json(record("worker_delivered", sent=2, worker="web-1:42"))
    assert (line["sent"], line["worker"]) == (2, "web-1:42")


def test_an_extra_field_never_overwrites_a_standard_one():
    line = as_json(record("real message", level=logging.ERROR, time="forged"))
    assert line["time"] != "forged"
    assert line["time_"] == "forged"


def test_an_exception_is_written_with_its_traceback():
    try:
        raise ValueError("broken")
    except ValueError:
        import sys

        line = as_json(record("failed", exc_info=sys.exc_info()))
    assert line["exc"].startswith("Traceback (most recent call last):")
    assert line["exc"].rstrip().endswith("ValueError: broken")


def test_values_json_cannot_hold_become_strings():
    class Clinic:
        def __str__(self):
            return "Restoration U"

    line = as_json(record("x", clinic=Clinic(), when=datetime.date(2026, 1, 2), ids={1, 2}))
    assert (line["clinic"], line["when"]) == ("Restoration U", "2026-01-02")
    assert line["ids"] in ("{1, 2}", "{2, 1}")


def test_an_object_whose_str_fails_is_still_logged():
    class Broken:
        def __str__(self):
            raise RuntimeError

    assert as_json(record("x", thing=Broken()))["thing"] == "<unprintable Broken>"


def test_a_nested_structure_json_cannot_hold_becomes_a_string():
    line = as_json(record("x", counts={(1, 2): "pair"}, ratio=float("nan")))
    assert (line["counts"], line["ratio"]) == ("{(1, 2): 'pair'}", "nan")


@pytest.mark.parametrize(
    "message",
    [
        "first line\nsecond line",
        "carriage\rreturn",
        "unicode\u2028line\u2029separators\x85next\x0bvertical\x0cform feed",
        "Zoë's “quote” 😀",
    ],
)
def test_a_message_never_breaks_the_one_line_rule(message):
    line = formatted(record(message))
    assert len(line.splitlines()) == 1
    assert re.fullmatch(r"[\x20-\x7e]+", line)
    assert json.loads(line)["message"] == message


def test_a_traceback_stays_on_one_line():
    try:
        raise ValueError("multi\nline")
    except ValueError:
        import sys

        line = formatted(record("failed", exc_info=sys.exc_info()))
    assert len(line.splitlines()) == 1


def test_a_message_with_bad_arguments_is_still_logged():
    line = as_json(record("%d emails", "not a number"))
    assert "%d emails" in line["message"]


def test_a_request_passed_by_django_is_logged_without_its_query_string():
    request = RequestFactory().get("/articles/search/", {"q": "jamie@client.example"})
    line = as_json(record("Not Found: /articles/search/", request=request, status_code=404))
    assert line["request"] == "GET /articles/search/"
    assert line["status_code"] == 404


ATOMS = {
    "h": "203.0.113.9",
    "m": "GET",
    "U": "/healthz",
    "q": "verbose=1",
    "s": "200",
    "B": 38,
    "D": 1534,
    "a": "curl/8.5",
    "f": "https://www.restoration-u.example/book/?email=jamie@client.example",
    "{cookie}i": "sessionid=abc123",
    "r": "GET /healthz?verbose=1 HTTP/1.1",
}


def access_record() -> logging.LogRecord:
    made = logging.getLogger("gunicorn.access").makeRecord(
        "gunicorn.access", logging.INFO, __file__, 1, '%(h)s "%(r)s" %(s)s', (ATOMS,), None
    )
    return made


def test_a_gunicorn_access_line_carries_the_request_as_fields():
    line = as_json(access_record(), AccessLogJsonFormatter())
    assert {key: line[key] for key in line if key not in {"time", "process"}} == {
        "level": "INFO",
        "logger": "gunicorn.access",
        "message": "GET /healthz 200",
        "remote_addr": "203.0.113.9",
        "method": "GET",
        "path": "/healthz",
        "query": "verbose=1",
        "status": 200,
        "bytes": 38,
        "duration_ms": 1.534,
        "user_agent": "curl/8.5",
    }


def test_a_gunicorn_access_line_never_carries_cookies_or_the_referrer():
    line = formatted(access_record(), AccessLogJsonFormatter())
    assert "abc123" not in line
    assert "jamie@client.example" not in line


def test_with_debug_off_the_site_logs_one_json_object_per_line_on_standard_output():
    log = "import logging; logging.getLogger('restoration.test').warning('sent %s emails', 2)"
    result = manage("shell", "-v0", "-c", log, env=clean_environment() | PRODUCTION)
    (line,) = result.stdout.splitlines()
    assert json.loads(line) | {"time": "", "process": 0} == {
        "time": "",
        "level": "WARNING",
        "logger": "restoration.test",
        "message": "sent 2 emails",
        "process": 0,
    }
