"""Log records as one JSON object per line, for production logs read by machines.

Used by Django's LOGGING (settings.py) and by gunicorn's `logconfig_dict`
(deploy/gunicorn.conf.py), so every line a web process or worker prints to standard output has
the same shape. Deliberately free of Django imports: gunicorn's master process loads it before
any Django settings exist.
"""

import contextlib
import datetime
import json
import logging
import os
from collections.abc import Mapping

# The readable shape, for development (and DJANGO_LOG_FORMAT=text).
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s"


def chosen_format(*, debug: bool) -> str:
    """`json` or `text`: DJANGO_LOG_FORMAT, else text in development and json in production.
    Read by Django's settings and by gunicorn's config alike, so both always agree."""
    chosen = os.environ.get("DJANGO_LOG_FORMAT", "").strip().lower() or (
        "text" if debug else "json"
    )
    if chosen not in {"json", "text"}:
        raise ValueError(f"DJANGO_LOG_FORMAT must be json or text, not {chosen!r}.")
    return chosen


# Attributes every LogRecord has; anything else on a record came from the caller's `extra=`.
_RECORD_ATTRIBUTES = frozenset(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {
    "message",
    "asctime",
    "taskName",  # Python 3.12+
}
_OWN_KEYS = ("time", "level", "logger", "message", "process", "exc", "stack")


def _as_text(value: object) -> str:
    """What JSON cannot hold is written as text; even an object whose str() fails is logged."""
    try:
        return str(value)
    except Exception:
        return f"<unprintable {type(value).__name__}>"


def _extra_value(value: object) -> object:
    # Django's request logging passes the request itself. Its str() includes the query string,
    # which can hold what a visitor typed (a search, a form sent by GET); method and path are
    # enough to find the request again.
    if hasattr(value, "method") and hasattr(value, "path") and hasattr(value, "META"):
        return f"{value.method} {value.path}"
    return value


class JsonFormatter(logging.Formatter):
    """One JSON object per record: `time` (ISO 8601, UTC, milliseconds), `level`, `logger`,
    `message`, `process`, the `extra=` fields of the call, and `exc` with the traceback.

    The output is always a single line: JSON escapes newlines inside strings, and non-ASCII
    characters are escaped too, so not even U+2028 (a line break to some readers) gets through.
    """

    def format(self, record: logging.LogRecord) -> str:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not cost us the line
            message = f"{_as_text(record.msg)} {_as_text(record.args)}"
        payload: dict[str, object] = {
            "time": self.format_time(record),
            "level": record.levelname,
            "logger": record.name,
            "message": message,
            "process": record.process,
        }
        for key, value in self.extra_fields(record).items():
            # A caller's field never overwrites one of ours.
            payload[f"{key}_" if key in _OWN_KEYS else key] = _extra_value(value)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            payload["exc"] = record.exc_text
        if record.stack_info:
            payload["stack"] = self.formatStack(record.stack_info)
        return self.dumps(payload)

    @staticmethod
    def format_time(record: logging.LogRecord) -> str:
        moment = datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC)
        return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")

    def extra_fields(self, record: logging.LogRecord) -> dict[str, object]:
        return {
            key: value
            for key, value in record.__dict__.items()
            if key not in _RECORD_ATTRIBUTES and not key.startswith("_")
        }

    @staticmethod
    def dumps(payload: dict[str, object]) -> str:
        try:
            return json.dumps(payload, default=_as_text, allow_nan=False)
        except (TypeError, ValueError):
            # Non-string keys in a nested dict, NaN, a circular structure: each field the first
            # attempt choked on is written as text instead.
            safe = {}
            for key, value in payload.items():
                try:
                    json.dumps(value, default=_as_text, allow_nan=False)
                    safe[key] = value
                except (TypeError, ValueError):
                    safe[key] = _as_text(value)
            return json.dumps(safe, default=_as_text)


class AccessLogJsonFormatter(JsonFormatter):
    """gunicorn's access log as structured fields.

    gunicorn logs each request with a dict of "atoms" as the record's arguments (see
    `gunicorn.glogging.Logger.atoms`). Only the fields below are taken: the request headers are
    atoms too, so cookies, authorisation and the referrer are deliberately never read (and
    gunicorn never logs a request body).
    """

    ATOMS = {
        "remote_addr": "h",
        "method": "m",
        "path": "U",
        "query": "q",
        "status": "s",
        "bytes": "B",
        "user_agent": "a",
    }

    def format(self, record: logging.LogRecord) -> str:
        atoms = record.args
        if not isinstance(atoms, Mapping):
            return super().format(record)
        fields = {field: atoms.get(atom) for field, atom in self.ATOMS.items()}
        with contextlib.suppress(TypeError, ValueError):
            fields["status"] = int(fields["status"])
        try:
            fields["duration_ms"] = round(int(atoms.get("D")) / 1000, 3)
        except (TypeError, ValueError):
            fields["duration_ms"] = None
        # gunicorn's access_log_format would put the referrer back into the message; a short
        # request line says enough next to the fields.
        access = logging.makeLogRecord(
            {
                **record.__dict__,
                **fields,
                "msg": "%s %s %s",
                "args": (fields["method"], fields["path"], fields["status"]),
            }
        )
        return super().format(access)
