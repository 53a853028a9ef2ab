"""Choice labels (core/choices.py): the same text as Django's get_FOO_display(), in every language."""

import pytest
from django.db import models
from django.utils import translation

from accounts.models import Organisation, OrganisationMembership
from applications.models import ApplicationHistory, Kpi, PartnerSought, ProjectApplication, SolutionRegistration
from events.models import Event, Registration
from notifications.models import OutboundEmail

MODELS = [
    Organisation,
    OrganisationMembership,
    ProjectApplication,
    SolutionRegistration,
    ApplicationHistory,
    PartnerSought,
    Kpi,
    Event,
    Registration,
    OutboundEmail,
]


def django_display(instance, field):
    return models.Model._get_FIELD_display(instance, field)


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
@pytest.mark.parametrize("language", ["en", "ko", "es", "fr"])
def test_every_choice_shows_djangos_label(model, language):
    with translation.override(language):
        for field in model._meta.concrete_fields:
            if not field.choices:
                continue
            for value in [*(choice for choice, _label in field.flatchoices), "not-a-choice"]:
                instance = model(**{field.attname: value})
                shown = getattr(instance, f"get_{field.name}_display")()
                assert shown == django_display(instance, field), (field.name, value)
                assert isinstance(shown, str)


def test_a_label_is_translated():
    application = ProjectApplication(status="submitted")
    with translation.override("en"):
        english = application.get_status_display()
    with translation.override("ko"):
        assert application.get_status_display() != english
