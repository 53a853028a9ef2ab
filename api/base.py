"""What every public endpoint shares: language, conditional GET, cursor pages, throttling per client.

Public endpoints take no credentials: they answer every client alike, with what the public web pages show.
"""

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, viewsets
from rest_framework.pagination import CursorPagination
from rest_framework.throttling import BaseThrottle

from core.caches import count_reading_stamp, serve_public_page
from core.client_address import client_address

LANGUAGE_PARAMETER = "lang"
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def activate_requested_language(request) -> None:
    """?lang= wins over Accept-Language (which LocaleMiddleware has applied already); an unknown one is refused."""
    language = request.query_params.get(LANGUAGE_PARAMETER)
    if language is None:
        return
    if language not in language_codes():
        raise exceptions.ValidationError(
            {
                LANGUAGE_PARAMETER: _("“%(value)s” is not a language of the portal. Use one of: %(codes)s.")
                % {"value": language[:20], "codes": ", ".join(language_codes())}
            }
        )
    translation.activate(language)
    request._request.LANGUAGE_CODE = language


# The seconds of each unit API_THROTTLE_RATE may name (settings.py checks the rate's form).
RATE_UNITS = {
    **dict.fromkeys(("s", "sec", "second"), 1),
    **dict.fromkeys(("m", "min", "minute"), 60),
    **dict.fromkeys(("h", "hour"), 3600),
    **dict.fromkeys(("d", "day"), 86400),
}


def count_request(ident: str, rate: str, *, page_cache: str | None = None) -> tuple[dict | None, str | None]:
    """Count one request of the client `ident` in its current fixed window of `rate` ("120/minute") in the shared
    cache, and read the stamp of the public `page_cache` that will answer it, in one round trip to Redis
    (core/caches.py `count_reading_stamp`): ({"should_limit", "time_left"}, the stamp). The usage is None when
    nothing could be counted (the cache unreachable), and so is the stamp.
    """
    number, unit = rate.split("/")
    limit, period = int(number), RATE_UNITS[unit]
    now = time.time()
    window_end = int(now // period * period + period)
    count, stamp = count_reading_stamp(f"api-rate:{ident}:{window_end}", period + 1, page_cache)
    if count is None:
        return None, stamp
    return {"should_limit": count > limit, "time_left": window_end - now}, stamp


class ClientRateThrottle(BaseThrottle):
    """Requests per client address (core/client_address.py, the same address the form rate limits see), or per
    organisation token, counted in the shared cache so every web process counts together (`count_request`).

    DRF's own throttle keeps the time of every request in the window as a list it reads and writes back without a
    lock, so two processes lose each other's counts, and its cost grows with the rate. While the shared cache is
    unreachable nothing is counted and every request passes, as with the forms' limits.
    """

    usage: dict | None = None

    def allow_request(self, request, view) -> bool:
        rate = settings.API_THROTTLE_RATE
        if not rate:
            return True
        token = getattr(request, "auth", None)
        # A program with an organisation token is counted per token, wherever it calls from.
        ident = f"token-{token.pk}" if hasattr(token, "key_hash") else client_address(request._request)
        self.usage, _stamp = count_request(ident, rate)
        return self.usage is None or not self.usage["should_limit"]

    def wait(self) -> float | None:
        return max(self.usage["time_left"], 1) if self.usage else None


class Cursor(CursorPagination):
    """Cursor pages: stable while rows are added, and as fast on the thousandth page as on the first. The
    order is the view's `cursor_ordering` (a unique or nearly unique column first)."""

    page_size = PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    # Lazy: a class attribute is made when the module is loaded, and the message is read in the request's language.
    invalid_cursor_message = gettext_lazy("This cursor is not valid. Follow the `next` and `previous` links of a page.")

    def get_ordering(self, request, queryset, view):
        return view.get_cursor_ordering()

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        if not value.isdigit() or not 1 <= int(value) <= self.max_page_size:
            raise exceptions.ValidationError(
                {
                    self.page_size_query_param: _("Give a whole number from 1 to %(maximum)d.")
                    % {"maximum": self.max_page_size}
                }
            )
        return int(value)


class PublicReadViewSet(viewsets.ReadOnlyModelViewSet):
    """A public list and its items: the language asked for, an ETag on every answer (a client that sends it back
    in If-None-Match gets 304 Not Modified while nothing it shows has changed)."""

    authentication_classes = []
    permission_classes = []
    throttle_classes = []  # counted in as_view, before the page cache
    pagination_class = Cursor
    cursor_ordering: tuple[str, ...] = ("-pk",)
    # An item's serializer where an item shows more than a row of the list (`serializer_class`).
    item_serializer_class = None
    # The public page cache (core/caches.py) of the web pages showing the same rows: the answers are kept with
    # them and retired with them. Every client of the public API is a visitor without a session. None: built for
    # each request, as its web pages are.
    page_cache: str | None = None

    @classmethod
    def as_view(cls, actions=None, **initkwargs):
        uncached = super().as_view(actions, **initkwargs)

        @wraps(uncached)
        def view(request, *args, **kwargs):
            # Each client's rate is counted before the page cache, so a kept answer counts too, in the round trip
            # that reads the page cache's stamp; over it, the view itself answers 429 (check_throttles).
            rate, stamp = settings.API_THROTTLE_RATE, None
            if rate:
                usage, stamp = count_request(client_address(request), rate, page_cache=cls.page_cache)
                if usage and usage["should_limit"]:
                    request.api_throttle_wait = max(usage["time_left"], 1)
                    return uncached(request, *args, **kwargs)
            if cls.page_cache:
                response = serve_public_page(cls.page_cache, uncached, request, args, kwargs, stamp=stamp)
            else:
                response = uncached(request, *args, **kwargs)
            # Outside the page cache, which must keep the whole answer, not a 304 made for one client.
            if request.method in ("GET", "HEAD") and response.status_code == 200 and response.has_header("ETag"):
                return get_conditional_response(request, etag=response["ETag"], response=response)
            return response

        view.page_cache = cls.page_cache
        return view

    def get_serializer_class(self):
        if self.action == "retrieve" and self.item_serializer_class is not None:
            return self.item_serializer_class
        return self.serializer_class

    def get_item(self, lookup: str):
        """The public item at `lookup` (the address's slug or number), as its web page finds it; None, or the
        model's DoesNotExist, where its web page answers 404."""
        raise NotImplementedError

    def get_object(self):
        try:
            item = self.get_item(self.kwargs[self.lookup_url_kwarg or self.lookup_field])
        except (ObjectDoesNotExist, ValueError, OverflowError):
            item = None
        if item is None:
            raise Http404
        return item

    def get_cursor_ordering(self) -> tuple[str, ...]:
        return self.cursor_ordering

    def initial(self, request, *args, **kwargs):
        activate_requested_language(request)
        super().initial(request, *args, **kwargs)

    def check_throttles(self, request):
        wait = getattr(request._request, "api_throttle_wait", None)
        if wait is not None:
            self.throttled(request, wait)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ("Accept-Language",))
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        response.render()
        language = translation.get_language() or ""
        digest = hashlib.sha256(language.encode() + b"\0" + response.content).hexdigest()[:32]
        response["ETag"] = f'"{digest}"'  # If-None-Match is answered in as_view, outside the page cache
        # Rendered: the page cache keeps (and unpickles for every visitor) the answer's bytes, not also the data
        # they were rendered from, which took four times as long to unpickle as the bytes.
        response.data = None
        return response
