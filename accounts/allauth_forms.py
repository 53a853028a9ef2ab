"""Forms that extend allauth's own. They live apart from accounts/forms.py because allauth's forms module
imports that one (ACCOUNT_SIGNUP_FORM_CLASS) while it loads."""

from allauth.account.forms import ResetPasswordForm
from django import forms


class PasswordResetForm(ResetPasswordForm):
    """Answers a registered and an unknown address alike, so the form cannot tell who has an account.

    Sign-up keeps allauth's enumeration prevention off (ACCOUNT_PREVENT_ENUMERATION) for its clear "already
    registered" message, which would make allauth refuse an unknown address here; instead the request goes
    on, and the unknown address receives allauth's "no account with this address" e-mail.
    """

    def clean_email(self) -> str:
        try:
            return super().clean_email()
        except forms.ValidationError as error:
            if error.code != "unknown_email":
                raise
            return self.cleaned_data["email"]  # allauth found no account: self.users is empty
