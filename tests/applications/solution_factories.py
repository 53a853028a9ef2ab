"""Factories for solution registrations (kept beside their tests)."""

import factory
from django.utils import timezone

from applications.models import Deployment, SolutionRegistration
from tests.factories import OrganisationFactory, UserFactory


class SolutionFactory(factory.django.DjangoModelFactory):
    """A complete draft of a company, ready to submit once it has a cluster: pass clusters=[...]."""

    class Meta:
        model = SolutionRegistration
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory, kind="company", name=factory.Sequence(lambda n: f"Acme {n}"))
    created_by = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Water leak detector {n}")
    summary = "Acoustic sensors find leaks in water mains before they burst."
    description = "Battery sensors clip onto pipes and listen for leaks; a dashboard shows where to dig."
    offering = SolutionRegistration.Offering.PRODUCT
    maturity = SolutionRegistration.Maturity.DEPLOYED
    standards = "oneM2M"
    website = "https://example.com/leaks"
    status = "draft"
    # As the workflow leaves it: a solution sent for review (SolutionFactory(status="submitted")) has its date.
    submitted_at = factory.LazyAttribute(lambda solution: None if solution.status == "draft" else timezone.now())

    @factory.post_generation
    def clusters(self, create, extracted, **kwargs):
        if create and extracted:
            self.clusters.add(*extracted)


class ApprovedSolutionFactory(SolutionFactory):
    status = "accepted"
    decided_at = factory.LazyFunction(timezone.now)


class DeploymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deployment

    solution = factory.SubFactory(SolutionFactory)
    city = "Lyon"
    country = "FR"
    year = 2024
    result = "Water losses down by a fifth."
