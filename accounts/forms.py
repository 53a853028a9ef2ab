from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.text_limits import LengthLimitedFormMixin

from .models import Organisation, OrganisationMembership, User, time_zone_names


class SignupDetailsForm(LengthLimitedFormMixin, forms.Form):
    """Extra fields on allauth's sign-up form (allauth calls `signup` after creating the user)."""

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text=_("As colleagues at other cities and organisations should see it."),
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"), choices=settings.LANGUAGES, initial=translation.get_language
    )

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError(_("Please enter your name."))
        return name

    def signup(self, request, user: User) -> None:
        user.full_name = self.cleaned_data["full_name"]
        user.preferred_language = self.cleaned_data["preferred_language"]
        user.save(update_fields=["full_name", "preferred_language"])


class ProfileForm(LengthLimitedFormMixin, forms.ModelForm):
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=lambda: [(name, name.replace("_", " ")) for name in time_zone_names()],
        help_text=_("Event times are also shown in this time zone, beside the venue's local time."),
        error_messages={"invalid_choice": _("Choose a time zone from the list.")},
    )

    class Meta:
        model = User
        fields = ["full_name", "job_title", "preferred_language", "time_zone", "digest_hour"]
        widgets = {"full_name": forms.TextInput(attrs={"autocomplete": "name"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only leaders with a daily digest use it: a form sent without it keeps the hour chosen before.
        self.fields["digest_hour"].required = False

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError(_("Please enter your name."))
        return name

    def clean_digest_hour(self) -> int:
        hour = self.cleaned_data.get("digest_hour")
        return self.instance.digest_hour if hour in (None, "") else hour


class OrganisationForm(LengthLimitedFormMixin, forms.ModelForm):
    website = forms.URLField(
        label=_("Website"),
        required=False,
        assume_scheme="https",
        help_text=_("Optional, for example https://www.seoul.go.kr"),
        error_messages={"invalid": _("Enter a full web address, for example https://www.seoul.go.kr")},
    )

    class Meta:
        model = Organisation
        fields = ["name", "kind", "country", "city", "website", "is_wego_member"]
        labels = {"is_wego_member": _("We are a member of WeGO")}
        help_texts = {
            "name": _("The official name, for example “Seoul Metropolitan Government”."),
        }
        error_messages = {
            "name": {"required": _("Please enter the organisation's name.")},
            "kind": {"required": _("Please choose what kind of organisation this is.")},
            "country": {"required": _("Please choose the country.")},
        }

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Please enter the organisation's name."))
        return name


class OrganisationSearchForm(LengthLimitedFormMixin, forms.Form):
    q = forms.CharField(label=_("Organisation name"), required=False, max_length=200)
    country = forms.ChoiceField(label=_("Country"), required=False)

    def __init__(self, *args, **kwargs):
        from django_countries import countries

        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Any country")), *countries]


class MembershipRequestForm(LengthLimitedFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.all(),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("That organisation no longer exists. Please search again.")},
    )
    message = forms.CharField(
        label=_("Message to the organisation's administrators"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional. Say who you are and what you do there, so they can recognise you."),
    )


class MembershipDecisionForm(LengthLimitedFormMixin, forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("decline", _("Decline"))], widget=forms.HiddenInput
    )
    note = forms.CharField(label=_("Note to the requester"), required=False, max_length=1000)


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(
        choices=OrganisationMembership.Role.choices,
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Choose administrator or contact."),
            "invalid_choice": _("Choose administrator or contact."),
        },
    )


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password, to confirm"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Type your password to confirm that you want to delete your account.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password. Nothing was deleted."))
        return password
