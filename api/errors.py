"""Every error of the API as one JSON shape: `{"detail": "...", "errors": [{"field": ..., "message": ...}]}`.

`field` names the query parameter or body field at fault, or is null for the request as a whole. Clients read
`errors` to show or fix what was wrong; `detail` is a one-line summary for logs and people.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler


def _flatten(detail, field: str | None = None) -> list[dict]:
    """DRF's nested error details as a flat list of (field, message), fields joined with dots."""
    if isinstance(detail, dict):
        return [
            item
            for key, value in detail.items()
            for item in _flatten(value, None if key in ("non_field_errors", "__all__") else _join(field, key))
        ]
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return [{"field": field, "message": str(item)} for item in detail]
        return [
            item
            for index, value in enumerate(detail)
            for item in _flatten(value, _join(field, str(index)) if isinstance(value, dict | list) else field)
        ]
    return [{"field": field, "message": str(detail)}]


def _join(parent: str | None, key: str) -> str:
    return f"{parent}.{key}" if parent else str(key)


def exception_handler(exc, context):
    """DRF's handler (status, headers such as Retry-After) with the portal's body."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    errors = _flatten(response.data)
    if isinstance(exc, exceptions.ValidationError):
        detail = _("Some of what you sent is not valid; see errors.")
    else:
        detail = errors[0]["message"] if errors else str(exc)
    response.data = {"detail": detail, "errors": errors}
    return response


def json_not_found(request, *args, **kwargs):
    """An address under /api/ that names nothing: the JSON error, not the portal's HTML page."""
    message = _("Nothing is published at this address. The API's addresses are listed at /api/docs/.")
    return JsonResponse(
        {"detail": message, "errors": [{"field": None, "message": message}]}, status=status.HTTP_404_NOT_FOUND
    )
