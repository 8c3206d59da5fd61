"""One settings file, driven by environment variables.

Every setting can be given as VAR or, for secrets, as VAR_FILE naming a file that holds the value.
Defaults give a working development and demo set-up on SQLite under var/.
"""

import sys
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.FileAwareEnv()
if (BASE_DIR / ".env").exists():
    environ.FileAwareEnv.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
# The development key only works with DEBUG on; production must set SECRET_KEY.
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    SECRET_KEY = "dev-insecure-darirumah-key-do-not-use-in-production"
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "simple_history",
    "darirumah.core",
    "darirumah.org",
    "darirumah.policy",
    "darirumah.roster",
    "darirumah.attendance",
    "darirumah.performance",
    "darirumah.health",
    "darirumah.documents",
    "darirumah.notify",
    "darirumah.jobs",
    "huey.contrib.djhuey",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "darirumah.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "darirumah.core.middleware.ApiJsonErrorsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "darirumah.urls"
WSGI_APPLICATION = "darirumah.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "darirumah" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "darirumah.org.context_processors.access",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'darirumah.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web process and the job worker share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Each web worker keeps its database connection between requests (opening one per request costs
# PostgreSQL a process); a health check before reuse replaces a connection the server dropped.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=300))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "org.User"
AUTHENTICATION_BACKENDS = ["darirumah.org.auth.NipOrUsernameBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Indonesian is the default language; English is available.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "darirumah" / "locale"]
USE_I18N = True
# Timestamps are stored in UTC; the calendar service shows them in the agency's zone.
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "darirumah" / "static"]
# whitenoise expects the collected-static folder to exist, even when DEBUG serves from finders.
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    "default": {
        "BACKEND": env.str(
            "STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage"
        ),
        "OPTIONS": env.json("STORAGE_OPTIONS", default={}),
    },
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="django.contrib.staticfiles.storage.StaticFilesStorage",
        ),
    },
}

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="DariRumah <noreply@localhost>")
# One URL instead of the EMAIL_* variables above, e.g. smtp+tls://user:pass@mail.example.go.id:587,
# consolemail:// (print), dummymail:// (send nothing).
if env.str("EMAIL_URL", default=""):
    globals().update(env.email_url("EMAIL_URL"))
# Notices are e-mailed while the request that caused them finishes: never wait long on SMTP.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# The public address of this site, for links in e-mails (e.g. https://wfh.example.go.id).
SITE_URL = env.str("SITE_URL", default="http://localhost:8000")

SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=False) else None
)

# Import limits: the largest spreadsheet accepted, in bytes.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = IMPORT_MAX_BYTES
# The largest check-in selfie accepted (before it is resized and re-encoded).
ATTENDANCE_PHOTO_MAX_BYTES = env.int("ATTENDANCE_PHOTO_MAX_BYTES", default=5 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=20_000)

# Map tiles for office maps (a {z}/{x}/{y} URL template). Empty: no map is drawn, for agencies
# whose pages may make no outside requests; the coordinates are always shown as text.
MAP_TILE_URL = env.str("MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env.str("MAP_TILE_ATTRIBUTION", default="© OpenStreetMap")
# The daily video call: a meeting link is this base + a random room name per unit and day.
VICON_BASE_URL = env.str("VICON_BASE_URL", default="https://meet.jit.si/")

# Documents and electronic signatures (pyHanko). DOCUMENTS_KEY encrypts the private keys of the
# agency CA's certificates at rest (default: derived from SECRET_KEY). DOCUMENTS_TSA_URL names an
# RFC 3161 timestamp server; empty: signatures carry the signer's own time only.
# DOCUMENTS_TRUST_ROOTS names a PEM file of roots trusted besides each agency's own CA (e.g. the
# BSrE root). DOCUMENTS_REMOTE_SIGNER is the dotted path of a remote-signing adapter class
# (documents.crypto.remote.RemoteSigningAdapter). The largest PDF accepted for upload, in bytes.
# DOCUMENTS_AGENCY_CA: the agency CA issues certificates (development, the demo); switch it off
# where only certified signatures (imported or remote) may be made.
DOCUMENTS_KEY = env.str("DOCUMENTS_KEY", default="")
DOCUMENTS_AGENCY_CA = env.bool("DOCUMENTS_AGENCY_CA", default=True)
DOCUMENTS_TSA_URL = env.str("DOCUMENTS_TSA_URL", default="")
DOCUMENTS_TRUST_ROOTS = env.str("DOCUMENTS_TRUST_ROOTS", default="")
DOCUMENTS_REMOTE_SIGNER = env.str("DOCUMENTS_REMOTE_SIGNER", default="")
DOCUMENTS_MAX_BYTES = env.int("DOCUMENTS_MAX_BYTES", default=10 * 1024 * 1024)

# Background and timed jobs (Huey). The queue lives in a SQLite file under var/ unless
# HUEY_REDIS_URL names a Redis server (production, several workers). HUEY_IMMEDIATE runs every
# task at once in the calling process with in-memory storage: on under pytest, off otherwise.
HUEY_REDIS_URL = env.str("HUEY_REDIS_URL", default="")
HUEY_IMMEDIATE = env.bool("HUEY_IMMEDIATE", default="pytest" in sys.modules)
HUEY = {
    "name": env.str("HUEY_NAME", default="darirumah"),
    "immediate": HUEY_IMMEDIATE,
    "utc": True,
    "consumer": {
        "workers": env.int("HUEY_WORKERS", default=2),
        "worker_type": "thread",
        "periodic": True,
    },
}
if HUEY_REDIS_URL:
    HUEY.update({"huey_class": "huey.RedisHuey", "connection": {"url": HUEY_REDIS_URL}})
else:
    HUEY.update(
        {
            "huey_class": "huey.SqliteHuey",
            "connection": {
                "filename": env.str("HUEY_SQLITE_FILE", default=str(VAR_DIR / "huey.sqlite3"))
            },
        }
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # The job worker logs each task once (through this handler, not huey's own as well).
    "loggers": {"huey": {"handlers": ["console"], "propagate": False}},
}
