"""Forms that extend allauth's own. They live apart from accounts/forms.py because allauth's forms module
imports that one (ACCOUNT_SIGNUP_FORM_CLASS) while it loads."""

from allauth.account.forms import (
    ChangePasswordForm,
    LoginForm,
    ResetPasswordForm,
    ResetPasswordKeyForm,
    SetPasswordForm,
    SignupForm,
)
from django import forms
from django.utils.translation import gettext_lazy as _


def in_portal_words(form: forms.Form, *, address: str) -> None:
    """allauth's labels in the portal's words ("E-mail address", not "Email"; issue 27), and no placeholders that
    only repeat the labels: the `address` field, the passwords and "Remember me"."""
    form.fields[address].label = _("E-mail address")
    for field in form.fields.values():
        field.widget.attrs.pop("placeholder", None)
    if "remember" in form.fields:
        form.fields["remember"].label = _("Remember me")


class PortalLoginForm(LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        in_portal_words(self, address="login")


class PortalSignupForm(SignupForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        in_portal_words(self, address="email")


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        in_portal_words(self, address="email")


def passwords_in_sentence_case(form: forms.Form) -> None:
    """allauth labels its password fields in Title Case ("New Password"); the portal writes sentence case."""
    labels = {
        "oldpassword": _("Current password"),
        "password1": _("New password"),
        "password2": _("New password (again)"),
    }
    for name, label in labels.items():
        if name in form.fields:
            form.fields[name].label = label
    for field in form.fields.values():
        field.widget.attrs.pop("placeholder", None)


class PortalChangePasswordForm(ChangePasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        passwords_in_sentence_case(self)


class PortalSetPasswordForm(SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        passwords_in_sentence_case(self)


class PortalResetPasswordKeyForm(ResetPasswordKeyForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        passwords_in_sentence_case(self)
