import pytest

from tests.factories import OrganisationFactory, OrganisationMembershipFactory


@pytest.fixture
def admin_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def city(db):
    return OrganisationFactory(name="City of Daejeon", kind="city")


@pytest.fixture
def official(city):
    return OrganisationMembershipFactory(organisation=city, role="admin", user__email="min.park@daejeon.example").user
