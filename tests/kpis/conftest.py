from tests.applications.conftest import city, cluster, leader, official, other_official  # noqa: F401
from tests.backoffice.conftest import admin_client  # noqa: F401
