"""The two kinds of reviewed submission, city project applications and company solution registrations, as two
configurations of the pages they share (submission_views.py): the model, its forms, templates, URL names, rules and
words. What only one kind has (cases and comments; the directory and introductions) keeps its own views.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kpis.selectors import catalogue_choices

from . import selectors, services, solution_selectors
from .forms import (
    INDICATOR_LIST_ID,
    DocumentForm,
    KpiFormSet,
    PartnerSoughtFormSet,
    ProjectApplicationForm,
    ProjectStartForm,
    TeamFormSet,
)
from .models import ApplicationDocument, ProjectApplication, SolutionBrochure, SolutionRegistration
from .models.project import SECTIONS
from .rules import refusal
from .solution_forms import BrochureForm, DeploymentFormSet, SolutionForm, SolutionStartForm


@dataclass(frozen=True)
class SubmissionKind:
    model: type[Model]
    name: str  # what templates call one ("application", "solution")
    namespace: str  # its URL namespace
    # Rules (rules.py) for starting one, seeing it, changing it, and downloading its files.
    start_rule: str
    view_rule: str
    edit_rule: str
    download_rule: str
    print_rule: str  # who gets the printable copy: whoever reads the whole submission with its history
    start_form: type
    edit_form: type
    formsets: dict[str, type]  # context name (and prefix) -> inline formset of its rows
    upload_form: type
    upload_prefix: str
    upload_fields: tuple[str, ...]  # what the upload form says about the file besides the file itself
    attachment_model: type[Model]
    attachment_parent: str  # the attachment's foreign key to the submission
    attachments: str  # the submission's related name for them, the edit page's context name, their URL folder
    attachment_url: str  # the URL name of one, and its id's URL parameter ("<attachment_url>_pk")
    templates: dict[str, str]  # "new", "edit", "mine", "print"
    start: Callable  # the service that creates a draft
    mine: Callable[..., QuerySet]  # the organisation's own, for its "my" list
    for_page: Callable[[int], Model]  # one with what its pages show
    for_print: Callable[[int], Model]  # the same, with its history
    for_edit: Callable[[], QuerySet]
    # The reason a person cannot see the "my" list (None when they can).
    list_refusal: Callable
    # Where a person refused the "my" list or a new draft goes instead: (url, label), they have an organisation.
    elsewhere: Callable
    # Words.
    started: Promise
    back: Promise
    upload_unattached: Promise
    refused_edit: Promise
    submitted: Promise
    # The ids of the edit page's parts: where the attachments are listed, and those with a "Save draft" button of
    # their own, to which the page returns with its confirmation (core/messages.py).
    attachments_place: str
    # The view that shows the submission's page again with refused input (`message_form=` or `review_form=`, and
    # `status=`), by its dotted path: it lives in the views, which import this module.
    page_again: str = ""
    save_places: frozenset[str] = frozenset()
    edit_context: Callable = field(default=lambda submission, forms: {})
    # Each part of the edit page with whether it is complete enough to submit ({section key: bool}): the page's
    # badges, and what a draft saved in place (static/js/save-in-place.js) updates them with.
    completion: Callable[[Model], dict[str, bool]] = field(default=lambda submission: {})


def _not_without_organisation(message):
    def list_refusal(user):
        return PermissionDenied(message) if user.organisation is None else None

    return list_refusal


def _provider_elsewhere(organisation):
    if organisation.kind == organisation.Kind.CITY:
        return reverse("applications:new"), _("Start a project application")
    return reverse("solutions:directory"), _("See the solutions directory")


def _worksheet_completion(application) -> dict[str, bool]:
    return {section.key: done for section, done in application.section_status()}


def _worksheet_progress(application, forms) -> dict:
    completion = _worksheet_completion(application)
    return {
        "sections": forms["form"].sections(completion),
        "complete_count": sum(completion.values()),
        "section_count": len(completion),
        "indicator_catalogue": catalogue_choices(),
        "indicator_list_id": INDICATOR_LIST_ID,
    }


APPLICATION = SubmissionKind(
    model=ProjectApplication,
    name="application",
    namespace="applications",
    start_rule="applications.acts_for_a_city",
    view_rule="applications.view_application",
    edit_rule="applications.edit_projectapplication",
    download_rule="applications.download_document",
    print_rule="applications.read_whole_projectapplication",
    start_form=ProjectStartForm,
    edit_form=ProjectApplicationForm,
    formsets={"team": TeamFormSet, "partners": PartnerSoughtFormSet, "kpis": KpiFormSet},
    upload_form=DocumentForm,
    upload_prefix="doc",
    upload_fields=("kind",),
    attachment_model=ApplicationDocument,
    attachment_parent="application",
    attachments="documents",
    attachment_url="document",
    templates={
        "new": "applications/application_new.html",
        "edit": "applications/application_edit.html",
        "mine": "applications/my_applications.html",
        "print": "applications/application_print.html",
    },
    start=services.application_start,
    mine=lambda organisation: selectors.submissions_of(organisation, model=ProjectApplication),
    for_page=selectors.application_for_page,
    for_print=selectors.application_to_show,
    for_edit=lambda: ProjectApplication.objects.select_related("organisation", "cluster", "call"),
    list_refusal=_not_without_organisation(_("Set up or join your organisation to see its applications.")),
    elsewhere=lambda organisation: (reverse("home"), _("Back to the home page")),
    started=_("Your draft is saved. Fill in the sections at your own pace; it is saved each time."),
    back=_("Back to the application"),
    upload_unattached=_("Your answers are saved, but the file was not attached: see why below."),
    refused_edit=_(
        "Your changes were not saved: this application is now “%(status)s” and can no longer be changed, perhaps "
        "from another window or by a colleague. What you typed is shown below so that you can copy it."
    ),
    submitted=_("Submitted. The leaders of the cluster and the secretariat have been told; you will hear by e-mail."),
    attachments_place="section-documents",
    page_again="applications.views.application_page_again",
    save_places=frozenset({*(f"section-{section.key}" for section in SECTIONS), "section-documents"}),
    edit_context=_worksheet_progress,
    completion=_worksheet_completion,
)

SOLUTION = SubmissionKind(
    model=SolutionRegistration,
    name="solution",
    namespace="solutions",
    start_rule="applications.acts_for_a_solution_provider",
    view_rule="applications.view_solution",
    edit_rule="applications.edit_solutionregistration",
    download_rule="applications.download_solutionbrochure",
    print_rule="applications.see_solution_history",
    start_form=SolutionStartForm,
    edit_form=SolutionForm,
    formsets={"deployments": DeploymentFormSet},
    upload_form=BrochureForm,
    upload_prefix="brochure",
    upload_fields=(),
    attachment_model=SolutionBrochure,
    attachment_parent="solution",
    attachments="brochures",
    attachment_url="brochure",
    templates={
        "new": "applications/solutions/solution_new.html",
        "edit": "applications/solutions/solution_edit.html",
        "mine": "applications/solutions/my_solutions.html",
        "print": "applications/solutions/solution_print.html",
    },
    start=services.solution_start,
    mine=lambda organisation: selectors.submissions_of(organisation, model=SolutionRegistration),
    for_page=solution_selectors.solution_for_page,
    for_print=solution_selectors.solution_to_show,
    for_edit=lambda: SolutionRegistration.objects.select_related("organisation", "call").prefetch_related("clusters"),
    list_refusal=lambda user: refusal("applications.acts_for_a_solution_provider", user),
    elsewhere=_provider_elsewhere,
    started=_("Your draft is saved. Describe the solution, then submit it for review."),
    back=_("Back to the solution"),
    upload_unattached=_("Your answers are saved, but the brochure was not attached: see why below."),
    refused_edit=_(
        "Your changes were not saved: this solution is now “%(status)s” and can no longer be changed, perhaps "
        "from another window or by a colleague. What you typed is shown below so that you can copy it."
    ),
    submitted=_("Submitted. The leaders of its clusters and the secretariat have been told; you will hear by e-mail."),
    attachments_place="section-brochures",
    page_again="applications.solution_views.solution_page_again",
)
