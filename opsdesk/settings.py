"""One env-driven settings module. Every knob is an ``OPSDESK_*`` variable (a ``.env`` file in the working
directory is read too); a value that is set but malformed stops start-up with a message naming it."""

from __future__ import annotations

import os
import secrets
from datetime import time, timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

# Personal data (PIPL): everything this process creates (data dir, database, uploads, logs, backups) is the
# owner's alone; the files people ask for elsewhere (reports) are handed over by the person, not by the mode bits.
os.umask(0o077)
# Arrow's buffers from the C library's allocator, which hands a freed large buffer straight back to the system
# (its default, mimalloc, keeps them for Arrow's own reuse): an import's Arrow work then leaves no peak behind.
os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")

BASE_DIR = Path(__file__).resolve().parent


def _read_dotenv(path: Path) -> None:
    """Load KEY=VALUE lines into the environment without overriding what is already set."""
    if not path.is_file():
        return
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep or not key.strip():
            raise ImproperlyConfigured(f"{path}:{lineno}: expected KEY=VALUE")
        os.environ.setdefault(key.strip(), value.strip().strip('"').strip("'"))


_read_dotenv(Path.cwd() / ".env")


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    value = env_str(name).lower()
    if not value:
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={value!r}: expected true/false")


def env_int(name: str, default: int) -> int:
    value = env_str(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={value!r}: expected a whole number") from exc


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def database_from_url(url: str) -> dict[str, object]:
    """postgres://user:password@host:port/name → Django's DATABASES entry (psycopg 3)."""
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ImproperlyConfigured(f"OPSDESK_DATABASE_URL: unsupported scheme {parts.scheme!r} (use postgres://)")
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise ImproperlyConfigured("OPSDESK_DATABASE_URL: the database name is missing")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": 60,
        # Parallel test sessions on one server each get their own test database.
        "TEST": {"NAME": "_".join(filter(None, ["test", name, env_str("OPSDESK_TEST_DB_SUFFIX")]))},
    }


def sqlite_database(path: Path) -> dict[str, object]:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            # WAL lets the desk read while an import writes; IMMEDIATE avoids lock upgrades mid-transaction.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
        # Opening the file again per request (and SQLite re-reading the schema on its first statement) was a
        # third of a desk page's time; each gunicorn worker keeps its connection instead.
        "CONN_MAX_AGE": None,
        "TEST": {"NAME": str(path.with_name("test_opsdesk.sqlite3"))},
    }


def _secret_key(data_dir: Path) -> str:
    configured = env_str("OPSDESK_SECRET_KEY")
    if configured:
        return configured
    key_file = data_dir / "secret.key"
    if key_file.is_file():
        return key_file.read_text(encoding="ascii").strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key, encoding="ascii")
    key_file.chmod(0o600)
    return key


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = env_str(name, default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r}: expected one of {', '.join(choices)}")
    return value


def _private_dir(path: Path) -> Path:
    """The directory, created 0700; an existing one of ours that others may read is closed (PIPL)."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise ImproperlyConfigured(f"OPSDESK_DATA_DIR: cannot create {path} ({exc.strerror or exc})") from exc
    try:
        if path.stat().st_mode & 0o077:
            path.chmod(0o700)
    except PermissionError:  # not ours (a shared mount): its owner decides
        pass
    return path


DATA_DIR = _private_dir(Path(env_str("OPSDESK_DATA_DIR", "var")).expanduser().resolve())
SHOP_NAME = env_str("OPSDESK_SHOP_NAME", "上元堂")
# The pharmacist the official-site buyers of prescription drugs are asked to add on WeChat (or call), named in
# the checklist's ready text (加药师微信).
PHARMACIST_WECHAT = env_str("OPSDESK_PHARMACIST_WECHAT")
PHARMACIST_PHONE = env_str("OPSDESK_PHARMACIST_PHONE")
# Seconds added to the real clock (opsdesk.lib.dates.now): `opsdesk demo` sets it for the desk and worker it
# starts, so that they show the demo's morning (09:20) whatever the hour; 0 everywhere else.
CLOCK_OFFSET = env_int("OPSDESK_CLOCK_OFFSET", 0)
# The person responsible for cash on delivery (name and phone), named on the COD page and in the sheet.
COD_OWNER = env_str("OPSDESK_COD_OWNER")
# The CJK font the 不放清单 picture is drawn with (Debian's fonts-wqy-microhei, installed by scripts/setup).
CJK_FONT = env_str("OPSDESK_CJK_FONT", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
WORKERS = env_int("OPSDESK_WORKERS", 3)  # `opsdesk serve`'s gunicorn processes
DEBUG = env_bool("OPSDESK_DEBUG", False)
SECRET_KEY = _secret_key(DATA_DIR)
ALLOWED_HOSTS = env_list("OPSDESK_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("OPSDESK_CSRF_TRUSTED_ORIGINS", "")
CSRF_FAILURE_VIEW = "opsdesk.web.views.errors.csrf_failure"

_database_url = env_str("OPSDESK_DATABASE_URL")
DATABASES = {
    "default": database_from_url(_database_url) if _database_url else sqlite_database(DATA_DIR / "opsdesk.sqlite3")
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "opsdesk.core.admin_config.AdminConfig",  # django.contrib.admin, discovered when the URLs load
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks_db",
    "axes",
    "opsdesk.core",
    "opsdesk.orders",
    "opsdesk.imports",
    "opsdesk.hupun",
    "opsdesk.rules",
    "opsdesk.checklist",
    "opsdesk.aftersales",
    "opsdesk.reports",
    "opsdesk.live",
    "opsdesk.web",
    "opsdesk.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "opsdesk.web.middleware.no_store",
    "opsdesk.web.middleware.Refusals",
    # Last, as django-axes asks: it turns a locked-out login into the lock-out page.
    "axes.middleware.AxesMiddleware",
]


ROOT_URLCONF = "opsdesk.urls"
WSGI_APPLICATION = "opsdesk.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Each worker's rendered tables (opsdesk/web/fragments.py); the shared counts live in files (web/cache.py).
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fragments",
        "OPTIONS": {"MAX_ENTRIES": 500},
    },
}

def env_hours(name: str, default: str) -> tuple[time, time]:
    """`HH:MM-HH:MM`, e.g. the working hours during which a source's maximum age counts."""
    value = env_str(name, default)
    try:
        opens, closes = (time.fromisoformat(part.strip()) for part in value.split("-"))
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={value!r}: expected HH:MM-HH:MM") from exc
    if opens >= closes:
        raise ImproperlyConfigured(f"{name}={value!r}: the start must come before the end")
    return opens, closes


WORKING_HOURS = env_hours("OPSDESK_WORKING_HOURS", "08:00-20:00")
# The folder the channels' exports are downloaded into; the worker imports what lands there.
INBOX = Path(env_str("OPSDESK_INBOX") or DATA_DIR / "inbox").expanduser().resolve()
# A file in the inbox is taken once it has not changed for this long (browsers write downloads in pieces).
INBOX_SETTLE_SECONDS = env_int("OPSDESK_INBOX_SETTLE_SECONDS", 5)


def env_positive(name: str, default: int) -> int:
    value = env_int(name, default)
    if value <= 0:
        raise ImproperlyConfigured(f"{name}={value}: expected a number above 0")
    return value


# Bounded reading of import files: a file over these is refused before it is parsed (an XLSX by its zip directory).
IMPORT_MAX_FILE_MB = env_positive("OPSDESK_IMPORT_MAX_FILE_MB", 100)
IMPORT_MAX_UNCOMPRESSED_MB = env_positive("OPSDESK_IMPORT_MAX_UNCOMPRESSED_MB", 200)
IMPORT_MAX_RATIO = env_positive("OPSDESK_IMPORT_MAX_RATIO", 100)
IMPORT_MAX_ROWS = env_positive("OPSDESK_IMPORT_MAX_ROWS", 1_000_000)
# A prescription's photo or scanned page is a few MB; anything far bigger is not a prescription.
RX_IMAGE_MAX_MB = env_positive("OPSDESK_RX_IMAGE_MAX_MB", 10)

# Background work (opsdesk worker): the queue lives in the same database as everything else, so the embedded
# SQLite default needs no second store and several workers on PostgreSQL share one queue.
TASKS = {
    "default": {
        "BACKEND": env_str("OPSDESK_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "opsdesk.core.backends.NoSystemPassword"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# The desk is served by gunicorn without a separate web server: WhiteNoise serves the app's own static files.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_ENGINE = "opsdesk.web.sessions"  # refuses a cookie's key that Django could not have made
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"

# Behind an HTTPS proxy (which must send X-Forwarded-Proto): cookies only over HTTPS, HSTS, plain HTTP redirected.
HTTPS = env_bool("OPSDESK_HTTPS", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 365 * 24 * 3600 if HTTPS else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
# No inline script anywhere (desk.js binds every handler); htmx and the admin set inline styles.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Claim e-mails. With no OPSDESK_SMTP_HOST the integration is off and `case send` says so.
SMTP_ENABLED = bool(env_str("OPSDESK_SMTP_HOST"))
# Django 6.1 mailers: `from django.core.mail import mailers; mailers.default` is the SMTP connection.
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": env_str("OPSDESK_SMTP_HOST", "localhost"),
            "port": env_int("OPSDESK_SMTP_PORT", 25),
            "username": env_str("OPSDESK_SMTP_USER") or None,
            "password": env_str("OPSDESK_SMTP_PASSWORD") or None,
            "use_tls": env_bool("OPSDESK_SMTP_TLS", False),
            "timeout": env_int("OPSDESK_SMTP_TIMEOUT", 20),
        },
    }
}
DEFAULT_FROM_EMAIL = env_str("OPSDESK_SMTP_FROM", "opsdesk@example.com")
# Seconds a DingTalk robot has to answer a post; no answer in time is an unknown outcome, checked by a person.
DINGTALK_TIMEOUT = env_int("OPSDESK_DINGTALK_TIMEOUT", 10)
if SMTP_ENABLED and "@" not in DEFAULT_FROM_EMAIL:
    raise ImproperlyConfigured(f"OPSDESK_SMTP_FROM={DEFAULT_FROM_EMAIL!r}: expected an e-mail address")



def hupun_settings() -> tuple[bool, str, str, str]:
    """The 万里牛 OPEN API pull: on when an app key or a secret is set; then both and an http(s) URL are needed."""
    url = env_str("OPSDESK_HUPUN_URL", "https://open-api.hupun.com/api").rstrip("/")
    app_key, secret = env_str("OPSDESK_HUPUN_APP_KEY"), env_str("OPSDESK_HUPUN_SECRET")
    enabled = bool(app_key or secret)
    if enabled and not app_key:
        raise ImproperlyConfigured("OPSDESK_HUPUN_APP_KEY: missing (OPSDESK_HUPUN_SECRET is set)")
    if enabled and not secret:
        raise ImproperlyConfigured("OPSDESK_HUPUN_SECRET: missing (OPSDESK_HUPUN_APP_KEY is set)")
    parts = urlsplit(url)
    if enabled and (parts.scheme not in {"http", "https"} or not parts.hostname):
        raise ImproperlyConfigured(f"OPSDESK_HUPUN_URL={url!r}: expected an http:// or https:// URL")
    return enabled, url, app_key, secret


HUPUN_ENABLED, HUPUN_URL, HUPUN_APP_KEY, HUPUN_SECRET = hupun_settings()
HUPUN_TIMEOUT = env_int("OPSDESK_HUPUN_TIMEOUT", 30)

# A 500 (django.request logs it with its traceback) and our own warnings go to stderr and to a file in the data
# dir, so that a failure the person only saw as 服务器错误 can be found afterwards.
LOG_FILE = _private_dir(DATA_DIR / "logs") / "opsdesk.log"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "file": {"class": "logging.handlers.WatchedFileHandler", "filename": str(LOG_FILE), "formatter": "plain",
                 "delay": True, "encoding": "utf-8"},
    },
    "loggers": {
        "opsdesk": {"handlers": ["console", "file"], "level": env_choice(
            "OPSDESK_LOG_LEVEL", "WARNING", ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"))},
        "django.request": {"handlers": ["console", "file"], "level": "ERROR", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

# Login throttling (django-axes): one username from one address is locked after this many failed logins, for
# this long; the attempts and lock-outs are in the admin (访问尝试), where an admin may also unlock.
AUTHENTICATION_BACKENDS = ["opsdesk.core.backends.LoginThrottle", "opsdesk.core.backends.PeopleOnly"]
AXES_FAILURE_LIMIT = env_positive("OPSDESK_LOGIN_FAILURES", 10)
AXES_COOLOFF_TIME = timedelta(minutes=env_positive("OPSDESK_LOGIN_LOCK_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "opsdesk.core.backends.throttled_username"
AXES_LOCKOUT_TEMPLATE = "web/locked.html"
