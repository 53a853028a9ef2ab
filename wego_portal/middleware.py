"""Request limits that must act before Django or a view reads the request."""

from django.conf import settings

from .errors import request_too_large


class RequestBodyLimitMiddleware:
    """Answer 413 to a request whose declared body is larger than MAX_REQUEST_BODY_BYTES, without reading
    any of it: Django's own limits count the text of a form, not its files, and only once it is read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > settings.MAX_REQUEST_BODY_BYTES:
            return request_too_large(request)
        return self.get_response(request)
