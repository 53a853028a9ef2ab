"""One way to make a row of every model registered in admin, so every admin page is tested with data in it.

A model registered in admin is picked up from a factory in any tests module named *factories.py whose model
it is; give it an entry in SAMPLES when it has none. Entries for models of other apps import them inside the
function, so this module loads whichever apps are installed.
"""

import importlib
import itertools
import pkgutil
from pathlib import Path

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.db import transaction

import tests
from tests import factories
from tests.conftest import activate_totp

_numbers = itertools.count(1)


def _group():
    return Group.objects.create(name=f"Reviewers {next(_numbers)}")


def _email_address():
    user = factories.UserFactory()
    address, _created = EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return address


def _authenticator():
    return activate_totp(factories.UserFactory()).instance


def _outbound_email():
    from notifications.services import email_queue

    number = next(_numbers)
    with transaction.atomic():
        return email_queue(
            user=factories.UserFactory(),
            template="outbox_check",
            context={"number": number},
            dedup_key=f"admin-sample:{number}",
        )


def _cluster_email_preference():
    from clusters.models import ClusterEmailPreference

    return ClusterEmailPreference.objects.create(user=factories.UserFactory(), cluster=factories.ClusterFactory())


def _introduction():
    from applications.models import Introduction
    from tests.applications.solution_factories import ApprovedSolutionFactory

    return Introduction.objects.create(
        application=factories.SubmittedApplicationFactory(),
        solution=ApprovedSolutionFactory(),
        introduced_by=factories.UserFactory(),
    )


def _programme_contacts():
    from frontoffice.models import ProgrammeContacts

    return ProgrammeContacts.objects.get_or_create(pk=ProgrammeContacts.SINGLETON_PK)[0]


SAMPLES = {
    "frontoffice.ProgrammeContacts": _programme_contacts,
    "auth.Group": _group,
    "account.EmailAddress": _email_address,
    "mfa.Authenticator": _authenticator,
    "applications.ProjectApplication": factories.SubmittedApplicationFactory,
    "applications.Call": factories.CallFactory,
    "applications.Introduction": _introduction,
    "notifications.OutboundEmail": _outbound_email,
    "clusters.ClusterEmailPreference": _cluster_email_preference,
}


def _factory_modules():
    yield factories
    for module in pkgutil.walk_packages([str(Path(tests.__file__).parent)], prefix="tests."):
        if module.name.rsplit(".", 1)[-1].endswith("factories") and module.name != factories.__name__:
            yield importlib.import_module(module.name)


def _factory_for(label: str):
    for module in _factory_modules():
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, factory.django.DjangoModelFactory):
                model = value._meta.model
                if model is not None and not isinstance(model, str) and model._meta.label == label:
                    return value
    return None


def sample_maker(model):
    """A callable that creates one row of `model` (fails the test with what to add when there is none)."""
    label = model._meta.label
    maker = SAMPLES.get(label) or _factory_for(label)
    if maker is None:
        raise AssertionError(f"Add a way to create a {label} to tests/backoffice/samples.py (or a factory).")
    return maker
