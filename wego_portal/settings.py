"""Settings for the WeGO Cluster Portal.

Every value that differs between machines comes from the environment (12-factor). The defaults give the
zero-setup run: a SQLite file, tasks in-process, e-mail printed to the console. Production sets
DEBUG=false and the variables documented in docs/settings.md; `manage.py check --deploy` then passes cleanly.
Nothing else in the code base reads os.environ.
"""

import re
from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# Only a DEBUG run may fall back to a published key; production refuses to start without SECRET_KEY.
SECRET_KEY = env("SECRET_KEY", default="insecure-development-key-only-for-DEBUG-runs" if DEBUG else environ.Env.NOTSET)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Public address of the portal, used for links in e-mails sent outside a request (Celery tasks).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# --- Applications -------------------------------------------------------------------------------------

INSTALLED_APPS = [
    # Per-language cluster and event texts; must come before the admin to add its language fields there.
    "modeltranslation",
    # Django admin with the portal's site: the staff dashboard and the two-factor gate (backoffice/admin_site.py).
    "backoffice.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # sitemap.xml (api/sitemaps.py): its template.
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "django_countries",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    # The REST API (api/): Django REST framework, its filters, CORS for public GETs, the OpenAPI schema and the
    # documentation's own static files.
    "rest_framework",
    "django_filters",
    "corsheaders",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accounts",
    "clusters",
    "kpis",
    "applications",
    "events",
    "teams",
    "notifications",
    # What every app uses (page cache, error pages, limits, admin helpers) and the public site's composition.
    "core",
    "frontoffice",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Cross-origin reads of the public API (CORS_* below); before anything that may answer on its own.
    "corsheaders.middleware.CorsMiddleware",
    # Permissions-Policy on every response, and no caching of signed-in pages (core/middleware.py).
    "core.middleware.PermissionsPolicyMiddleware",
    "core.middleware.PrivatePagesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Refuses an oversized body from its Content-Length, before the CSRF check or a view reads it.
    "core.middleware.RequestBodyLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in person's preferred language (without prefix or cookie) and time zone.
    "accounts.middleware.UserLanguageAndTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Staff refused a page or an action before activating an authenticator app are sent to activate one.
    "accounts.middleware.StaffTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Records who made each change kept by django-simple-history.
    "simple_history.middleware.HistoryRequestMiddleware",
]
# An expired form token gets a page that says what to do, in the portal's layout.
CSRF_FAILURE_VIEW = "core.errors.csrf_failure"

ROOT_URLCONF = "wego_portal.urls"
WSGI_APPLICATION = "wego_portal.wsgi.application"
ASGI_APPLICATION = "wego_portal.asgi.application"

_template_loaders = ["django.template.loaders.filesystem.Loader", "django.template.loaders.app_directories.Loader"]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "frontoffice.context_processors.portal",
            ],
            # Cached in production, re-read on every request while developing.
            "loaders": _template_loaders if DEBUG else [("django.template.loaders.cached.Loader", _template_loaders)],
        },
    }
]

# --- Data ---------------------------------------------------------------------------------------------

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60 if not DEBUG else 0)
# A connection that died (database restart) is replaced at the next request instead of failing it.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Exports stream rows through server-side cursors, which PgBouncer in transaction mode cannot hold open.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool("DISABLE_SERVER_SIDE_CURSORS", default=False)
# Covering indexes (`include=` on the applications' partial indexes) are a PostgreSQL optimisation; on the SQLite
# file of `make run` they are plain indexes, which Django reports as models.W040 on every command.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": env.cache("CACHE_URL", default="locmemcache://wego-portal"),
    # The public pages themselves are kept in each web process's memory; the version that retires them is in
    # "default" (shared), so a hit costs one Redis call instead of three (core/caches.py).
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "public-pages",
        "OPTIONS": {"MAX_ENTRIES": env.int("PUBLIC_PAGE_CACHE_ENTRIES", default=1000)},
    },
}
# A Redis outage makes the cache miss instead of failing requests (django-redis): sessions are read from the
# database, public pages are built, rate limits pause. Each ignored error is logged.
DJANGO_REDIS_IGNORE_EXCEPTIONS = True
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
# Public pages are served from the cache to visitors without a session (core/caches.py); a saved change
# to what a page shows retires it at once, this bounds how long a page lives otherwise. 0 turns the page cache off (the
# default with DEBUG, so an edited template shows at once).
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=0 if DEBUG else 60)
# Sessions are kept in the database and read through the cache: a signed-in request costs no session query
# while the cache holds it, and a flushed cache signs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTH_USER_MODEL = "accounts.User"

# --- Authentication (django-allauth) --------------------------------------------------------------

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    # allauth's backend (e-mail address and password, for the admin's form too), reading each request's person
    # with their organisation and second factor in one query.
    "wego_portal.authentication.PortalAuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:profile"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupDetailsForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_UNIQUE_EMAIL = True
# The product asks for a clear "already registered" message at sign-up, so addresses are not hidden there;
# the rate limits below keep that from being used to test many addresses. The password reset form answers
# every address alike all the same (accounts.allauth_forms.PasswordResetForm).
ACCOUNT_PREVENT_ENUMERATION = False
ACCOUNT_FORMS = {
    "login": "accounts.allauth_forms.PortalLoginForm",
    "signup": "accounts.allauth_forms.PortalSignupForm",
    "reset_password": "accounts.allauth_forms.PasswordResetForm",
    "change_password": "accounts.allauth_forms.PortalChangePasswordForm",
    "set_password": "accounts.allauth_forms.PortalSetPasswordForm",
    "reset_password_from_key": "accounts.allauth_forms.PortalResetPasswordKeyForm",
}
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[WeGO Clusters] "
# allauth's rate limits (log-in failures, sign-up, password reset, e-mail confirmation) stay on. They count
# per client address (core/client_address.py) and, for log-in failures, per client address and
# account together (accounts/adapter.py), so a flood from one client never refuses another's correct log-in.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
# How many proxies of ours (the load balancer, a reverse proxy) stand in front of the web processes: the
# client's address is read from the X-Forwarded-For entry the outermost one appended. 0 (the default) trusts
# no header, so nobody can pose as another address; behind the load balancer set 1, or the rate limits see
# every visitor as the balancer. A proxy that puts the client's address in a header of its own is named with
# TRUSTED_CLIENT_IP_HEADER (X-Real-IP, CF-Connecting-IP) instead.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if ALLAUTH_TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(f"TRUSTED_PROXY_COUNT must be 0 or more, not {ALLAUTH_TRUSTED_PROXY_COUNT}.")
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env("TRUSTED_CLIENT_IP_HEADER", default="") or None
MFA_ADAPTER = "accounts.adapter.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "WeGO Cluster Portal"
# Staff reach the back office only once they have activated an authenticator app (TOTP).
ADMIN_REQUIRE_MFA = env.bool("ADMIN_REQUIRE_MFA", default=True)
# Change history is kept to read; restoring an old version would bypass the workflow's rules.
SIMPLE_HISTORY_REVERT_DISABLED = True

# --- Internationalisation ------------------------------------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ko", _("Korean")), ("es", _("Spanish")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Cluster and event names and descriptions (django-modeltranslation): staff fill in each language in the
# back office; a text missing in the reader's language is shown in English.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploaded documents are private: they live outside any public path and are served by permission-checked
# views only. There is deliberately no MEDIA_URL route.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private_media")
MEDIA_ROOT = PRIVATE_MEDIA_ROOT
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Request limits (a tampered or hostile request is refused before it costs a worker time or memory):
# - the whole body: checked against Content-Length before anything reads it (core.middleware), a bit
#   above the 10 MB document limit so a full worksheet plus one document always fits; 413 page otherwise.
MAX_REQUEST_BODY_BYTES = env.int("MAX_REQUEST_BODY_BYTES", default=12 * 1024 * 1024)
# - one uploaded document (applications/uploads.py); the 413 page names it too.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# - the form's text without its files: the longest worksheet is well under 1 MB; 413 page otherwise.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# - the number of fields: a full worksheet (every row formset at its maximum) sends about 900; 400 page otherwise.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- E-mail -------------------------------------------------------------------------------------------

_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = env("EMAIL_BACKEND", default=_email["EMAIL_BACKEND"])
EMAIL_HOST = _email.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
# Only for `filemail:////absolute/path` (one file per connection), which `manage.py outbox_load` uses.
EMAIL_FILE_PATH = _email.get("EMAIL_FILE_PATH", "")
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="WeGO Clusters <secretariat@we-gov.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where staff notices go (new theme suggestions, organisations awaiting verification, requests to join a cluster
# without a leader). The programme's documents send project worksheets to this address. Also the Reply-To of
# every e-mail to someone else, unless the e-mail names another person to answer (an introduction names the other
# party).
SECRETARIAT_EMAIL = env("SECRETARIAT_EMAIL", default="secretariat@we-gov.org")
# The right-hand side of every Message-ID (and of the thread roots that tie a submission's e-mails together).
EMAIL_MESSAGE_ID_DOMAIN = env("EMAIL_MESSAGE_ID_DOMAIN", default=urlsplit(SITE_URL).hostname or "localhost")
# No e-mail larger than this (the whole message as sent, attachments included) is handed to the mail server; such a
# row fails at once with the reason, for staff to see. Providers refuse somewhere between 10 and 50 MB.
EMAIL_MAX_BYTES = env.int("EMAIL_MAX_BYTES", default=1024 * 1024)
# How long the unsubscribe link of a notification e-mail works (a signed token; no sign-in needed).
EMAIL_UNSUBSCRIBE_MAX_AGE_DAYS = env.int("EMAIL_UNSUBSCRIBE_MAX_AGE_DAYS", default=60)
# Forms that e-mail someone accept at most this many sends per person in a sliding window ("amount/window",
# the window in s, m, h or d): per signed-in user, per IP address for a form anyone may post. A person over the
# limit gets the form back (429) with what they typed and when they can send again (core/rate_limits.py).
# Counted in the "default" cache, shared by every web process when CACHE_URL is Redis. Change some with, for
# example, FORM_RATE_LIMITS="theme_suggestion=3/1h,cluster_join=20/1d"; "0/1s" turns a form off, "" unlimits it.
FORM_RATE_LIMITS = {
    # A new cluster theme, e-mailed to the secretariat.
    "theme_suggestion": "5/1h",
    # An organisation asks to join a cluster; its leaders (or the secretariat) are e-mailed.
    "cluster_join": "10/1h",
    # A person asks to join an organisation; its administrators (or the secretariat) are e-mailed.
    "organisation_join": "5/1h",
    # A new organisation, e-mailed to the secretariat to verify.
    "organisation_create": "3/1h",
    # A leader introduces a city and a company to each other; both are e-mailed.
    "introduction": "30/1h",
    **env.dict("FORM_RATE_LIMITS", default={}),
}
for _action, _rate in FORM_RATE_LIMITS.items():
    if _rate and not re.fullmatch(r"\d+/\d*(\.\d+)?[smhd]", _rate):
        raise ImproperlyConfigured(f"FORM_RATE_LIMITS: {_action}={_rate} is not a rate such as 5/1h.")

# What people of a new organisation are told: the secretariat usually verifies it within this many working days
# (until then its submissions and join requests wait; cluster leaders see them once it is verified).
VERIFICATION_WORKING_DAYS = env.int("VERIFICATION_WORKING_DAYS", default=2)

# --- The e-mail outbox (notifications app) ---------------------------------------------------------

# The hour (0-23) at which leaders who chose a daily digest receive it, in their own time zone, until they choose
# another on their profile (accounts.User.digest_hour); the digest task runs every hour.
DIGEST_HOUR = env.int("DIGEST_HOUR", default=7)
if not 0 <= DIGEST_HOUR <= 23:
    raise ImproperlyConfigured(f"DIGEST_HOUR must be an hour from 0 to 23, not {DIGEST_HOUR}.")
# A failing e-mail is tried this many times, waiting OUTBOX_RETRY_BASE_SECONDS, then twice as long each time.
OUTBOX_MAX_ATTEMPTS = 8
OUTBOX_RETRY_BASE_SECONDS = 30
# A worker owns a row it claimed this long; after that (the worker died) the sweep gives it to another.
# Must be longer than sending one e-mail can take (EMAIL_TIMEOUT per SMTP step).
OUTBOX_LEASE_SECONDS = 300
# Sent, digested, cancelled and failed e-mails are deleted this many days after sending (or queueing), by the
# daily prune-outbox task: they hold addresses and what was said to whom. Pending e-mails are never pruned.
OUTBOX_RETENTION_DAYS = env.int("OUTBOX_RETENTION_DAYS", default=90)
if OUTBOX_RETENTION_DAYS < 1:
    raise ImproperlyConfigured(f"OUTBOX_RETENTION_DAYS must be at least 1 day, not {OUTBOX_RETENTION_DAYS}.")

# --- Celery -------------------------------------------------------------------------------------------

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
# Without a broker (the zero-setup run) tasks run in-process, so the portal still works and still e-mails.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if CELERY_TASK_ALWAYS_EAGER:
    # Nothing is published in-process; an in-memory transport keeps kombu from looking for a local broker.
    CELERY_BROKER_URL = "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request hands e-mails to the broker after commit: if Redis is down it gives up within about a
# second (the e-mail is safe in the outbox and the sweep sends it) instead of hanging the request.
# Redis hands an unacknowledged task to another worker after visibility_timeout; it must outlast the longest
# retry countdown of the outbox (an hour), or waiting retries would be handed out twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 3, "visibility_timeout": 2 * 60 * 60}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_BEAT_SCHEDULE = {
    "sweep-outbox": {"task": "notifications.tasks.sweep_outbox", "schedule": 60.0},
    "prune-outbox": {"task": "notifications.tasks.prune_outbox", "schedule": crontab(hour=3, minute=30)},
    "send-digests": {"task": "notifications.tasks.send_digests", "schedule": crontab(minute=0)},
    # Each quarter, once per project and person (the outbox de-duplicates): report what your KPIs measured.
    "progress-reminders": {
        "task": "applications.tasks.send_progress_reminders",
        "schedule": crontab(hour=6, minute=15),
    },
    # Once per request to join that has waited more than a week: its deciders are reminded.
    "join-request-reminders": {
        "task": "clusters.tasks.send_join_request_reminders",
        "schedule": crontab(hour=6, minute=45),
    },
    # Drafts made for a call: reminded 7 days and 1 day before it closes for them, once each.
    "call-deadline-reminders": {
        "task": "applications.tasks.send_call_deadline_reminders",
        "schedule": crontab(minute=5),
    },
    # Reviewers with applications still to score: 3 days before the call's reviews are due, once per deadline.
    "review-reminders": {
        "task": "applications.tasks.send_review_reminders",
        "schedule": crontab(hour=7, minute=15),
    },
    # Mondays: the secretariat's summary of submissions waiting more than two weeks for a decision.
    "waiting-submissions-summary": {
        "task": "applications.tasks.send_waiting_submissions_summary",
        "schedule": crontab(day_of_week=1, hour=7, minute=0),
    },
}

# --- Security -----------------------------------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# The chosen language: only over HTTPS like the other cookies, and no script reads it.
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=True) else None
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A page opened from another site cannot reach back into the portal's window, nor the portal into its.
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Browser features the portal does not use, denied to every page and frame (Permissions-Policy). Two-factor
# sign-in uses authenticator-app codes, not security keys: add WebAuthn (publickey-credentials-*) back with it.
PERMISSIONS_POLICY_DENIED = (
    "accelerometer",
    "autoplay",
    "bluetooth",
    "browsing-topics",
    "camera",
    "display-capture",
    "encrypted-media",
    "fullscreen",
    "gamepad",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    "local-fonts",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "picture-in-picture",
    "publickey-credentials-create",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "usb",
    "web-share",
    "xr-spatial-tracking",
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # Inline style attributes (used by Django admin) are harmless; inline scripts are not allowed.
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# --- The REST API (api/, docs/api.md) -----------------------------------------------------------------

# Requests per client address (core/client_address.py) to the public API, counted in the shared cache.
API_THROTTLE_RATE = env("API_THROTTLE_RATE", default="120/minute")
# The counts (api/base.py `count_request`) are in the shared cache; while it is unreachable, nothing is counted.
if API_THROTTLE_RATE and not re.fullmatch(r"\d+/(s|sec|second|m|min|minute|h|hour|d|day)", API_THROTTLE_RATE):
    raise ImproperlyConfigured(f"API_THROTTLE_RATE must be a rate such as 120/minute, not {API_THROTTLE_RATE}.")
REST_FRAMEWORK = {
    # Public endpoints take no credentials; the organisation tokens' endpoints name their own.
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # JSON only: DRF's browsable pages need inline scripts, which the Content-Security-Policy forbids.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "URL_FORMAT_OVERRIDE": None,
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
# The OpenAPI 3 schema (/api/schema/, committed as docs/api/openapi.yaml) and its Redoc page (/api/docs/).
SPECTACULAR_SETTINGS = {
    "TITLE": "WeGO Cluster Portal API",
    "DESCRIPTION": (
        "Open data of the WeGO Cluster Portal: thematic clusters, events, published cases with their KPIs and "
        "approved solutions. Public, read-only, JSON; cursor pages; answers in the language of `lang` or "
        "Accept-Language; ETag on every answer. See docs/api.md."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ClusterStatusEnum": "clusters.models.Cluster.Status",
        "SubmissionStatusEnum": "applications.workflow.Status",
        "OrganisationKindEnum": "accounts.models.Organisation.Kind",
    },
}
# CORS: any site may read the public API from a browser, without credentials, and only with GET (HEAD, and
# the OPTIONS preflight). No other address of the portal answers another origin.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]

# --- Health checks (/health/live, /health/ready: api/health.py) -------------------------------------------

# /health/ready fails when the oldest e-mail still waiting to leave the outbox was queued longer ago than this
# (no worker delivers, or the mail server refuses everything). 0 leaves the outbox out of the check.
HEALTH_OUTBOX_MAX_AGE_MINUTES = env.int("HEALTH_OUTBOX_MAX_AGE_MINUTES", default=60)
if HEALTH_OUTBOX_MAX_AGE_MINUTES < 0:
    raise ImproperlyConfigured(
        f"HEALTH_OUTBOX_MAX_AGE_MINUTES must be 0 or more minutes, not {HEALTH_OUTBOX_MAX_AGE_MINUTES}."
    )

# --- Logging ------------------------------------------------------------------------------------------

# LOG_JSON: one JSON object per line, each with the request's id (api/observability.py), for log collectors.
LOG_JSON = env.bool("LOG_JSON", default=False)
_log_format = "%(asctime)s %(levelname)s %(name)s %(message)s"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "api.observability.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": _log_format},
        "json": {"()": "pythonjsonlogger.json.JsonFormatter", "fmt": f"{_log_format} %(request_id)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_JSON else "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
if LOG_JSON:
    # Takes the proxy's X-Request-ID (or makes one) for the log lines, and sends it back in the response.
    MIDDLEWARE = ["api.observability.RequestIdMiddleware", *MIDDLEWARE]

# --- Metrics and error reporting (api/observability.py) -------------------------------------------------

# Prometheus metrics at /metrics (requests, latencies, the outbox's backlog and failures, task durations), for the
# addresses in METRICS_ALLOWED_IPS only. With several gunicorn workers set PROMETHEUS_MULTIPROC_DIR (an empty
# directory shared by the workers of one machine) so a scrape sees them all.
PROMETHEUS_METRICS = env.bool("PROMETHEUS_METRICS", default=False)
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=["127.0.0.1", "::1"])
if PROMETHEUS_METRICS:
    MIDDLEWARE = [
        "django_prometheus.middleware.PrometheusBeforeMiddleware",
        *MIDDLEWARE,
        "django_prometheus.middleware.PrometheusAfterMiddleware",
    ]

# Errors (with their traceback and request, without personal data) go to Sentry when SENTRY_DSN is set.
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )
