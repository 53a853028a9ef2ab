"""Middleware of the portal's own: response headers added to Django's security headers (SecurityMiddleware,
django-csp), and request limits that must act before Django or a view reads the request."""

from django.conf import settings

from .errors import request_too_large


class PermissionsPolicyMiddleware:
    """Every response denies the browser features the portal never uses (settings.PERMISSIONS_POLICY), so
    an injected script or a framed page cannot ask for the camera, the microphone or the location."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY_DENIED)

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.policy)
        return response


class PrivatePagesMiddleware:
    """A page built for a signed-in person is kept by no browser history cache or proxy: `Cache-Control:
    private, no-store` unless the view chose its own caching. The public page cache (core/caches.py) serves
    and stores only requests without a session, so it never holds these pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)  # absent when a middleware answered before authentication
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-store"
        return response


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
