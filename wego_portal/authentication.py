"""The authentication backend: allauth's (sign-in by e-mail address and password, the admin's form too), reading
the person of each request in one query with what nearly every page asks of them next: their organisation,
their second factor (accounts) and the clusters they lead or belong to (clusters, on PostgreSQL). Without it
a signed-in page spent up to four queries on these before reading anything of its own."""

from allauth.account.auth_backends import AuthenticationBackend

from accounts.backends import signed_in_people
from clusters.rules import remember_cluster_roles, with_cluster_roles
from core.queries import PreparedQuery

# Its SQL is built once per process, database and language (core.queries.PreparedQuery): building its annotations
# and filtered relation on every request cost more than running it.
_PEOPLE = PreparedQuery(lambda pk: with_cluster_roles(signed_in_people()).filter(pk=pk))


class PortalAuthenticationBackend(AuthenticationBackend):
    def get_user(self, user_id):
        found = _PEOPLE.list(user_id)
        user = found[0] if found else None
        if user is None or not self.user_can_authenticate(user):
            return None
        if not hasattr(user, "_active_membership"):
            # select_related leaves a filtered relation that matched no row unset rather than None.
            user._active_membership = None
        remember_cluster_roles(user)
        return user
