from django import forms
from django.utils.translation import gettext_lazy as _

from core.text_limits import LengthLimitedFormMixin

from .models import OrganisationToken

VALIDITY_CHOICES = [
    (30, _("30 days")),
    (90, _("90 days")),
    (365, _("One year")),
]


class TokenForm(LengthLimitedFormMixin, forms.ModelForm):
    valid_days = forms.TypedChoiceField(label=_("Expires after"), choices=VALIDITY_CHOICES, coerce=int, initial=90)

    class Meta:
        model = OrganisationToken
        fields = ["name", "access"]
        widgets = {"access": forms.RadioSelect}
        error_messages = {"name": {"required": _("Give the token a name that says what it is for.")}}


class StaffTokenForm(LengthLimitedFormMixin, forms.ModelForm):
    """A staff token: always read-only."""

    valid_days = forms.TypedChoiceField(label=_("Expires after"), choices=VALIDITY_CHOICES, coerce=int, initial=30)

    class Meta:
        model = OrganisationToken
        fields = ["name"]
        error_messages = {"name": {"required": _("Give the token a name that says what it is for.")}}
