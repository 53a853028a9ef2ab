"""Settings for the test suite: real PostgreSQL and Redis, fast and deterministic everything else."""

import os
import tempfile
from pathlib import Path

# The test suite needs no secret of its own; production refuses to start without one.
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789abcdef")

from .settings import *  # noqa: F403
from .settings import env

DEBUG = False
DATABASES = {"default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/wego_portal")}
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
PRIVATE_MEDIA_ROOT = MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="wego-private-media-"))
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="wego-static-"))
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
ALLOWED_HOSTS = ["*"]
# Tests that exercise Celery start a real worker against Redis; everything else runs tasks in-process.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/15")
CELERY_TASK_ALWAYS_EAGER = True
REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/15")
# Rate limits are tested on their own; a shared cache would let one test's attempts block another's.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}, "pages": CACHES["pages"]}  # noqa: F405
