from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    """Sends people who do not yet belong to an organisation to the step that sets one up."""

    def get_login_redirect_url(self, request) -> str:
        user = request.user
        if (
            user.is_authenticated
            and not user.is_staff
            and not user.organisation_memberships.exclude(status="declined").exists()
        ):
            return reverse("accounts:organisation_start")
        return super().get_login_redirect_url(request)
