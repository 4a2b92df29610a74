"""gunicorn settings for production: `gunicorn restoration_site.wsgi -c deploy/gunicorn.conf.py`.

Read from the environment like the Django settings. Reference:
https://docs.gunicorn.org/en/stable/settings.html
"""

import multiprocessing
import os
import re
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# The log formatter below is imported by gunicorn's master before the application is loaded,
# and the application itself is found from here whatever the current directory is.
sys.path.insert(0, str(PROJECT_ROOT))
chdir = str(PROJECT_ROOT)

from gunicorn.glogging import Logger  # noqa: E402

from restoration_site.log_format import TEXT_FORMAT  # noqa: E402
from restoration_site.log_format import chosen_format as _chosen_format  # noqa: E402

# Loopback by default: the reverse proxy on the same machine is the only client. A proxy on
# another machine needs the private address (GUNICORN_BIND=10.0.0.7:8000).
bind = [address.strip() for address in os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")]
# Sync workers: each request holds one process, and the email never waits in a request.
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
# Long enough for the slowest legitimate request (the consultation form with three photos, the
# streamed CSV export), short enough that a stuck worker is replaced. The database
# (DJANGO_DB_CONNECT_TIMEOUT) and Redis give up well within it.
timeout = 60
# On a restart or deploy, requests in flight get this long to finish.
graceful_timeout = 30
# Replace each worker after about a thousand requests, staggered so they never all restart at
# once: a slow leak in any library stays harmless.
max_requests = 1000
max_requests_jitter = 100
# The workers' heartbeat files in memory: a busy or slow disk (/tmp on an overlay file system)
# otherwise makes healthy workers look stuck and get killed.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# X-Forwarded-For and X-Forwarded-Proto are believed only from the proxy's address.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn 25+ opens a control socket (for `gunicornc`) by default; the site never uses it and
# a socket in $HOME is one more thing to secure. Older versions ignore the unknown name.
control_socket_disable = True

# LOGGING
# The admin's address, as the site's settings read it (gunicorn never loads Django's settings).
_ADMIN_PATH = "/" + os.environ.get("DJANGO_ADMIN_URL", "admin/").strip("/") + "/"


# A client's link to their appointment (/appointments/<token>/...): the token is the key to it.
_APPOINTMENT_LINK = re.compile(r"^/appointments/[^/]{20,}/")


class AccessLogger(Logger):
    """gunicorn's logger, with the admin's query strings and referrers left out of the access
    log: staff search for a client by name, email or phone, and those would otherwise be kept
    in every log line. Public pages keep theirs (a page number, a topic). A client's
    appointment link is logged with `<token>` in place of its token."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        path = atoms.get("U") or ""
        if path.startswith(_ADMIN_PATH) or _APPOINTMENT_LINK.match(path):
            atoms["U"] = _APPOINTMENT_LINK.sub("/appointments/<token>/", path)
            atoms["q"] = ""
            atoms["f"] = "-"
            atoms["r"] = f"{atoms['m']} {atoms['U']} {atoms['H']}"
        return atoms


logger_class = AccessLogger

# gunicorn's own messages and its access log on standard output, in the same shape as the
# site's (DJANGO_LOG_FORMAT, json unless debug is on): one JSON object per line in production.
_log_format = _chosen_format(
    debug=os.environ.get("DJANGO_DEBUG", "").strip().lower() in {"1", "true", "yes", "on"}
)
_log_level = os.environ.get("DJANGO_LOG_LEVEL", "INFO").upper()

logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "restoration_site.log_format.JsonFormatter"},
        # Only the fields listed in AccessLogJsonFormatter: no cookies, no referrer.
        "json_access": {"()": "restoration_site.log_format.AccessLogJsonFormatter"},
        "text": {"format": TEXT_FORMAT},
        # gunicorn's access_log_format, whose default is the combined log format.
        "text_access": {"format": "%(asctime)s %(name)s [%(process)d] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": _log_format,
        },
        "access": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": f"{_log_format}_access",
        },
    },
    "root": {"handlers": ["console"], "level": _log_level},
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": _log_level, "propagate": False},
        "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
    },
}
