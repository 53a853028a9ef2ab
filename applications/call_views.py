"""The public pages of calls: the list of open, announced and recently closed calls, and one call's page with the
button that starts a draft for it. Moments are shown in the call's time zone, and in the reader's own: a signed-in
person's from their profile, a visitor's by the browser (static/js/local-times.js; without it, the call's zone)."""

import rules
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from . import selectors
from .models import Call

PAGE_SIZE = 20


def call_list(request):
    now = timezone.now()
    page = Paginator(selectors.calls_listed(now), PAGE_SIZE).get_page(request.GET.get("page"))
    closed = selectors.calls_recently_closed(now) if page.number == 1 else []
    return render(request, "applications/calls/list.html", {"page_obj": page, "closed": closed, "now": now})


def call_detail(request, slug: str):
    try:
        call = selectors.call_for_page(slug)
    except Call.DoesNotExist:
        raise Http404 from None
    user = request.user
    organisation = user.organisation if user.is_authenticated else None
    start = "applications:new" if call.kind == Call.Kind.APPLICATIONS else "solutions:new"
    return render(
        request,
        "applications/calls/detail.html",
        {
            "call": call,
            "may_answer": rules.test_rule("applications.answer_call", user, call),
            "start_url": f"{reverse(start)}?call={call.slug}",
            # The organisation's own close, when the secretariat extended the call for it.
            "own_close": call.closes_for(organisation.pk) if organisation else call.closes_at,
            "own_submissions": selectors.call_submissions_of(call, organisation),
        },
    )
