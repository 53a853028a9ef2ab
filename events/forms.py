from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Registration


class RegistrationForm(forms.Form):
    attendance = forms.ChoiceField(
        label=_("How will you attend?"),
        choices=Registration.Attendance.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Please choose whether you will attend in person or online."),
            "invalid_choice": _("Please choose whether you will attend in person or online."),
        },
    )
