from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from applications.models import ProjectApplication

pytestmark = pytest.mark.django_db


def test_demo_data_has_a_case_an_application_to_review_and_a_draft_and_can_be_loaded_twice(client, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    statuses = dict(
        ProjectApplication.objects.filter(organisation__name__startswith="Demo City").values_list("title", "status")
    )
    assert statuses == {
        "Open Budget Dashboard": "accepted",
        "Participatory budgeting by mobile phone": "submitted",
        "Smart street lighting": "draft",
    }
    case = ProjectApplication.objects.published().get(title="Open Budget Dashboard")
    assert [h.action for h in case.history.order_by("pk")] == ["submit", "start_review", "accept"]
    assert "Open Budget Dashboard" in client.get(reverse("cases:library")).text


def test_demo_calls_one_open_one_announced_the_open_one_with_criteria(client, settings):
    from applications.models import Call

    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    open_call = Call.objects.open().get()
    assert open_call.kind == "applications" and open_call.criteria.count() == 5
    assert Call.objects.exclude(pk=open_call.pk).get().has_opened is False
    page = client.get(reverse("calls:list")).text
    assert "Smart mobility projects" in page and "Open data and digital government solutions" in page
