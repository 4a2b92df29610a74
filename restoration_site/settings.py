"""
Settings for the Restoration U website, read from the environment (12-factor).

Every value has a default that is safe for development; production sets the variables listed
in README.md and `.env.example`. Django's settings reference:
https://docs.djangoproject.com/en/5.2/ref/settings/
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from restoration_site.log_format import TEXT_FORMAT, chosen_format

BASE_DIR = Path(__file__).resolve().parent.parent
# Everything the running site writes (SQLite file, uploads, development mail) lives under var/,
# which git ignores, so a checkout stays clean.
VAR_DIR = Path(os.environ.get("DJANGO_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    """Read a 0/1 (or true/false, yes/no, on/off) variable; anything else is an error."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 0 or 1, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


# CORE
# Off unless asked for, so a production server that forgets the variable is still safe.
DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set: set it (50+ random characters) or set DJANGO_DEBUG=1."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Django's admin with the clinic's site class (two-factor login, see admin_site.py).
    "restoration_site.apps.ClinicAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles so `runserver` serves files the way WhiteNoise does in production.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_prose_editor",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # The shared library every app may use; it imports no app (see README, Layout).
    "restoration_site.common",
    "restoration_site",
    "blog",
    "bookings",
    "portfolio",
]
# The development tools (restoration_site/devtools: bench, audit_pages, audit_dependencies,
# seed_demo) are installed with debug, or with DJANGO_DEVTOOLS=1 for a debug-off copy of the
# site on this machine (make run's demo content, make bench); never on a production server.
DEVTOOLS = env_bool("DJANGO_DEVTOOLS", False) or DEBUG
if DEVTOOLS:
    INSTALLED_APPS.append("restoration_site.devtools")

MIDDLEWARE = [
    # Outside everything else, so every HEAD answer (health checks included) keeps the GET's
    # headers and loses only the body.
    "restoration_site.middleware.HeadWithoutBodyMiddleware",
    # Before SecurityMiddleware: the proxy's and load balancer's probes come over plain http
    # with the process's own address as Host, and must be neither redirected to https nor
    # refused by ALLOWED_HOSTS (see restoration_site/health.py).
    "restoration_site.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Directly after SecurityMiddleware, as WhiteNoise documents, so static files skip the rest.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "restoration_site.middleware.SecurityHeadersMiddleware",
    # Inside the two above, so the "too large" page carries the same policy and headers as
    # every other page; still before anything that reads the body.
    "restoration_site.middleware.RequestSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes documents: it answers locked-out sign-ins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "restoration_site.urls"
WSGI_APPLICATION = "restoration_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "restoration_site.context_processors.clinic",
            ],
        },
    },
]

# DATABASE
# SQLite under var/ is the embedded default; DATABASE_URL=postgres://... selects PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend, with write transactions queued on a file lock instead of SQLite's busy
    # handler, which oversleeps under several writers (restoration_site/common/sqlite).
    DATABASES["default"]["ENGINE"] = "restoration_site.common.sqlite"
    # Several gunicorn workers share one SQLite file: WAL lets readers run beside the writer,
    # the busy timeout waits for the lock instead of failing, and IMMEDIATE transactions take
    # the write lock up front so two writers never deadlock on a lock upgrade.
    # https://docs.djangoproject.com/en/5.2/ref/databases/#sqlite-notes
    # SQLite creates the file but not its folder; a fresh checkout has no var/ yet.
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Give up connecting after a few seconds: libpq's default is to wait for ever, so a database
    # that stops answering would hang every request and the health check with them instead of
    # answering 503. A connect_timeout in DATABASE_URL's query string wins over this.
    # https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNECT-CONNECT-TIMEOUT
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env_int("DJANGO_DB_CONNECT_TIMEOUT", 5)
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# CACHE
# Redis when REDIS_URL is set, so every process shares one cache; local memory otherwise.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    _redis = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        # redis-py waits for ever by default: a Redis that stops answering must fail a request
        # (and the health check, with 503) within seconds instead of hanging the worker.
        "OPTIONS": {"socket_connect_timeout": 5, "socket_timeout": 5},
    }
    CACHES = {
        "default": {**_redis, "KEY_PREFIX": "restoration"},
        # Staff sessions, on the same Redis under their own prefix. Redis must not evict them
        # (maxmemory-policy noeviction or volatile-*: sessions always carry an expiry, so
        # volatile-lru can still drop them under memory pressure, signing staff out). The
        # prefix keeps the keys apart, but cache.clear() empties the whole Redis database, so
        # it signs every member of staff out too.
        "sessions": {**_redis, "KEY_PREFIX": "restoration-sessions"},
    }
    # Several web processes on several machines: a session must be readable by whichever
    # process answers the next request, and Redis saves a database write on every staff page
    # (SESSION_SAVE_EVERY_REQUEST). https://docs.djangoproject.com/en/5.2/topics/http/sessions/
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    SESSION_CACHE_ALIAS = "sessions"
else:
    CACHES = {
        # Without Redis, a table in the database (created by `migrate`): every gunicorn worker
        # must see the same counts, or the form's rate limit is five per worker instead of five.
        # Only small counters live here, so the bound on entries is never reached in practice;
        # Django's default (300) would let a busy day evict live counters.
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "site_cache",
            "OPTIONS": {"MAX_ENTRIES": 50_000},
        }
    }
    # Without Redis the sessions stay in the database (Django's default engine): sessions in
    # local memory would be lost between gunicorn workers, signing staff out at random.
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Whole public pages (restoration_site/caching.py), apart from the caches above: visitors choose
# which pages are asked for, so pages must never push out the rate-limit counters or fill the
# Redis that keeps sessions (which must not evict). Local memory in each process needs no
# sharing, as every page's key carries the content version read on each view, and it cannot
# touch Redis at all. MAX_ENTRIES is the bound: at most 300 pages of at most 64 KiB
# (caching.PAGE_MAX_BYTES), so under 20 MiB per process; the site's pages are 7 to 22 KB.
CACHES["pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    # Its own LOCATION: local-memory caches with the same one share their entries.
    "LOCATION": "pages",
    "OPTIONS": {"MAX_ENTRIES": 300},
}

# AUTHENTICATION
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
# django-axes first, so a locked-out account is refused before its password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# The admin's address; a less obvious one keeps most password-guessing robots away.
ADMIN_URL = os.environ.get("DJANGO_ADMIN_URL", "admin/").strip("/") + "/"
# Two-factor login (an authenticator app's code) for every staff account; on by default in
# production. Enrol with: python manage.py enrol_totp <username>
ADMIN_REQUIRE_2FA = env_bool("ADMIN_REQUIRE_2FA", not DEBUG)
OTP_TOTP_ISSUER = "Restoration U"
# Lock an account after repeated failed sign-ins from one address (django-axes):
# https://django-axes.readthedocs.io/en/latest/4_configuration.html
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hour
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "axes_lockout.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
# The same client address as the form's rate limit: behind the proxy every visitor shares its
# REMOTE_ADDR, and five wrong passwords from anyone would lock a member of staff out.
AXES_CLIENT_IP_CALLABLE = "restoration_site.common.ratelimit.client_ip"
# Staff sessions end after a working day without activity.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_SAVE_EVERY_REQUEST = True

# INTERNATIONALISATION
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
# The 24-hour clock for times (restoration_site/formats/en_GB/formats.py).
FORMAT_MODULE_PATH = ["restoration_site.formats"]

# STATIC AND MEDIA FILES
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))
# Enquiry photos are health data: stored outside MEDIA_ROOT, never given a public URL.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("DJANGO_PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
# Uploads live in S3-compatible object storage when S3_BUCKET is set, so web processes on
# several machines share them; on this machine's disk otherwise. django-storages' options:
# https://django-storages.readthedocs.io/en/latest/backends/amazon-S3.html
# The credentials are read by boto3 itself (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or an
# instance role), so they never sit in settings.
S3_BUCKET = os.environ.get("S3_BUCKET", "").strip()
S3_PRIVATE_BUCKET = os.environ.get("S3_PRIVATE_BUCKET", "").strip()
if S3_PRIVATE_BUCKET and not S3_BUCKET:
    raise ImproperlyConfigured("S3_PRIVATE_BUCKET is set without S3_BUCKET: set both, or neither.")
if S3_BUCKET:
    S3_CONNECTION = {
        # Empty for AWS itself; the address of MinIO, Ceph, Cloudflare R2, ... otherwise.
        "endpoint_url": os.environ.get("S3_ENDPOINT_URL", "").strip() or None,
        "region_name": os.environ.get("S3_REGION", "").strip() or "eu-west-2",
        # "path" for services without a DNS name per bucket (MinIO, moto).
        "addressing_style": os.environ.get("S3_ADDRESSING_STYLE", "").strip() or "auto",
    }
    if S3_CONNECTION["addressing_style"] not in ("auto", "path", "virtual"):
        raise ImproperlyConfigured(
            "S3_ADDRESSING_STYLE must be auto, path or virtual, "
            f"not {S3_CONNECTION['addressing_style']!r}."
        )
    # Signed URLs (SigV4) can last at most seven days; staff need one for a moment.
    S3_SIGNED_URL_SECONDS = env_int("S3_SIGNED_URL_SECONDS", 60)
    if not 1 <= S3_SIGNED_URL_SECONDS <= 604_800:
        raise ImproperlyConfigured("S3_SIGNED_URL_SECONDS must be between 1 and 604800.")
    # Empty for a bucket with ACLs disabled ("bucket owner enforced", AWS's default for new
    # buckets) that makes media/ public by bucket policy instead: such a bucket refuses any
    # upload that names an ACL, even "private", and keeps objects private unless a policy says
    # otherwise. https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
    S3_PUBLIC_ACL = os.environ.get("S3_PUBLIC_ACL", "public-read").strip() or None
    S3_CUSTOM_DOMAIN = os.environ.get("S3_CUSTOM_DOMAIN", "").strip() or None
    STORAGES = {
        # Article and portfolio images and their renditions: public, under media/.
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **S3_CONNECTION,
                "bucket_name": S3_BUCKET,
                "location": "media",
                "default_acl": S3_PUBLIC_ACL,
                # Plain, stable URLs: pages are cached whole, and a signature would expire.
                "querystring_auth": False,
                "custom_domain": S3_CUSTOM_DOMAIN,
                # Stored names are random and never rewritten, so a copy may be kept for a year.
                "file_overwrite": False,
                "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
            },
        },
        # Enquiry photos: under private/ of the same bucket, or in a bucket of their own, read
        # only through signed URLs handed to staff by the photo view (never the CDN domain,
        # which would serve them unsigned).
        "private": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **S3_CONNECTION,
                "bucket_name": S3_PRIVATE_BUCKET or S3_BUCKET,
                "location": "private",
                "default_acl": "private" if S3_PUBLIC_ACL else None,
                "querystring_auth": True,
                "querystring_expire": S3_SIGNED_URL_SECONDS,
                "file_overwrite": False,
                # Health images must not stay in a browser's or a proxy's cache.
                "object_parameters": {"CacheControl": "private, no-store"},
            },
        },
    }
    # Browsers fetch public images, and the signed photo URLs the admin's thumbnails redirect
    # to, from the object store's own address: Content-Security-Policy's img-src must name it.
    from restoration_site.common.storage import bucket_origin

    MEDIA_ORIGINS = list(
        dict.fromkeys(
            [
                f"https://{S3_CUSTOM_DOMAIN.split('/')[0]}"
                if S3_CUSTOM_DOMAIN
                else bucket_origin(bucket=S3_BUCKET, **S3_CONNECTION),
                bucket_origin(bucket=S3_PRIVATE_BUCKET or S3_BUCKET, **S3_CONNECTION),
            ]
        )
    )
else:
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
        },
    }
    MEDIA_ORIGINS = []
# Content-hashed, pre-compressed (gzip and Brotli) files that WhiteNoise serves with
# far-future cache headers. https://whitenoise.readthedocs.io/en/stable/django.html
STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
# Public uploads on local disk are served by Django itself (with year-long cache headers), since
# the deployment's proxy only forwards requests; off lets a web server in front serve them
# instead. Never with object storage, whose own addresses serve them.
SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", True) and not S3_BUCKET

# UPLOADED IMAGES
# 40 megapixels is more than any phone photo; larger images are refused before they are decoded.
IMAGE_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
IMAGE_MAX_PIXELS = 40_000_000
# Photos sent with a consultation request (anyone can send them) are limited by what decoding
# costs a web worker, measured by `make bench` (README, Performance): a JPEG is decoded at
# reduced scale, so phones' 12- to 24-megapixel photos cost little; Pillow decodes a PNG whole
# (4 bytes a pixel, 8 with transparency), a WebP through buffers four times its size and, per
# megabyte, about five times slower than a JPEG. Phone cameras write JPEG (or HEIC, which
# browsers send as JPEG); PNGs are screenshots and WebPs come from apps and websites, and an
# 8-megapixel WebP photo is 1 to 3 MB.
ENQUIRY_PHOTO_MAX_BYTES = {
    "JPEG": 10 * 1024 * 1024,
    "PNG": 10 * 1024 * 1024,
    "WEBP": 4 * 1024 * 1024,
}
ENQUIRY_PHOTO_MAX_PIXELS = {"JPEG": 40_000_000, "PNG": 16_000_000, "WEBP": 8_000_000}
# Enquiry photos are kept at most this long on their long edge: staff look at a scalp on a
# screen, not at a print, and a smaller copy is quicker to make, store and open.
ENQUIRY_PHOTO_MAX_EDGE = 2560

# EMAIL
# Django's own setting names. In development mail is written to files under var/mail so a
# person can read it; production sends through SMTP.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Restoration U <no-reply@restoration-u.example>"
)
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# SECURITY
# On by default whenever debug is off; each can be switched off for a TLS-terminating proxy
# that already redirects, or for a plain-http loopback test of the production settings.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", False):
    # Only behind a proxy that sets X-Forwarded-Proto itself and strips it from clients.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp 4): everything from this site only, no inline script.
# https://django-csp.readthedocs.io/en/latest/configuration.html
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # With object storage, also the bucket's (or the CDN's) address: see MEDIA_ORIGINS.
        "img-src": [SELF, "data:", *MEDIA_ORIGINS],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Request size limits: the largest legitimate request is the consultation form with three
# 10 MB photos; form fields alone stay small.
MAX_REQUEST_BYTES = 35 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 5

# FORMS
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# LOGGING
# Server errors are emailed to ADMINS in production ("Name <email>, Name <email>").
ADMINS = [
    (name.strip(), email.strip(" >"))
    for name, email in (entry.split("<") for entry in env_list("DJANGO_ADMINS", []) if "<" in entry)
]
# Everything goes to standard output, where systemd's journal or the container runtime collects
# it: one JSON object per line in production (restoration_site/log_format.py), readable text
# in development.
try:
    LOG_FORMAT = chosen_format(debug=DEBUG)
except ValueError as error:
    raise ImproperlyConfigured(str(error)) from None
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "formatters": {
        "json": {"()": "restoration_site.log_format.JsonFormatter"},
        "text": {"format": TEXT_FORMAT},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": LOG_FORMAT,
        },
        # Sent from a background thread and throttled: an error never waits on SMTP and a
        # visitor repeating one cannot flood the admins (restoration_site/error_mail.py).
        "mail_admins": {
            "class": "restoration_site.error_mail.BackgroundAdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # django-axes reports every sign-in at INFO; lockouts are logged by us as warnings.
        "axes": {"level": "WARNING"},
        "django.request": {
            "handlers": ["console", "mail_admins"],
            "level": "ERROR",
            "propagate": False,
        },
        # A request naming a host the site does not serve (scanners trying addresses) is
        # logged, never emailed: with web processes on private addresses there are many.
        "django.security.DisallowedHost": {
            "handlers": ["console"],
            "level": "WARNING",
            "propagate": False,
        },
    },
}

# THE CLINIC
# Contact details shown in the footer and structured data; overridable per deployment.
CLINIC_NAME = "Restoration U"
CLINIC_EMAIL = os.environ.get("CLINIC_EMAIL", "hello@restoration-u.example")
CLINIC_PHONE = os.environ.get("CLINIC_PHONE", "+44 20 7946 0321")
CLINIC_ADDRESS = os.environ.get("CLINIC_ADDRESS") or "12 Example Street, London, W1A 0AA"
LASER_REVERSE_NAME = "Laser Reverse"
LASER_REVERSE_URL = os.environ.get("LASER_REVERSE_URL", "https://laser-reverse.example/")
LASER_REVERSE_EMAIL = os.environ.get("LASER_REVERSE_EMAIL", "enquiries@laser-reverse.example")
LASER_REVERSE_PHONE = os.environ.get("LASER_REVERSE_PHONE", "+44 20 7946 0654")
LASER_REVERSE_ADDRESS = os.environ.get("LASER_REVERSE_ADDRESS", "")
# A deployment's own addresses win over what the database holds (the clinics are data).
CLINIC_ADDRESS_OVERRIDES = {
    "restoration-u": os.environ.get("CLINIC_ADDRESS", ""),
    "laser-reverse": LASER_REVERSE_ADDRESS,
}

# CONSULTATION REQUESTS
# The privacy policy's version, recorded with each consent; change it when the policy changes.
PRIVACY_POLICY_VERSION = "2026-11"
# Enquiries closed, or untouched, for longer than this are deleted with their photos.
ENQUIRY_RETENTION_DAYS = env_int("ENQUIRY_RETENTION_DAYS", 730)
# Days a consultation can be booked on (0 = Monday).
CLINIC_OPEN_WEEKDAYS = [
    int(day) for day in env_list("CLINIC_OPEN_WEEKDAYS", ["0", "1", "2", "3", "4", "5"])
]
# Per-address limit on consultation requests, counted in the cache (shared through Redis).
CONSULTATION_RATE_LIMIT = env_int("CONSULTATION_RATE_LIMIT", 5)
CONSULTATION_RATE_WINDOW_SECONDS = env_int("CONSULTATION_RATE_WINDOW_SECONDS", 600)
# Per-address limit on appointment links that open nothing (unknown, expired, replaced), in
# the same window: a client with a few old emails is never held up, someone trying tokens is.
MANAGE_LINK_RATE_LIMIT = env_int("MANAGE_LINK_RATE_LIMIT", 20)
# Behind a proxy that appends the client address to X-Forwarded-For, count that address.
TRUST_X_FORWARDED_FOR = env_bool("DJANGO_TRUST_X_FORWARDED_FOR", False)
MAX_ENQUIRY_PHOTOS = 3
# Email delivery by the notification worker: how long a claim lasts before another worker may
# take the message over, and the longest wait between retries.
NOTIFICATION_LEASE_SECONDS = env_int("NOTIFICATION_LEASE_SECONDS", 120)
NOTIFICATION_MAX_BACKOFF_SECONDS = env_int("NOTIFICATION_MAX_BACKOFF_SECONDS", 3600)

# APPOINTMENTS
# The client's reminder email is due this many hours before the appointment; none is queued for
# an appointment booked (or moved) closer than that.
BOOKING_REMINDER_HOURS = env_int("BOOKING_REMINDER_HOURS", 24)
# A freed time offered from the waiting list is kept for its client this many hours, then
# offered to the next person waiting; never past the time's start minus its consultation type's
# minimum notice, after which it could not be booked online at all (bookings/services/
# waiting_list.py). Four hours: long enough to see an email during a working day, short enough
# that a time freed a couple of days ahead can still pass down the list.
WAITING_LIST_CLAIM_HOURS = env_int("WAITING_LIST_CLAIM_HOURS", 4)
# The public address (scheme, host and port, no path). Every absolute link (canonical, Open
# Graph, structured data, robots.txt, sitemap, feeds, emails) is built from it, never from the
# request: Django checks only the host name of the Host header, so a client chooses the port.
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# DEMO
# `seed_demo` also makes demo staff accounts (an administrator and a receptionist per clinic)
# when this is on: with debug, or for `make run` (which serves with debug off).
DEMO_ACCOUNTS = env_bool("DJANGO_DEMO_ACCOUNTS", DEBUG)

# BACKUPS
# `manage.py backup_site` (make backup) writes a time-stamped folder here and deletes those older
# than BACKUP_KEEP_DAYS, so enquiries purged under the retention policy do not live on in old
# backups for longer than the privacy policy allows. 0 keeps every backup.
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", VAR_DIR / "backups"))
BACKUP_KEEP_DAYS = env_int("BACKUP_KEEP_DAYS", 35)

# HEALTH CHECKS
# /healthz fails when the oldest unsent email is older than this: the workers are down or SMTP
# has refused mail for too long (restoration_site/health.py).
HEALTHZ_MAX_OUTBOX_AGE_SECONDS = env_int("HEALTHZ_MAX_OUTBOX_AGE_SECONDS", 900)
