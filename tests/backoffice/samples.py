"""One way to make a row of every model registered in admin, so every admin page is tested with data in it.

A model registered in admin later is picked up from tests/factories.py (a factory whose model it is); give it
an entry here when it has no factory there.
"""

import itertools

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

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


SAMPLES = {
    "auth.Group": _group,
    "account.EmailAddress": _email_address,
    "mfa.Authenticator": _authenticator,
    "applications.ProjectApplication": factories.SubmittedApplicationFactory,
}


def _factory_for(label: str):
    for value in vars(factories).values():
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
