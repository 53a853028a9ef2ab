"""factory-boy factories for every model; tests build exactly the rows they talk about."""

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import Organisation, OrganisationMembership, User

TEST_PASSWORD = "a-long-test-password-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    job_title = factory.Faker("job")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or TEST_PASSWORD)
        if create:
            self.save(update_fields=["password"])

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """Users log in only with a verified address; pass verified=False for one who has not confirmed."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"City of Example {n}")
    kind = Organisation.Kind.CITY
    country = "KR"
    city = factory.Faker("city")
    is_verified = True


class OrganisationMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationMembership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = OrganisationMembership.Role.CONTACT
    status = OrganisationMembership.Status.ACTIVE
    decided_at = factory.LazyFunction(timezone.now)
