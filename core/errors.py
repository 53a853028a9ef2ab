"""Pages for when something goes wrong: in the portal's layout and language, never Django's bare defaults.

The 500 and 503 pages are rendered without the database (no navigation bar that looks up the user), because
the database may be the very thing that failed.
"""

import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.template.defaultfilters import filesizeformat
from django.utils.cache import add_never_cache_headers

RETRY_AFTER_SECONDS = 10


def _render_without_database(template_name: str, status: int, **context):
    body = loader.get_template(template_name).render({"SECRETARIAT_EMAIL": settings.SECRETARIAT_EMAIL, **context})
    response = HttpResponse(body, status=status)
    add_never_cache_headers(response)
    return response


def server_error(request):
    """handler500, called while Django handles the exception, wherever it was raised (a view, a middleware
    loading the session). A database that is restarting or unreachable gets "back in a moment" (503,
    Retry-After): the request's transaction was rolled back, so nothing half-written stays. Django logs the
    exception with its traceback either way."""
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        response = _render_without_database("503.html", status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return _render_without_database("500.html", status=500)


def bad_request(request, exception):
    """handler400: a damaged request (a suspicious host header, a malformed upload) gets a plain answer;
    a form too large or with far too many fields (Django's request limits) says so."""
    if isinstance(exception, RequestDataTooBig):
        return request_too_large(request)
    if isinstance(exception, TooManyFieldsSent | TooManyFilesSent):
        return _render_without_database("400_too_many_fields.html", status=400)
    return _render_without_database("400.html", status=400)


def request_too_large(request):
    """413 for a body over MAX_REQUEST_BODY_BYTES (refused unread) or form text over DATA_UPLOAD_MAX_MEMORY_SIZE."""
    return _render_without_database(
        "413.html",
        status=413,
        limit=filesizeformat(settings.MAX_REQUEST_BODY_BYTES),
        document_limit=filesizeformat(settings.MAX_UPLOAD_BYTES),
    )


def forbidden(request, message: str, *, link: tuple[str, str] | None = None):
    """A 403 that says why in words the reader understands, and where to go instead (url, label). Staff refused a
    staff power for want of the second factor are sent to activate an authenticator app instead, by
    accounts.middleware.StaffTwoFactorMiddleware, which sees this 403."""
    return render(request, "403.html", {"exception": message, "link": link}, status=403)


def csrf_failure(request, reason=""):
    """The form was open so long that its security token expired, or cookies are off: say what to do."""
    return render(request, "403_csrf.html", {"reason": reason}, status=403)
