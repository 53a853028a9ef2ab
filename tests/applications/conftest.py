import pytest

from tests.factories import ClusterFactory, OrganisationFactory, OrganisationMembershipFactory, UserFactory


@pytest.fixture
def leader(db):
    return UserFactory(full_name="Lea Leader")


@pytest.fixture
def cluster(leader):
    return ClusterFactory(leaders=[leader])


@pytest.fixture
def city(db):
    return OrganisationFactory(name="City of Daejeon", kind="city")


@pytest.fixture
def official(city):
    return OrganisationMembershipFactory(organisation=city, role="admin").user


@pytest.fixture
def other_official(db):
    return OrganisationMembershipFactory(organisation=OrganisationFactory(kind="city"), role="admin").user


@pytest.fixture
def company_user(db):
    return OrganisationMembershipFactory(organisation=OrganisationFactory(kind="company", name="Acme Sensors")).user


# --- Solution registrations (issue 5) -------------------------------------------------------------------


@pytest.fixture
def company(db):
    return OrganisationFactory(name="Urban Sensors Ltd", kind="company", country="FR")


@pytest.fixture
def provider(company):
    """A person acting for the company that offers solutions."""
    return OrganisationMembershipFactory(organisation=company, role="admin", user__full_name="Claire Provider").user


@pytest.fixture
def solution(company, provider, cluster):
    from tests.applications.solution_factories import SolutionFactory

    return SolutionFactory(organisation=company, created_by=provider, clusters=[cluster])
