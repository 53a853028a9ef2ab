"""Finding 5 of the security review: every free text has a limit, in the form and in the database."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models
from django.urls import reverse

from applications.workflow import submission_transition
from clusters.models import ThemeSuggestion
from clusters.services import cluster_membership_request
from notifications.models import OutboundEmail
from tests.applications.test_pages import _edit_data
from tests.factories import (
    ClusterFactory,
    ProjectApplicationFactory,
    SubmittedApplicationFactory,
    ThemeSuggestionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# E-mail bodies are rendered from templates that quote typed text only as an excerpt; a daily digest grows with
# the number of items it gathers, so no fixed limit fits it (notifications/models.py).
UNLIMITED = {("notifications", "outboundemail", "text"), ("notifications", "outboundemail", "html")}
APPS = ("accounts", "clusters", "kpis", "applications", "events", "notifications")


def _text_fields():
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical"):
                continue  # simple-history's copies, written only from rows that passed the limits
            for field in model._meta.concrete_fields:
                if isinstance(field, models.TextField) and (app, model._meta.model_name, field.name) not in UNLIMITED:
                    yield model, field


def _database_limits(model) -> dict[str, int]:
    """{column: limit} from the model's texts_within_limits check."""
    [check] = [c for c in model._meta.constraints if c.name.endswith("texts_within_limits")]
    return check.limits


def test_every_free_text_field_has_a_limit_that_the_database_holds_too():
    fields = list(_text_fields())
    assert len(fields) > 30
    for model, field in fields:
        assert field.max_length, f"{model.__name__}.{field.name} has no max_length"
        assert _database_limits(model).get(field.name) == field.max_length, f"{model.__name__}.{field.name}"


def test_the_database_refuses_text_that_bypasses_the_forms():
    with pytest.raises(IntegrityError):
        ThemeSuggestion.objects.create(title="Spam", rationale="x" * 4001, participants="p")


def test_a_too_long_suggestion_says_by_how_much_and_keeps_what_was_typed(client, user):
    client.force_login(user)
    typed = "Floods and heat waves hit coastal cities harder every year. " * 80  # 4,800 characters

    response = client.post(
        reverse("clusters:suggest"), {"title": "Urban Resilience", "rationale": typed, "participants": "Busan"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Keep it to at most 4,000 characters; you wrote 4,799." in html
    assert typed.strip() in html
    assert not ThemeSuggestion.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_the_textarea_tells_the_browser_the_limit(client, user):
    client.force_login(user)

    html = client.get(reverse("clusters:suggest")).content.decode()

    assert 'maxlength="4000"' in html and 'maxlength="2000"' in html


def test_a_too_long_note_from_the_back_office_is_refused_with_the_message_not_a_server_error():
    application = SubmittedApplicationFactory()
    staff = UserFactory(is_staff=True, is_superuser=True)

    with pytest.raises(ValidationError) as refused:
        submission_transition(application, "decline", by=staff, note="No. " * 1000)

    assert refused.value.messages == ["Keep it to at most 3,000 characters; you wrote 3,999."]
    application.refresh_from_db()
    assert application.status == "submitted"


def test_a_decision_note_typed_in_the_back_office_is_limited_with_the_portal_message(client, staff_user):
    suggestion = ThemeSuggestionFactory()
    client.force_login(staff_user)
    url = reverse("admin:clusters_themesuggestion_change", args=[suggestion.pk])

    data = {"title": suggestion.title, "rationale": "r", "participants": "p", "decision_note": "n" * 2001}
    response = client.post(url, {**data, "suggested_by": suggestion.suggested_by_id})

    assert "Keep it to at most 2,000 characters; you wrote 2,001." in response.content.decode()


def test_a_service_called_without_a_form_refuses_a_too_long_motivation_with_the_message(org_admin, organisation):
    cluster = ClusterFactory()

    with pytest.raises(ValidationError) as refused:
        cluster_membership_request(cluster=cluster, organisation=organisation, by=org_admin, motivation="m" * 2001)

    assert refused.value.messages == ["Keep it to at most 2,000 characters; you wrote 2,001."]


def test_a_too_long_worksheet_answer_is_refused_and_everything_typed_is_kept(client, org_admin, organisation):
    application = ProjectApplicationFactory(organisation=organisation, created_by=org_admin)
    client.force_login(org_admin)
    typed = "Encrypted at rest and in transit. " * 160  # 5,440 characters

    response = client.post(
        reverse("applications:edit", args=[application.pk]), _edit_data(application, cybersecurity=typed)
    )

    assert response.status_code == 400
    assert "Keep it to at most 5,000 characters; you wrote 5,439." in response.text
    assert typed.strip() in response.text
    application.refresh_from_db()
    assert application.cybersecurity != typed.strip()


def test_a_form_save_counts_the_characters_itself_and_asks_the_database_nothing(django_assert_num_queries):
    """Each form checks the table's text limits before saving: in Python, as LENGTH counts (characters, not bytes),
    rather than with a query of every typed text on each save."""
    within = ThemeSuggestion(title="Ocean cities", rationale="é" * 4000, participants="Busan")
    too_long = ThemeSuggestion(title="Ocean cities", rationale="é" * 4001, participants="Busan")
    with django_assert_num_queries(0):
        within.validate_constraints()
        with pytest.raises(ValidationError) as refused:
            too_long.validate_constraints()
    assert refused.value.messages == ["A text is longer than the portal accepts."]
    # A form that leaves one of the texts out does not check the others (Django's rule for a check constraint).
    with django_assert_num_queries(0):
        too_long.validate_constraints(exclude={"participants"})
